"""The garbage collector during a build: paused while loading, frozen and rarer during, restored after."""

from __future__ import annotations

import gc
import json
from pathlib import Path

from k8skb import collector
from test_site_plugin import make_project, run_python


def test_paused_turns_the_collector_off_and_back_on() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block restores what it found: off
    assert gc.isenabled()


def test_paused_restores_even_after_an_error() -> None:
    try:
        with collector.paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_build_collector_freezes_raises_thresholds_and_restores() -> None:
    before = gc.get_threshold()
    frozen_before = gc.get_freeze_count()
    build = collector.BuildCollector()
    build.start()
    try:
        assert build.active
        assert gc.get_threshold() == collector.BUILD_THRESHOLDS
        assert gc.get_freeze_count() > frozen_before
        build.start()  # a second start (the next language's config) changes nothing
        assert gc.get_threshold() == collector.BUILD_THRESHOLDS
    finally:
        build.stop()
    assert not build.active
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    build.stop()  # stopping twice is harmless
    assert gc.get_threshold() == before


PROBE = """
import gc, json, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
import k8skb.site.plugin as plugin
seen = {}
post_build = plugin.K8skbPlugin.on_post_build
def spy(self, config):
    seen.setdefault("threshold", gc.get_threshold())
    seen.setdefault("frozen", gc.get_freeze_count())
    return post_build(self, config)
plugin.K8skbPlugin.on_post_build = spy
before = gc.get_threshold()
config = load_config("mkdocs.yml")
config.plugins.on_startup(command="build", dirty=False)
build(config)
config.plugins.on_shutdown()
print(json.dumps({"before": before, "during": seen, "after": gc.get_threshold(),
                  "frozen_after": gc.get_freeze_count(), "enabled": gc.isenabled()}))
"""


def test_a_build_tunes_the_collector_only_while_it_runs(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    proc = run_python(project, "-c", PROBE)
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["during"]["threshold"] == list(collector.BUILD_THRESHOLDS)
    assert seen["during"]["frozen"] > 0
    assert seen["after"] == seen["before"]
    assert seen["frozen_after"] == 0 and seen["enabled"]
