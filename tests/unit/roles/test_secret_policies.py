"""Every secret the stack creates carries the deny-others resource policy (issue 21, item 14)."""

from __future__ import annotations

import yaml

from .conftest import ROOT

MODULE = "techblogpro.wordpress_aws.random_secret"


def _secret_tasks():
    for path in sorted(ROOT.glob("roles/*/tasks/*.yml")):
        for task in yaml.safe_load(path.read_text()) or []:
            if isinstance(task, dict) and MODULE in task and task[MODULE].get("state", "present") == "present":
                yield path.relative_to(ROOT), task[MODULE]


def test_every_created_secret_denies_all_but_the_stack_roles_the_deployer_and_the_admins():
    secrets = {task["name"]: (path, task) for path, task in _secret_tasks()}
    assert set(secrets) == {
        "{{ wordpress_aws_names.salts_secret }}",
        "{{ wordpress_aws_names.app_secret }}",
        "{{ wordpress_aws_names.origin_secret }}",
    }
    for path, task in secrets.values():
        assert task.get("allowed_principals") == {
            "iam_paths": ["{{ wordpress_aws_names.iam_path }}"],
            "arns": "{{ wordpress_aws_secret_admin_arns }}",
        }, path


def test_every_stack_role_lives_under_the_stack_path_the_policies_spare():
    for path in sorted(ROOT.glob("roles/*/tasks/*.yml")):
        for task in yaml.safe_load(path.read_text()) or []:
            if isinstance(task, dict) and "amazon.aws.iam_role" in task:
                assert task["amazon.aws.iam_role"].get("path") == "{{ wordpress_aws_names.iam_path }}", path
