#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudwatch_log_retention
short_description: No log group of a stack keeps its logs forever
version_added: 0.4.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Finds the log groups whose names start with one of O(prefixes) and gives those without a retention
    (CloudWatch's default, "never expire") O(retention_days).
  - AWS services create log groups on their own, without a retention - Lambda on a function's first run, RDS
    for its log exports, Container Insights - and they then grow, and bill, forever. This module catches them.
  - A group that has a retention keeps it - the role that owns the group chose it - unless O(max_days) is
    set and the group keeps its logs longer; then it gets O(max_days).
options:
  prefixes:
    description: Log group name prefixes of the stack.
    type: list
    elements: str
    required: true
  retention_days:
    description: The retention given to groups without one.
    type: int
    required: true
  max_days:
    description: The longest retention a group may keep (unset - any).
    type: int
"""

EXAMPLES = r"""
- name: Every log group of the stack expires its logs
  techblogpro.wordpress_aws.cloudwatch_log_retention:
    prefixes: [/wordpress-aws/techblog-prod/, /aws/lambda/techblog-prod-, /aws/rds/instance/techblog-prod-db]
    retention_days: 30
"""

RETURN = r"""
changes:
  description:
    - "The groups whose retention was set (or would be in check mode), each as
      C(retention of <group>: <days before> -> <days> days) (C(never) - the group never expired); empty when none."
  returned: always
  type: list
  elements: str
  sample: ["retention of /aws/lambda/techblog-prod-db-bootstrap: never -> 30 days"]
log_retention:
  description: The log groups found, each with its retention in days after the run (null - never expire).
  returned: always
  type: dict
  sample: {"/wordpress-aws/techblog-prod/wordpress": 30}
"""

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import logs
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.logs import RETENTION_DAYS


@AWSRetry.jittered_backoff()
def _groups(client, prefixes):
    found = {}
    for prefix in prefixes:
        for page in client.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=prefix):
            for group in page.get("logGroups", []):
                found[group["logGroupName"]] = group.get("retentionInDays")
    return found


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            prefixes=dict(type="list", elements="str", required=True),
            retention_days=dict(type="int", required=True),
            max_days=dict(type="int"),
        ),
        supports_check_mode=True,
    )
    p = module.params
    for option in ("retention_days", "max_days"):
        if p[option] is not None and p[option] not in RETENTION_DAYS:
            module.fail_json(
                msg=f"{option} {p[option]} is not a retention CloudWatch Logs accepts "
                f"({', '.join(str(d) for d in RETENTION_DAYS)})"
            )
    if p["max_days"] and p["retention_days"] > p["max_days"]:
        module.fail_json(msg=f"retention_days {p['retention_days']} is longer than max_days {p['max_days']}")
    if not all(p["prefixes"]):
        module.fail_json(msg="prefixes may not hold an empty prefix (it would match every log group)")
    client = aws_client(module, "logs")
    groups, changes = {}, []
    with aws_errors(module, "set the retention of the stack's log groups"):
        groups = _groups(client, p["prefixes"])
        for name, current in sorted(groups.items()):
            days = logs.wanted_retention(current, p["retention_days"], p["max_days"])
            if days is None:
                continue
            changes.append(f"retention of {name}: {current or 'never'} -> {days} days")
            if not module.check_mode:
                client.put_retention_policy(logGroupName=name, retentionInDays=days, aws_retry=True)
    after = {
        name: logs.wanted_retention(days, p["retention_days"], p["max_days"]) or days for name, days in groups.items()
    }
    exit_result(module, "log_retention", groups, after, changes)


if __name__ == "__main__":
    main()
