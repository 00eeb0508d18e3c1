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


@dataclass(frozen=True, slots=True, kw_only=True)
class Category:
    """A group of terms with its own overview page."""

    id: str
    label: Label
    blurb: Label


@dataclass(frozen=True, slots=True, kw_only=True)
class RelationType:
    """A typed edge between two terms, read ``source <label> target`` and ``target <inverse> source``."""

    id: str
    label: Label
    inverse: Label


CATEGORIES: Final[tuple[Category, ...]] = (
    Category(
        id="architecture",
        label=Label(ja="アーキテクチャ", en="Architecture"),
        blurb=Label(
            ja="クラスターを形づくる大きな部品と、その呼び名。",
            en="The large parts a cluster is made of, and what they are called.",
        ),
    ),
    Category(
        id="control-plane",
        label=Label(ja="コントロールプレーンのコンポーネント", en="Control plane components"),
        blurb=Label(
            ja="クラスター全体の状態を決め、保ち続けるプロセス群。",
            en="The processes that decide and keep the state of the whole cluster.",
        ),
    ),
    Category(
        id="node",
        label=Label(ja="ノードのコンポーネント", en="Node components"),
        blurb=Label(
            ja="各ノードで動き、Podを実際に動かすプロセス群。",
            en="The processes on every node that actually run Pods.",
        ),
    ),
    Category(
        id="resource",
        label=Label(ja="リソース", en="Resources"),
        blurb=Label(
            ja="Kubernetes APIで作成・管理するオブジェクトの種類。",
            en="Kinds of objects you create and manage through the Kubernetes API.",
        ),
    ),
    Category(
        id="service-type",
        label=Label(ja="Serviceのタイプ", en="Service types"),
        blurb=Label(
            ja="ServiceがPodへの通信をどこに公開するかを決める種類。",
            en="The kinds of Service, which decide where traffic to Pods is exposed.",
        ),
    ),
    Category(
        id="networking",
        label=Label(ja="ネットワーク", en="Networking"),
        blurb=Label(
            ja="Pod同士をつなぎ、名前で見つけ、HTTPの入口からServiceへ通信を届ける仕組み。",
            en="How Pods are connected, found by name, and reached from HTTP entry points through Services.",
        ),
    ),
    Category(
        id="storage",
        label=Label(ja="設定とストレージ", en="Configuration and storage"),
        blurb=Label(
            ja="設定や機密情報をPodに渡し、Podより長く残るデータを置く場所を用意する仕組み。",
            en="How configuration and secrets reach Pods, and where data that outlives a Pod is kept.",
        ),
    ),
    Category(
        id="concept",
        label=Label(ja="用語と概念", en="Terms and concepts"),
        blurb=Label(
            ja="ほかの項目を正しく理解するために必要な考え方と用語。",
            en="Ideas and words you need to understand the other entries correctly.",
        ),
    ),
    Category(
        id="tool",
        label=Label(ja="ツール", en="Tools"),
        blurb=Label(
            ja="クラスターを作り、操作するときに出会うツール。",
            en="Tools you meet when creating and operating a cluster.",
        ),
    ),
    Category(
        id="platform",
        label=Label(ja="プラットフォームとほかのオーケストレーター", en="Platforms and other orchestrators"),
        blurb=Label(
            ja="マネージドKubernetesと、Kubernetes以外のコンテナ管理の仕組み。",
            en="Managed Kubernetes, and ways to manage containers other than Kubernetes.",
        ),
    ),
)

RELATION_TYPES: Final[tuple[RelationType, ...]] = (
    RelationType(
        id="part-of",
        label=Label(ja="構成要素として属する", en="part of"),
        inverse=Label(ja="構成要素", en="has part"),
    ),
    RelationType(
        id="runs-on",
        label=Label(ja="動作する場所", en="runs on"),
        inverse=Label(ja="上で動くもの", en="runs"),
    ),
    RelationType(
        id="manages",
        label=Label(ja="管理する", en="manages"),
        inverse=Label(ja="管理される", en="managed by"),
    ),
    RelationType(
        id="talks-to",
        label=Label(ja="通信する相手", en="talks to"),
        inverse=Label(ja="通信してくるもの", en="talked to by"),
    ),
    RelationType(
        id="stores-state-in",
        label=Label(ja="状態の保存先", en="stores state in"),
        inverse=Label(ja="状態を保存するもの", en="stores state of"),
    ),
    RelationType(
        id="exposes",
        label=Label(ja="公開する", en="exposes"),
        inverse=Label(ja="公開されている", en="exposed by"),
    ),
    RelationType(
        id="selects",
        label=Label(ja="選択する", en="selects"),
        inverse=Label(ja="選択される", en="selected by"),
    ),
    RelationType(
        id="scales",
        label=Label(ja="スケールする", en="scales"),
        inverse=Label(ja="スケールされる", en="scaled by"),
    ),
    RelationType(
        id="implements",
        label=Label(ja="実装する", en="implements"),
        inverse=Label(ja="実装", en="implemented by"),
    ),
    RelationType(
        id="instance-of",
        label=Label(ja="の一種", en="is a kind of"),
        inverse=Label(ja="具体例", en="examples"),
    ),
    RelationType(
        id="replaces", label=Label(ja="の後継", en="replaces"), inverse=Label(ja="後継", en="replaced by")
    ),
    RelationType(
        id="legacy-name-of",
        label=Label(ja="の旧称", en="legacy name of"),
        inverse=Label(ja="旧称", en="formerly called"),
    ),
    RelationType(id="uses", label=Label(ja="使う", en="uses"), inverse=Label(ja="使われる", en="used by")),
    RelationType(
        id="configures",
        label=Label(ja="設定する", en="configures"),
        inverse=Label(ja="設定される", en="configured by"),
    ),
    RelationType(
        id="alternative-to",
        label=Label(ja="代替", en="alternative to"),
        inverse=Label(ja="代替", en="alternative to"),
    ),
)

TAGS: Final[dict[str, Label]] = {
    "fundamental": Label(ja="基本", en="Fundamental"),
    "architecture": Label(ja="アーキテクチャ", en="Architecture"),
    "core-object": Label(ja="主要オブジェクト", en="Core object"),
    "workload": Label(ja="ワークロード", en="Workload"),
    "networking": Label(ja="ネットワーク", en="Networking"),
    "container": Label(ja="コンテナ", en="Containers"),
    "scaling": Label(ja="スケーリング", en="Scaling"),
    "self-healing": Label(ja="自己修復", en="Self-healing"),
    "operation": Label(ja="運用", en="Operations"),
    "configuration": Label(ja="設定", en="Configuration"),
    "extension": Label(ja="拡張", en="Extension"),
    "tool": Label(ja="ツール", en="Tools"),
    "cloud": Label(ja="クラウド", en="Cloud"),
    "legacy": Label(ja="過去の用語・機能", en="Legacy"),
}

CATEGORY_IDS: Final = frozenset(c.id for c in CATEGORIES)


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
