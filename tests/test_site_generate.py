"""The docs tree for another engine: links in raw HTML follow the source file, the plugin entry goes."""

from __future__ import annotations

from k8skb.site.finish import relative_url, site_root
from k8skb.site.generate import config_without_plugin, engine_config, source_relative


def test_links_are_rewritten_relative_to_the_source_file() -> None:
    fragment = '<a href="../kubelet/">k</a><a href="https://x.io/">x</a><a href="#t">t</a><img src="a.svg">'
    assert source_relative(fragment, "ja/glossary/pod.md") == (
        '<a href="pod/../kubelet/">k</a><a href="https://x.io/">x</a><a href="#t">t</a><img src="pod/a.svg">'
    )
    assert source_relative(fragment, "ja/glossary/index.md") == fragment  # served at its own folder


def test_the_plugin_entry_and_its_options_are_removed() -> None:
    text = "plugins:\n  - k8skb\n  - i18n:\n      docs_structure: folder\n"
    assert config_without_plugin(text) == "plugins:\n  - i18n:\n      docs_structure: folder\n"
    block = "plugins:\n  - k8skb:\n      search: false\n      autolink: true\n  - i18n\nnav: []\n"
    assert config_without_plugin(block) == "plugins:\n  - i18n\nnav: []\n"
    assert config_without_plugin("plugins:\n  - k8skb: {search: false}\n") == "plugins:\n"


def test_zensical_gets_materials_look() -> None:
    assert engine_config("theme:\n  name: material\nplugins:\n  - k8skb\n") == (
        "theme:\n  variant: classic\n  name: material\nplugins:\n"
    )


def test_urls_between_pages() -> None:
    assert relative_url("glossary/pod/", "glossary/kubelet/") == "../pod/"
    assert relative_url("glossary/pod/", "") == "glossary/pod/"
    assert relative_url("en/glossary/pod/", "en/") == "glossary/pod/"
    assert relative_url("glossary/pod/", "404.html") == "glossary/pod/"
    assert (
        site_root("en/glossary/pod/") == "../../../"
        and site_root("") == "./"
        and site_root("404.html") == "./"
    )
