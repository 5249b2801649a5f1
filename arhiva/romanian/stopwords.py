"""Romanian stop words for search: function words that say nothing about a topic.

The list holds articles, prepositions, conjunctions, pronouns and the forms of
the auxiliaries *a fi*, *a avea*, *a vrea*: together they are 35% of the
word tokens of the news corpus, and 36 of the 95 occur in at least half of the
193 procurement-legislation documents (the rest are pronoun and auxiliary
forms, rarer in administrative text than in news). As query words they match
nearly everything and only add noise to the ranking. Negation (``nu``), numbers, and content
words that are frequent in administrative text (``consiliul``, ``hotărâre``)
are deliberately not stop words. Phrase searches use an unstemmed field that
keeps every word, so ``"în cadrul proiectului"`` still matches exactly.

Both the written and the folded form of each word are listed, so that a query
typed without diacritics (``si``, ``in``) drops the same words.
"""

from __future__ import annotations

from arhiva.romanian.letters import fold

_WORDS = """
a al ale alor ai am ar are au avea avem aveți aș aș
cu ca că care ce cea cei cel cele celor ci cum către
da de dar deci decât din dintre după
e ei el ele este eu
fi fie fiind fost fără
i iar ia îi îl îm în într între însă
la le lor lui
mai mă mi
ne ni noi
o or ori
pe pentru prin printre
sa să se sau său sale sunt suntem sînt
și îți ți te tu
un una unei unor unui
va vor voi vă
"""

STOP_WORDS: frozenset[str] = frozenset(w for word in _WORDS.split() for w in (word, fold(word)))
