"""The files the quiz adds to the built site (the MkDocs plugin writes them in ``on_post_build``).

Flow: glossary + ``quiz/`` directory → one bank per language (fixed seed, so builds are
reproducible) → ``{site-relative path: JSON text}``. ``docs/assets/quiz.js`` finds the bank next to
itself at ``assets/quiz/bank.<lang>.json``. The quiz files' problems come back beside the banks (the
MkDocs plugin reports them and stops the build on an error); invalid questions are left out.
"""

from __future__ import annotations

from pathlib import Path

from k8skb.glossary.loader import Problem
from k8skb.glossary.model import Glossary
from k8skb.glossary.taxonomy import LANGUAGES
from k8skb.quiz.bank import all_questions, bank_json, build_bank

SITE_SEED = 0
"""The seed of the banks published on the site."""


def bank_path(lang: str) -> str:
    """The site-relative path of the bank for ``lang``."""
    return f"assets/quiz/bank.{lang}.json"


def site_files(glossary: Glossary, quiz_dir: Path) -> tuple[dict[str, str], list[Problem]]:
    """Return ``{site-relative path: content}`` for every quiz bank, and the quiz files' problems."""
    questions, problems = all_questions(glossary, quiz_dir, SITE_SEED)
    files = {bank_path(lang): bank_json(build_bank(glossary, questions, lang)) for lang in LANGUAGES}
    return files, problems
