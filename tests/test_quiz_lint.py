"""``k8skb quiz lint``: each class of defect is found on a planted case, and the real bank is clean."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from k8skb.cli import main
from k8skb.glossary import Glossary, load_glossary
from k8skb.glossary.model import LocalizedText as T
from k8skb.glossary.model import Misconception, Relation, Source
from k8skb.quiz.bank import all_questions
from k8skb.quiz.generate import generate_questions
from k8skb.quiz.groups import assign_groups
from k8skb.quiz.lint import CHECKS, counts, lint
from k8skb.quiz.model import Question
from k8skb.quiz.schedule import select_questions

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FIXTURES = HERE / "fixtures" / "quiz"


@cache
def fixture_glossary() -> Glossary:
    glossary = load_glossary(FIXTURES / "glossary").glossary
    assert glossary is not None
    return glossary


def single(choices: list[T], answer: int = 0, prompt: T | None = None, qid: str = "planted") -> Question:
    return Question(
        id=qid,
        kind="single",
        prompt=prompt or T(ja="どれですか。", en="Which one?"),
        choices=tuple(choices),
        answer=answer,
        explanation=T(ja="説明。", en="Why."),
        terms=("pod",),
        category="resource",
        origin="handwritten",
        source=Source("quiz/planted.yaml", 7),
    )


def statement(text: T, qid: str = "planted-tf") -> Question:
    return Question(
        id=qid,
        kind="truefalse",
        prompt=text,
        choices=(),
        answer=False,
        explanation=T(ja="説明。", en="Why."),
        terms=("pod",),
        category="resource",
    )


def found(questions: list[Question], glossary: Glossary | None = None) -> dict[str, int]:
    return counts(lint(glossary or fixture_glossary(), questions))


def only(check: str, n: int = 1) -> dict[str, int]:
    return {c: (n if c == check else 0) for c in CHECKS}


def test_the_fixture_bank_is_clean() -> None:
    questions, _ = all_questions(fixture_glossary(), FIXTURES / "quiz", 0)
    assert found(questions) == dict.fromkeys(CHECKS, 0)


def test_a_distractor_showing_the_blank_is_found() -> None:
    q = single(
        [
            T(ja="Podの説明。", en="About Pods."),
            T(ja="＿＿＿を使うもの。", en="Uses a ___."),
            T(ja="別", en="Other"),
        ]
    )
    assert found([q]) == only("masked-distractor")


def test_a_statement_opening_like_a_reply_is_found() -> None:
    planted = statement(T(ja="それは言い過ぎです。", en="That undersells it."))
    assert found([planted]) == only("no-subject", 2)  # one per language
    assert found([statement(T(ja="Podは移動する。", en="It is fine to move a Pod."))]) == only(
        "no-subject", 0
    )


def test_a_misconception_opening_like_a_reply_is_found_at_its_line() -> None:
    glossary = fixture_glossary()
    pod = glossary["pod"]
    bad = Misconception(
        wrong=T(ja="Podは移動する。", en="Pods move."),
        right=T(ja="いいえ、作り直されます。", en="No."),
        source=Source("g.yaml", 3),
    )
    changed = Glossary(entries=tuple(replace(e, misconceptions=(bad,)) if e is pod else e for e in glossary))
    findings = [f for f in lint(changed, []) if f.check == "no-subject"]
    assert [f.where for f in findings] == ["g.yaml:3", "g.yaml:3"]


def test_an_answer_name_in_the_prompt_is_found_also_when_spelled_out() -> None:
    choices = [
        T(ja="LoadBalancer", en="LoadBalancer"),
        T(ja="NodePort", en="NodePort"),
        T(ja="ClusterIP", en="ClusterIP"),
    ]
    named = single(choices, prompt=T(ja="LoadBalancerはどれ？", en="Which is LoadBalancer?"))
    spelled = single(
        choices, prompt=T(ja="外部の負荷分散は？", en="Which one puts a load balancer in front?")
    )
    assert found([named]) == only("name-in-prompt", 2)
    assert found([spelled]) == only("name-in-prompt")
    fair = single(choices, prompt=T(ja="外部の負荷分散は？", en="Which one uses a cloud device?"))
    assert found([fair]) == only("name-in-prompt", 0)


def test_a_different_number_of_blanks_per_language_is_found() -> None:
    q = single([T(ja="＿＿＿全体", en="___-wide, the ___"), T(ja="別", en="Other"), T(ja="他", en="Else")])
    assert found([q])["blank-mismatch"] == 1


def test_near_duplicate_statements_are_found_unless_grouped() -> None:
    a = statement(
        T(
            ja="dockershimの削除で、Dockerのイメージは動かない。",
            en="Since dockershim was removed, Docker images no longer run on Kubernetes.",
        ),
        "a",
    )
    b = statement(
        T(
            ja="dockershimが消えたので、Dockerのイメージはもう動かない。",
            en="Since dockershim is gone, images built with Docker no longer run on Kubernetes.",
        ),
        "b",
    )
    assert found([a, b]) == only("near-duplicate")
    grouped = assign_groups([a, b])
    assert grouped[0].group == grouped[1].group == "a"
    assert found(grouped) == only("near-duplicate", 0)


def test_a_keyed_option_much_longer_than_every_distractor_is_found() -> None:
    long = T(
        ja="新しいReplicaSetを作って段階的に入れ替える",
        en="It creates a new ReplicaSet and replaces Pods step by step",
    )
    q = single([long, T(ja="Podを書き換える", en="Edits Pods"), T(ja="何もしない", en="Does nothing")])
    assert found([q]) == only("length-cue", 2)
    even = single(
        [
            long,
            long.__class__(
                ja="既存のPodをその場で書き換えて更新する",
                en="It edits every existing Pod in place, one at a time",
            ),
            T(ja="何もしない", en="Does nothing"),
        ]
    )
    assert found([even]) == only("length-cue", 0)


@pytest.mark.parametrize(
    ("text", "check"),
    [
        ("Podを作ります（例)。", "ja-fullwidth"),
        ("説明：Podを作ります。", "ja-fullwidth"),
        ("Podとサービス Service。", "ja-spacing"),
        ("`kubectl` で作ります。", "ja-spacing"),
        ("ふつうはPodを使います。", "ja-colloquial"),
        ("いちばん小さい単位です。", "ja-colloquial"),
        ("kubeletがPodの面倒を見る。", "ja-colloquial"),
    ],
)
def test_japanese_style_breaches_are_found(text: str, check: str) -> None:
    q = statement(T(ja=text, en="Pods are small."))
    assert found([q]) == only(check)


def test_a_draw_never_holds_two_questions_of_one_group() -> None:
    questions, _ = all_questions(fixture_glossary(), FIXTURES / "quiz", 0)
    from k8skb.quiz.bank import localize

    bank = [localize(q, "en") for q in questions]
    grouped = [q for q in bank if q["group"]]
    assert len(grouped) >= 2
    for seed in range(40):
        picked = select_questions(bank, {}, 0, len(bank), seed)
        groups = [q["group"] for q in picked if q["group"]]
        assert len(groups) == len(set(groups)), seed
        assert len(picked) == len(bank) - (len(grouped) - len({q["group"] for q in grouped}))


def test_membership_comes_from_the_component_field_not_the_category() -> None:
    glossary = fixture_glossary()
    spec = replace(glossary["kube-proxy"], component=None)  # a node-category entry that is no component
    legacy = replace(glossary["container-runtime"], tags=("legacy",))
    changed = Glossary(
        entries=tuple(
            spec if e.id == "kube-proxy" else legacy if e.id == "container-runtime" else e for e in glossary
        )
    )
    for seed in range(20):
        for q in generate_questions(changed, seed):
            if q.id.startswith(("gen:members:", "gen:match:node")):
                assert "kube-proxy" not in q.terms and "container-runtime" not in q.terms, (seed, q.id)


def test_successors_are_never_distractors_for_each_other() -> None:
    glossary = fixture_glossary()
    rc = replace(
        glossary["service"],
        id="replicationcontroller",
        name=T(ja="ReplicationController", en="ReplicationController"),
        summary=T(
            ja="指定した数のPodを動かし続ける古いAPI。", en="The old API that keeps a number of Pods running."
        ),
        relations=(),
        misconceptions=(),
    )
    rs = glossary["replicaset"]
    rs = replace(rs, relations=(*rs.relations, Relation(type="replaces", target=rc.id, source=rs.source)))
    changed = Glossary(entries=(*(rs if e.id == "replicaset" else e for e in glossary), rc))
    for seed in range(30):
        for q in generate_questions(changed, seed):
            names = {c.en for c in q.choices}
            if q.id.endswith((":replicaset", ":replicationcontroller")) and "-term:" in q.id:
                assert not {"ReplicaSet", "ReplicationController"} <= names, (seed, q.id)
            if q.id == "gen:term-summary:replicaset":
                assert rc.summary.en not in names, (seed, q.id)


def test_the_real_bank_is_clean_and_the_cli_prints_the_counts(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["quiz", "lint", "--glossary", str(REPO / "glossary"), "--quiz", str(REPO / "quiz")])
    out = capsys.readouterr().out
    assert status == 0, out
    for check in CHECKS:
        assert f"{check}" in out
    assert out.rstrip().endswith("questions") and "0 finding(s)" in out


def _fixture_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = (FIXTURES / "glossary" / "terms.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "terms.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


def test_validate_refuses_a_misconception_that_opens_like_a_reply(tmp_path: Path) -> None:
    directory = _fixture_copy(
        tmp_path,
        'en: "kube-scheduler writes the binding',
        'en: "That is wrong: kube-scheduler writes the binding',
    )
    problems = [str(p) for p in load_glossary(directory).problems]
    assert len(problems) == 1 and "opens with 'That'" in problems[0] and "terms.yaml:" in problems[0]


def test_validate_refuses_a_legacy_component(tmp_path: Path) -> None:
    directory = _fixture_copy(tmp_path, "  component: node\n", "  component: node\n  tags: [legacy]\n")
    problems = [str(p) for p in load_glossary(directory).problems]
    assert len(problems) == 1 and "tagged legacy" in problems[0]


def test_a_handwritten_length_cue_is_a_warning(tmp_path: Path) -> None:
    from k8skb.quiz.handwritten import load_quiz_dir

    (tmp_path / "q.yaml").write_text(
        "- id: long-key\n  kind: single\n  terms: [pod]\n"
        "  prompt: {ja: どれ？, en: Which?}\n"
        "  choices:\n"
        "    - {ja: 新しいReplicaSetを作り段階的に入れ替える, en: It makes a new ReplicaSet and swaps Pods}\n"
        "    - {ja: 書き換える, en: Edits Pods}\n"
        "    - {ja: 何もしない, en: Nothing}\n"
        "  answer: 1\n  explanation: {ja: 説明。, en: Why.}\n",
        encoding="utf-8",
    )
    result = load_quiz_dir(tmp_path, fixture_glossary())
    assert [p.severity for p in result.problems] == ["warning", "warning"]
    assert all(
        str(p).startswith(f"{tmp_path / 'q.yaml'}:1: warning: keyed option (") for p in result.problems
    )
    assert [q.id for q in result.questions] == ["long-key"]  # still asked
