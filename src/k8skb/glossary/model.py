"""Typed records of the glossary.

The loader (``loader.py``) turns YAML into plain data with a source position for every node; the
validator (``validate.py``) checks that data; only then is it turned into the frozen records below.
Every record keeps where it came from (``Source``: file and line), so any later consumer (the site,
the quiz, the link checker) can point a maintainer at the exact YAML line behind a problem.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple


class Source(NamedTuple):
    """A position in a source file: path (as given to the loader) and 1-based line.

    The one record that is a named tuple rather than a frozen dataclass: the loader makes one per
    YAML node, and a tuple is the cheapest record to create.
    """

    path: str
    line: int
    column: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


NOWHERE = Source("<memory>", 0)
"""The source of records made in code rather than read from a file."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalizedText:
    """A text in both site languages; both are required and non-empty."""

    ja: str
    en: str

    def get(self, lang: str) -> str:
        """Return the text in ``lang`` (``"ja"`` or ``"en"``)."""
        if lang == "ja":
            return self.ja
        if lang == "en":
            return self.en
        raise ValueError(f"unknown language {lang!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalizedList:
    """A list of short texts per language (e.g. other names); either list may be empty."""

    ja: tuple[str, ...] = ()
    en: tuple[str, ...] = ()

    def get(self, lang: str) -> tuple[str, ...]:
        """Return the list for ``lang``."""
        return self.ja if lang == "ja" else self.en

    def all(self) -> tuple[str, ...]:
        """Return every item of both languages, in order, without repeats."""
        return tuple(dict.fromkeys((*self.ja, *self.en)))


@dataclass(frozen=True, slots=True, kw_only=True)
class Relation:
    """A typed edge ``source --type--> target`` between two terms."""

    type: str
    target: str
    source: Source


@dataclass(frozen=True, slots=True, kw_only=True)
class Reference:
    """A page to read further; ``lang`` is the language of the linked page."""

    url: str
    title: LocalizedText
    lang: str
    source: Source


@dataclass(frozen=True, slots=True, kw_only=True)
class Misconception:
    """A common wrong belief about a term and its correction."""

    wrong: LocalizedText
    right: LocalizedText
    source: Source


@dataclass(frozen=True, slots=True, kw_only=True)
class GlossaryEntry:
    """One term of the glossary: the unit the site, the quiz and the exports are built from."""

    id: str
    category: str
    name: LocalizedText
    reading: str
    summary: LocalizedText
    description: LocalizedText
    aka: LocalizedList = LocalizedList()
    relations: tuple[Relation, ...] = ()
    related: tuple[str, ...] = ()
    misconceptions: tuple[Misconception, ...] = ()
    references: tuple[Reference, ...] = ()
    tags: tuple[str, ...] = ()
    component: str | None = None
    """``control-plane`` or ``node`` when kubernetes.io lists the term as a cluster component."""
    source: Source = NOWHERE
    field_sources: Mapping[str, Source] = field(default_factory=dict, compare=False, hash=False)

    @property
    def legacy(self) -> bool:
        """True for a removed or superseded thing (tagged ``legacy``): never asked as a current one."""
        return "legacy" in self.tags

    def where(self, field_name: str) -> Source:
        """Return the source position of ``field_name`` (the entry's own position if unknown)."""
        return self.field_sources.get(field_name, self.source)


@dataclass(frozen=True, slots=True, kw_only=True)
class Glossary:
    """All entries of all glossary files, in file order, with lookup by id."""

    entries: tuple[GlossaryEntry, ...]
    root: Path | None = None
    _by_id: Mapping[str, GlossaryEntry] = field(default_factory=dict, compare=False, repr=False)
    _by_category: dict[str, tuple[GlossaryEntry, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )  # filled on first use by in_category

    def __post_init__(self) -> None:
        if not self._by_id:
            object.__setattr__(self, "_by_id", {e.id: e for e in self.entries})

    def __iter__(self) -> Iterator[GlossaryEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, term_id: object) -> bool:
        return term_id in self._by_id

    def __getitem__(self, term_id: str) -> GlossaryEntry:
        return self._by_id[term_id]

    def get(self, term_id: str) -> GlossaryEntry | None:
        """Return the entry ``term_id`` or ``None``."""
        return self._by_id.get(term_id)

    def in_category(self, category: str) -> tuple[GlossaryEntry, ...]:
        """Return the entries of ``category`` in file order."""
        by_category = self._by_category
        if not by_category:
            grouped: dict[str, list[GlossaryEntry]] = {}
            for entry in self.entries:
                grouped.setdefault(entry.category, []).append(entry)
            by_category.update({cat: tuple(entries) for cat, entries in grouped.items()})
        return by_category.get(category, ())

    def incoming(self, term_id: str) -> tuple[tuple[GlossaryEntry, Relation], ...]:
        """Return ``(entry, relation)`` for every relation that points at ``term_id``."""
        return tuple((e, r) for e in self.entries for r in e.relations if r.target == term_id)

    def subset(self, term_ids: set[str]) -> Glossary:
        """Return a glossary of only ``term_ids``, dropping relations that leave the subset."""
        kept = []
        for e in self.entries:
            if e.id not in term_ids:
                continue
            kept.append(
                replace(
                    e,
                    relations=tuple(r for r in e.relations if r.target in term_ids),
                    related=tuple(r for r in e.related if r in term_ids),
                )
            )
        return Glossary(entries=tuple(kept), root=self.root)
