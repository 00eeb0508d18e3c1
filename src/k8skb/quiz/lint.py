"""``k8skb quiz lint``: the teaching-quality checks over the whole bank, both languages.

Flow: the glossary and every question (hand-written and generated, groups assigned, as the bank
has them) → one function per class of defect → ``Finding`` values, each naming where to fix it:
``file:line`` for glossary texts and hand-written questions, the question id for generated ones.
Classes (``CHECKS``):

- ``masked-distractor``: a distractor shows the blank (＿＿＿ / ___), so it mentions the asked term
  and cannot be its definition.
- ``no-subject``: a statement asked on its own (a misconception text, a true/false prompt) opens
  like a reply (``style.reply_opening``).
- ``name-in-prompt``: a prompt shows the name of its keyed choice (for generated questions: of any
  choice), written as the glossary writes it, as another name, or spelled out (``spellings_of``).
- ``blank-mismatch``: one question masks a different number of names in ja and en.
- ``near-duplicate``: two near-identical statements (``groups.near_duplicates``) that are not in
  one group, so one draw could ask both.
- ``length-cue``: a single-choice question's keyed option is at least ``LENGTH_CUE`` times as long
  (in characters) as every distractor, in one language. Options that are term names (summary → term)
  are exempt: a name is as long as it is.
- ``ja-fullwidth``, ``ja-spacing``, ``ja-colloquial``: the Japanese style rules (``style.ja_style``);
  each offending snippet is reported once, at the first text that has it (glossary first).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from k8skb.glossary.model import Glossary, GlossaryEntry, LocalizedText, Source
from k8skb.glossary.style import ja_style, reply_opening
from k8skb.quiz.groups import near_duplicates
from k8skb.quiz.handwritten import LENGTH_CUE, length_cues
from k8skb.quiz.masking import BLANK, leaks, norm, spellings_of
from k8skb.quiz.model import Question

CHECKS = (
    "masked-distractor",
    "no-subject",
    "name-in-prompt",
    "blank-mismatch",
    "near-duplicate",
    "length-cue",
    "ja-fullwidth",
    "ja-spacing",
    "ja-colloquial",
)
"""Every class of defect the lint reports, in report order."""

LANGS = ("ja", "en")


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One defect: its class, where to fix it (``file:line`` or a question id) and what is wrong."""

    check: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message} [{self.check}]"


def _where(question: Question) -> str:
    return str(question.source) if question.source is not None else question.id


def lint(glossary: Glossary, questions: Sequence[Question]) -> list[Finding]:
    """Every finding of every check over ``glossary`` and ``questions``, grouped by check."""
    findings = [
        *_masked_distractors(questions),
        *_no_subject(glossary, questions),
        *_names_in_prompts(glossary, questions),
        *_blank_mismatch(questions),
        *_near_duplicates(questions),
        *_length_cues(glossary, questions),
        *_japanese(glossary, questions),
    ]
    rank = {check: i for i, check in enumerate(CHECKS)}
    return sorted(findings, key=lambda f: rank[f.check])  # stable: each check keeps its own order


def counts(findings: Sequence[Finding]) -> dict[str, int]:
    """The number of findings per check (every check listed, zeros included)."""
    out = dict.fromkeys(CHECKS, 0)
    for finding in findings:
        out[finding.check] += 1
    return out


def _keyed(question: Question) -> set[int]:
    answer = question.answer
    if question.kind == "single" and isinstance(answer, int):
        return {answer}
    if question.kind == "multiple" and isinstance(answer, tuple):
        return set(answer)
    return set()


def _masked_distractors(questions: Sequence[Question]) -> Iterator[Finding]:
    for q in questions:
        if q.kind not in ("single", "multiple"):
            continue
        keyed = _keyed(q)
        for i, choice in enumerate(q.choices):
            shown = [lang for lang in LANGS if BLANK[lang] in choice.get(lang)]
            if i not in keyed and shown:
                yield Finding(
                    check="masked-distractor",
                    where=_where(q),
                    message=f"distractor {i + 1} mentions the asked term (masked, {'/'.join(shown)})",
                )


def _no_subject(glossary: Glossary, questions: Sequence[Question]) -> Iterator[Finding]:
    statements: set[str] = set()
    for entry in glossary:
        for m in entry.misconceptions:
            for part, text in (("wrong", m.wrong), ("right", m.right)):
                statements.add(text.en)
                yield from _reply(text, m.source, f"misconception '{part}' of '{entry.id}'")
    for q in questions:
        if q.kind == "truefalse" and q.prompt.en not in statements:
            yield from _reply(q.prompt, q.source or q.id, "true/false statement")


def _reply(text: LocalizedText, where: Source | str, what: str) -> Iterator[Finding]:
    for lang in LANGS:
        opening = reply_opening(text.get(lang), lang)
        if opening:
            yield Finding(
                check="no-subject",
                where=str(where),
                message=f"{what} ({lang}) opens with '{opening}', a reply rather than a statement "
                "with its own subject",
            )


def _by_name(glossary: Glossary) -> dict[tuple[str, str], GlossaryEntry]:
    return {(lang, norm(e.name.get(lang))): e for e in glossary for lang in LANGS}


def _names_in_prompts(glossary: Glossary, questions: Sequence[Question]) -> Iterator[Finding]:
    names = _by_name(glossary)
    for q in questions:
        if q.kind not in ("single", "multiple"):
            continue
        keyed = _keyed(q)
        for i, choice in enumerate(q.choices):
            if q.origin != "generated" and i not in keyed:
                continue
            for lang in LANGS:
                entry = names.get((lang, norm(choice.get(lang))))
                if entry is not None and leaks(q.prompt.get(lang), spellings_of(entry)):
                    role = "the keyed choice" if i in keyed else f"choice {i + 1}"
                    yield Finding(
                        check="name-in-prompt",
                        where=_where(q),
                        message=f"the prompt ({lang}) shows the name of {role}, {choice.get(lang)!r}",
                    )


def _blanks(question: Question, lang: str) -> int:
    texts = [question.prompt, *question.choices, *question.left]
    return sum(t.get(lang).count(BLANK[lang]) for t in texts)


def _blank_mismatch(questions: Sequence[Question]) -> Iterator[Finding]:
    for q in questions:
        ja, en = _blanks(q, "ja"), _blanks(q, "en")
        if ja != en:
            yield Finding(
                check="blank-mismatch", where=_where(q), message=f"{ja} blank(s) in ja but {en} in en"
            )


def _near_duplicates(questions: Sequence[Question]) -> Iterator[Finding]:
    for a, b, score in near_duplicates(questions):
        if a.group is None or a.group != b.group:
            yield Finding(
                check="near-duplicate",
                where=_where(b),
                message=f"'{b.id}' is a near-duplicate of '{a.id}' ({score:.2f} of their words shared) "
                "and can be drawn with it",
            )


def _length_cues(glossary: Glossary, questions: Sequence[Question]) -> Iterator[Finding]:
    names = _by_name(glossary)
    for q in questions:
        if q.kind == "single" and all(
            (lang, norm(c.get(lang))) in names for c in q.choices for lang in LANGS
        ):
            continue  # the choices are term names
        for lang, ratio in length_cues(q):
            yield Finding(
                check="length-cue",
                where=_where(q),
                message=f"keyed option ({lang}) is {ratio:.2f}× as long as the longest distractor "
                f"(keep it under {LENGTH_CUE}×)",
            )


def _glossary_ja_texts(glossary: Glossary) -> Iterator[tuple[str, str]]:
    for e in glossary:
        yield str(e.where("name")), e.name.ja
        for alias in e.aka.ja:
            yield str(e.where("aka")), alias
        yield str(e.where("summary")), e.summary.ja
        yield str(e.where("description")), e.description.ja
        for m in e.misconceptions:
            yield str(m.source), m.wrong.ja
            yield str(m.source), m.right.ja
        for r in e.references:
            yield str(r.source), r.title.ja


def _question_ja_texts(q: Question) -> Iterator[tuple[str, str]]:
    for text in (q.prompt, *q.choices, *q.left, q.explanation):
        yield _where(q), text.ja


def _japanese(glossary: Glossary, questions: Sequence[Question]) -> Iterator[Finding]:
    seen: set[tuple[str, str, str]] = set()
    sources = [*_glossary_ja_texts(glossary), *(t for q in questions for t in _question_ja_texts(q))]
    for where, text in sources:
        for issue in ja_style(text):
            at = text.find(issue.found)
            snippet = text[max(0, at - 6) : at + len(issue.found) + 6]
            key = (issue.check, issue.found, snippet)
            if key in seen:
                continue
            seen.add(key)
            yield Finding(check=issue.check, where=where, message=f"{issue.found!r} in ja text: …{snippet}…")
