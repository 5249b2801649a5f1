"""Named projects, programmes and institutions, and people with their roles.

Kept conservative and general, with no lists of names:

- an institution is a capitalised head word (``Primăria``, ``Consiliul Local``,
  ``Ministerul``, ``Agenția``…, in any case form) with the capitalised words and
  connectives after it (``Ministerul Finanțelor Publice``); its name is given
  in the nominative (``la Primărie`` → ``Primăria``);
- a project or programme is the name after ``proiect(ul)``/``program(ul)``:
  a quoted phrase, or words that look like names (capitalised, CamelCase or
  acronyms: ``Proiectului DigiPlace``, ``Programului Operațional URBACT``);
- a person is a sequence of two to four capitalised words on its own line
  under a role line (``Președinte de ședință,`` / ``Ioana Mureșan``; several
  under ``Responsabili Proiect``), after a role and a comma on the same line,
  or after ``domnul``/``doamna`` (and a role: ``doamna consilier Elena Dobrescu``).
"""

from __future__ import annotations

import re

from arhiva.metadata.model import Entity, Person
from arhiva.metadata.text import Line
from arhiva.metadata.doctypes import ROLES
from arhiva.romanian.letters import fold

#: Institution head words (folded, any inflection) → their nominative form.
INSTITUTIONS: tuple[tuple[str, str], ...] = (
    (r"primari(?:a|ei|e)", "Primăria"),
    (r"consiliul(?:ui)?\s+local", "Consiliul Local"),
    (r"consiliul(?:ui)?\s+judetean", "Consiliul Județean"),
    (r"ministerul(?:ui)?", "Ministerul"),
    (r"agenti(?:a|ei)", "Agenția"),
    (r"autoritat(?:ea|ii)", "Autoritatea"),
    (r"guvernul(?:ui)?", "Guvernul"),
    (r"institutia\s+prefectului|prefectur(?:a|ii)", "Prefectura"),
    (r"directi(?:a|ei)", "Direcția"),
    (r"comisi(?:a|ei)", "Comisia"),
    (r"curt(?:ea|ii)", "Curtea"),
    (r"inalta\s+curte", "Înalta Curte"),
    (r"parlamentul(?:ui)?", "Parlamentul"),
)
#: Feminine heads, whose adjectives change with the case (``Agenției Naționale``).
_AGREEING = ("Agenția", "Autoritatea", "Direcția", "Comisia", "Curtea", "Înalta Curte")
_CONNECTIVES = r"(?:si|pentru|de|al|a|ale|din|privind)"
_INSTITUTION = re.compile(
    r"\b(?=[acdgimp])(?:"
    + "|".join(f"(?P<i{n}>{head}\\b)" for n, (head, _) in enumerate(INSTITUTIONS))
    + ")"
    + rf"(?P<tail>(?:[ \t]+(?:{_CONNECTIVES}[ \t]+)?(?-i:[A-Z])[\w-]*)*)",
    re.IGNORECASE,
)
_NAMED = re.compile(
    r"\b(?P<head>proiect(?:ul|ului)?|program(?:ul|ului)?)\s+(?:operational\s+)?"
    r"(?:[„\"«](?P<quoted>[^”\"»\n]{2,80})[”\"»]|(?P<name>(?-i:[A-Z])[\w-]*(?:[ \t]+(?-i:[A-Z])[\w-]*){0,3}))",
    re.IGNORECASE,
)
_ROLE = "|".join(re.escape(role).replace(r"\ ", r"\s+") for role in ROLES)
_ROLE_LINE = re.compile(rf"^(?P<role>{_ROLE})\s*[,:]?\s*(?:,\s*(?P<name>.+))?$", re.IGNORECASE)
_ADDRESSED = re.compile(
    rf"\b(?:domnul|doamna|dl\.|dna\.|d-l|d-na)\s+(?:(?P<role>{_ROLE})\s+)?(?P<name>[A-Z][\w-]+(?:\s+[A-Z][\w-]+){{1,3}})"
)


def institutions_and_projects(text: str, folded: str) -> list[Entity]:
    """Projects, programmes and institutions, each once (the first time it appears)."""
    found: dict[tuple[str, str], Entity] = {}
    for match in _NAMED.finditer(folded):
        head = match.group("head")
        if not head[0].isupper() and match.group("quoted") is None and not _distinctive(text[match.start("name") : match.end("name")]):
            continue
        kind = "project" if head.lower().startswith("proiect") else "programme"
        group = "quoted" if match.group("quoted") is not None else "name"
        name = _trim_name(text[match.start(group) : match.end(group)])
        if not name:
            continue
        if group == "name" and not _distinctive(name):
            continue
        found.setdefault((name, kind), Entity(name, kind, text[match.start() : match.end()], match.start(), match.end()))
    for match in _INSTITUTION.finditer(folded):
        written = text[match.start() : match.end()]
        if not written[:1].isupper():
            continue
        index = next(int(k[1:]) for k, v in match.groupdict().items() if k.startswith("i") and v)
        head_end = match.end(f"i{index}")
        tail = _trim_name(text[head_end : match.end()])
        nominative = INSTITUTIONS[index][1]
        if written.isupper():
            tail = " ".join(w if w.lower() in ("si", "și", "de", "al", "a", "ale", "din") else w.capitalize() for w in tail.lower().split())
        if tail and nominative in _AGREEING:
            # ``Direcției Economice``: the adjectives agree with the head, so keep it as written.
            name = _trim_name(written) if not written.isupper() else f"{nominative} {tail}"
        else:
            name = f"{nominative} {tail}".strip() if tail else nominative
        if nominative in ("Comisia", "Curtea", "Direcția", "Agenția", "Autoritatea") and not tail:
            continue  # too generic alone
        found.setdefault((name, "institution"), Entity(name, "institution", written.strip(), match.start(), match.end()))
    return sorted(found.values(), key=lambda e: e.start)


def _distinctive(name: str) -> bool:
    """A name that is more than an ordinary capitalised word: an acronym or CamelCase."""
    return any(len(w) >= 2 and (w.isupper() or any(c.isupper() for c in w[1:])) for w in name.split())


def _trim_name(name: str) -> str:
    words = name.split()
    while words and words[-1].lower() in ("si", "și", "de", "al", "a", "ale", "din", "pentru", "privind"):
        words.pop()
    return " ".join(words).strip(" ,.;:")


def people(text: str, text_lines: list[Line], folded: str) -> list[Person]:
    """People named in signature blocks or addressed with ``domnul``/``doamna``, with their role."""
    out: list[Person] = []
    seen: set[str] = set()

    def add(name: str, role: str | None, start: int) -> None:
        if name not in seen:
            seen.add(name)
            out.append(Person(name, role, start, start + len(name)))

    index = 0
    while index < len(text_lines):
        line = text_lines[index]
        match = _ROLE_LINE.match(folded[line.start : line.end]) if len(line.text) < 80 else None
        index += 1
        if not match:
            continue
        role = text[line.start + match.start("role") : line.start + match.end("role")]
        if match.group("name"):
            name = line.text[match.start("name") :].strip()
            if _looks_like_name(name):
                add(name, role, line.start + match.start("name"))
            continue
        while index < len(text_lines) and _looks_like_name(text_lines[index].text):
            add(text_lines[index].text, role, text_lines[index].start)
            index += 1
    for match in _ADDRESSED.finditer(folded):
        name = text[match.start("name") : match.end("name")]
        role = text[match.start("role") : match.end("role")] if match.group("role") else None
        if _looks_like_name(name):
            add(name, role, match.start("name"))
    return out


#: Capitalised words of institutions and places, never part of a person's name (folded).
NOT_NAMES = frozenset(
    "consiliul consiliului local judetean primaria primariei municipiul municipiului municipal orasul orasului "
    "comuna comunei judetul judetului romania directia directiei serviciul serviciului biroul biroului comisia "
    "comisiei ministerul ministerului agentia agentiei guvernul guvernului institutia prefectul".split()
)


def _looks_like_name(line: str) -> bool:
    """Two to four capitalised words of letters (hyphens allowed), nothing else."""
    words = line.strip().split()
    if not 2 <= len(words) <= 4 or any(fold(w).lower() in NOT_NAMES for w in words):
        return False
    for word in words:
        parts = word.split("-")
        if not all(p[:1].isupper() and p.isalpha() and (p[1:].islower() or p.isupper()) and len(p) >= 2 for p in parts):
            return False
    return True
