# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWS Backup plan calls and comparison.

amazon.aws ``backup_plan`` reports ``changed`` in check mode whenever the plan has tags, even when they
match (its tag helper returns before comparing), so ``--check`` on a converged stack is never clean.
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.backup_tags import list_tags
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.describe import or_none

# Rule option -> API key. recovery_point_tags keep their keys as given (they are tag names).
RULE_KEYS = {
    "rule_name": "RuleName",
    "target_backup_vault_name": "TargetBackupVaultName",
    "schedule_expression": "ScheduleExpression",
    "schedule_expression_timezone": "ScheduleExpressionTimezone",
    "start_window_minutes": "StartWindowMinutes",
    "completion_window_minutes": "CompletionWindowMinutes",
    "enable_continuous_backup": "EnableContinuousBackup",
    "recovery_point_tags": "RecoveryPointTags",
}
LIFECYCLE_KEYS = {
    "delete_after_days": "DeleteAfterDays",
    "move_to_cold_storage_after_days": "MoveToColdStorageAfterDays",
}


def _lifecycle(lifecycle: dict | None) -> dict:
    return {LIFECYCLE_KEYS[k]: v for k, v in (lifecycle or {}).items() if v is not None and k in LIFECYCLE_KEYS}


def api_rules(rules: list) -> list:
    """Module rules (snake_case) as the API's BackupRuleInput list, unset options left out."""
    out = []
    for rule in rules:
        item = {RULE_KEYS[k]: v for k, v in rule.items() if k in RULE_KEYS and v is not None}
        if rule.get("lifecycle"):
            item["Lifecycle"] = _lifecycle(rule["lifecycle"])
        if rule.get("copy_actions"):
            item["CopyActions"] = [
                {
                    "DestinationBackupVaultArn": action["destination_backup_vault_arn"],
                    **({"Lifecycle": _lifecycle(action.get("lifecycle"))} if action.get("lifecycle") else {}),
                }
                for action in rule["copy_actions"]
            ]
        out.append(item)
    return out


def _covers(current, desired) -> bool:
    """True when every value set in ``desired`` equals the one in ``current`` (recursively)."""
    if isinstance(desired, dict):
        if not isinstance(current, dict):
            return False
        return all(_covers(current.get(k), v) for k, v in desired.items())
    if isinstance(desired, list):
        if not isinstance(current, list) or len(current) != len(desired):
            return False
        return all(_covers(c, d) for c, d in zip(current, desired, strict=True))
    return current == desired


def rules_differ(current_rules: list, desired_rules: list) -> bool:
    """True when the plan's rules do not match the desired ones (matched by rule name)."""
    by_name = {rule.get("RuleName"): rule for rule in current_rules}
    if set(by_name) != {rule["RuleName"] for rule in desired_rules}:
        return True
    for rule in desired_rules:
        current = dict(by_name[rule["RuleName"]])
        # AWS returns an empty list where no copy action exists.
        if not rule.get("CopyActions") and current.get("CopyActions"):
            return True
        if not _covers(current, rule):
            return True
    return False


@AWSRetry.jittered_backoff()
def find_plan(client, name: str) -> dict | None:
    """The plan named ``name`` (document, ids and tags), or None."""
    paginator = client.get_paginator("list_backup_plans")
    for page in paginator.paginate():
        for summary in page.get("BackupPlansList", []):
            if summary["BackupPlanName"] == name:
                return describe_plan(client, summary["BackupPlanId"])
    return None


@AWSRetry.jittered_backoff()
def describe_plan(client, plan_id: str) -> dict | None:
    plan = or_none(client.get_backup_plan, "ResourceNotFoundException", BackupPlanId=plan_id)
    if plan is None:
        return None
    plan.pop("ResponseMetadata", None)
    plan["Tags"] = list_tags(client, plan["BackupPlanArn"])
    return plan


@AWSRetry.jittered_backoff()
def create_plan(client, name: str, rules: list, tags: dict, creator_request_id: str) -> str:
    """``creator_request_id`` is made once by the caller (adopt.request_token) so the retries resend it."""
    response = client.create_backup_plan(
        BackupPlan={"BackupPlanName": name, "Rules": rules}, BackupPlanTags=tags, CreatorRequestId=creator_request_id
    )
    return response["BackupPlanId"]


@AWSRetry.jittered_backoff()
def update_plan(client, plan_id: str, name: str, rules: list) -> None:
    client.update_backup_plan(BackupPlanId=plan_id, BackupPlan={"BackupPlanName": name, "Rules": rules})


@AWSRetry.jittered_backoff()
def delete_plan(client, plan_id: str) -> None:
    client.delete_backup_plan(BackupPlanId=plan_id)
