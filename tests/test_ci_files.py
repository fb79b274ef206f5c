"""The CI files that test, build and publish the site: linted, and holding the steps a deployment needs.

GitHub's workflow is checked by actionlint, GitLab's file against GitLab's CI schema (vendored in
check-jsonschema); both are then read for what publishing needs, which neither linter knows.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

from helpers import ROOT, write

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
GITLAB = ROOT / ".gitlab-ci.yml"


def tool(name: str) -> str:
    """A command installed with the test dependencies (in the venv beside this Python, else on PATH)."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} is missing: install the test dependencies (make test does)"
    return found


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    # shellcheck and pyflakes are used by actionlint when found on PATH: switched off so that the
    # result is the same on every machine.
    return subprocess.run(
        [tool("actionlint"), "-no-color", "-shellcheck=", "-pyflakes=", *map(str, paths)],
        capture_output=True,
        text=True,
    )


def read_yaml(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))  # YAML 1.2: `on:` stays a key


def commands(job: dict) -> list[str]:
    return [step["run"] for step in job.get("steps", []) if "run" in step] + list(job.get("script", []))


def uses(job: dict, action: str) -> dict:
    found = [step for step in job["steps"] if step.get("uses", "").startswith(action + "@")]
    assert len(found) == 1, f"{action} is used {len(found)} times"
    return found[0]


def test_the_github_workflow_passes_actionlint():
    result = actionlint(WORKFLOW)
    assert result.returncode == 0 and not result.stdout, result.stdout + result.stderr


def test_actionlint_rejects_a_broken_workflow(tmp_path):
    broken = write(
        tmp_path / ".github" / "workflows" / "broken.yml",
        """
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/upload-pages-artifact@v5
                with:
                  folder: site
              - run: echo ${{ github.evnt_name }}
          deploy:
            needs: biuld
            runs-on: ubuntu-latest
            steps:
              - uses: actions/deploy-pages@v5
        """,
    )
    result = actionlint(broken)
    assert result.returncode == 1
    assert 'input "folder" is not defined in action "actions/upload-pages-artifact@v5"' in result.stdout
    assert 'job "deploy" needs job "biuld" which does not exist' in result.stdout
    assert 'property "evnt_name" is not defined' in result.stdout


def test_the_github_workflow_tests_then_builds_and_publishes_site_from_main_only():
    workflow = read_yaml(WORKFLOW)
    assert set(workflow["on"]) >= {"push", "pull_request"}
    assert workflow["permissions"] == {"contents": "read"}  # the publishing job asks for more, alone
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]

    assert uses(build, "actions/checkout")["with"]["fetch-depth"] == 0
    run = commands(build)
    assert run.index("make test") < run.index("make site") < run.index("make deploy-check")
    assert any("SOURCE_DATE_EPOCH" in command and "git log -1" in command for command in run)
    upload = uses(build, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "site"
    main_only = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    assert upload["if"] == main_only and deploy["if"] == main_only

    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert uses(deploy, "actions/deploy-pages")["id"] == "deployment"


def test_the_gitlab_file_matches_gitlab_s_ci_schema():
    result = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", str(GITLAB)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_gitlab_s_ci_schema_rejects_a_broken_file(tmp_path):
    broken = write(
        tmp_path / ".gitlab-ci.yml",
        """
        pages:
          stage: deploy
          script: make site
          artifacts:
            path: [public]
          rules:
            - when: sometimes
        """,
    )
    result = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", str(broken)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "$.pages.artifacts: Additional properties are not allowed ('path' was unexpected)" in result.stdout
    assert "$.pages.rules[0].when: 'sometimes' is not one of" in result.stdout


def test_the_gitlab_pages_job_publishes_the_built_site_as_public_after_the_tests():
    pipeline = read_yaml(GITLAB)
    assert str(pipeline["variables"]["GIT_DEPTH"]) == "0"
    stages = pipeline["stages"]
    jobs = {name: job for name, job in pipeline.items() if isinstance(job, dict) and "script" in job}
    testing = [name for name, job in jobs.items() if "make test" in commands(job)]
    assert testing, "no job runs make test"
    pages = jobs["pages"]
    assert all(stages.index(jobs[name]["stage"]) < stages.index(pages["stage"]) for name in testing)
    script = commands(pages)
    assert script.index("make site") < script.index("mv site public")
    assert pages["artifacts"]["paths"] == ["public"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
