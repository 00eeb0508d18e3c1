"""Counts and gaps of the glossary, for maintainers (``k8skb stats``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from k8skb.glossary.model import Glossary
from k8skb.glossary.taxonomy import CATEGORIES, LANGUAGES


@dataclass(frozen=True, slots=True, kw_only=True)
class GlossaryStats:
    """What ``k8skb stats`` reports."""

    terms: int
    per_category: dict[str, int]
    per_language: dict[str, dict[str, int]]
    without_references: tuple[str, ...]
    without_misconceptions: tuple[str, ...]
    without_reference_in: dict[str, tuple[str, ...]]
    relations: int


def glossary_stats(glossary: Glossary) -> GlossaryStats:
    """Compute counts per category and language and list entries lacking references or misconceptions."""
    per_category = Counter(e.category for e in glossary)
    per_language = {
        lang: {
            "terms": len(glossary),
            "aka": sum(len(e.aka.get(lang)) for e in glossary),
            "misconceptions": sum(len(e.misconceptions) for e in glossary),
            "references": sum(1 for e in glossary for r in e.references if r.lang == lang),
            "description_chars": sum(len(e.description.get(lang)) for e in glossary),
        }
        for lang in LANGUAGES
    }
    return GlossaryStats(
        terms=len(glossary),
        per_category={c.id: per_category.get(c.id, 0) for c in CATEGORIES},
        per_language=per_language,
        without_references=tuple(e.id for e in glossary if not e.references),
        without_misconceptions=tuple(e.id for e in glossary if not e.misconceptions),
        without_reference_in={
            lang: tuple(e.id for e in glossary if not any(r.lang == lang for r in e.references))
            for lang in LANGUAGES
        },
        relations=sum(len(e.relations) for e in glossary),
    )
