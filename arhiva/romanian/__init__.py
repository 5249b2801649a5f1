"""Romanian language knowledge, in one place for repair (ingest), metadata and search.

- :mod:`arhiva.romanian.letters`: the alphabet, cedilla/comma-below forms, folding.
- :mod:`arhiva.romanian.encoding`: decoding legacy bytes as Romanian text.
- :mod:`arhiva.romanian.lexicon`: word forms and their contexts (the shipped language data).
- :mod:`arhiva.romanian.diacritics`: restoring diacritics with a context model.
- :mod:`arhiva.romanian.confusions`: OCR confusions, as a noisy channel.
- :mod:`arhiva.romanian.stemming`, :mod:`arhiva.romanian.stopwords`: for the search analyzers.
- :mod:`arhiva.romanian.calendar`, :mod:`arhiva.romanian.doctypes`: months, document types, roles.
"""
