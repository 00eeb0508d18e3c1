"""Translation freshness per text, from git history (``k8skb stats --freshness``)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import FIXTURES, CliResult
from k8skb.glossary.freshness import parse_blame, stale_texts

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(repo: Path, *args: str, when: str = "2026-01-01T00:00:00Z") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    env |= {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return proc.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "glossary" / "valid", tmp_path / "glossary")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "glossary")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_one_language_changed_later_is_reported(repo: Path, run_cli: Callable[..., CliResult]) -> None:
    base = repo / "glossary" / "base.yaml"
    _edit(base, "The smallest deployable unit", "The smallest unit you can deploy")
    _git(repo, "commit", "-qam", "reword en", when="2026-02-01T00:00:00Z")
    stale, notes = stale_texts(repo / "glossary")
    assert notes == []
    assert [(s.term_id, s.field, s.stale_lang, s.source.line) for s in stale] == [("pod", "summary", "ja", 9)]
    assert (stale[0].stale.when, stale[0].newer.when) == ("2026-01-01", "2026-02-01")
    result = run_cli("stats", "--freshness", "--glossary", str(repo / "glossary"))
    assert result.code == 1
    assert "base.yaml:9: pod summary: en changed (2026-02-01) after ja (2026-01-01)" in result.out


def test_both_languages_changed_together_is_fresh(repo: Path) -> None:
    base = repo / "glossary" / "base.yaml"
    _edit(base, "The smallest deployable unit", "The smallest unit you can deploy")
    _edit(base, "同じノードで一緒に動く", "同じノード上で一緒に動く")
    _git(repo, "commit", "-qam", "reword both", when="2026-02-01T00:00:00Z")
    assert stale_texts(repo / "glossary")[0] == []


def test_uncommitted_edits_count_as_newest(repo: Path) -> None:
    _edit(repo / "glossary" / "base.yaml", "同じノードで一緒に動く", "同じノード上で一緒に動く")
    stale, _ = stale_texts(repo / "glossary")
    assert [(s.stale_lang, s.newer.when) for s in stale] == [("en", "uncommitted")]


def test_commits_listed_as_one_language_on_purpose_are_looked_through(repo: Path) -> None:
    base = repo / "glossary" / "base.yaml"
    _edit(base, "The smallest deployable unit", "The smallest unit you can deploy")
    _git(repo, "commit", "-qam", "typo", when="2026-02-01T00:00:00Z")
    typo = _git(repo, "rev-parse", "HEAD")
    (repo / "glossary" / ".translation-ignore-revs").write_text(f"# en typo only\n{typo}\n", encoding="utf-8")
    assert stale_texts(repo / "glossary")[0] == []


def test_outside_git_is_a_note_not_an_error(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "glossary" / "valid", tmp_path / "glossary")
    stale, notes = stale_texts(tmp_path / "glossary")
    assert stale == []
    assert notes and "freshness unknown" in notes[0]


def test_parse_blame_reads_commits_times_and_uncommitted_lines() -> None:
    sha = "a" * 40
    output = (
        f"{sha} 1 1 1\nauthor x\ncommitter-time 100\nsummary s\nfilename f\n\tline one\n"
        f"{'0' * 40} 2 2 1\ncommitter-time 5\nfilename f\n\tline two\n"
    )
    changes = parse_blame(output, now=999)
    assert (changes[1].commit, changes[1].timestamp) == (sha, 100)
    assert (changes[2].commit, changes[2].timestamp, changes[2].when) == (None, 999, "uncommitted")
