"""The closed vocabularies of the glossary: categories, relation types and tags.

Every glossary entry names one category, any number of tags and typed relations. The names are
part of the data format (and of ``glossary/schema.json``); the labels are what readers see, in
both languages. Adding a category, tag or relation type means adding it here (a test keeps the
JSON Schema in step with this module).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from k8skb.glossary.model import LocalizedText

LANGUAGES: Final = ("ja", "en")
"""The site's languages, default first."""


Label = LocalizedText
"""A short text shown to readers, in both languages (the same record as a glossary text)."""


@dataclass(frozen=True, slots=True)
class Category:
    """A group of terms with its own overview page."""

    id: str
    label: Label
    blurb: Label


@dataclass(frozen=True, slots=True)
class RelationType:
    """A typed edge between two terms, read ``source <label> target`` and ``target <inverse> source``."""

    id: str
    label: Label
    inverse: Label


CATEGORIES: Final[tuple[Category, ...]] = (
    Category(
        "architecture",
        Label("アーキテクチャ", "Architecture"),
        Label(
            "クラスターを形づくる大きな部品と、その呼び名。",
            "The large parts a cluster is made of, and what they are called.",
        ),
    ),
    Category(
        "control-plane",
        Label("コントロールプレーンのコンポーネント", "Control plane components"),
        Label(
            "クラスター全体の状態を決め、保ち続けるプロセス群。",
            "The processes that decide and keep the state of the whole cluster.",
        ),
    ),
    Category(
        "node",
        Label("ノードのコンポーネント", "Node components"),
        Label(
            "各ノードで動き、Podを実際に動かすプロセス群。",
            "The processes on every node that actually run Pods.",
        ),
    ),
    Category(
        "resource",
        Label("リソース", "Resources"),
        Label(
            "Kubernetes APIで作成・管理するオブジェクトの種類。",
            "Kinds of objects you create and manage through the Kubernetes API.",
        ),
    ),
    Category(
        "service-type",
        Label("Serviceのタイプ", "Service types"),
        Label(
            "ServiceがPodへの通信をどこに公開するかを決める種類。",
            "The kinds of Service, which decide where traffic to Pods is exposed.",
        ),
    ),
    Category(
        "concept",
        Label("用語と概念", "Terms and concepts"),
        Label(
            "ほかの項目を正しく理解するために必要な考え方と用語。",
            "Ideas and words you need to understand the other entries correctly.",
        ),
    ),
    Category(
        "tool",
        Label("ツール", "Tools"),
        Label(
            "クラスターを作り、操作するときに出会うツール。",
            "Tools you meet when creating and operating a cluster.",
        ),
    ),
    Category(
        "platform",
        Label("プラットフォームとほかのオーケストレーター", "Platforms and other orchestrators"),
        Label(
            "マネージドKubernetesと、Kubernetes以外のコンテナ管理の仕組み。",
            "Managed Kubernetes, and ways to manage containers other than Kubernetes.",
        ),
    ),
)

RELATION_TYPES: Final[tuple[RelationType, ...]] = (
    RelationType("part-of", Label("構成要素として属する", "part of"), Label("構成要素", "has part")),
    RelationType("runs-on", Label("動作する場所", "runs on"), Label("上で動くもの", "runs")),
    RelationType("manages", Label("管理する", "manages"), Label("管理される", "managed by")),
    RelationType("talks-to", Label("通信する相手", "talks to"), Label("通信してくるもの", "talked to by")),
    RelationType(
        "stores-state-in",
        Label("状態の保存先", "stores state in"),
        Label("状態を保存するもの", "stores state of"),
    ),
    RelationType("exposes", Label("公開する", "exposes"), Label("公開されている", "exposed by")),
    RelationType("selects", Label("選択する", "selects"), Label("選択される", "selected by")),
    RelationType("scales", Label("スケールする", "scales"), Label("スケールされる", "scaled by")),
    RelationType("implements", Label("実装する", "implements"), Label("実装", "implemented by")),
    RelationType("instance-of", Label("の一種", "is a kind of"), Label("具体例", "examples")),
    RelationType("replaces", Label("の後継", "replaces"), Label("後継", "replaced by")),
    RelationType("legacy-name-of", Label("の旧称", "legacy name of"), Label("旧称", "formerly called")),
    RelationType("uses", Label("使う", "uses"), Label("使われる", "used by")),
    RelationType("configures", Label("設定する", "configures"), Label("設定される", "configured by")),
    RelationType("alternative-to", Label("代替", "alternative to"), Label("代替", "alternative to")),
)

TAGS: Final[dict[str, Label]] = {
    "fundamental": Label("基本", "Fundamental"),
    "architecture": Label("アーキテクチャ", "Architecture"),
    "core-object": Label("主要オブジェクト", "Core object"),
    "workload": Label("ワークロード", "Workload"),
    "networking": Label("ネットワーク", "Networking"),
    "container": Label("コンテナ", "Containers"),
    "scaling": Label("スケーリング", "Scaling"),
    "self-healing": Label("自己修復", "Self-healing"),
    "operation": Label("運用", "Operations"),
    "configuration": Label("設定", "Configuration"),
    "extension": Label("拡張", "Extension"),
    "tool": Label("ツール", "Tools"),
    "cloud": Label("クラウド", "Cloud"),
    "legacy": Label("過去の用語・機能", "Legacy"),
}

CATEGORY_IDS: Final = frozenset(c.id for c in CATEGORIES)
RELATION_TYPE_IDS: Final = frozenset(r.id for r in RELATION_TYPES)
TAG_IDS: Final = frozenset(TAGS)


def category(category_id: str) -> Category:
    """Return the category named ``category_id`` (``KeyError`` if there is none)."""
    for cat in CATEGORIES:
        if cat.id == category_id:
            return cat
    raise KeyError(category_id)


def relation_type(type_id: str) -> RelationType:
    """Return the relation type named ``type_id`` (``KeyError`` if there is none)."""
    for rel in RELATION_TYPES:
        if rel.id == type_id:
            return rel
    raise KeyError(type_id)
