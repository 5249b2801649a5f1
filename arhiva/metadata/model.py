"""The metadata of one document, as frozen dataclasses with a stable JSON form."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

#: The roles of a date in its document. ``possible`` is the best candidate for the document's own
#: date when it scored below the acceptance threshold: not the document's date.
DATE_ROLES = ("document", "possible", "mentioned", "period-start", "period-end")


@dataclass(frozen=True)
class DateMention:
    """A date as written in the text. ``iso`` is ``YYYY-MM-DD``, or ``YYYY-MM`` for a month."""

    iso: str
    text: str
    start: int
    end: int
    role: str = "mentioned"


@dataclass(frozen=True)
class Reference:
    """A numbered document cited in the text (``Legea nr. 98/2016``), or the document's own number.

    ``own`` is true for the document's own number: in its heading
    (``HOTĂRÂREA nr. 45``) or its registration number at the top.
    """

    text: str
    kind: str
    number: str
    year: int | None
    date: str | None
    start: int
    end: int
    own: bool = False


@dataclass(frozen=True)
class Entity:
    """A named project, programme or institution; ``name`` in the form of a heading."""

    name: str
    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Person:
    """A person named in the text, with the role the text gives them (or None)."""

    name: str
    role: str | None
    start: int
    end: int


@dataclass(frozen=True)
class Metadata:
    """What :func:`arhiva.metadata.extract` finds in one document."""

    date: str | None = None
    date_confidence: float = 0.0
    dates: tuple[DateMention, ...] = ()
    type: str = "altul"
    type_confidence: float = 0.0
    title: str | None = None
    references: tuple[Reference, ...] = ()
    entities: tuple[Entity, ...] = ()
    people: tuple[Person, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """A plain dict of str, int, float, bool, None and lists, with stable keys."""
        return {
            "date": self.date,
            "date_confidence": round(self.date_confidence, 3),
            "dates": [asdict(d) for d in self.dates],
            "type": self.type,
            "type_confidence": round(self.type_confidence, 3),
            "title": self.title,
            "references": [asdict(r) for r in self.references],
            "entities": [asdict(e) for e in self.entities],
            "people": [asdict(p) for p in self.people],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Metadata:
        """The inverse of :meth:`to_json`; unknown keys are ignored.

        >>> Metadata.from_json(Metadata(date="2021-04-08").to_json()).date
        '2021-04-08'
        """

        def build(kind: type, items: list[dict[str, Any]]) -> tuple:
            names = {f.name for f in fields(kind)}
            return tuple(kind(**{k: v for k, v in item.items() if k in names}) for item in items)

        return cls(
            date=data.get("date"),
            date_confidence=float(data.get("date_confidence", 0.0)),
            dates=build(DateMention, data.get("dates", [])),
            type=data.get("type", "altul"),
            type_confidence=float(data.get("type_confidence", 0.0)),
            title=data.get("title"),
            references=build(Reference, data.get("references", [])),
            entities=build(Entity, data.get("entities", [])),
            people=build(Person, data.get("people", [])),
        )
