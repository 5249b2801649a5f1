"""The library's messages (English, as the command line prints them) in Romanian, for the web pages.

The JSON API keeps the command line's English text, so that a script sees
the same message from ``arhiva`` and from ``/api/``; a page a clerk reads
says it in Romanian (:func:`romanian`). Each known message has its own
sentence; any other is shown as "a problem" in Romanian, with the English
detail after it for whoever keeps the archive. A file path is never shown
on a page (it says nothing to a clerk, and tells a visitor where the archive
lives): in the English detail it becomes ``…``.
"""

from __future__ import annotations

import re

#: Known messages: a pattern of the English text, and its Romanian sentence (``{name}``: a group of the pattern).
KNOWN: list[tuple[re.Pattern, str]] = [(re.compile(pattern, re.S), sentence) for pattern, sentence in [
    (r"'(?P<value>.*)' is not a date: write 2021, 2021-04 or 2021-04-08",
     "„{value}” nu este o dată: scrieți 2021, 2021-04 sau 2021-04-08."),
    (r"empty query: give some words to search for", "Căutarea este goală: scrieți cuvintele căutate."),
    (r"cannot understand the query '(?P<query>.*)': .*",
     "Căutarea „{query}” nu poate fi înțeleasă: verificați ghilimelele, parantezele și operatorii "
     "(OR, -cuvânt, titlu:, tip:, data:)."),
    (r"no document with ID (?P<id>\S+)", "Nu există niciun document cu identificatorul {id}."),
    (r"ID (?P<id>\S+) is ambiguous: (?P<ids>.*); give more digits",
     "Identificatorul {id} se potrivește mai multor documente ({ids}): scrieți mai multe cifre."),
    (r"'(?P<id>.*)' is not a (full )?document ID.*", "„{id}” nu este un identificator de document."),
    (r"the search index is missing .*run: arhiva reindex",
     "Indexul de căutare lipsește. Administratorul arhivei trebuie să ruleze: arhiva reindex"),
    (r"the search index was built by another version of arhiva .*run: arhiva reindex",
     "Indexul de căutare a fost făcut de o altă versiune a programului. "
     "Administratorul arhivei trebuie să ruleze: arhiva reindex"),
    (r"the search index .* is damaged .*run: arhiva reindex",
     "Indexul de căutare este deteriorat. Administratorul arhivei trebuie să ruleze: arhiva reindex"),
    (r"a search process stopped .*; try again",
     "Căutarea a fost întreruptă: un proces de căutare s-a oprit și este pornit din nou. Reîncercați."),
    (r"the search index is busy.*",
     "Indexul de căutare este ocupat de o altă operație de scriere. Reîncercați peste un minut."),
    (r"the search index is behind the archive: (?P<count>\d+) documents? not yet indexed.*",
     "Indexul de căutare este în urmă față de arhivă ({count} document(e) încă neindexat(e)); "
     "se actualizează acum. Rezultatele pot fi incomplete: reîncercați în câteva momente."),
    (r"the search index is behind the archive.*",
     "Indexul de căutare este în urmă față de arhivă; se actualizează acum. "
     "Rezultatele pot fi incomplete: reîncercați în câteva momente."),
    (r"the last update of the search index failed: (?P<detail>.*)",
     "Ultima actualizare a indexului de căutare a eșuat ({detail})."),
    (r"document (?P<id>[0-9a-f]+) is not in the search index; run: arhiva reindex",
     "Documentul {id} lipsește din indexul de căutare. Administratorul arhivei trebuie să ruleze: arhiva reindex"),
    (r"document (?P<id>[0-9a-f]+) is in the index but no longer in the archive; run: arhiva reindex",
     "Documentul {id} este în index, dar nu mai este în arhivă: a fost lăsat deoparte "
     "(administratorul arhivei poate rula: arhiva reindex)."),
    (r"document (?P<id>[0-9a-f]+) is shown without its text: .*",
     "Documentul {id} este afișat fără fragmente din text: textul lui nu poate fi citit acum."),
    (r"document (?P<id>[0-9a-f]+) fails verification.*",
     "Documentul {id} nu trece verificarea, deci nu este afișat. Administratorul arhivei poate rula: arhiva verify"),
    (r"cannot tell whether the search index is up to date: .*",
     "Nu se poate afla dacă indexul de căutare este la zi; rezultatele pot fi incomplete."),
    (r"document (?P<id>[0-9a-f]+) has no image of page (?P<page>\d+)",
     "Documentul {id} nu are o imagine a paginii {page}."),
    (r"document (?P<id>[0-9a-f]+) is withdrawn, so it is not shown",
     "Documentul {id} a fost retras din arhivă și nu mai este afișat."),
    (r"document (?P<id>[0-9a-f]+) has no searchable PDF copy", "Documentul {id} nu are o copie PDF căutabilă."),
    (r"'(?P<tag>.*)' is not a tag: .*",
     "„{tag}” nu poate fi o etichetă: folosiți litere, cifre și cratime (buget-2021)."),
    (r"the tag (?P<tag>\S+) is longer than (?P<most>\d+) characters",
     "Eticheta {tag} are mai mult de {most} de caractere."),
    (r"not found", "Această pagină nu există. Căutați documentul din pagina de căutare."),
]]

#: What to run, when a message says it: ``run: arhiva verify`` (the command is the same in any language).
_RUN = re.compile(r"run:? (arhiva [a-z-]+)")
#: An absolute file path in a message (after a space, a quote or a parenthesis, or at its start).
_PATH = re.compile(r"(?:(?<=[\s'\"(])|^)/[^\s'\"()]+")


def romanian(message: str) -> str:
    """A message of the library as a page shows it: in Romanian, without file paths.

    >>> romanian("'2021-13' is not a date: write 2021, 2021-04 or 2021-04-08")
    '„2021-13” nu este o dată: scrieți 2021, 2021-04 sau 2021-04-08.'
    >>> romanian("the search index /srv/arhiva/index is damaged (ValueError: x); run: arhiva reindex")
    'Indexul de căutare este deteriorat. Administratorul arhivei trebuie să ruleze: arhiva reindex'
    >>> romanian("/srv/arhiva/journal.jsonl is unreadable (bad line); run: arhiva verify")
    'Arhiva nu poate fi citită acum. Administratorul arhivei poate rula: arhiva verify. (Detaliu: … is unreadable (bad line); run: arhiva verify)'
    """
    text = " ".join(message.split())
    for pattern, sentence in KNOWN:
        match = pattern.fullmatch(text)
        if match:
            return sentence.format(**{k: hide_paths(v or "") for k, v in match.groupdict().items()})
    run = _RUN.search(text)
    advice = f" Administratorul arhivei poate rula: {run.group(1)}." if run else ""
    return f"Arhiva nu poate fi citită acum.{advice} (Detaliu: {hide_paths(text)})"


def hide_paths(text: str) -> str:
    """``text`` with every absolute file path replaced by ``…``.

    >>> hide_paths("the search index is missing (/srv/a/index); run: arhiva reindex")
    'the search index is missing (…); run: arhiva reindex'
    >>> hide_paths("2021/04 and a/b stay")
    '2021/04 and a/b stay'
    """
    return _PATH.sub("…", text)


#: How each page's text was obtained, and where a part of the text came from (``manifest.cleanup.sources``).
METHODS = {
    "ocr": "recunoaștere optică (OCR)",
    "text-layer": "textul din PDF",
    "text-file": "fișier text",
    "typed": "text scris la calculator",
    "old-ocr": "OCR vechi",
    "empty": "pagină fără text",
}

#: The clean-up's steps (``arhiva.repair.pipeline.REGISTRY``), as a clerk reads them.
FIXERS = {
    "unicode_nfc": "litere cu semne unite într-un singur caracter",
    "invisible_characters": "caractere invizibile eliminate, spații neobișnuite înlocuite",
    "mojibake": "text decodat greșit, refăcut",
    "legacy_font": "litere ale fonturilor românești vechi (º þ ã, Ń ł) înlocuite",
    "ligatures": "ligaturi tipografice despărțite, litere stilizate (𝗕 𝘐) făcute obișnuite",
    "comma_below": "ş ţ cu sedilă înlocuite cu ș ț cu virgulă",
    "remove_running_headers": "antete, subsoluri și numere de pagină repetate, eliminate",
    "join_hyphenated_lines": "cuvinte despărțite în silabe la capăt de rând, unite",
    "join_drop_capitals": "majuscule inițiale despărțite de restul cuvântului, unite",
    "reattach_fragments": "începuturi de rând tăiate de OCR, puse la loc",
    "join_split_words": "cuvinte rupte între rânduri, unite",
    "ocr_confusions": "cuvinte citite greșit de OCR, corectate",
    "dropped_letters": "litere cu diacritice pierdute de un font, puse la loc",
    "diacritics": "diacritice adăugate",
    "capitalize_sentence_starts": "majusculă la început de frază",
    "join_paragraph_lines": "rândurile unui paragraf, unite",
}


def method_name(method: str | None) -> str:
    """How a page's text was obtained, in Romanian (an unknown name as it is).

    >>> method_name("text-layer"), method_name("altceva")
    ('textul din PDF', 'altceva')
    """
    return METHODS.get(method or "", method or "")


def fixer_name(fixer: str) -> str:
    """A clean-up step in Romanian (an unknown one by its own name).

    >>> fixer_name("comma_below")
    'ş ţ cu sedilă înlocuite cu ș ț cu virgulă'
    """
    return FIXERS.get(fixer, fixer)


def source_lines(sources: dict | None) -> list[str]:
    """Where the text came from, in Romanian (:func:`arhiva.repair.report.source_lines` says it in English).

    >>> source_lines({"pages": ["text-layer", "text-layer", "ocr"]})
    ['Sursa textului: paginile 1–2 textul din PDF, pagina 3 recunoaștere optică (OCR)']
    >>> source_lines({"pages": ["typed"], "text_file": {"source": "typed", "words": 240, "ocr_signs": 0}})
    ['Sursa textului: text scris la calculator', 'Fișierul text a fost luat drept text scris la calculator: 0 semne de OCR în 240 de cuvinte']
    """
    if not sources:
        return []
    runs: list[list] = []
    for number, source in enumerate(sources.get("pages") or [], start=1):
        if runs and runs[-1][2] == source:
            runs[-1][1] = number
        else:
            runs.append([number, number, source])
    if len(runs) == 1 and runs[0][1] == 1:
        lines = [f"Sursa textului: {method_name(runs[0][2])}"]
    else:
        lines = ["Sursa textului: " + ", ".join(
            f"pagina {a} {method_name(s)}" if a == b else f"paginile {a}–{b} {method_name(s)}" for a, b, s in runs)]
    text_file = sources.get("text_file")
    if text_file:
        kind = method_name(text_file.get("source"))
        line = (f"Fișierul text a fost luat drept {kind}: {counted(text_file.get('ocr_signs'), 'semne')} de OCR "
                f"în {counted(text_file.get('words'), 'cuvinte')}")
        examples = text_file.get("examples")
        lines.append(line + (f" ({'; '.join(examples)})" if examples else ""))
    return lines


def counted(number, plural: str) -> str:
    """A number of things as Romanian says it: ``de`` before the noun from 20 on in each hundred.

    >>> counted(5, "cuvinte"), counted(240, "cuvinte"), counted(101, "cuvinte"), counted(0, "semne")
    ('5 cuvinte', '240 de cuvinte', '101 cuvinte', '0 semne')
    """
    if not isinstance(number, int):
        return f"{number} {plural}"
    with_de = number % 100 >= 20 or (number >= 100 and number % 100 == 0)
    return f"{number} de {plural}" if with_de else f"{number} {plural}"
