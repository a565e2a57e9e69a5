#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudwatch_alarms
short_description: Every metric alarm (and one composite alarm) under a name prefix, as one set
version_added: 0.4.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Converges the metric alarms whose names start with O(prefix) to O(alarms) - each a C(PutMetricAlarm) request
    in CloudWatch's own key spelling, single metric or metric math. An alarm is written only when a field it sets
    differs from what CloudWatch reports; with O(purge_alarms=true) alarms under the prefix that are no longer
    listed are deleted. One task for a whole stack's alarms instead of one per alarm.
  - O(composite) keeps a composite alarm (for example "site down" from the critical alarms).
  - Tags (O(tags) and the C(Tags) of each request) are set when an alarm is created and converged afterwards
    with C(TagResource)/C(UntagResource) when O(tags) is set, O(purge_tags) removing the tags neither names;
    a composite alarm's tags are set whenever it is written.
  - M(amazon.aws.cloudwatch_metric_alarm) manages one alarm per task and cannot remove alarms no longer wanted.
options:
  prefix:
    description: The alarm name prefix this module owns (for example C(<stack>-)).
    type: str
    required: true
  alarms:
    description: The metric alarms, C(PutMetricAlarm) requests; each C(AlarmName) must start with O(prefix).
    type: list
    elements: dict
    default: []
  composite:
    description: A composite alarm under the prefix.
    type: dict
    suboptions:
      name:
        description: Its name.
        type: str
        required: true
      rule:
        description: The alarm rule (C(ALARM("a") OR ALARM("b"))).
        type: str
        required: true
      description:
        description: What it means and what to do.
        type: str
        default: ""
      actions:
        description: Actions on ALARM and OK.
        type: list
        elements: str
        default: []
  purge_alarms:
    description: Delete alarms under the prefix that are not listed.
    type: bool
    default: true
    aliases: [purge]
"""

EXAMPLES = r"""
- name: The stack's alarms in its region
  techblogpro.wordpress_aws.cloudwatch_alarms:
    prefix: techblog-prod-
    alarms: "{{ alarm_requests }}"
    tags:
      wordpress_aws:stack: techblog-prod

- name: Remove every alarm of the stack
  techblogpro.wordpress_aws.cloudwatch_alarms:
    prefix: techblog-prod-
    state: absent
"""

RETURN = r"""
changes:
  description:
    - What changed (or would change in check mode), one sentence per alarm - C(created <name>),
      C(updated <name> (<fields>)), C(tags of <name>), C(deleted <name>); empty when nothing did.
  returned: always
  type: list
  elements: str
  sample: ["updated s/database/cpu (AlarmDescription, Threshold)", "deleted s/storage/io-limit"]
alarm_set:
  description: The alarms under the prefix after the run.
  returned: always
  type: dict
  contains:
    prefix:
      description: The prefix.
      type: str
      sample: techblog-prod-
    names:
      description: The alarm names, sorted.
      type: list
      elements: str
    count:
      description: How many alarms the prefix holds.
      type: int
count:
  description: How many alarms the prefix holds after the run (as RV(alarm_set.count)).
  returned: always
  type: int
  sample: 24
"""

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import alarms
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import compare
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import reconcile
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import tag_changes


def _tag_changes(client, alarm: dict, desired: dict, purge: bool) -> tuple[dict, list]:
    have = client.list_tags_for_resource(ResourceARN=alarm["AlarmArn"], aws_retry=True).get("Tags", [])
    return tag_changes(desired, boto3_tag_list_to_ansible_dict(have), purge)


class AlarmSet:
    """The writes of the alarms under one prefix."""

    def __init__(self, module, client):
        self.module, self.client, self.params = module, client, module.params
        self.tags = self.params["tags"] or {}

    def desired_tags(self, alarm: dict) -> dict:
        return {**boto3_tag_list_to_ansible_dict(alarm.get("Tags", [])), **self.tags}

    def differences(self, alarm: dict, current: dict) -> list[str]:
        return compare.differences(alarms.normalised(alarm), alarms.normalised(current))

    def put(self, name: str, alarm: dict, current) -> None:
        if current is None:
            tags = ansible_dict_to_boto3_tag_list(self.desired_tags(alarm))
            self.client.put_metric_alarm(**{**alarm, "Tags": tags}, aws_retry=True)
        else:  # CloudWatch ignores Tags on an update: tags converge on their own
            self.client.put_metric_alarm(**{k: v for k, v in alarm.items() if k != "Tags"}, aws_retry=True)

    def converge_tags(self, wanted: dict, metric: dict) -> list[str]:
        """Tag the existing alarms as their request and O(tags) say; O(tags) unset leaves their tags alone."""
        changes = []
        if self.params["tags"] is None:
            return changes
        for name in sorted(set(wanted) & set(metric)):
            desired = self.desired_tags(wanted[name])
            to_set, to_remove = _tag_changes(self.client, metric[name], desired, self.params["purge_tags"])
            if not to_set and not to_remove:
                continue
            changes.append(f"tags of {name}")
            if self.module.check_mode:
                continue
            arn = metric[name]["AlarmArn"]
            if to_remove:
                self.client.untag_resource(ResourceARN=arn, TagKeys=to_remove, aws_retry=True)
            if to_set:
                self.client.tag_resource(ResourceARN=arn, Tags=ansible_dict_to_boto3_tag_list(to_set), aws_retry=True)
        return changes

    def composite(self, have) -> list[str]:
        want = self.params["composite"]
        same = have is not None and (
            have.get("AlarmRule") == want["rule"]
            and have.get("AlarmDescription", "") == want["description"]
            and have.get("AlarmActions", []) == want["actions"]
            and have.get("OKActions", []) == want["actions"]
        )
        if same:
            return []
        if not self.module.check_mode:
            self.client.put_composite_alarm(
                AlarmName=want["name"],
                AlarmRule=want["rule"],
                AlarmDescription=want["description"],
                ActionsEnabled=True,
                AlarmActions=want["actions"],
                OKActions=want["actions"],
                Tags=ansible_dict_to_boto3_tag_list(self.tags),
                aws_retry=True,
            )
        if have is None:
            return [f"created {want['name']}"]
        return [f"updated {want['name']} (AlarmRule, AlarmDescription or actions)"]

    def delete(self, names: list[str]) -> list[str]:
        if names and not self.module.check_mode:
            for start in range(0, len(names), 100):
                self.client.delete_alarms(AlarmNames=names[start : start + 100], aws_retry=True)
        return [f"deleted {name}" for name in names]


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            prefix=dict(type="str", required=True),
            alarms=dict(type="list", elements="dict", default=[]),
            composite=dict(
                type="dict",
                options=dict(
                    name=dict(type="str", required=True),
                    rule=dict(type="str", required=True),
                    description=dict(type="str", default=""),
                    actions=dict(type="list", elements="str", default=[]),
                ),
            ),
            purge_alarms=dict(type="bool", default=True, aliases=["purge"]),
            **common_options(name=False),
        ),
        supports_check_mode=True,
    )
    p = module.params
    prefix = p["prefix"]
    wanted = {} if p["state"] == "absent" else {a.get("AlarmName", ""): a for a in p["alarms"]}
    outside = [name for name in wanted if not name.startswith(prefix)]
    if outside:
        module.fail_json(msg=f"alarm names must start with {prefix!r}: {', '.join(outside)}")
    if p["composite"] and not p["composite"]["name"].startswith(prefix):
        module.fail_json(msg=f"the composite alarm's name must start with {prefix!r}")
    alarm_set = AlarmSet(module, aws_client(module, "cloudwatch"))
    purge = p["purge_alarms"] or p["state"] == "absent"
    metric, composite, changes = {}, {}, []
    with aws_errors(module, f"manage the alarms under {prefix}"):
        metric, composite = alarms.existing(alarm_set.client, prefix)
        changes = reconcile(
            module, wanted, metric, differences=alarm_set.differences, put=alarm_set.put, remove=None, purge=False
        )
        changes += alarm_set.converge_tags(wanted, metric)
        keep = p["composite"]["name"] if p["composite"] and p["state"] == "present" else None
        if keep:
            changes += alarm_set.composite(composite.get(keep))
        # Composite alarms go first: CloudWatch refuses to delete an alarm a composite alarm names.
        if purge:
            changes += alarm_set.delete(sorted(n for n in composite if n != keep))
            changes += alarm_set.delete(sorted(n for n in metric if n not in wanted))
    deleted = {c[len("deleted ") :] for c in changes if c.startswith("deleted ")}
    created = {c[len("created ") :] for c in changes if c.startswith("created ")}
    before = sorted([*metric, *composite])
    after = sorted({*metric, *composite, *created} - deleted)
    exit_result(
        module,
        "alarm_set",
        {"prefix": prefix, "names": before, "count": len(before)},
        {"prefix": prefix, "names": after, "count": len(after)},
        changes,
        count=len(after),
    )


if __name__ == "__main__":
    main()
