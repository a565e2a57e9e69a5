#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudwatch_log_groups
short_description: Several CloudWatch Logs log groups, each with its retention, KMS key and tags, in one task
version_added: 0.5.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Converges each log group of O(log_groups) - created with its KMS key and tags, then its retention, KMS key
    and tags kept as asked - and with O(state=absent) deletes it. One task, one process, for all the log groups
    of a tier (in one or several regions).
  - A create whose answer was lost (a 5xx or a dropped connection after CloudWatch Logs created the group) is
    retried by botocore and answered C(ResourceAlreadyExistsException); this module then adopts the group and
    converges it, where M(amazon.aws.cloudwatchlogs_log_group) fails the task. A delete retried after a lost
    answer (C(ResourceNotFoundException)) is success.
  - M(techblogpro.wordpress_aws.cloudwatch_log_retention) catches the groups AWS services create themselves;
    this module owns the groups the stack creates.
options:
  log_groups:
    description: The log groups.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: The group's name.
        type: str
        required: true
      retention_days:
        description:
          - Days the group keeps its logs, one of the values CloudWatch Logs accepts; V(0) never expires them.
          - Unset leaves the retention alone.
        type: int
      kms_key_id:
        description:
          - The ARN (or id) of the KMS key that encrypts the group, in the group's region (V("") removes it).
          - Unset leaves the key alone.
        type: str
      tags:
        description: Tags of this group alone, over O(tags).
        type: dict
      region:
        description: The group's region (default the module's O(region)).
        type: str
      state:
        description: This group's state (default O(state)).
        type: str
        choices: [present, absent]
notes:
  - O(tags) and O(purge_tags) apply to every group; O(log_groups[].tags) add to O(tags) for one group. With
    neither set the groups' tags are left alone.
"""

EXAMPLES = r"""
- name: The application tier's log groups
  techblogpro.wordpress_aws.cloudwatch_log_groups:
    log_groups:
      - name: /wordpress-aws/techblog-prod/wordpress
        kms_key_id: "{{ key_arn }}"
        retention_days: 90
      - name: /aws/lambda/techblog-prod-redeploy
        kms_key_id: "{{ key_arn }}"
        retention_days: 30
    tags:
      wordpress_aws:stack: techblog-prod
  register: groups

- name: The WAF log group of CloudFront lives in us-east-1
  techblogpro.wordpress_aws.cloudwatch_log_groups:
    log_groups:
      - name: aws-waf-logs-techblog-prod-edge
        region: us-east-1
        retention_days: 30

- name: Remove them
  techblogpro.wordpress_aws.cloudwatch_log_groups:
    log_groups:
      - name: /wordpress-aws/techblog-prod/wordpress
      - name: /aws/lambda/techblog-prod-redeploy
    state: absent
"""

RETURN = r"""
changes:
  description: "What changed (or would in check mode), as C(<group>: <change>); empty when nothing did."
  returned: always
  type: list
  elements: str
  sample: ["/aws/lambda/techblog-prod-redeploy: created", "/wordpress-aws/techblog-prod/wordpress: retention"]
log_groups:
  description: Each log group after the run, by name.
  returned: always
  type: dict
  contains:
    log_group_name:
      description: The group's name.
      type: str
    region:
      description: Its region.
      type: str
    arn:
      description: Its ARN, without the C(:*) suffix (empty when it does not exist).
      type: str
      sample: arn:aws:logs:eu-west-3:123456789012:log-group:/wordpress-aws/techblog-prod/wordpress
    retention_in_days:
      description: Its retention (null - never expires).
      type: int
    kms_key_id:
      description: The ARN of its KMS key (empty when none).
      type: str
    tags:
      description: Its tags (empty when tags are not managed).
      type: dict
    exists:
      description: Whether the group exists after the run.
      type: bool
    created:
      description: Whether it was created in this run (or would be in check mode), also when a lost create answer
        was adopted.
      type: bool
    changed:
      description: Whether anything of this group changed in this run.
      type: bool
    changes:
      description: What changed on this group.
      type: list
      elements: str
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import log_groups as lg
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.logs import RETENTION_DAYS
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options

GROUP_OPTIONS = dict(
    name=dict(type="str", required=True),
    retention_days=dict(type="int"),
    kms_key_id=dict(type="str", no_log=False),
    tags=dict(type="dict"),
    region=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"]),
)


def problems(groups):
    """Input errors, each naming the group and the option; empty when the input is valid."""
    found, seen = [], set()
    for group in groups:
        name = group["name"]
        if not name or len(name) > 512:
            found.append(f"log_groups[{name}].name: 1 to 512 characters")
        key = (name, group.get("region"))
        if key in seen:
            found.append(f"log_groups[{name}]: listed twice")
        seen.add(key)
        days = group.get("retention_days")
        if days is not None and days != lg.NEVER and days not in RETENTION_DAYS:
            found.append(
                f"log_groups[{name}].retention_days {days}: not a retention CloudWatch Logs accepts "
                f"(0 - never expire, {', '.join(str(d) for d in RETENTION_DAYS)})"
            )
    return found


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            log_groups=dict(type="list", elements="dict", required=True, options=GROUP_OPTIONS),
            **common_options(name=False),
        ),
        supports_check_mode=True,
    )
    p = module.params
    errors = problems(p["log_groups"])
    if errors:
        module.fail_json(msg="; ".join(errors))
    clients = {}
    before, after, changes = {}, {}, []
    for want in p["log_groups"]:
        name, region = want["name"], want.get("region") or module.region
        if region not in clients:
            clients[region] = aws_client(module, "logs", region=want.get("region"))
        client = clients[region]
        state = want.get("state") or p["state"]
        tags = None if p["tags"] is None and want.get("tags") is None else {**(p["tags"] or {}), **(want["tags"] or {})}
        with aws_errors(module, f"manage log group {name}"):
            try:
                if state == "absent":
                    old, new = lg.absent(client, region, want, module.check_mode)
                else:
                    old, new = lg.present(client, region, want, tags, p["purge_tags"], module.check_mode)
            except lg.LogGroupError as err:
                module.fail_json(msg=str(err))
        before[name], after[name] = old, new
        changes.extend(f"{name}: {change}" for change in new["changes"])
    exit_result(module, "log_groups", before, after, changes)


if __name__ == "__main__":
    main()
