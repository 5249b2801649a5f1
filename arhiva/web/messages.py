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
    (r"'(?P<tag>.*)' is not a tag: .*", "„{tag}” nu poate fi o etichetă: folosiți litere, cifre și cratime (buget-2021)."),
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
