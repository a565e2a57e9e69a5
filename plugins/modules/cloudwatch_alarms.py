#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudwatch_alarms
short_description: Every metric alarm (and one composite alarm) under a name prefix, as one set
version_added: 0.4.0
description:
  - Converges the metric alarms whose names start with O(prefix) to O(alarms) - each a C(PutMetricAlarm) request
    in CloudWatch's own key spelling, single metric or metric math. An alarm is written only when a field it sets
    differs from what CloudWatch reports; with O(purge=true) alarms under the prefix that are no longer listed are
    deleted. One task for a whole stack's alarms instead of one per alarm.
  - O(composite) keeps a composite alarm (for example "site down" from the critical alarms).
  - Tags are set when an alarm is created (CloudWatch ignores them on updates).
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
  purge:
    description: Delete alarms under the prefix that are not listed.
    type: bool
    default: true
extends_documentation_fragment:
  - techblogpro.wordpress_aws.attributes
  - techblogpro.wordpress_aws.attributes.state
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
author:
  - techblogpro platform team (@techblogpro)
"""

EXAMPLES = r"""
- name: The stack's alarms in its region
  techblogpro.wordpress_aws.cloudwatch_alarms:
    prefix: techblog-prod-
    alarms: "{{ alarm_requests }}"
    tags:
      wordpress_aws:stack: techblog-prod
"""

RETURN = r"""
created:
  description: Alarm names created.
  returned: always
  type: list
  elements: str
updated:
  description: Alarm names updated, each with the fields that differed.
  returned: always
  type: dict
deleted:
  description: Alarm names deleted.
  returned: always
  type: list
  elements: str
count:
  description: How many alarms the prefix holds after the run.
  returned: always
  type: int
"""

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudfront
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule

COMPARED = (
    "AlarmDescription",
    "ActionsEnabled",
    "AlarmActions",
    "OKActions",
    "TreatMissingData",
    "EvaluationPeriods",
    "DatapointsToAlarm",
    "ComparisonOperator",
    "Threshold",
    "Namespace",
    "MetricName",
    "Dimensions",
    "Statistic",
    "ExtendedStatistic",
    "Period",
    "Metrics",
)


@AWSRetry.jittered_backoff()
def _existing(client, prefix):
    metric, composite = {}, {}
    for page in client.get_paginator("describe_alarms").paginate(
        AlarmNamePrefix=prefix, AlarmTypes=["MetricAlarm", "CompositeAlarm"]
    ):
        metric.update({a["AlarmName"]: a for a in page.get("MetricAlarms", [])})
        composite.update({a["AlarmName"]: a for a in page.get("CompositeAlarms", [])})
    return metric, composite


def _normalised(alarm: dict) -> dict:
    """The compared fields, dimensions in name order (CloudWatch does not keep the order)."""
    out = {k: alarm[k] for k in COMPARED if k in alarm}
    if "Dimensions" in out:
        out["Dimensions"] = sorted(out["Dimensions"], key=lambda d: d["Name"])
    for query in out.get("Metrics", []):
        metric = query.get("MetricStat", {}).get("Metric", {})
        if "Dimensions" in metric:
            metric["Dimensions"] = sorted(metric["Dimensions"], key=lambda d: d["Name"])
    if "Threshold" in out:
        out["Threshold"] = float(out["Threshold"])
    return out


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
            purge=dict(type="bool", default=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
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
    client = module.client("cloudwatch")
    created, updated, deleted = [], {}, []
    try:
        metric, composite = _existing(client, prefix)
        for name, alarm in wanted.items():
            current = metric.get(name)
            if current is None:
                created.append(name)
            else:
                found = cloudfront.differences(_normalised(alarm), _normalised(current))
                if found:
                    updated[name] = found
            if not module.check_mode and (current is None or name in updated):
                tag_list = [{"Key": k, "Value": v} for k, v in (p["tags"] or {}).items()]
                request = {**alarm, "Tags": [*alarm.get("Tags", []), *tag_list]} if current is None else alarm
                if current is not None:
                    request = {k: v for k, v in request.items() if k != "Tags"}
                client.put_metric_alarm(**request)
        keep_composite = p["composite"]["name"] if p["composite"] and p["state"] == "present" else None
        stale_composite = [n for n in composite if n != keep_composite] if p["purge"] or p["state"] == "absent" else []
        if keep_composite:
            want = p["composite"]
            have = composite.get(keep_composite)
            same = have is not None and (
                have.get("AlarmRule") == want["rule"]
                and have.get("AlarmDescription", "") == want["description"]
                and have.get("AlarmActions", []) == want["actions"]
                and have.get("OKActions", []) == want["actions"]
            )
            if not same:
                if have is None:
                    created.append(keep_composite)
                else:
                    updated[keep_composite] = ["AlarmRule, AlarmDescription or actions"]
                if not module.check_mode:
                    client.put_composite_alarm(
                        AlarmName=keep_composite,
                        AlarmRule=want["rule"],
                        AlarmDescription=want["description"],
                        ActionsEnabled=True,
                        AlarmActions=want["actions"],
                        OKActions=want["actions"],
                        Tags=[{"Key": k, "Value": v} for k, v in (p["tags"] or {}).items()],
                    )
        # Composite alarms go first: CloudWatch refuses to delete an alarm a composite alarm names.
        if stale_composite:
            deleted.extend(stale_composite)
            if not module.check_mode:
                client.delete_alarms(AlarmNames=stale_composite)
        if p["purge"] or p["state"] == "absent":
            stale = sorted(n for n in metric if n not in wanted)
            deleted.extend(stale)
            if stale and not module.check_mode:
                for start in range(0, len(stale), 100):
                    client.delete_alarms(AlarmNames=stale[start : start + 100])
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Unable to manage the alarms under {prefix}")
    after = sorted({*metric, *composite, *created} - set(deleted))
    module.exit_json(
        changed=bool(created or updated or deleted),
        created=created,
        updated=updated,
        deleted=deleted,
        count=len(after),
        diff={"before": {"alarms": sorted([*metric, *composite])}, "after": {"alarms": after}},
    )


if __name__ == "__main__":
    main()
