"""The glossary: typed model, YAML loader with source positions, and validation.

Public surface: ``load_glossary(directory)`` returns a ``ValidationResult`` whose ``glossary`` is a
``Glossary`` of ``GlossaryEntry`` records when the files are valid, and whose ``problems`` list
every error as ``path:line: message``. Records are frozen, keyword-only, slotted dataclasses
(``Source``, one per YAML node, is a named tuple).

Where common changes go:

- **A new export format**: a ``glossary_to_<format>`` function and one ``EXPORTERS`` entry in
  ``export.py``; ``k8skb export --format`` takes its choices, default and help from ``EXPORTERS``.
- **A new glossary field**: ``schema.json`` (the shape; ``glossary/schema.json`` links to it, so
  editors see it too), ``model.py`` (the ``GlossaryEntry`` field), ``validate.py`` (``_build_entry``,
  and any check the schema cannot express; texts ``{ja, en}`` get the whitespace and raw-HTML checks
  and the freshness report for free), ``export.py`` (``entry_to_dict``, and CSV/TBX if they should
  carry it), ``glossary/FORMAT.md``; then wherever it is shown: ``site/pages.py`` for the term
  page, ``scaffold.py`` if ``k8skb new`` should write a placeholder for it, ``stats.py`` if gaps in
  it should be counted.
- **A new category, relation type or tag**: ``taxonomy.py`` and the enums of ``schema.json``
  (a test holds the two in step).
"""

from k8skb.glossary.loader import Problem
from k8skb.glossary.model import (
    Glossary,
    GlossaryEntry,
    LocalizedList,
    LocalizedText,
    Misconception,
    Reference,
    Relation,
    Source,
)
from k8skb.glossary.validate import ValidationResult, load_glossary

__all__ = [
    "Glossary",
    "GlossaryEntry",
    "LocalizedList",
    "LocalizedText",
    "Misconception",
    "Problem",
    "Reference",
    "Relation",
    "Source",
    "ValidationResult",
    "load_glossary",
]
