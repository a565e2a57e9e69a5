"""Unit tests of the backup_plan module (split out of tests/unit/test_backup_modules.py)."""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import backup_plan as bp
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import backup_plan

from ..module_utils.test_backup_plan import PLAN_RULES

TAGS = {"wordpress_aws:stack": "blog", "owner": "ops"}


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


def test_plan_update_sends_the_new_rules(aws, run_module, stubbed):
    """UpdateBackupPlan is not emulated: the update path runs against botocore's Stubber."""
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

    stub = stubbed("backup")
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


def test_a_lost_create_answer_resends_one_token_and_adopts_the_plan(run_module, stubbed, monkeypatch):
    """500 (applied) -> AWSRetry resends with the SAME CreatorRequestId -> AlreadyExistsException -> adopted."""
    monkeypatch.setattr("time.sleep", lambda _s: None)
    stub = stubbed("backup")
    sent = []
    stub.client.meta.events.register(
        "before-parameter-build.backup.CreateBackupPlan", lambda params, **_kw: sent.append(dict(params))
    )
    arn = "arn:aws:backup:eu-west-3:123456789012:backup-plan:p-1"
    rules = [{**r, "RuleId": "r"} for r in bp.api_rules(PLAN_RULES)]
    plan = {"BackupPlanId": "p-1", "BackupPlanArn": arn, "VersionId": "v",
            "BackupPlan": {"BackupPlanName": "p", "Rules": rules}}  # fmt: skip
    stub.add_response("list_backup_plans", {"BackupPlansList": []})
    stub.add_client_error("create_backup_plan", "InternalFailure", http_status_code=500)
    stub.add_client_error("create_backup_plan", "AlreadyExistsException")
    stub.add_response("list_backup_plans", {"BackupPlansList": [{"BackupPlanName": "p", "BackupPlanId": "p-1"}]})
    stub.add_response("get_backup_plan", plan, {"BackupPlanId": "p-1"})
    stub.add_response("list_tags", {"Tags": TAGS}, {"ResourceArn": arn})
    result = run_module(backup_plan, {"name": "p", "rules": PLAN_RULES, "tags": TAGS})
    assert result.get("failed") is not True, result
    stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert result["backup_plan"]["backup_plan_arn"] == arn
    assert len(sent) == 2 and sent[0]["CreatorRequestId"] == sent[1]["CreatorRequestId"]
