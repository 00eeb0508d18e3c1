"""The real glossary covers the syllabus (issue 3) and keeps the promises learners rely on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import REPO
from k8skb.glossary import Glossary, load_glossary

SYLLABUS = {
    "architecture": ["cluster", "control-plane", "node", "master-node"],
    "control-plane": [
        "kube-apiserver",
        "kube-controller-manager",
        "kube-scheduler",
        "cloud-controller-manager",
        "etcd",
    ],
    "node components": [
        "kubelet",
        "kube-proxy",
        "container-runtime",
        "cri",
        "containerd",
        "cri-o",
        "cri-dockerd",
    ],
    "resources": ["pod", "replicaset", "replicationcontroller", "deployment", "service"],
    "service types": ["clusterip", "nodeport", "loadbalancer", "externalname"],
    "terms": ["namespace", "custom-resource-definition", "amazon-eks"],
    "what it does": [
        "scaling",
        "load-balancing",
        "self-healing",
        "rolling-update",
        "container-orchestration",
    ],
    "supporting": [
        "container",
        "container-image",
        "label",
        "selector",
        "controller",
        "manifest",
        "rollback",
        "horizontalpodautoscaler",
        "liveness-probe",
        "readiness-probe",
        "desired-state",
    ],
    "tools": ["kubectl", "minikube", "microk8s", "kubeconfig", "helm", "kubernetes-dashboard"],
    "other orchestrators": ["docker-swarm", "apache-mesos", "docker-compose"],
    # issue 16: what a beginner meets in the first month
    "exposure": ["ingress", "gateway-api", "endpointslice", "cluster-dns", "cni", "pod-network"],
    "more workloads": [
        "statefulset",
        "daemonset",
        "job",
        "cronjob",
        "sidecar-container",
        "init-container",
        "startup-probe",
    ],
    "configuration and storage": [
        "configmap",
        "secret",
        "volume",
        "persistentvolume",
        "persistentvolumeclaim",
        "storageclass",
        "resource-requests-limits",
    ],
    "scheduling and node health": [
        "taint-and-toleration",
        "node-heartbeat",
        "cluster-autoscaler",
        "karpenter",
    ],
    "extending the API": ["api-aggregation"],
    "setting up clusters": ["kubeadm", "kind", "k3s", "managed-kubernetes", "gke", "aks"],
    "kubectl verbs": [
        "kubectl-get",
        "kubectl-describe",
        "kubectl-logs",
        "kubectl-exec",
        "kubectl-apply",
        "kubectl-create",
        "kubectl-delete",
    ],
}

# Where the syllabus names a common wrong belief, the entry must carry it in recognisable words.
NAMED_MISCONCEPTIONS = {
    "kubelet": r"kube-scheduler",
    "container-runtime": r"Docker",
    "master-node": r"master|マスター",
}


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    result = load_glossary(REPO / "glossary")
    assert result.glossary is not None, [str(p) for p in result.problems]
    return result.glossary


@pytest.mark.parametrize("topic", sorted(SYLLABUS))
def test_every_syllabus_topic_is_an_entry(glossary: Glossary, topic: str) -> None:
    missing = [term_id for term_id in SYLLABUS[topic] if term_id not in glossary]
    assert not missing, f"{topic}: no entry for {missing}"


def test_every_entry_has_a_reference_and_kubernetes_docs_where_they_exist(glossary: Glossary) -> None:
    # Docker Swarm, Mesos, MicroK8s and K3s are not documented on kubernetes.io; everything else is.
    not_on_kubernetes_io = {"docker-swarm", "apache-mesos", "microk8s", "k3s"}
    for entry in glossary:
        assert entry.references, entry.id
        if entry.id not in not_on_kubernetes_io:
            assert any("kubernetes.io/" in r.url for r in entry.references), entry.id


def test_japanese_references_point_at_japanese_pages(glossary: Glossary) -> None:
    for entry in glossary:
        for ref in entry.references:
            if "kubernetes.io/" in ref.url:
                assert ("/ja/" in ref.url) == (ref.lang == "ja"), f"{ref.source}: {ref.url} lang={ref.lang}"


@pytest.mark.parametrize(("term_id", "pattern"), sorted(NAMED_MISCONCEPTIONS.items()))
def test_named_misconceptions_are_corrected(glossary: Glossary, term_id: str, pattern: str) -> None:
    beliefs = [m.wrong.ja + " " + m.wrong.en for m in glossary[term_id].misconceptions]
    assert any(re.search(pattern, b) for b in beliefs), beliefs


def test_dockershim_removal_is_stated_with_its_version(glossary: Glossary) -> None:
    text = (
        " ".join(
            m.right.en + m.right.ja
            for term_id in ("container-runtime", "docker-engine", "dockershim")
            for m in glossary[term_id].misconceptions
        )
        + glossary["dockershim"].description.en
    )
    assert "1.24" in text


def test_summaries_are_one_sentence_and_do_not_give_the_term_away(glossary: Glossary) -> None:
    for entry in glossary:
        for lang in ("ja", "en"):
            summary = entry.summary.get(lang)
            names = {entry.name.get(lang), *entry.aka.get(lang)}
            leaked = [n for n in names if len(n) > 2 and n.lower() in summary.lower()]
            assert not leaked, f"{entry.where('summary')}: {lang} summary names the term: {leaked}"
            ends = summary.count("。") if lang == "ja" else len(re.findall(r"[.!?](\s|$)", summary))
            assert ends <= 1, f"{entry.where('summary')}: {lang} summary is more than one sentence"


def test_legacy_terms_point_at_what_replaced_them(glossary: Glossary) -> None:
    assert ("legacy-name-of", "control-plane") in {
        (r.type, r.target) for r in glossary["master-node"].relations
    }
    assert "legacy" in glossary["dockershim"].tags


def test_hand_written_pages_exist_in_both_languages() -> None:
    for page in ("index.md", "further-reading.md", "quiz.md", "about.md"):
        for lang in ("ja", "en"):
            path: Path = REPO / "docs" / lang / page
            assert path.is_file() and path.read_text(encoding="utf-8").strip(), path
