"""Options of the ``k8skb`` MkDocs plugin (``plugins: - k8skb: {...}`` in mkdocs.yml)."""

from __future__ import annotations

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config


class K8skbConfig(Config):  # type: ignore[no-untyped-call]
    """The plugin's options; paths are relative to the directory of mkdocs.yml."""

    glossary_dir = opt.Type(str, default="glossary")
    """Directory of the glossary YAML files the pages are generated from."""

    quiz_dir = opt.Type(str, default="quiz")
    """Directory of the hand-written quiz files (handed to the quiz bank export)."""

    autolink = opt.Type(bool, default=True)
    """Turn term mentions in every page into links with the term summary as tooltip."""

    search = opt.Type(bool, default=True)
    """Index the built site with Pagefind after the build (one index per language)."""
