"""The interface words the quiz shows around the questions (buttons, feedback), in both languages.

One table feeds both front ends: the terminal quiz reads it directly and ``bank.build_bank`` copies
the chosen language into the bank JSON as ``ui`` for ``quiz.js``, so the two never disagree.

The words of each question kind (its hint, ``<kind>_hint``, and its terminal input prompt,
``prompt_<kind>``) belong to the kind's entry in ``kinds.py``; ``UI`` takes them from there. The
``FROM_KINDS`` places below only keep those keys where the published banks have always had them, so
the bank JSON stays byte-for-byte the same; a new kind needs no place here (its words go last).
"""

from __future__ import annotations

from typing import Final

from k8skb.glossary.taxonomy import LANGUAGES
from k8skb.quiz.kinds import REGISTRY

FROM_KINDS: Final = "<from kinds.py>"
"""The value of a key whose text comes from the kind registry (see the module docstring)."""

_WORDS: Final[dict[str, dict[str, str]]] = {
    "ja": {
        "title": "Kubernetes 基礎クイズ",
        "category": "カテゴリー",
        "all_categories": "すべて",
        "count": "問題数",
        "start": "開始",
        "review": "復習（期限が来た問題）",
        "question": "問題",
        "of": "／",
        "submit": "回答する",
        "next": "次へ",
        "finish": "結果を見る",
        "correct": "正解です！",
        "wrong": "不正解です。",
        "answer_was": "正解",
        "explanation": "解説",
        "terms": "関連する用語",
        "true": "正しい",
        "false": "誤り",
        "truefalse_hint": FROM_KINDS,
        "single_hint": FROM_KINDS,
        "multiple_hint": FROM_KINDS,
        "ordering_hint": FROM_KINDS,
        "matching_hint": FROM_KINDS,
        "position": "順番",
        "move_up": "上へ",
        "move_down": "下へ",
        "choose": "選択してください",
        "score": "スコア",
        "review_list": "見直す問題",
        "no_missed": "全問正解です。",
        "again": "もう一度",
        "no_questions": "条件に合う問題がありません。",
        "nothing_due": "今、復習の期限が来ている問題はありません。",
        "progress_reset": "保存されていた学習記録が壊れていたため、リセットしました。",
        "loading": "問題を読み込んでいます…",
        "load_failed": "問題を読み込めませんでした。",
        "term_filter": "この用語の問題だけを出題しています：{terms}",
        "term_filter_many": "これらの用語の問題だけを出題しています：{terms}",
        "box": "ボックス",
        "prompt_single": FROM_KINDS,
        "prompt_multiple": FROM_KINDS,
        "prompt_truefalse": FROM_KINDS,
        "prompt_ordering": FROM_KINDS,
        "prompt_matching": FROM_KINDS,
        "invalid": "入力を読み取れませんでした",
        "progress_line": "これまでに解いた問題：{seen}問／復習の期限が来た問題：{due}問",
        "positions_hint": "順番はほかの項目と入れ替わります。",
        "pick_all": "すべての項目を選んでから回答してください。",
        "pick_one": "選択してから回答してください。",
        "open_term": "用語のページ",
    },
    "en": {
        "title": "Kubernetes fundamentals quiz",
        "category": "Category",
        "all_categories": "All",
        "count": "Questions",
        "start": "Start",
        "review": "Review (questions that are due)",
        "question": "Question",
        "of": "of",
        "submit": "Check answer",
        "next": "Next",
        "finish": "See results",
        "correct": "Correct!",
        "wrong": "Not quite.",
        "answer_was": "Answer",
        "explanation": "Explanation",
        "terms": "Related terms",
        "true": "True",
        "false": "False",
        "truefalse_hint": FROM_KINDS,
        "single_hint": FROM_KINDS,
        "multiple_hint": FROM_KINDS,
        "ordering_hint": FROM_KINDS,
        "matching_hint": FROM_KINDS,
        "position": "Position",
        "move_up": "Move up",
        "move_down": "Move down",
        "choose": "Choose…",
        "score": "Score",
        "review_list": "Questions to review",
        "no_missed": "You got every question right.",
        "again": "Try again",
        "no_questions": "No questions match.",
        "nothing_due": "Nothing is due for review right now.",
        "progress_reset": "Your saved progress was corrupted and has been reset.",
        "loading": "Loading questions…",
        "load_failed": "Could not load the questions.",
        "term_filter": "Only questions about this term: {terms}",
        "term_filter_many": "Only questions about these terms: {terms}",
        "box": "box",
        "prompt_single": FROM_KINDS,
        "prompt_multiple": FROM_KINDS,
        "prompt_truefalse": FROM_KINDS,
        "prompt_matching": FROM_KINDS,
        "prompt_ordering": FROM_KINDS,
        "invalid": "could not read that answer",
        "progress_line": "Questions answered so far: {seen}. Due for review now: {due}.",
        "positions_hint": "Choosing a position swaps it with the item that had it.",
        "pick_all": "Choose a match for every item first.",
        "pick_one": "Choose an answer first.",
        "open_term": "term page",
    },
}


def ui_words(lang: str) -> dict[str, str]:
    """Every interface word of ``lang``: the table above, with each kind's hint and input prompt."""
    from_kinds: dict[str, str] = {}
    for kind in REGISTRY:
        from_kinds[f"{kind.name}_hint"] = kind.hint.get(lang)
        from_kinds[f"prompt_{kind.name}"] = kind.prompt.get(lang)
    words = {
        key: from_kinds.pop(key) if value == FROM_KINDS else value for key, value in _WORDS[lang].items()
    }
    return words | from_kinds


UI: Final[dict[str, dict[str, str]]] = {lang: ui_words(lang) for lang in LANGUAGES}
"""The interface words by language."""
