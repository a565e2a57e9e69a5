#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: backup_plan
short_description: Manage an AWS Backup plan, with a clean check mode
version_added: 0.1.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Creates, updates and deletes an AWS Backup plan identified by its name, with its rules and tags.
  - Rule options left unset are not compared, so AWS defaults do not cause an update on every run.
  - M(amazon.aws.backup_plan) reports a change in check mode whenever the plan has tags; this module
    compares them first.
options:
  name:
    description: The plan name.
    type: str
    required: true
  rules:
    description: The plan's rules. Required with O(state=present).
    type: list
    elements: dict
    suboptions:
      rule_name:
        description: The rule name, unique in the plan.
        type: str
        required: true
      target_backup_vault_name:
        description: The vault that receives the recovery points.
        type: str
        required: true
      schedule_expression:
        description: When the rule runs, for example V(cron(0 3 * * ? *)).
        type: str
      schedule_expression_timezone:
        description: The schedule's time zone.
        type: str
      start_window_minutes:
        description: Minutes after the scheduled time a job may still start.
        type: int
      completion_window_minutes:
        description: Minutes a job may run.
        type: int
      enable_continuous_backup:
        description: Continuous backup (point-in-time restore) where the resource supports it.
        type: bool
      recovery_point_tags:
        description: Tags put on each recovery point.
        type: dict
      lifecycle:
        description: When recovery points move to cold storage and are deleted.
        type: dict
        suboptions: &lifecycle
          delete_after_days:
            description: Days before deletion.
            type: int
          move_to_cold_storage_after_days:
            description: Days before cold storage.
            type: int
      copy_actions:
        description: Copies to other vaults (for example in a second region).
        type: list
        elements: dict
        suboptions:
          destination_backup_vault_arn:
            description: The ARN of the vault receiving the copy.
            type: str
            required: true
          lifecycle:
            description: The copy's lifecycle (the same keys as the rule's).
            type: dict
            suboptions: *lifecycle
"""

EXAMPLES = r"""
- name: Back up tagged resources every night, keep 35 days
  techblogpro.wordpress_aws.backup_plan:
    name: techblog-prod-daily
    rules:
      - rule_name: daily
        target_backup_vault_name: techblog-prod-vault
        schedule_expression: cron(0 3 * * ? *)
        lifecycle:
          delete_after_days: 35
    tags:
      wordpress_aws:stack: techblog-prod
"""

RETURN = r"""
changes:
  description: V(created), V(deleted), or the paths of RV(backup_plan) that the run changed (rules, selection, tags).
  returned: always
  type: list
  elements: str
  sample: [rules]
backup_plan:
  description: The plan (empty when absent).
  returned: always
  type: dict
  contains:
    backup_plan_id:
      description: The plan id.
      type: str
    backup_plan_arn:
      description: The plan ARN.
      type: str
    backup_plan_name:
      description: The plan name.
      type: str
    rules:
      description: The plan's rules as AWS returns them.
      type: list
      elements: dict
    tags:
      description: The plan's tags.
      type: dict
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import backup_plan as bp
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_or_adopt
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import request_token
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.compare import change_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import list_of

LIFECYCLE = dict(
    type="dict",
    options=dict(delete_after_days=dict(type="int"), move_to_cold_storage_after_days=dict(type="int")),
)


def _result(plan):
    if not plan:
        return {}
    document = plan.get("BackupPlan", {})
    rules = []
    for rule in document.get("Rules", []):
        tags = rule.get("RecoveryPointTags")
        item = camel_dict_to_snake_dict({k: v for k, v in rule.items() if k != "RecoveryPointTags"})
        if tags is not None:
            item["recovery_point_tags"] = tags
        rules.append(item)
    return {
        "backup_plan_id": plan.get("BackupPlanId"),
        "backup_plan_arn": plan.get("BackupPlanArn"),
        "backup_plan_name": document.get("BackupPlanName"),
        "version_id": plan.get("VersionId"),
        "rules": rules,
        "tags": plan.get("Tags", {}),
    }


def ensure(module, client):
    p = module.params
    current = bp.find_plan(client, p["name"])
    if p["state"] == "absent":
        if current and not module.check_mode:
            bp.delete_plan(client, current["BackupPlanId"])
        return current is not None, current, None

    if not p["rules"]:
        module.fail_json(msg="rules is required with state=present")
    rules = bp.api_rules(p["rules"])
    if current is None:
        if module.check_mode:
            return True, None, {"BackupPlan": {"BackupPlanName": p["name"], "Rules": rules}, "Tags": p["tags"] or {}}
        # CreatorRequestId made once, resent by every retry; AlreadyExistsException after a lost answer: adopt
        created, adopted = create_or_adopt(
            lambda: bp.create_plan(client, p["name"], rules, p["tags"] or {}, request_token()),
            lambda: bp.find_plan(client, p["name"]),
            ("AlreadyExistsException",),
        )
        return True, None, created if adopted else bp.describe_plan(client, created)

    rules_changed = bp.rules_differ(current["BackupPlan"].get("Rules", []), rules)
    to_add, to_remove = tagging.tag_changes(p["tags"], current["Tags"], p["purge_tags"])
    if not rules_changed and not to_add and not to_remove:
        return False, current, current
    if module.check_mode:
        planned = dict(current)
        if rules_changed:
            planned["BackupPlan"] = {"BackupPlanName": p["name"], "Rules": rules}
        planned["Tags"] = {k: v for k, v in {**current["Tags"], **to_add}.items() if k not in to_remove}
        return True, current, planned
    if rules_changed:
        bp.update_plan(client, current["BackupPlanId"], p["name"], rules)
    tagging.set_tags(client, current["BackupPlanArn"], to_add, to_remove)
    return True, current, bp.describe_plan(client, current["BackupPlanId"])


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            rules=list_of(
                rule_name=dict(type="str", required=True),
                target_backup_vault_name=dict(type="str", required=True),
                schedule_expression=dict(type="str"),
                schedule_expression_timezone=dict(type="str"),
                start_window_minutes=dict(type="int"),
                completion_window_minutes=dict(type="int"),
                enable_continuous_backup=dict(type="bool"),
                recovery_point_tags=dict(type="dict"),
                lifecycle=LIFECYCLE,
                copy_actions=dict(
                    type="list",
                    elements="dict",
                    options=dict(destination_backup_vault_arn=dict(type="str", required=True), lifecycle=LIFECYCLE),
                ),
            ),
            **common_options(),
        ),
        supports_check_mode=True,
    )
    client = module.client("backup")
    with aws_errors(module, f"manage backup plan {module.params['name']}"):
        changed, before, after = ensure(module, client)
    view_before, view_after = _result(before), _result(after)
    exit_result(module, "backup_plan", view_before, view_after, change_list(view_before, view_after, changed))


if __name__ == "__main__":
    main()
