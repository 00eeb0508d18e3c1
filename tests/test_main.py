"""``python -m k8skb``: the process ends right after the command, with its status and all its output."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from k8skb.__main__ import leave
from k8skb.cli import collector_paused


def test_module_run_prints_the_whole_report_and_exits_with_its_status(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    links = "".join(f'<a href="missing-{n}.html">{n}</a>\n' for n in range(3))
    (site / "index.html").write_text(links, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # output stays buffered
    proc = subprocess.run(
        [sys.executable, "-m", "k8skb", "links", str(site), "--offline", "--format", "json"],
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


def test_leave_exits_the_normal_way_while_another_thread_runs() -> None:
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        with pytest.raises(SystemExit) as caught:
            leave(3)
    finally:
        release.set()
        worker.join()
    assert caught.value.code == 3


@pytest.mark.parametrize("enabled", [True, False])
def test_collector_paused_restores_the_collector(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
