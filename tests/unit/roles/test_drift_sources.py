"""The drift report reads the desired state from the variables the converge tasks pass to their modules (one copy)."""

from __future__ import annotations

import pytest
import yaml

from .conftest import ROOT

# (role, converge task file, module, option, the variable it passes, the vars/main.yml variable drift.yml reads)
SOURCES = [
    ("vpc", "security_groups.yml", "ec2_security_groups", "groups", "__vpc_security_group_specs"),
    ("rds", "groups.yml", "rds_parameter_group", "parameters", "__rds_parameter_group_parameters"),
    ("ecs_wordpress", "logs_secrets.yml", "cloudwatch_log_groups", "log_groups", "__ecs_wordpress_log_groups"),
    ("monitoring", "alarms.yml", "cloudwatch_alarms", "alarms", "__monitoring_regional_alarm_requests"),
    ("monitoring", "logs.yml", "cloudwatch_log_retention", "prefixes", "__monitoring_log_group_prefixes"),
    ("cloudfront_waf", "waf.yml", "wafv2_web_acl", "description", "__cloudfront_waf_edge_acl_description"),
]


def _tasks(role: str, name: str) -> list:
    return yaml.safe_load((ROOT / "roles" / role / "tasks" / name).read_text())


@pytest.mark.parametrize(("role", "tasks", "module", "option", "variable"), SOURCES)
def test_the_converge_and_the_drift_report_read_the_same_variable(role, tasks, module, option, variable):
    calls = [
        t[f"techblogpro.wordpress_aws.{module}"]
        for t in _tasks(role, tasks)
        if f"techblogpro.wordpress_aws.{module}" in t
    ]
    assert any(variable in str(call.get(option, "")) for call in calls), f"{role}/{tasks} no longer passes {variable}"
    assert variable in yaml.safe_load((ROOT / "roles" / role / "vars" / "main.yml").read_text())
    assert variable in (ROOT / "roles" / role / "tasks" / "drift.yml").read_text()


def test_the_container_environment_is_one_variable():
    task = _tasks("ecs_wordpress", "task_definition.yml")[0]["techblogpro.wordpress_aws.ecs_task_definition"]
    assert task["container_definitions"][0]["environment"] == "{{ __ecs_wordpress_container_environment }}"
    assert "__ecs_wordpress_container_environment" in (ROOT / "roles/ecs_wordpress/tasks/drift.yml").read_text()


def test_drift_yml_runs_every_tier_drift_entry_point_and_one_compare():
    plays = yaml.safe_load((ROOT / "playbooks" / "drift.yml").read_text())
    included = [t["ansible.builtin.include_role"] for t in plays[0]["tasks"]]
    drift_roles = [i["name"].rsplit(".", 1)[-1] for i in included if i.get("tasks_from") == "drift"]
    assert drift_roles == ["vpc", "rds", "ecs_wordpress", "cloudfront_waf", "monitoring", "stack_report"]
    compare = _tasks("stack_report", "drift.yml")
    assert sum("techblogpro.wordpress_aws.stack_drift" in t for t in compare) == 1
