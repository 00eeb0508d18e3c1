"""Generate questions from the glossary, deterministically for a given seed.

Flow: one rule per question family, each a small function from the glossary to questions:
term → summary and summary → term (single choice, distractors from the same category first, then
neighbouring categories, then any), component membership (multiple select: control plane vs node,
from the entries' ``component`` field, never from their category), misconceptions (true/false: the
wrong belief is false, the correction true), ``manages`` chains (ordering) and matching (name ↔
summary). Every question's id is ``gen:<rule>:<term ids>`` so it does not depend on the seed; the
seed only drives choice order and which distractors are drawn, through a ``random.Random`` seeded
by ``(seed, id)`` so one question never shifts another.

Fairness rules every rule keeps (``k8skb quiz lint`` checks the result):

- a distractor never mentions the asked term (its masked text would show a blank);
- no choice's name shows in a prompt: the answer's names are masked (also spelled out, e.g.
  "load balancer" for LoadBalancer) and a distractor whose name shows is not drawn;
- a legacy name and its successor (``legacy-name-of``, ``replaces``) are never distractors for
  each other, and a ``legacy`` term is never asked as a current component;
- a statement that opens like a reply (``style.reply_opening``) is never asked on its own.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from itertools import pairwise

from k8skb.glossary.model import Glossary, GlossaryEntry, LocalizedText
from k8skb.glossary.style import reply_opening
from k8skb.quiz.handwritten import LENGTH_CUE
from k8skb.quiz.masking import BLANK, leaks, mask, norm, spellings_of
from k8skb.quiz.model import Question

NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "control-plane": ("node", "architecture"),
    "node": ("control-plane", "architecture"),
    "architecture": ("control-plane", "node", "concept"),
    "resource": ("service-type", "concept"),
    "service-type": ("resource",),
    "networking": ("resource", "service-type", "concept"),
    "storage": ("resource", "concept"),
    "concept": ("architecture", "resource"),
    "tool": ("platform",),
    "platform": ("tool",),
}
"""Where to look for distractors when a category is too small, nearest first."""

MEMBERSHIP: dict[str, tuple[str, LocalizedText]] = {
    "control-plane": (
        "node",
        LocalizedText(
            ja="コントロールプレーンのコンポーネントをすべて選んでください。",
            en="Select every control plane component.",
        ),
    ),
    "node": (
        "control-plane",
        LocalizedText(
            ja="ノードのコンポーネントをすべて選んでください。",
            en="Select every node component.",
        ),
    ),
}
"""Membership questions: component → (component of the distractors, prompt).

Members are the entries whose ``component`` field names the component (kubernetes.io's list),
never the entries of a category: the ``node`` category also holds a specification (CRI), a removed
shim (dockershim) and third-party engines, which are not node components."""

COMPONENT_LABEL: dict[str, LocalizedText] = {
    "control-plane": LocalizedText(ja="コントロールプレーンのコンポーネント", en="Control plane components"),
    "node": LocalizedText(ja="ノードのコンポーネント", en="Node components"),
}
"""How an explanation names each kind of component."""

ENTANGLED_RELATIONS = frozenset({"legacy-name-of", "replaces"})
"""Relations whose two ends are never distractors for each other (an old name and the current one,
a thing and its successor): the old one would be a defensible answer."""

MATCHING: dict[str, LocalizedText] = {
    "service-type": LocalizedText(
        ja="それぞれのServiceタイプを、Podへの通信の公開のしかたと組み合わせてください。",
        en="Match each Service type with the way it exposes Pods.",
    ),
    "control-plane": LocalizedText(
        ja="コントロールプレーンのコンポーネントを、それぞれの役割と組み合わせてください。",
        en="Match each control plane component with its role.",
    ),
    "node": LocalizedText(
        ja="ノードのコンポーネントを、それぞれの役割と組み合わせてください。",
        en="Match each node component with its role.",
    ),
}
"""Matching questions: component (control-plane, node) or category → prompt (names on the left,
summaries on the right); legacy terms are left out."""

CHOICES = 4
PAIRS = 4
MEMBERSHIP_CHOICES = 5
MAX_CHAIN = 6


def generate_questions(glossary: Glossary, seed: int = 0) -> list[Question]:
    """Return every generated question for ``glossary``, in a stable order."""
    rules: Sequence[Callable[[Glossary, int], Iterator[Question]]] = (
        _term_to_summary,
        _summary_to_term,
        _membership,
        _misconceptions,
        _ordering,
        _matching,
    )
    questions: list[Question] = []
    for rule in rules:
        questions.extend(rule(glossary, seed))
    covered = {t for q in questions for t in q.terms}
    questions.extend(_fallback(glossary, seed, covered))
    return questions


def _members(glossary: Glossary, group: str) -> list[GlossaryEntry]:
    """The current (not ``legacy``) entries of a component (``control-plane``, ``node``) or a category."""
    if group in COMPONENT_LABEL:
        return [e for e in glossary if e.component == group and not e.legacy]
    return [e for e in glossary.in_category(group) if not e.legacy]


def entangled(glossary: Glossary) -> dict[str, set[str]]:
    """For each term, the terms it must never be a distractor for (and the reverse)."""
    pairs: dict[str, set[str]] = {}
    for entry in glossary:
        for rel in entry.relations:
            if rel.type in ENTANGLED_RELATIONS and rel.target in glossary:
                pairs.setdefault(entry.id, set()).add(rel.target)
                pairs.setdefault(rel.target, set()).add(entry.id)
    return pairs


def _unique(
    entries: Sequence[GlossaryEntry], key: Callable[[GlossaryEntry], str], taken: set[str]
) -> list[GlossaryEntry]:
    """Keep entries whose ``key`` is not yet taken (so drawn choices can never repeat)."""
    out = []
    seen = set(taken)
    for entry in entries:
        k = norm(key(entry))
        if k not in seen:
            seen.add(k)
            out.append(entry)
    return out


def _rng(seed: int, question_id: str) -> random.Random:
    return random.Random(f"{seed}\x00{question_id}")


def _name(entry: GlossaryEntry) -> LocalizedText:
    return entry.name


def _label(entry: GlossaryEntry) -> str:
    """A key equal for two entries exactly when their names look the same in either language."""
    return f"{entry.name.ja}\x00{entry.name.en}"


def _masked_summary(entry: GlossaryEntry, hidden: Sequence[str]) -> LocalizedText:
    return LocalizedText(ja=mask(entry.summary.ja, hidden, "ja"), en=mask(entry.summary.en, hidden, "en"))


def _has_blank(text: LocalizedText) -> bool:
    return BLANK["ja"] in text.ja or BLANK["en"] in text.en


def _too_short(distractor: LocalizedText, correct: LocalizedText) -> bool:
    """True when ``correct`` would be ``LENGTH_CUE`` times as long as ``distractor`` in either language."""
    return any(len(correct.get(lang)) >= LENGTH_CUE * len(distractor.get(lang)) for lang in ("ja", "en"))


def _quoted(text: str) -> str:
    """``text`` to put inside 「…」: without its final 。 (Japanese never closes a quote with 。 inside)."""
    return text.rstrip().removesuffix("。")


def _distinct(texts: Sequence[LocalizedText]) -> bool:
    return all(len({norm(t.get(lang)) for t in texts}) == len(texts) for lang in ("ja", "en"))


def _tiers(glossary: Glossary, entry: GlossaryEntry) -> list[Sequence[GlossaryEntry]]:
    """Distractor candidates nearest first: the same category, neighbouring categories, the rest.

    Entries entangled with ``entry`` (``entangled``) are left out. May include ``entry`` itself:
    ``_draw_unique`` skips it.
    """
    avoid = entangled(glossary).get(entry.id, set())
    near = (entry.category, *NEIGHBOURS.get(entry.category, ()))
    tiers: list[Sequence[GlossaryEntry]] = [
        [e for e in glossary.in_category(cat) if e.id not in avoid] for cat in near
    ]
    tiers.append([e for e in glossary if e.category not in near and e.id not in avoid])
    return tiers


def _draw_tiered(
    rng: random.Random,
    tiers: Sequence[Sequence[GlossaryEntry]],
    k: int,
    key: Callable[[GlossaryEntry], str | None],
    taken: set[str],
    exclude: GlossaryEntry,
) -> list[GlossaryEntry]:
    """Draw ``k`` entries with ``_draw_unique``, from the first tier and then the next ones as needed."""
    out: list[GlossaryEntry] = []
    seen = set(taken)
    for tier in tiers:
        if len(out) == k:
            break
        picked = _draw_unique(rng, tier, k - len(out), key, seen, exclude)
        out.extend(picked)
        seen.update(norm(k_) for e in picked if (k_ := key(e)) is not None)
    return out


def _draw_unique(
    rng: random.Random,
    pool: Sequence[GlossaryEntry],
    k: int,
    key: Callable[[GlossaryEntry], str | None],
    taken: set[str],
    exclude: GlossaryEntry,
) -> list[GlossaryEntry]:
    """Draw up to ``k`` entries in random order, skipping ``exclude`` and those whose ``key`` is ``None``
    or already taken.

    The order is a Fisher-Yates shuffle done only as far as needed, and keys are computed only for
    the entries looked at, so the work grows with ``k`` rather than with the size of the pool.
    """
    seen = set(taken)
    out: list[GlossaryEntry] = []
    items = list(pool)
    size = len(items)
    for i in range(size):
        j = rng.randrange(i, size)
        items[i], items[j] = items[j], items[i]
        entry = items[i]
        if entry is exclude:
            continue
        raw = key(entry)
        if raw is None or norm(raw) in seen:
            continue
        seen.add(norm(raw))
        out.append(entry)
        if len(out) == k:
            break
    return out


def _draw(rng: random.Random, pool: Sequence[GlossaryEntry], k: int) -> list[GlossaryEntry]:
    return rng.sample(list(pool), min(k, len(pool)))


def _single(
    qid: str,
    prompt: LocalizedText,
    correct: LocalizedText,
    wrong: Sequence[LocalizedText],
    rng: random.Random,
    entry: GlossaryEntry,
) -> Question | None:
    choices = [correct, *wrong]
    if len(choices) < 3 or not _distinct(choices):
        return None
    order = list(range(len(choices)))
    rng.shuffle(order)
    return Question(
        id=qid,
        kind="single",
        prompt=prompt,
        choices=tuple(choices[i] for i in order),
        answer=order.index(0),
        explanation=_explain(entry),
        terms=(entry.id,),
        category=entry.category,
        difficulty=1,
    )


def _term_to_summary(glossary: Glossary, seed: int) -> Iterator[Question]:
    for entry in glossary:
        qid = f"gen:term-summary:{entry.id}"
        rng = _rng(seed, qid)
        hidden = spellings_of(entry)
        correct = _masked_summary(entry, hidden)

        def shown(
            e: GlossaryEntry, hidden: Sequence[str] = hidden, correct: LocalizedText = correct
        ) -> str | None:
            text = _masked_summary(e, hidden)
            if _has_blank(text) or _too_short(text, correct):
                return None  # it mentions the term, or the answer would stand out by its length
            return text.en + "\x00" + text.ja

        taken = {norm(correct.en + "\x00" + correct.ja)}
        picked = _draw_tiered(rng, _tiers(glossary, entry), CHOICES - 1, shown, taken, entry)
        wrong = [_masked_summary(e, hidden) for e in picked]
        prompt = LocalizedText(
            ja=f"「{entry.name.ja}」の説明として正しいものはどれですか。",
            en=f"Which sentence describes “{entry.name.en}”?",
        )
        question = _single(qid, prompt, correct, wrong, rng, entry)
        if question:
            yield question


def _summary_to_term(glossary: Glossary, seed: int) -> Iterator[Question]:
    for entry in glossary:
        qid = f"gen:summary-term:{entry.id}"
        rng = _rng(seed, qid)
        hidden = spellings_of(entry)
        summary = _masked_summary(entry, hidden)
        if leaks(summary.ja, hidden) or leaks(summary.en, hidden):
            continue

        def label(e: GlossaryEntry, summary: LocalizedText = summary) -> str | None:
            names = spellings_of(e)
            visible = leaks(summary.ja, names) or leaks(summary.en, names)
            return None if visible else _label(e)

        picked = _draw_tiered(rng, _tiers(glossary, entry), CHOICES - 1, label, {norm(_label(entry))}, entry)
        prompt = LocalizedText(
            ja=f"次の説明に当てはまる用語はどれですか。\n{summary.ja}",
            en=f"Which term does this describe?\n{summary.en}",
        )
        question = _single(qid, prompt, _name(entry), [_name(e) for e in picked], rng, entry)
        if question:
            yield question


def _explain(entry: GlossaryEntry) -> LocalizedText:
    return LocalizedText(ja=f"{entry.name.ja}: {entry.summary.ja}", en=f"{entry.name.en}: {entry.summary.en}")


def _membership(glossary: Glossary, seed: int) -> Iterator[Question]:
    for cat, (other, prompt) in MEMBERSHIP.items():
        qid = f"gen:members:{cat}"
        rng = _rng(seed, qid)
        members = _unique(_members(glossary, cat), _label, set())
        outsiders = _unique(_members(glossary, other), _label, {norm(_label(e)) for e in members})
        if not members or not outsiders or len(members) + len(outsiders) < 3:
            continue
        n_right = min(len(members), max(1, rng.randint(2, 3)), MEMBERSHIP_CHOICES - 1)
        right = _draw(rng, members, n_right)
        wrong = _draw(rng, outsiders, MEMBERSHIP_CHOICES - len(right))
        shown = list(right) + list(wrong)
        rng.shuffle(shown)
        choices = tuple(_name(e) for e in shown)
        if not _distinct(choices):
            continue
        answer = tuple(i for i, e in enumerate(shown) if e.component == cat)
        yield Question(
            id=qid,
            kind="multiple",
            prompt=prompt,
            choices=choices,
            answer=answer,
            explanation=_membership_explanation(cat, other, right, wrong),
            terms=tuple(e.id for e in shown),
            category=cat,
            difficulty=2,
        )


def _membership_explanation(
    cat: str, other: str, right: Sequence[GlossaryEntry], wrong: Sequence[GlossaryEntry]
) -> LocalizedText:
    def part(lang: str, component: str, entries: Sequence[GlossaryEntry]) -> str:
        sep = "、" if lang == "ja" else ", "
        return COMPONENT_LABEL[component].get(lang) + ": " + sep.join(e.name.get(lang) for e in entries)

    return LocalizedText(
        ja=f"{part('ja', cat, right)}。{part('ja', other, wrong)}。",
        en=f"{part('en', cat, right)}. {part('en', other, wrong)}.",
    )


def _misconceptions(glossary: Glossary, seed: int) -> Iterator[Question]:
    del seed  # true/false questions have nothing to shuffle
    for entry in glossary:
        for index, item in enumerate(entry.misconceptions):
            if _stands_alone(item.wrong):
                yield Question(
                    id=f"gen:tf-wrong:{entry.id}:{index}",
                    kind="truefalse",
                    prompt=item.wrong,
                    choices=(),
                    answer=False,
                    explanation=item.right,
                    terms=(entry.id,),
                    category=entry.category,
                    difficulty=2,
                )
            if _stands_alone(item.right):
                yield Question(
                    id=f"gen:tf-right:{entry.id}:{index}",
                    kind="truefalse",
                    prompt=item.right,
                    choices=(),
                    answer=True,
                    explanation=LocalizedText(
                        ja=f"正しい記述です。よくある誤解は「{_quoted(item.wrong.ja)}」というものです。",
                        en=f"True. A common misconception is: “{item.wrong.en}”",
                    ),
                    terms=(entry.id,),
                    category=entry.category,
                    difficulty=2,
                )


def _stands_alone(text: LocalizedText) -> bool:
    """True when ``text`` can be asked on its own (it does not open like a reply in either language)."""
    return not reply_opening(text.ja, "ja") and not reply_opening(text.en, "en")


def manages_chains(glossary: Glossary) -> list[tuple[str, ...]]:
    """Every maximal ``manages`` path of three or more terms of one category (owner first), without cycles.

    Keeping to one category keeps the question about ownership (Deployment → ReplicaSet → Pod)
    rather than mixing in looser "manages" edges such as a platform managing a control plane.
    """
    edges: dict[str, list[str]] = {}
    owned: set[str] = set()
    for entry in glossary:
        for rel in entry.relations:
            if (
                rel.type == "manages"
                and rel.target in glossary
                and glossary[rel.target].category == entry.category
            ):
                edges.setdefault(entry.id, []).append(rel.target)
                owned.add(rel.target)
    starts = [e.id for e in glossary if e.id in edges and e.id not in owned] or sorted(edges)
    chains: list[tuple[str, ...]] = []

    def walk(path: tuple[str, ...]) -> None:
        nexts = [t for t in edges.get(path[-1], []) if t not in path]
        if not nexts or len(path) >= MAX_CHAIN:
            if len(path) >= 3 and path not in chains:
                chains.append(path)
            return
        for target in nexts:
            walk((*path, target))

    for start in starts:
        walk((start,))
    return chains[:50]


def _ordering(glossary: Glossary, seed: int) -> Iterator[Question]:
    for chain in manages_chains(glossary):
        qid = f"gen:order-manages:{'>'.join(chain)}"
        rng = _rng(seed, qid)
        entries = [glossary[t] for t in chain]
        order = list(range(len(entries)))
        while order == sorted(order):
            rng.shuffle(order)
        choices = tuple(_name(entries[i]) for i in order)
        if not _distinct(choices):
            continue
        answer = tuple(order.index(i) for i in range(len(entries)))
        yield Question(
            id=qid,
            kind="ordering",
            prompt=LocalizedText(
                ja="管理する側から管理される側へ、所有の順に並べてください(最上位の所有者が先頭)。",
                en="Order these by ownership: the top-level owner first, then what it manages, and so on.",
            ),
            choices=choices,
            answer=answer,
            explanation=LocalizedText(
                ja=" → ".join(e.name.ja for e in entries)
                + "の順です。"
                + "".join(f"{a.name.ja}が{b.name.ja}を管理します。" for a, b in pairwise(entries)),
                en=" → ".join(e.name.en for e in entries)
                + ". "
                + " ".join(f"{a.name.en} manages {b.name.en}." for a, b in pairwise(entries)),
            ),
            terms=chain,
            category=entries[0].category,
            difficulty=2,
        )


def _matching(glossary: Glossary, seed: int) -> Iterator[Question]:
    for cat, prompt in MATCHING.items():
        qid = f"gen:match:{cat}"
        rng = _rng(seed, qid)
        members = _unique(_members(glossary, cat), _label, set())
        members = _unique(members, lambda e: e.summary.en + "\x00" + e.summary.ja, set())
        if len(members) < 3:
            continue
        chosen = _draw(rng, members, PAIRS)
        hidden = [n for e in chosen for n in spellings_of(e)]
        left = tuple(_name(e) for e in chosen)
        right = [_masked_summary(e, hidden) for e in chosen]
        if not _distinct(left) or not _distinct(right):
            continue
        order = list(range(len(chosen)))
        while order == sorted(order):
            rng.shuffle(order)
        yield Question(
            id=qid,
            kind="matching",
            prompt=prompt,
            left=left,
            choices=tuple(right[i] for i in order),
            answer=tuple(order.index(i) for i in range(len(chosen))),
            explanation=LocalizedText(
                ja="\n".join(f"{e.name.ja}: {e.summary.ja}" for e in chosen),
                en="\n".join(f"{e.name.en}: {e.summary.en}" for e in chosen),
            ),
            terms=tuple(e.id for e in chosen),
            category=cat,
            difficulty=3,
        )


def _fallback(glossary: Glossary, seed: int, covered: set[str]) -> Iterator[Question]:
    """A true/false question for each term no other rule tests, so every term is covered."""
    for entry in glossary:
        if entry.id in covered:
            continue
        qid = f"gen:tf-summary:{entry.id}"
        rng = _rng(seed, qid)
        avoid = entangled(glossary).get(entry.id, set())
        others = [
            e
            for e in glossary
            if e.id != entry.id and e.id not in avoid and norm(e.summary.en) != norm(entry.summary.en)
        ]
        use_other = bool(others) and rng.random() < 0.5
        described = rng.choice(others) if use_other else entry
        hidden = [*spellings_of(entry), *spellings_of(described)]
        statement = _masked_summary(described, hidden)
        yield Question(
            id=qid,
            kind="truefalse",
            prompt=LocalizedText(
                ja=f"次の文は「{entry.name.ja}」の説明です: {statement.ja}",
                en=f"This sentence describes “{entry.name.en}”: {statement.en}",
            ),
            choices=(),
            answer=not use_other,
            explanation=_explain(entry),
            terms=(entry.id,) if not use_other else (entry.id, described.id),
            category=entry.category,
            difficulty=1,
        )
