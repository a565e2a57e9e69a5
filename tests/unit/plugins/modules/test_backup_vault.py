"""backup_vault and backup_plan: idempotent, clean check mode, diff; missing-vault errors handled."""

import pytest
from botocore.stub import Stubber

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import backup_plan as bp
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import backup_vault as bv
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import backup_plan
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import backup_vault

TAGS = {"wordpress_aws:stack": "blog", "owner": "ops"}


def test_vault_create_is_idempotent_and_check_mode_writes_nothing(aws, run_module):
    client = aws("backup")
    key = aws("kms").create_key()["KeyMetadata"]["Arn"]
    args = {"name": "blog-vault", "kms_key_arn": key, "tags": TAGS}

    planned = run_module(backup_vault, args, check_mode=True)
    assert planned["changed"] is True
    assert bv.describe_vault(client, "blog-vault") is None

    created = run_module(backup_vault, args)
    assert created["changed"] is True
    assert created["backup_vault"]["encryption_key_arn"] == key
    assert bv.describe_vault(client, "blog-vault")["Tags"] == TAGS

    again = run_module(backup_vault, args)
    assert again["changed"] is False
    assert run_module(backup_vault, args, check_mode=True)["changed"] is False


def test_vault_tags_are_converged_and_diffed(aws, run_module):
    client = aws("backup")
    run_module(backup_vault, {"name": "v", "tags": TAGS})
    result = run_module(backup_vault, {"name": "v", "tags": {"wordpress_aws:stack": "blog", "team": "web"}})
    assert result["changed"] is True
    assert result["diff"]["before"]["tags"] == TAGS
    assert bv.describe_vault(client, "v")["Tags"] == {"wordpress_aws:stack": "blog", "team": "web"}


def test_vault_refuses_a_different_key(aws, run_module):
    kms = aws("kms")
    first, second = (kms.create_key()["KeyMetadata"]["Arn"] for _key in range(2))
    run_module(backup_vault, {"name": "v", "kms_key_arn": first})
    result = run_module(backup_vault, {"name": "v", "kms_key_arn": second})
    assert result["failed"] is True
    assert "cannot re-key" in result["msg"]


def test_vault_absent(aws, run_module):
    run_module(backup_vault, {"name": "v"})
    assert run_module(backup_vault, {"name": "v", "state": "absent"}, check_mode=True)["changed"] is True
    assert bv.describe_vault(aws("backup"), "v") is not None
    assert run_module(backup_vault, {"name": "v", "state": "absent"})["changed"] is True
    assert bv.describe_vault(aws("backup"), "v") is None
    assert run_module(backup_vault, {"name": "v", "state": "absent"})["changed"] is False


@pytest.mark.parametrize("code", ["ResourceNotFoundException", "AccessDeniedException"])
def test_missing_vault_answers_are_treated_as_absent(aws, code):
    client = aws("backup")
    with Stubber(client) as stub:
        stub.add_client_error(
            "describe_backup_vault", service_error_code=code, expected_params={"BackupVaultName": "x"}
        )
        assert bv.describe_vault(client, "x") is None
        stub.assert_no_pending_responses()


PLAN_RULES = [
    {
        "rule_name": "daily",
        "target_backup_vault_name": "blog-vault",
        "schedule_expression": "cron(0 3 * * ? *)",
        "start_window_minutes": 60,
        "completion_window_minutes": 360,
        "lifecycle": {"delete_after_days": 7},
        "recovery_point_tags": TAGS,
    }
]


def test_api_rules_keep_tag_keys_and_drop_unset_options():
    rules = bp.api_rules([*PLAN_RULES, {"rule_name": "x", "target_backup_vault_name": "v", "lifecycle": None}])
    assert rules[0]["RecoveryPointTags"] == TAGS
    assert rules[0]["Lifecycle"] == {"DeleteAfterDays": 7}
    assert rules[1] == {"RuleName": "x", "TargetBackupVaultName": "v"}


def test_rules_compare_only_what_is_asked():
    desired = bp.api_rules(PLAN_RULES)
    current = [{**desired[0], "RuleId": "r-1", "EnableContinuousBackup": False, "CopyActions": []}]
    assert bp.rules_differ(current, desired) is False
    changed = [{**current[0], "ScheduleExpression": "cron(0 4 * * ? *)"}]
    assert bp.rules_differ(changed, desired) is True
    extra_copy = [{**current[0], "CopyActions": [{"DestinationBackupVaultArn": "arn:x"}]}]
    assert bp.rules_differ(extra_copy, desired) is True
    assert bp.rules_differ([*current, {"RuleName": "weekly"}], desired) is True


def test_plan_converges_with_clean_check_mode(aws, run_module):
    aws("backup").create_backup_vault(BackupVaultName="blog-vault")
    args = {"name": "blog-daily", "rules": PLAN_RULES, "tags": TAGS}
    assert run_module(backup_plan, args, check_mode=True)["changed"] is True
    assert bp.find_plan(aws("backup"), "blog-daily") is None

    created = run_module(backup_plan, args)
    assert created["changed"] is True
    assert created["backup_plan"]["rules"][0]["schedule_expression"] == "cron(0 3 * * ? *)"
    assert created["backup_plan"]["tags"] == TAGS

    # The upstream module reports a change here whenever the plan has tags.
    assert run_module(backup_plan, args, check_mode=True)["changed"] is False
    assert run_module(backup_plan, args)["changed"] is False


def test_plan_update_sends_the_new_rules(aws, run_module, monkeypatch):
    """UpdateBackupPlan is not emulated: the update path runs against botocore's Stubber."""
    client = aws("backup")
    arn = "arn:aws:backup:eu-west-3:123456789012:backup-plan:p-1"
    old = bp.api_rules(PLAN_RULES)
    new_rules = [{**PLAN_RULES[0], "lifecycle": {"delete_after_days": 35}}]
    new = bp.api_rules(new_rules)

    def plan(rules):
        return {
            "BackupPlanId": "p-1",
            "BackupPlanArn": arn,
            "VersionId": "v",
            "BackupPlan": {"BackupPlanName": "p", "Rules": [{**r, "RuleId": "r"} for r in rules]},
        }

    stub = Stubber(client)
    stub.add_response("list_backup_plans", {"BackupPlansList": [{"BackupPlanName": "p", "BackupPlanId": "p-1"}]})
    stub.add_response("get_backup_plan", plan(old), {"BackupPlanId": "p-1"})
    stub.add_response("list_tags", {"Tags": TAGS}, {"ResourceArn": arn})
    stub.add_response(
        "update_backup_plan",
        {"BackupPlanId": "p-1", "BackupPlanArn": arn},
        {"BackupPlanId": "p-1", "BackupPlan": {"BackupPlanName": "p", "Rules": new}},
    )
    stub.add_response("get_backup_plan", plan(new), {"BackupPlanId": "p-1"})
    stub.add_response("list_tags", {"Tags": TAGS}, {"ResourceArn": arn})
    monkeypatch.setattr(backup_plan.WordPressAWSModule, "client", lambda self, *a, **k: client)
    with stub:
        result = run_module(backup_plan, {"name": "p", "rules": new_rules, "tags": TAGS})
        stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["diff"]["before"]["rules"][0]["lifecycle"]["delete_after_days"] == 7
    assert result["backup_plan"]["rules"][0]["lifecycle"]["delete_after_days"] == 35


def test_plan_delete(aws, run_module):
    aws("backup").create_backup_vault(BackupVaultName="blog-vault")
    run_module(backup_plan, {"name": "p", "rules": PLAN_RULES, "tags": TAGS})
    assert run_module(backup_plan, {"name": "p", "state": "absent"}, check_mode=True)["changed"] is True
    assert bp.find_plan(aws("backup"), "p") is not None
    assert run_module(backup_plan, {"name": "p", "state": "absent"})["changed"] is True
    assert bp.find_plan(aws("backup"), "p") is None
    assert run_module(backup_plan, {"name": "p", "state": "absent"})["changed"] is False


def test_plan_without_rules_fails_clearly(aws, run_module):
    result = run_module(backup_plan, {"name": "p"})
    assert result["failed"] and "rules is required" in result["msg"]
