"""Unit tests of the ecs_task_definition module (split out of tests/unit/test_ecs_modules.py)."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ecs_task_definition

SECRET = "arn:aws:secretsmanager:eu-west-3:123456789012:secret:s/db/app-AbCdEf"


def container(**extra):
    return {
        "name": "wordpress",
        "image": "wordpress:6.8.3-php8.3-apache",
        "essential": True,
        "portMappings": [{"containerPort": 80, "protocol": "tcp"}],
        "secrets": [{"name": "WORDPRESS_DB_PASSWORD", "valueFrom": f"{SECRET}:password::"}],
        "environment": [{"name": "WORDPRESS_DB_NAME_FROM", "value": "secret"}],
        "healthCheck": {"command": ["CMD-SHELL", "curl -fs http://localhost/ || exit 1"], "interval": 30},
        **extra,
    }


def td_args(**extra):
    return {
        "family": "s-wordpress",
        "cpu": "512",
        "memory": "1024",
        "runtime_platform": {"cpu_architecture": "X86_64"},
        "execution_role_arn": "arn:aws:iam::123456789012:role/exec",
        "container_definitions": [container()],
        "volumes": [
            {
                "name": "wp-content",
                "efsVolumeConfiguration": {
                    "fileSystemId": "fs-1",
                    "transitEncryption": "ENABLED",
                    "authorizationConfig": {"accessPointId": "fsap-1", "iam": "ENABLED"},
                },
            }
        ],
        "tags": {"wordpress_aws:stack": "s"},
        **extra,
    }


def test_task_definition_registers_only_on_change(aws, run_module):
    first = run_module(ecs_task_definition, td_args())
    assert first["changed"] is True and first["task_definition"]["revision"] == 1
    assert first["task_definition"]["tags"] == {"wordpress_aws:stack": "s"}
    assert run_module(ecs_task_definition, td_args())["changed"] is False
    assert run_module(ecs_task_definition, td_args(), check_mode=True)["changed"] is False

    newer = run_module(
        ecs_task_definition, td_args(container_definitions=[container(image="wordpress:6.8.4-php8.3-apache")])
    )
    assert newer["changed"] is True and newer["task_definition"]["revision"] == 2
    # The newest revision is the one compared (the emulator lists revisions oldest first whatever the sort asked).
    again = run_module(
        ecs_task_definition, td_args(container_definitions=[container(image="wordpress:6.8.4-php8.3-apache")])
    )
    assert again["changed"] is False and again["task_definition"]["revision"] == 2
    # A field removed from the definition is a change too.
    without_check = container(image="wordpress:6.8.4-php8.3-apache")
    del without_check["healthCheck"]
    third = run_module(ecs_task_definition, td_args(container_definitions=[without_check]))
    assert third["changed"] is True and third["task_definition"]["revision"] == 3
    arm = run_module(
        ecs_task_definition,
        td_args(container_definitions=[without_check], runtime_platform={"cpu_architecture": "ARM64"}),
    )
    assert arm["task_definition"]["runtime_platform"]["cpu_architecture"] == "ARM64"


def test_task_definition_prunes_old_revisions_and_absent_removes_all(aws, run_module):
    for tag in ("6.8.1", "6.8.2", "6.8.3"):
        run_module(
            ecs_task_definition,
            td_args(container_definitions=[container(image=f"wordpress:{tag}-php8.3-apache")], keep_revisions=2),
        )
    active = aws("ecs").list_task_definitions(familyPrefix="s-wordpress", status="ACTIVE")["taskDefinitionArns"]
    assert sorted(a.rsplit(":", 1)[1] for a in active) == ["2", "3"]
    gone = run_module(ecs_task_definition, {"family": "s-wordpress", "state": "absent"})
    assert gone["changed"] is True and len(gone["deregistered"]) == 2
    assert aws("ecs").list_task_definitions(familyPrefix="s-wordpress", status="ACTIVE")["taskDefinitionArns"] == []


def test_a_lost_register_answer_makes_no_duplicate_revision(aws, run_module, lost_answer):
    """RegisterTaskDefinition has no token: after a lost answer the revision it made is adopted, not registered again
    (a duplicate would count against keep_revisions and prune a rollback target)."""
    first = run_module(ecs_task_definition, td_args())
    calls = lost_answer("RegisterTaskDefinition")
    result = run_module(ecs_task_definition, td_args(cpu="1024", memory="2048", keep_revisions=2))
    assert result.get("failed") is not True, result
    assert result["changed"] is True and len(calls) == 1
    assert result["task_definition"]["revision"] == first["task_definition"]["revision"] + 1
    assert result["deregistered"] == []
    arns = aws("ecs").list_task_definitions(familyPrefix="s-wordpress", status="ACTIVE")["taskDefinitionArns"]
    assert len(arns) == 2
