"""The glossary: typed model, YAML loader with source positions, and validation.

Public surface: ``load_glossary(directory)`` returns a ``ValidationResult`` whose ``glossary`` is a
``Glossary`` of ``GlossaryEntry`` records when the files are valid, and whose ``problems`` list
every error as ``path:line: message``.
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
