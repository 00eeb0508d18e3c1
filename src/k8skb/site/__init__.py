"""The site: the glossary turned into bilingual MkDocs pages, diagrams, term links and search.

``pages`` (glossary → Markdown), ``diagrams`` (SVG), ``mentions`` (term links in rendered HTML),
``search`` (Pagefind over the built site) are pure or self-contained; ``plugin`` adapts them to
MkDocs events, with its options in ``config``.

Where a change goes:
- a new section on term or category pages: ``pages`` (its labels in ``text``);
- a new diagram: ``diagrams`` (drawing) and ``pages`` (where it appears);
- a new plugin option: ``config`` (declared with a docstring) and ``plugin`` (what it does);
- a new generated file in the built site: ``plugin.on_post_build``, written with
  ``k8skb.fileio.write_text_atomic``.
"""
