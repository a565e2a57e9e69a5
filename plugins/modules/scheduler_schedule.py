#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: scheduler_schedule
short_description: An EventBridge Scheduler schedule that invokes a target with a fixed input
version_added: 0.5.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Creates, updates or deletes the schedule O(name) (in the default group) that invokes O(target_arn) with
    O(input) as O(role_arn), at O(expression) in O(timezone).
  - Written only when a field it sets differs. No module of amazon.aws or community.aws manages EventBridge Scheduler.
options:
  name:
    description: The schedule's name.
    type: str
    required: true
  expression:
    description: C(cron(...)), C(rate(...)) or C(at(...)). Required with O(state=present).
    type: str
  timezone:
    description: The IANA time zone of the expression.
    type: str
    default: UTC
  target_arn:
    description: What it invokes (a Lambda function's ARN). Required with O(state=present).
    type: str
  role_arn:
    description: The role EventBridge Scheduler assumes to invoke the target. Required with O(state=present).
    type: str
  input:
    description: The event the target receives.
    type: dict
    default: {}
  description:
    description: What the schedule is for.
    type: str
    default: ""
  enabled:
    description: Whether it fires.
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Stop the staging database at 20:00 on weekdays, Paris time
  techblogpro.wordpress_aws.scheduler_schedule:
    name: techblog-staging-db-stop
    expression: cron(0 20 ? * MON-FRI *)
    timezone: Europe/Paris
    target_arn: arn:aws:lambda:eu-west-3:123456789012:function:techblog-staging-db-scheduler
    role_arn: arn:aws:iam::123456789012:role/wordpress-aws/techblog-staging/techblog-staging-scheduler
    input: {action: stop}
"""

RETURN = r"""
schedule:
  description: The schedule (empty when absent).
  returned: always
  type: dict
changes:
  description: The fields that differed (or C(created), C(deleted)).
  returned: always
  type: list
  elements: str
"""

import json

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_or_adopt
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import request_token
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import converge
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.propagation import propagation_retry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def describe(client, name):
    try:
        return client.get_schedule(Name=name, aws_retry=True)
    except is_boto3_error_code("ResourceNotFoundException"):
        return None


def view(raw):
    if not raw:
        return {}
    target = raw.get("Target", {})
    return {
        "name": raw["Name"],
        "expression": raw.get("ScheduleExpression", ""),
        "timezone": raw.get("ScheduleExpressionTimezone") or "UTC",
        "target_arn": target.get("Arn", ""),
        "role_arn": target.get("RoleArn", ""),
        "input": json.loads(target.get("Input") or "{}"),
        "description": raw.get("Description", ""),
        "enabled": raw.get("State", "ENABLED") == "ENABLED",
    }


def request(p) -> dict:
    return {
        "Name": p["name"],
        "ScheduleExpression": p["expression"],
        "ScheduleExpressionTimezone": p["timezone"],
        "Description": p["description"],
        "State": "ENABLED" if p["enabled"] else "DISABLED",
        "FlexibleTimeWindow": {"Mode": "OFF"},
        "Target": {"Arn": p["target_arn"], "RoleArn": p["role_arn"], "Input": json.dumps(p["input"])},
    }


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            expression=dict(type="str"),
            timezone=dict(type="str", default="UTC"),
            target_arn=dict(type="str"),
            role_arn=dict(type="str"),
            input=dict(type="dict", default={}),
            description=dict(type="str", default=""),
            enabled=dict(type="bool", default=True),
            **common_options(tags=False),
        ),
        required_if=[("state", "present", ["expression", "target_arn", "role_arn"])],
        supports_check_mode=True,
    )
    p = module.params
    # A schedule is usually created seconds after its execution role: IAM propagation is retried too.
    client = module.client("scheduler", retry_decorator=propagation_retry())
    fields = ("name", "expression", "timezone", "target_arn", "role_arn", "input", "description", "enabled")
    wanted = {k: p[k] for k in fields}

    def create():
        # one ClientToken for every retry (botocore makes a new one per call); a retry that still meets the
        # schedule (ConflictException) after a lost answer adopts it
        token = request_token()
        create_or_adopt(
            lambda: client.create_schedule(**request(p), ClientToken=token, aws_retry=True),
            lambda: describe(client, p["name"]),
            ("ConflictException",),
        )
        return wanted

    def update(current, changes):
        client.update_schedule(**request(p), aws_retry=True)
        return wanted

    converge(
        module,
        "schedule",
        find=lambda: view(describe(client, p["name"])) or None,
        differences=lambda current: [k for k in fields if wanted[k] != current.get(k)],
        create=create,
        update=update,
        delete=lambda current: client.delete_schedule(Name=p["name"], aws_retry=True),
        planned=lambda current: wanted,
        label=f"the schedule {p['name']}",
    )


if __name__ == "__main__":
    main()
