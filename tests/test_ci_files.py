"""The CI files that test, build and publish the site: linted, and holding the steps a deployment needs.

GitHub's workflow is checked by actionlint, GitLab's file against GitLab's CI schema (vendored in
check-jsonschema); both are then read for what publishing needs, which neither linter knows.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from helpers import ROOT, write

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
# The same site built on several machines: shards in a matrix, their parts merged (build/shards.py)
SHARDED_WORKFLOW = ROOT / ".github" / "workflows" / "site-shards.yml"
SHARDED_GITLAB = ROOT / ".gitlab" / "shards.gitlab-ci.yml"


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


@pytest.mark.parametrize("workflow", [WORKFLOW, SHARDED_WORKFLOW], ids=lambda path: path.name)
def test_the_github_workflows_pass_actionlint(workflow):
    result = actionlint(workflow)
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


@pytest.mark.parametrize("pipeline", [GITLAB, SHARDED_GITLAB], ids=lambda path: path.name)
def test_the_gitlab_files_match_gitlab_s_ci_schema(pipeline):
    result = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", str(pipeline)],
        capture_output=True,
        text=True,
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


def test_the_sharded_github_workflow_builds_every_shard_then_merges_and_publishes_from_main_only():
    workflow = read_yaml(SHARDED_WORKFLOW)
    assert set(workflow["on"]) == {"workflow_dispatch"}  # by hand: site.yml deploys on push, one workflow at a time
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    shards = int(workflow["env"]["SHARDS"])
    assert jobs["shard"]["strategy"]["matrix"]["shard"] == list(range(1, shards + 1))
    shard = jobs["shard"]
    assert uses(shard, "actions/checkout")["with"]["fetch-depth"] == 0
    run = commands(shard)
    assert any("SOURCE_DATE_EPOCH" in command and "git log -1" in command for command in run)
    built = 'make shard SHARD="${{ matrix.shard }}/$SHARDS" PART_DIR="parts/${{ matrix.shard }}-of-$SHARDS"'
    assert built in run
    upload = uses(shard, "actions/upload-artifact")["with"]
    assert upload["path"] == "parts/${{ matrix.shard }}-of-${{ env.SHARDS }}"
    assert upload["name"].startswith("part-") and "${{ matrix.shard }}" in upload["name"]

    merge, deploy = jobs["merge"], jobs["deploy"]
    assert set(merge["needs"]) == {"test", "shard"} and "make test" in commands(jobs["test"])
    assert uses(merge, "actions/checkout")["with"]["fetch-depth"] == 0
    download = uses(merge, "actions/download-artifact")["with"]
    assert download == {"pattern": "part-*", "path": "parts"}  # each part in its own folder: not merge-multiple
    run = commands(merge)
    assert run.index('make merge PARTS="parts/part-*"') < run.index("make deploy-check")
    assert uses(merge, "actions/upload-pages-artifact")["with"]["path"] == "site"
    assert deploy["needs"] == "merge" and deploy["if"] == "github.ref == 'refs/heads/main'"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}  # shared with site.yml's
    assert uses(deploy, "actions/deploy-pages")["id"] == "deployment"


def test_the_sharded_gitlab_pipeline_builds_every_shard_then_merges_them_into_pages():
    pipeline = read_yaml(SHARDED_GITLAB)
    assert str(pipeline["variables"]["GIT_DEPTH"]) == "0"
    shards = int(pipeline["variables"]["SHARDS"])
    shard, pages = pipeline["shard"], pipeline["pages"]
    assert shard["parallel"]["matrix"] == [{"SHARD": [str(k) for k in range(1, shards + 1)]}]
    assert commands(shard) == ['make shard SHARD="$SHARD/$SHARDS" PART_DIR="parts/$SHARD-of-$SHARDS"']
    assert shard["artifacts"]["paths"] == ["parts/"]
    stages = pipeline["stages"]
    assert stages.index("test") < stages.index(shard["stage"]) < stages.index(pages["stage"])
    assert pages["needs"] == [{"job": "test"}, {"job": "shard", "artifacts": True}]
    script = commands(pages)
    assert (
        script.index('make merge PARTS="parts/*"') < script.index("make deploy-check") < script.index("mv site public")
    )
    assert pages["artifacts"]["paths"] == ["public"]
    main_only = [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert pages["rules"] == main_only and shard["rules"] == main_only
    assert pages["resource_group"] == "pages"
