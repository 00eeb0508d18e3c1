"""``k8skb`` and ``python -m k8skb``: the process ends with the command's status and all of its output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = {
    "python -m k8skb": [sys.executable, "-m", "k8skb"],
    "k8skb script": [str(Path(sys.executable).parent / "k8skb")],  # the console script pip installed
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_run_prints_the_whole_report_and_exits_with_its_status(tmp_path: Path, command: str) -> None:
    site = tmp_path / "site"
    site.mkdir()
    links = "".join(f'<a href="missing-{n}.html">{n}</a>\n' for n in range(3))
    (site / "index.html").write_text(links, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # output stays buffered
    proc = subprocess.run(
        [*COMMANDS[command], "links", str(site), "--offline", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["errors"] == 3  # a short report: still in the buffer at the end


def test_module_run_reports_usage_errors(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "k8skb", "links", str(tmp_path / "nowhere")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr
