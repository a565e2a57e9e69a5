"""Unit tests of plugins/module_utils/backup_plan.py (split out of tests/unit/test_backup_modules.py)."""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import backup_plan as bp

TAGS = {"wordpress_aws:stack": "blog", "owner": "ops"}


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
