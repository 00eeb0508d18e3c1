"""The site: the glossary turned into bilingual MkDocs pages, diagrams, term links and search.

``pages`` (glossary → Markdown), ``diagrams`` (SVG), ``mentions`` (term links in rendered HTML),
``search`` (Pagefind over the built site) are pure or self-contained; ``plugin`` adapts them to
MkDocs events, with its options in ``config``.
"""
