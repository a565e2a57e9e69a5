#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: secret_rotation
short_description: Rotate a secret on a schedule and redeploy its consumers after every successful rotation
version_added: 0.6.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Wires a Secrets Manager secret to its rotation Lambda and its redeploy Lambda, idempotently.
  - Lets Secrets Manager invoke O(rotation_lambda_arn) for this secret only (a resource policy statement with the
    secret as source), and sets the secret's rotation schedule O(schedule_expression) with that function, without
    rotating at once (RotateImmediately false; Secrets Manager then runs the function's testSecret step).
  - Keeps the EventBridge rule O(rule_name) matching Secrets Manager's C(RotationSucceeded) event of this secret
    (delivered by CloudTrail), with O(redeploy_lambda_arn) as its only target, and lets EventBridge invoke that
    function from this rule only. The rule carries O(tags).
  - With O(manage_schedule=false) the schedule is neither read nor set (a target that cannot invoke Lambda
    functions cannot accept one); the result says so.
  - O(state=absent) cancels the rotation, deletes the rule and its target, and removes both permissions.
options:
  secret_id:
    description: The secret, by name or ARN.
    type: str
    required: true
  rotation_lambda_arn:
    description: The rotation function. Required with O(state=present).
    type: str
  redeploy_lambda_arn:
    description: The function that replaces the secret's consumers after a rotation. Required with O(state=present).
    type: str
  rule_name:
    description: The EventBridge rule's name.
    type: str
    required: true
  schedule_expression:
    description: The rotation schedule, C(rate(N days)) or C(cron(...)).
    type: str
    default: rate(30 days)
  duration:
    description: The rotation window (for example C(3h)); Secrets Manager's default when omitted.
    type: str
  manage_schedule:
    description: Read and set the secret's rotation configuration.
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Rotate the DB credentials every 30 days and redeploy WordPress after each rotation
  techblogpro.wordpress_aws.secret_rotation:
    secret_id: blog/db/app
    rotation_lambda_arn: arn:aws:lambda:eu-west-3:123456789012:function:blog-db-rotation
    redeploy_lambda_arn: arn:aws:lambda:eu-west-3:123456789012:function:blog-redeploy
    rule_name: blog-db-rotated
    schedule_expression: rate(30 days)
    tags:
      wordpress_aws:stack: blog
"""

RETURN = r"""
secret_rotation:
  description: The secret's ARN, its rotation configuration and the EventBridge rule's ARN after the run.
  returned: always
  type: dict
  contains:
    secret_arn:
      description: The secret.
      type: str
    rotation:
      description: C(enabled), C(lambda_arn), C(schedule_expression), C(duration).
      type: dict
    rule_arn:
      description: The rule (empty when absent).
      type: str
rotation:
  description: The secret's rotation configuration after the run (C(enabled), C(lambda_arn), C(schedule_expression)).
  returned: when O(manage_schedule)
  type: dict
rule_arn:
  description: The EventBridge rule's ARN (empty when absent).
  returned: always
  type: str
changes:
  description: What was set, added or removed (or would be in check mode), as sentences.
  returned: always
  type: list
  elements: str
"""

import json

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_or_adopt
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import tag_changes

TARGET_ID = "redeploy"


def event_pattern(secret_arn):
    """Secrets Manager's RotationSucceeded event of this secret, as CloudTrail delivers it to EventBridge."""
    return {
        "source": ["aws.secretsmanager"],
        "detail-type": ["AWS Service Event via CloudTrail"],
        "detail": {
            "eventSource": ["secretsmanager.amazonaws.com"],
            "eventName": ["RotationSucceeded"],
            "additionalEventData": {"SecretId": [secret_arn]},
        },
    }


def statement_id(prefix, name):
    return f"{prefix}-{''.join(c if c.isalnum() or c in '-_' else '-' for c in name)}"[:100]


@AWSRetry.jittered_backoff()
def policy_statements(client, function_arn):
    try:
        return json.loads(client.get_policy(FunctionName=function_arn)["Policy"]).get("Statement", [])
    except client.exceptions.ResourceNotFoundException:
        return []


def statement_matches(statement, principal, source_arn):
    condition = statement.get("Condition", {}).get("ArnLike", {}).get("AWS:SourceArn")
    return (
        statement.get("Principal", {}).get("Service") == principal
        and statement.get("Action") == "lambda:InvokeFunction"
        and condition == source_arn
    )


def ensure_permission(module, client, function_arn, sid, principal, source_arn, changes):
    found = next((s for s in policy_statements(client, function_arn) if s.get("Sid") == sid), None)
    if found and statement_matches(found, principal, source_arn):
        return
    changes.append(f"{'replaced' if found else 'added'} permission {sid} on {function_arn.split(':')[-1]}")
    if module.check_mode:
        return
    if found:
        client.remove_permission(FunctionName=function_arn, StatementId=sid, aws_retry=True)

    def ours():
        statement = next((s for s in policy_statements(client, function_arn) if s.get("Sid") == sid), None)
        return statement if statement and statement_matches(statement, principal, source_arn) else None

    # no token in AddPermission: a retry after a lost answer answers ResourceConflictException (the statement id
    # exists); it is fine when the statement is ours
    create_or_adopt(
        lambda: client.add_permission(
            FunctionName=function_arn,
            StatementId=sid,
            Action="lambda:InvokeFunction",
            Principal=principal,
            SourceArn=source_arn,
            aws_retry=True,
        ),
        ours,
        ("ResourceConflictException",),
    )


def remove_permission(module, client, function_arn, sid, changes):
    if not function_arn:
        return
    try:
        statements = policy_statements(client, function_arn)
    except client.exceptions.ResourceNotFoundException:
        return
    if any(s.get("Sid") == sid for s in statements):
        changes.append(f"removed permission {sid} on {function_arn.split(':')[-1]}")
        if not module.check_mode:
            client.remove_permission(FunctionName=function_arn, StatementId=sid, aws_retry=True)


@AWSRetry.jittered_backoff()
def describe_rule(events, name):
    try:
        return events.describe_rule(Name=name)
    except events.exceptions.ResourceNotFoundException:
        return None


def ensure_rule(module, events, secret_arn, changes):
    p = module.params
    name, pattern = p["rule_name"], event_pattern(secret_arn)
    rule = describe_rule(events, name)
    description = f"wordpress_aws: redeploy after a successful rotation of {secret_arn.split(':')[-1]}"
    if (
        rule is None
        or json.loads(rule.get("EventPattern") or "{}") != pattern
        or rule.get("State") != "ENABLED"
        or rule.get("Description") != description
    ):
        changes.append(f"{'created' if rule is None else 'updated'} rule {name}")
        if not module.check_mode:
            rule = {
                "Arn": events.put_rule(
                    Name=name,
                    EventPattern=json.dumps(pattern),
                    State="ENABLED",
                    Description=description,
                    aws_retry=True,
                )["RuleArn"]
            }
    rule_arn = (rule or {}).get("Arn", "")
    if rule_arn:
        targets = events.list_targets_by_rule(Rule=name, aws_retry=True).get("Targets", [])
        wanted = [{"Id": TARGET_ID, "Arn": p["redeploy_lambda_arn"]}]
        if [{"Id": t["Id"], "Arn": t["Arn"]} for t in targets] != wanted:
            changes.append(f"set the target of rule {name}")
            if not module.check_mode:
                extra = [t["Id"] for t in targets if t["Id"] != TARGET_ID]
                if extra:
                    events.remove_targets(Rule=name, Ids=extra, aws_retry=True)
                events.put_targets(Rule=name, Targets=wanted, aws_retry=True)
        listed = events.list_tags_for_resource(ResourceARN=rule_arn, aws_retry=True).get("Tags", [])
        have = {t["Key"]: t["Value"] for t in listed}
        wanted_tags = None if p["tags"] is None else {k: str(v) for k, v in p["tags"].items()}
        to_set, to_remove = tag_changes(wanted_tags, have, p["purge_tags"])
        if to_set or to_remove:
            changes.append(f"tagged rule {name}")
            if not module.check_mode:
                if to_remove:
                    events.untag_resource(ResourceARN=rule_arn, TagKeys=to_remove, aws_retry=True)
                if to_set:
                    events.tag_resource(
                        ResourceARN=rule_arn, Tags=ansible_dict_to_boto3_tag_list(to_set), aws_retry=True
                    )
    elif not module.check_mode:
        module.fail_json(msg=f"rule {name} has no ARN after it was created")
    return rule_arn


def rotation_of(secret):
    rules = secret.get("RotationRules") or {}
    return {
        "enabled": bool(secret.get("RotationEnabled")),
        "lambda_arn": secret.get("RotationLambdaARN", ""),
        "schedule_expression": rules.get("ScheduleExpression")
        or (f"rate({rules['AutomaticallyAfterDays']} days)" if rules.get("AutomaticallyAfterDays") else ""),
        "duration": rules.get("Duration", ""),
    }


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            secret_id=dict(type="str", required=True),
            rotation_lambda_arn=dict(type="str"),
            redeploy_lambda_arn=dict(type="str"),
            rule_name=dict(type="str", required=True),
            schedule_expression=dict(type="str", default="rate(30 days)"),
            duration=dict(type="str"),
            manage_schedule=dict(type="bool", default=True),
            **common_options(name=False),
        ),
        required_if=[("state", "present", ["rotation_lambda_arn", "redeploy_lambda_arn"])],
        supports_check_mode=True,
    )
    p = module.params
    secrets = aws_client(module, "secretsmanager")
    lambdas = aws_client(module, "lambda")
    events = aws_client(module, "events")
    changes, before, after, result = [], {}, {}, {}
    with aws_errors(module, f"wire the rotation of secret {p['secret_id']}"):
        secret = secrets.describe_secret(SecretId=p["secret_id"], aws_retry=True)
        secret_arn = secret["ARN"]
        rotation_sid = statement_id("secretsmanager", secret["Name"])
        redeploy_sid = statement_id("events", p["rule_name"])
        rotation = rotation_of(secret)
        before = {
            "secret_arn": secret_arn,
            "rotation": rotation,
            "rule_arn": (describe_rule(events, p["rule_name"]) or {}).get("Arn", ""),
        }
        if p["state"] == "absent":
            if p["manage_schedule"] and rotation["enabled"]:
                changes.append(f"cancelled the rotation of {secret['Name']}")
                if not module.check_mode:
                    secrets.cancel_rotate_secret(SecretId=secret_arn, aws_retry=True)
            rule = describe_rule(events, p["rule_name"])
            if rule:
                targets = events.list_targets_by_rule(Rule=p["rule_name"], aws_retry=True).get("Targets", [])
                changes.append(f"deleted rule {p['rule_name']}")
                if not module.check_mode:
                    if targets:
                        events.remove_targets(Rule=p["rule_name"], Ids=[t["Id"] for t in targets], aws_retry=True)
                    events.delete_rule(Name=p["rule_name"], aws_retry=True)
            remove_permission(module, lambdas, p["redeploy_lambda_arn"], redeploy_sid, changes)
            remove_permission(module, lambdas, p["rotation_lambda_arn"], rotation_sid, changes)
            exit_result(module, "secret_rotation", before, {}, changes, rule_arn="")
        ensure_permission(
            module, lambdas, p["rotation_lambda_arn"], rotation_sid, "secretsmanager.amazonaws.com", secret_arn, changes
        )
        rule_arn = ensure_rule(module, events, secret_arn, changes)
        if rule_arn or not module.check_mode:
            ensure_permission(
                module, lambdas, p["redeploy_lambda_arn"], redeploy_sid, "events.amazonaws.com", rule_arn, changes
            )
        else:
            changes.append(f"added permission {redeploy_sid} on {p['redeploy_lambda_arn'].split(':')[-1]}")
        if p["manage_schedule"]:
            wanted = {
                "enabled": True,
                "lambda_arn": p["rotation_lambda_arn"],
                "schedule_expression": p["schedule_expression"],
                "duration": p["duration"] or rotation["duration"],
            }
            if rotation != wanted:
                changes.append(f"set the rotation of {secret['Name']} to {p['schedule_expression']}")
                if not module.check_mode:
                    rules = {"ScheduleExpression": p["schedule_expression"]}
                    if p["duration"]:
                        rules["Duration"] = p["duration"]
                    secrets.rotate_secret(
                        SecretId=secret_arn,
                        RotationLambdaARN=p["rotation_lambda_arn"],
                        RotationRules=rules,
                        RotateImmediately=False,
                        aws_retry=True,
                    )
            result["rotation"] = wanted
        result["rule_arn"] = rule_arn
        after = {"secret_arn": secret_arn, "rotation": result.get("rotation", rotation), "rule_arn": rule_arn}
    exit_result(module, "secret_rotation", before, after, changes, **result)


if __name__ == "__main__":
    main()
