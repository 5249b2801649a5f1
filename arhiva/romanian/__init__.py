"""Romanian language knowledge that every job shares: letters, lexicon, encodings.

- :mod:`arhiva.romanian.letters`: the alphabet, cedilla/comma-below forms, folding.
- :mod:`arhiva.romanian.encoding`: decoding legacy bytes as Romanian text.
- :mod:`arhiva.romanian.lexicon`: word forms and their contexts (the shipped language data).
- :mod:`arhiva.romanian.stopwords`: function words, for search and for titles.

Each job keeps its own models: repair's diacritics and OCR channel in
:mod:`arhiva.repair`, metadata's months and document types in
:mod:`arhiva.metadata`, search's stemmers in :mod:`arhiva.search`.
"""
