"""Checks of glossary references that need no network.

Flow: for every reference of every entry → the URL must be well formed (``url_problem``, the
validator's own rule) → a kubernetes.io reference must match its declared language: ``lang: ja``
points into the Japanese docs (``https://kubernetes.io/ja/…``), ``lang: en`` must not. Each problem
carries the YAML ``file:line`` of the reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from k8skb.links.types import Kind, Occurrence, Outcome, Problem

if TYPE_CHECKING:
    from k8skb.glossary import Glossary, Reference

KUBERNETES_HOSTS = frozenset({"kubernetes.io", "www.kubernetes.io"})


def reference_problem(ref: Reference) -> Outcome | None:
    """Return what is wrong with one reference (malformed URL, language mismatch), or ``None``."""
    from k8skb.glossary.validate import url_problem  # loaded with the glossary, not before

    reason = url_problem(ref.url)
    if reason:
        return Outcome(ok=False, message=f"malformed URL: {reason}", detail="malformed-url")
    parts = urlsplit(ref.url)
    if (parts.hostname or "").lower() not in KUBERNETES_HOSTS:
        return None
    japanese = parts.path == "/ja" or parts.path.startswith("/ja/")
    if ref.lang == "ja" and not japanese:
        return Outcome(
            ok=False,
            message="reference has lang: ja but does not point at the Japanese docs (https://kubernetes.io/ja/…)",
            detail="language-mismatch",
        )
    if ref.lang == "en" and japanese:
        return Outcome(
            ok=False,
            message="reference has lang: en but points at the Japanese docs (/ja/)",
            detail="language-mismatch",
        )
    return None


def check_glossary(glossary: Glossary) -> list[Problem]:
    """Return one problem per faulty reference, located at its YAML line."""
    problems = []
    for entry in glossary:
        for ref in entry.references:
            outcome = reference_problem(ref)
            if outcome is not None:
                where = Occurrence(
                    path=ref.source.path,
                    line=ref.source.line,
                    column=ref.source.column,
                    attribute="reference",
                    origin=str(ref.source),
                    url=ref.url,
                )
                problems.append(
                    Problem(kind=Kind.GLOSSARY, target=ref.url, outcome=outcome, occurrences=(where,))
                )
    return problems
