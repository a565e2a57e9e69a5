"""The roles build their IAM roles and log groups with the modules that survive a lost create answer."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

# amazon.aws modules whose create fails when the retry of a lost answer meets what the first attempt made
# (EntityAlreadyExists, ResourceAlreadyExistsException): iam_roles and cloudwatch_log_groups replace them.
FAILING_ON_A_LOST_ANSWER = ("amazon.aws.iam_role", "amazon.aws.iam_policy", "amazon.aws.cloudwatchlogs_log_group")


def _tasks(path: Path):
    def walk(tasks):
        for task in tasks or []:
            yield task
            for key in ("block", "rescue", "always"):
                yield from walk(task.get(key))

    yield from walk(yaml.safe_load(path.read_text()))


def test_no_role_task_uses_a_module_that_fails_on_a_lost_create_answer():
    used = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted(ROOT.glob("roles/*/tasks/*.yml"))
        for task in _tasks(path)
        for module in FAILING_ON_A_LOST_ANSWER
        if module in task
    ]
    assert used == []


def _module_args(role: str, task_file: str, module: str) -> list[dict]:
    return [task[module] for task in _tasks(ROOT / "roles" / role / "tasks" / task_file) if module in task]


@pytest.mark.parametrize(
    ("role", "task_file", "names"),
    [
        ("ecs_wordpress", "iam.yml", {"execution_role", "task_role", "redeploy_lambda"}),
        ("rds", "bootstrap.yml", {"db_bootstrap_lambda", "db_rotation_lambda"}),
        ("cost_guard", "db_schedule.yml", {"db_scheduler_lambda", "scheduler_role"}),
    ],
)
def test_a_tier_builds_its_independent_roles_in_one_task_each_with_its_inline_policy(role, task_file, names):
    tasks = _module_args(role, task_file, "techblogpro.wordpress_aws.iam_roles")
    assert len(tasks) == 1
    roles = tasks[0]["roles"]
    assert {r["name"].split(".")[-1].strip(" }") for r in roles} == names
    for entry in roles:
        assert entry["managed_policy_arns"] == []  # inline least-privilege policies only
        assert len(entry["inline_policies"]) == 1
        assert entry["assume_role_policy"].startswith("{{ lookup('ansible.builtin.template'")
