"""Romanian language knowledge, in one place for repair (ingest) and search.

- :mod:`arhiva.romanian.letters`: the alphabet, cedilla/comma-below forms, folding.
- :mod:`arhiva.romanian.encoding`: decoding legacy bytes as Romanian text.
"""
