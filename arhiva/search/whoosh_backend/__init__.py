"""The embedded search backend: Whoosh (whoosh3), in a folder of the archive.

- :mod:`.engine`: the backend (opening, writing, searching);
- :mod:`.schema`: arhiva's analysis wrapped as Whoosh analyzers, the weighting;
- :mod:`.translate`: arhiva's query tree as Whoosh queries;
- :mod:`.ranking` (with :mod:`.segment`, :mod:`.matches`, :mod:`.phrases`):
  Whoosh's BM25F ranking computed a whole posting list at a time;
- :mod:`.private`: every read of whoosh3's private storage, behind a probe;
- :mod:`.state`: the index's record of itself.
"""
