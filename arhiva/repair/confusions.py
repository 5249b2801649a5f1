"""Repair words that OCR misread: a noisy channel learnt from scans, over the lexicon's words.

OCR turns a true word ``w`` into a token ``o`` letter by letter. How often each
true letter (or pair or triple) comes out as each OCR string — ``ă`` as ``a``,
``d``, ``é``, ``4`` or ``A``, ``î`` as ``i`` or ``j``, ``ș`` as ``$`` — was
measured on scans of corpus text by ``scripts/build_ocr_channel.py`` and is
shipped in ``data/ocr_channel.tsv``, one table per engine: ``eng`` for old OCR
runs made without Romanian letters (:func:`repair_old_ocr`), ``ron`` for
Tesseract's Romanian model (:func:`repair_ocr_confusions`).

The candidates for a token are the lexicon's words that the channel can turn
into it, found by walking the token left to right while the true letters read
so far begin some word (a beam over P(ocr | true)). Each scores

    log P(w) + log P(o | w) + log P(neighbours | w) / P(neighbours)

the last term from the context counts of the diacritics model, where it has
them. The token itself, as a word the lexicon lacks, scores

    log P(unknown | length) + log P(length) + log P(spelling | length) + log P(o | o) + unknown_logp

with the share of unknown words of each length (higher for capitalised words
inside a sentence: names) measured on the development split, and a letter
n-gram model of Romanian spelling: ``croate`` is spelled like a word,
``casd`` and ``relanseaz4`` are not. The candidates that differ from the token
only by diacritics count as the token (restoring those is the job of
:func:`arhiva.repair.diacritics.restore_diacritics`, which runs after). The
best other word replaces the token only when its posterior probability is at
least ``confidence`` (``known_confidence`` when the token is itself a known
word, without the context); the settings were measured on the development
split (``bench/old_ocr_eval.py --tune``), not guessed.

The replacement writes the letters the confusion stood for (``sdptamana`` →
``săptamana``, ``cAtre`` → ``către``); in a text without Romanian letters the
letters OCR merely read without their diacritics stay plain, for
``restore_diacritics`` to decide in context. A character alone between
lowercase words is replaced when OCR nearly always meant a word there (``0``
for ``o``). Numbers, codes, acronyms, mixed-case names, pieces after a hyphen,
URLs and e-mail addresses are left alone.

>>> repair_old_ocr("Anunțăm că sdptamana viitoare cAtre primărie")[0]
'Anunțăm că săptămâna viitoare către primărie'
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from arhiva.repair.diacritics import NOT_PROSE
from arhiva.romanian.letters import DIACRITIC_LETTERS, fold, fold_romanian
from arhiva.repair.model import BOUNDARY, LONGEST_WORD, ContextModel

Edits = list[tuple[str, str]]

#: The smoothing and side weights of the context counts for OCR readings
#: (those diacritics restoration used before its own were fitted on the
#: development split; the confusion figures were measured with these).
CONTEXT_SMOOTHING = 20.0
CONTEXT_WEIGHTS = {"L": 1.0, "R": 1.0, "L2": 0.3, "R2": 0.3}

CHANNEL_FILE = "ocr_channel.tsv"
CHANNEL_PACKAGE = "arhiva.repair.data"

#: A letter the table says nothing about is read as itself this often.
DEFAULT_KEEP = 0.999
#: Paths of the search more than BEAM nats below the best one at the same
#: point of the token are dropped, and at most MAX_STATES are kept.
BEAM = 14.0
MAX_STATES = 60
#: Tokens longer than this are not searched (joined words, garbage).
MAX_TOKEN = 30


@dataclass(frozen=True)
class Settings:
    """How sure the corrector must be, for one kind of OCR."""

    engine: str
    #: added to the log probability of a token being a right word the lexicon lacks.
    unknown_logp: float
    #: posterior probability the replacement needs.
    confidence: float
    #: the same for a token that is itself a known word.
    known_confidence: float
    #: a token the lexicon has seen this often is a known word (``known_confidence``);
    #: a rarer one may be a misreading kept in the word counts (``tn``, ``sd``).
    known_count: int = 10
    #: the least log probability of the token given the word that replaces it (the channel
    #: alone), in all and for each of the token's characters: a token that no likely misreading
    #: explains is debris, not a word (``t1p``, a stamp's remains, is no ``tălpi``: −20.7 in all,
    #: −6.9 a character). Only a reading below both is refused: a long word with many confusions
    #: is unlikely in all but not letter by letter (``|lanuarie`` → ``ianuarie``: −14.5, −1.6),
    #: a short one the other way (``s&`` → ``să``: −6.6, −3.3). Measured: every token put right
    #: on the development split's 20 pages read by Tesseract eng scored −9.2 or more; on the
    #: development scans read by Tesseract ron, the readings below −12 in all were right at
    #: −2.6 a character or more and wrong at −3.85 or less (``|de`` → ``idei``, ``|stat`` →
    #: ``isteț``, ``cIo`` → ``clio``; docs/language-data.md).
    least_channel_logp: float = -12.0
    least_channel_logp_per_character: float = -3.5


#: Old OCR text files (no Romanian letters), and Tesseract ``ron`` output. Chosen on the
#: development split: on 40 pages read by Tesseract eng, 133 tokens put right for 1 broken,
#: and 3 of 63,751 words of correct text changed; on 10 poor pages read by Tesseract ron,
#: 6 put right, none broken (bench/old_ocr_eval.py --tune).
OLD_OCR = Settings("eng", unknown_logp=5.0, confidence=0.9, known_confidence=0.999)
TESSERACT_RON = Settings("ron", unknown_logp=5.0, confidence=0.9, known_confidence=0.999)


@dataclass(frozen=True)
class Channel:
    """P(OCR string | true string) of one engine, read backwards: OCR string → true strings."""

    engine: str
    reverse: dict[str, tuple[tuple[str, float], ...]]
    keep: dict[str, float]
    longest: int
    #: a character OCR left alone between lowercase words → (what the page had, share, support).
    alone: dict[str, tuple[str, float, int]]
    #: (``unknown`` or ``unknown-name``, length) → log P(a word of that kind and length is unknown).
    unknown: dict[tuple[str, int], float]
    #: length → log P(a word has that many letters).
    lengths: dict[int, float]

    @classmethod
    def from_table(cls, table: str, engine: str) -> Channel:
        """The channel of ``engine`` from the text of ``ocr_channel.tsv``.

        >>> channel = Channel.from_table("eng\\tedit\\tă\\td\\t2\\t100\\neng\\tedit\\tă\\ta\\t90\\t100\\n", "eng")
        >>> channel.reverse["d"], round(math.exp(channel.keep["ă"]), 2)
        ((('ă', -3.912023005428146),), 0.08)
        """
        reverse: dict[str, list[tuple[str, float]]] = {}
        lost: dict[str, float] = {}
        alone: dict[str, tuple[str, float, int]] = {}
        unknown: dict[tuple[str, int], float] = {}
        lengths: dict[int, int] = {}
        for line in table.splitlines():
            if not line or line.startswith("#"):
                continue
            name, kind, true, seen, count, total = line.split("\t")
            if name == "all" and kind.startswith("unknown"):
                length = int(true)
                unknown[(kind, length)] = math.log((int(count) + 0.5) / (int(total) + 1))
                lengths[length] = lengths.get(length, 0) + int(total)
                continue
            if name != engine:
                continue
            p = int(count) / int(total)
            if kind in ("edit", "prior"):
                reverse.setdefault(seen, []).append((true, math.log(p)))
                if len(true) == 1:
                    lost[true] = lost.get(true, 0.0) + p
            elif kind == "alone" and p > alone.get(seen, ("", 0.0, 0))[1]:
                alone[seen] = (true, p, int(total))
        keep = {letter: math.log(max(1.0 - p, 1e-6)) for letter, p in lost.items()}
        longest = max((len(seen) for seen in reverse), default=1)
        words = sum(lengths.values())
        return cls(
            engine, {k: tuple(v) for k, v in reverse.items()}, keep, longest, alone, unknown,
            {length: math.log(n / words) for length, n in lengths.items()},
        )

    def unknown_logp(self, length: int, name: bool) -> float:
        """log P(the word has ``length`` letters and the lexicon lacks it), for a name or another word."""
        length = min(length, max((n for _, n in self.unknown), default=length))
        kind = "unknown-name" if name else "unknown"
        return self.unknown.get((kind, length), math.log(0.01)) + self.lengths.get(length, math.log(0.01))

    @classmethod
    def load(cls, engine: str) -> Channel:
        """The shipped channel of ``engine`` (``eng`` or ``ron``), read once per process."""
        return _load_channel(engine)

    def keep_logp(self, letter: str) -> float:
        return self.keep.get(letter, _DEFAULT_KEEP_LOGP)


_DEFAULT_KEEP_LOGP = math.log(DEFAULT_KEEP)


@lru_cache(maxsize=4)
def _load_channel(engine: str) -> Channel:
    table = (resources.files(CHANNEL_PACKAGE) / CHANNEL_FILE).read_text("utf-8")
    return Channel.from_table(table, engine)


class Spelling:
    """A letter n-gram model of how Romanian words are spelled (without diacritics).

    It tells how likely a token is as a word the lexicon lacks: ``croate`` is
    spelled like a Romanian word, ``casd`` and ``relanseaz4`` are not. Witten-Bell
    interpolation down to single letters, which leave a share for letters never seen.

    >>> model = Spelling.from_words(["casa", "masa", "case"], order=3)
    >>> model.logp("cas") > model.logp("csd")
    True
    """

    def __init__(self, counts: dict[str, int], order: int, lengths: dict[int, float]) -> None:
        self.order = order
        self.counts = counts
        #: length → log P(a word has that many letters), among the distinct words.
        self.lengths = lengths
        followers: dict[str, int] = {}
        totals: dict[str, int] = {}
        for gram, count in counts.items():
            history = gram[:-1]
            followers[history] = followers.get(history, 0) + 1
            totals[history] = totals.get(history, 0) + count
        self.followers, self.totals = followers, totals
        self._cache: dict[str, float] = {}

    @classmethod
    def from_words(cls, words: Iterable[str], order: int = 4) -> Spelling:
        """The model of the distinct spellings of ``words``, without diacritics."""
        types = set(fold_romanian("\n".join(words)).split("\n")) - {""}
        # All the words, each after order-1 pads and before an end mark, in one string:
        # its n-grams that end in a word's letters or end mark are the model's, and
        # each shorter one is counted as often as the longest ones that end with it.
        joined = "".join("^" * (order - 1) + word + "$" for word in types)
        longest = Counter(map("".join, zip(*(joined[j:] for j in range(order)))))
        grams: dict[str, int] = {}
        for gram, n in longest.items():
            if gram[-1] != "^":
                for k in range(order):
                    grams[gram[k:]] = grams.get(gram[k:], 0) + n
        lengths = {length: math.log(n / len(types)) for length, n in Counter(map(len, types)).items()}
        return cls(grams, order, lengths)

    def logp_given_length(self, word: str) -> float:
        """log P(word | a word of its length): the spelling, whatever makes words long or short."""
        return self.logp(word) - self.lengths.get(len(word), _RARE_LENGTH_LOGP)

    def logp(self, word: str) -> float:
        """log P(word) as a string of letters, end included."""
        found = self._cache.get(word)
        if found is None:
            padded = "^" * (self.order - 1) + fold_romanian(word) + "$"
            found = sum(math.log(self._p(padded[i - self.order + 1 : i + 1])) for i in range(self.order - 1, len(padded)))
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[word] = found
        return found

    def _p(self, gram: str) -> float:
        letters = self.followers.get("", 1)
        p = (self.counts.get(gram[-1:], 0) + 1) / (self.totals.get("", 0) + letters + 1)
        for k in range(2, len(gram) + 1):
            history = gram[-k:-1]
            total = self.totals.get(history)
            if total:
                distinct = self.followers[history]
                p = (self.counts.get(gram[-k:], 0) + distinct * p) / (total + distinct)
        return p


#: log P(a word has this many letters) for a length no word of the lexicon has.
_RARE_LENGTH_LOGP = math.log(1e-5)


class Vocabulary:
    """What the corrector needs of a lexicon: its forms sorted (which begin with a given
    string?), their log frequencies, a spelling model of them, the context model,
    and the readings found so far.
    """

    def __init__(self, model: ContextModel) -> None:
        self.model = model
        self.lexicon = lexicon = model.lexicon
        self.forms = sorted(lexicon.counts)
        self.logp = {form: math.log(count / lexicon.total) for form, count in lexicon.counts.items()}
        self._prefixes: dict[str, bool] = {}
        self.spelling = Spelling.from_words(lexicon.counts)
        self.readings: dict[tuple[str, str], Readings] = {}

    def begins(self, prefix: str) -> bool:
        known = self._prefixes.get(prefix)
        if known is None:
            i = bisect_left(self.forms, prefix)
            known = i < len(self.forms) and self.forms[i].startswith(prefix)
            if len(self._prefixes) > 500_000:
                self._prefixes.clear()
            self._prefixes[prefix] = known
        return known


_VOCABULARIES: dict[int, Vocabulary] = {}


def vocabulary(model: ContextModel) -> Vocabulary:
    """The Vocabulary of ``model``, built once (about half a second for the shipped one)."""
    found = _VOCABULARIES.get(id(model))
    if found is None or found.model is not model:
        found = _VOCABULARIES[id(model)] = Vocabulary(model)
    return found


def candidates(token: str, channel: Channel, words: Vocabulary) -> dict[str, tuple[float, str]]:
    """The known words the channel can turn into ``token``: word → (log P(token | word), spelling).

    ``token`` is lowercase but for letters OCR may have misread as capitals
    (``cAtre``). The spelling is the word with the letters the token shows
    without their diacritics left plain (``sdptamana`` → ``săptamana``).

    >>> found = candidates("sdptamana", Channel.load("eng"), vocabulary(ContextModel.load()))
    >>> found["săptămâna"][1]
    'săptamana'
    """
    layers: list[dict[str, tuple[float, str]]] = [{} for _ in range(len(token) + 1)]
    layers[0][""] = (0.0, "")
    dropped = channel.reverse.get("", ())
    for i in range(len(token) + 1):
        layer = layers[i]
        if not layer:
            continue
        for true, logp in dropped:  # letters OCR left out
            for prefix, (score, spelling) in list(layer.items()):
                _extend(layer, words, prefix + true, score + logp, spelling + true)
        best = max(score for score, _ in layer.values())
        states = sorted(
            ((prefix, state) for prefix, state in layer.items() if state[0] >= best - BEAM),
            key=lambda item: -item[1][0],
        )[:MAX_STATES]
        if i == len(token):
            return {prefix: state for prefix, state in states if prefix in words.logp}
        for prefix, (score, spelling) in states:
            letter = token[i]
            if letter.islower():
                _extend(layers[i + 1], words, prefix + letter, score + channel.keep_logp(letter), spelling + letter)
            for k in range(1, min(channel.longest, len(token) - i) + 1):
                seen = token[i : i + k]
                for true, logp in channel.reverse.get(seen, ()):
                    written = seen if fold_romanian(true) == seen else true
                    _extend(layers[i + k], words, prefix + true, score + logp, spelling + written)
    return {}


def _extend(layer: dict[str, tuple[float, str]], words: Vocabulary, prefix: str, score: float, spelling: str) -> None:
    if words.begins(prefix):
        old = layer.get(prefix)
        if old is None or old[0] < score:
            layer[prefix] = (score, spelling)


#: A token: letters, digits and the signs OCR writes for letters (``$i``, ``relanseaz4``).
_TOKEN = re.compile(r"(?:[^\W_]|[$€¢£&|@])+")


def repair_old_ocr(text: str) -> tuple[str, Edits]:
    """Repair the words of a text left by an old OCR run (an engine without Romanian letters).

    >>> repair_old_ocr("relanseaz4 programul jn cadrul Roméaniei")[0]
    'relansează programul în cadrul României'
    """
    return repair(text, OLD_OCR)


def repair_ocr_confusions(text: str) -> tuple[str, Edits]:
    """Repair the words Tesseract's Romanian model misread; a known word needs strong evidence.

    >>> repair_ocr_confusions("URBACT, ULG, 10.000 euro, office@primaria.ro, DigiPlace")[1]
    []

    A long word misread in several letters is put right; debris that no likely misreading
    explains is not made a word (``|de`` is no ``idei``):

    >>> repair_ocr_confusions("Bucureşti, 15 |lanuarie 2020, conform |de la pct. 3")[0]
    'Bucureşti, 15 ianuarie 2020, conform |de la pct. 3'
    """
    return repair(text, TESSERACT_RON)


def _inside(spans: list[tuple[int, int]], starts: list[int], at: int) -> bool:
    """Whether ``at`` falls in one of ``spans`` (sorted, not overlapping; ``starts`` their starts).

    >>> _inside([(2, 5), (9, 12)], [2, 9], 4), _inside([(2, 5), (9, 12)], [2, 9], 5)
    (True, False)
    """
    k = bisect_right(starts, at) - 1
    return k >= 0 and at < spans[k][1]


def repair(text: str, settings: Settings, model: ContextModel | None = None) -> tuple[str, Edits]:
    """Replace the tokens whose likeliest reading, by ``settings``, is another known word."""
    words = vocabulary(model or ContextModel.load())
    channel = Channel.load(settings.engine)
    plain = _lacks_diacritics(text)
    masked = [(m.start(), m.end()) for m in NOT_PROSE.finditer(text)]
    mask_starts = [a for a, _ in masked]
    tokens = list(_TOKEN.finditer(text))
    keys = [fold(m.group()).lower() for m in tokens]
    starts = [_sentence_start(text, m.start()) for m in tokens]
    edits: Edits = []
    pieces: list[str] = []
    cursor = 0
    for i, match in enumerate(tokens):
        token = match.group()
        if _inside(masked, mask_starts, match.start()) or len(token) > LONGEST_WORD:
            continue  # masked, or no word (scoring it would take time for nothing)
        chosen: tuple[str, str] | None = None
        if len(token) == 1:
            chosen = _alone(token, text, match.start(), channel, settings)
        elif _suspect(token) and _may_be_word(text, match.start(), match.end()):
            name = token[_first_letter(token)].isupper() and not starts[i]
            found = readings(normalise_case(token), channel, words)
            chosen = decide(found, settings, channel, words, _neighbours(keys, starts, i), name)
        if chosen is None:
            continue
        fixed = _spelled(*chosen, token, plain, starts[i])
        pieces += [text[cursor : match.start()], fixed]
        cursor = match.end()
        edits.append((token, fixed))
    if not edits:
        return text, []
    pieces.append(text[cursor:])
    return "".join(pieces), edits


def _spelled(word: str, spelling: str, token: str, plain: bool, sentence_start: bool) -> str:
    """How ``word`` replaces ``token``: in a text without diacritics, with only the diacritics of the
    letters the token showed misread (``spelling``); capitalised as the token, unless its capital
    was a misread letter (``Tn``).
    """
    if plain:
        word = spelling
    first = token[_first_letter(token)]
    if first.isupper() and (sentence_start or fold_romanian(word[:1]) == fold_romanian(first.lower())):
        word = word[:1].upper() + word[1:]
    return word


#: A character standing alone between two lowercase words (``are 0 durată``).
LONE = re.compile(r"(?<=[^\W\d_A-ZĂÂÎȘȚ] )\S(?= [^\W\d_A-ZĂÂÎȘȚ])")
_LOWER_BEFORE = re.compile(r"[^\W\d_A-ZĂÂÎȘȚ] $")
_LOWER_AFTER = re.compile(r" [^\W\d_A-ZĂÂÎȘȚ]")


def _may_be_word(text: str, start: int, end: int) -> bool:
    """False for the piece after a hyphen (``scal-bugetare``), and for a token of one letter
    and signs unless it stands between two lowercase words (``trebuie s4 fie``, not ``lit. a1)``).
    """
    if text[start - 1 : start] == "-":
        return False
    if sum(ch.isalpha() for ch in text[start:end]) > 1:
        return True
    return bool(_LOWER_BEFORE.search(text, max(0, start - 2), start)) and bool(_LOWER_AFTER.match(text, end))


#: The character must have been seen alone this often for its reading to count.
MIN_ALONE = 10


def _alone(token: str, text: str, start: int, channel: Channel, settings: Settings) -> tuple[str, str] | None:
    """(word, spelling) a character alone between lowercase words stands for, when OCR nearly always meant it."""
    reading = channel.alone.get(token)
    if reading is None or not LONE.match(text, start):
        return None
    word, share, support = reading
    return (word, fold_romanian(word)) if share >= settings.confidence and support >= MIN_ALONE else None


_SENTENCE_START = re.compile(r"(?:^|[.!?;:]|\n[ \t]*\n)[\s\"'„“”«(\[-]*$")


def _sentence_start(text: str, position: int) -> bool:
    return bool(_SENTENCE_START.search(text, max(0, position - 20), position))


def _neighbours(keys: list[str], starts: list[bool], i: int) -> dict[str, str]:
    """The folded words around token i (BOUNDARY beyond its sentence), as the context model has them."""
    before, j = [], i
    while len(before) < 2:
        if starts[j] or j == 0:  # a sentence's first word, or the text's
            before += [BOUNDARY] * (2 - len(before))
        else:
            j -= 1
            before.append(keys[j])
    after, j = [], i + 1
    while len(after) < 2:
        if j == len(keys) or starts[j]:
            after += [BOUNDARY] * (2 - len(after))
        else:
            after.append(keys[j])
            j += 1
    return {"L": before[0], "L2": before[1], "R": after[0], "R2": after[1]}


def context_logratio(form: str, neighbours: dict[str, str], model: ContextModel) -> float:
    """log P(neighbours | form) - log P(neighbours): how much the words around favour ``form``.

    The context counts of :mod:`arhiva.repair.diacritics`, smoothed by CONTEXT_SMOOTHING
    (Witten-Bell towards the neighbour's own frequency); 0 for a form they do
    not hold (only the forms of words ambiguous without diacritics), and
    nothing from a neighbour the lexicon does not know.

    >>> model = ContextModel.load()
    >>> context_logratio("să", {"L": "pentru", "R": "fie", "L2": "<s>", "R2": "<s>"}, model) > 0
    True
    """
    total = 0.0
    for side, weight in CONTEXT_WEIGHTS.items():
        seen_with = model.context.get(side, {}).get(form)
        if seen_with is None:
            continue
        neighbour = neighbours[side]
        known = model.neighbour_count(neighbour)
        if not known:
            continue  # a word the lexicon lacks, often a misread one: it tells nothing
        prior = (known + 1) / (model.total + 1)
        novel = model.context_types[side][form] + CONTEXT_SMOOTHING
        p = (seen_with.get(neighbour, 0) + novel * prior) / (model.context_totals[side][form] + novel)
        total += weight * (math.log(p) - math.log(prior))
    return total


@dataclass(frozen=True)
class Readings:
    """What a token may be: the known words it may be read as, scored, and whether it is itself a word."""

    token: str
    #: log P(w) + log P(token | w) of the known words that are the token but for diacritics.
    itself: dict[str, float]
    #: the same for the other known words, with the spelling that would replace the token.
    others: dict[str, tuple[float, str]]
    #: log P(token | token) + log P(spelling | length): the token read right, were it a word the lexicon lacks.
    keep: float
    #: how often the lexicon has seen the token, ignoring diacritics.
    count: int


def readings(token: str, channel: Channel, words: Vocabulary) -> Readings:
    """Score the known words that the channel can turn into ``token`` (case normalised).

    >>> found = readings("cAtre", Channel.load("eng"), vocabulary(ContextModel.load()))
    >>> found.count, max(found.others, key=lambda word: found.others[word][0])
    (0, 'către')
    """
    cached = words.readings.get((channel.engine, token))
    if cached is None:
        cached = _readings(token, channel, words)
        if len(words.readings) > 100_000:
            words.readings.clear()
        words.readings[(channel.engine, token)] = cached
    return cached


def _readings(token: str, channel: Channel, words: Vocabulary) -> Readings:
    found = candidates(token, channel, words) if len(token) <= MAX_TOKEN else {}
    own = fold_romanian(token)
    itself = {w: words.logp[w] + logp for w, (logp, _) in found.items() if fold_romanian(w) == own}
    if not itself and words.lexicon.forms(own):
        form = words.lexicon.forms(own)[0][0]
        itself = {form: words.logp[form]}
    others = {
        w: (words.logp[w] + logp, spelling) for w, (logp, spelling) in found.items() if fold_romanian(w) != own
    }
    keep = sum(channel.keep_logp(ch) for ch in token) + words.spelling.logp_given_length(token)
    return Readings(token, itself, others, keep, words.lexicon.folded_count(own))


def decide(
    found: Readings,
    settings: Settings,
    channel: Channel,
    words: Vocabulary,
    neighbours: dict[str, str] | None = None,
    name: bool = False,
) -> tuple[str, str] | None:
    """(word, spelling) of the best other reading, if it is likely enough to replace the token.

    With ``neighbours``, each reading the context model knows is weighed by the
    words around it, unless the token is itself a known word: the model knows
    the context of few words, and a known word could only lose by it. A
    ``name`` (a capitalised token inside a sentence) is more often a right word
    that the lexicon lacks, unless the best reading changes its first letter.
    """
    if not found.others:
        return None
    known = found.count >= settings.known_count

    def in_context(scores: dict[str, float]) -> dict[str, float]:
        if neighbours is None or known:
            return scores
        return {w: s + context_logratio(w, neighbours, words.model) for w, s in scores.items()}

    others = in_context({w: score for w, (score, _) in found.others.items()})
    best = max(others, key=others.__getitem__)
    channel_logp = found.others[best][0] - words.logp[best]
    if (channel_logp < settings.least_channel_logp
            and channel_logp < settings.least_channel_logp_per_character * len(found.token)):
        return None  # no likely misreading of ``best`` gives the token: debris, not a word
    stay = list(in_context(found.itself).values())
    if not known:
        # A capital that the best reading takes for another letter (``Tn`` → ``în``) is no name's.
        misread = any(true == best[:1] for true, _ in channel.reverse.get(found.token[:1], ()))
        unknown = channel.unknown_logp(len(found.token), name and not misread)
        stay.append(settings.unknown_logp + unknown + found.keep)
    # The spellings of one word (``mănăstirii``, ``mânăstirii``) share its probability.
    same = [score for w, score in others.items() if fold(w) == fold(best)]
    posterior = math.exp(_logsumexp(same) - _logsumexp(stay + list(others.values())))
    if posterior < (settings.known_confidence if known else settings.confidence):
        return None
    return best, found.others[best][1]


def normalise_case(token: str) -> str:
    """The token as the channel reads it: a capital first letter, or all capitals, lowered.

    >>> normalise_case("Roméaniei"), normalise_case("cAtre"), normalise_case("ROMANIA"), normalise_case("|Această")
    ('roméaniei', 'cAtre', 'romania', '|această')
    """
    letters = [ch for ch in token if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return token.lower()
    first = _first_letter(token)
    if token[first : first + 1].isupper():
        return token[:first] + token[first].lower() + token[first + 1 :]
    return token


def _first_letter(token: str) -> int:
    return next((i for i, ch in enumerate(token) if ch.isalpha()), 0)


def _suspect(token: str) -> bool:
    """False for numbers, codes, acronyms: tokens that are not words OCR may have misread."""
    letters = [ch for ch in token if ch.isalpha()]
    if not letters or len(letters) < len(token) - len(letters):
        return False
    if all(ch.isupper() for ch in letters) and len(token) > 1:
        return False  # an acronym
    first = _first_letter(token)
    if token[first].isupper() and any(a.islower() and b.isupper() for a, b in zip(token[first:], token[first + 1 :])):
        return False  # a name written in mixed case (DigiPlace)
    return token[:1].isalpha() or token[:1] in "$€¢£&|@"


def _lacks_diacritics(text: str) -> bool:
    """True for text written without Romanian letters (an old OCR engine's, or typed so)."""
    marks = sum(text.count(ch) for ch in DIACRITIC_LETTERS + "şţŞŢ")
    return marks < 0.02 * max(len(text.split()), 1)


def _logsumexp(values: list[float]) -> float:
    top = max(values)
    return top + math.log(sum(math.exp(v - top) for v in values))
