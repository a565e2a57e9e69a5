#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cost_anomaly_monitor
short_description: A Cost Explorer anomaly monitor on a stack's cost allocation tag, and its alert subscription
version_added: 0.5.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Creates, updates or deletes the anomaly monitor O(name), which watches the costs carrying the tag
    O(tag_key)=O(tag_value), and its subscription C(<name>-alerts), which sends every anomaly whose total impact
    reaches O(threshold_usd) to the SNS topic O(sns_topic_arn) as soon as it is detected.
  - A monitor's tag expression cannot be changed in place; when it differs the monitor is replaced (its anomaly
    history starts again), which the result says.
  - Cost Explorer's API lives in us-east-1 whatever the stack region. No module upstream manages anomaly monitors.
options:
  name:
    description: The monitor's name.
    type: str
    required: true
  tag_key:
    description: The cost allocation tag the monitor watches.
    type: str
    default: wordpress_aws:stack
  tag_value:
    description: The tag's value (the stack name). Required with O(state=present).
    type: str
  threshold_usd:
    description: Alert on anomalies whose total impact reaches this many USD. Required with O(state=present).
    type: float
  sns_topic_arn:
    description: Where alerts go (immediate alerts go to SNS only). Required with O(state=present).
    type: str
"""

EXAMPLES = r"""
- name: Alert on cost anomalies of the stack above 50 USD
  techblogpro.wordpress_aws.cost_anomaly_monitor:
    name: techblog-prod
    tag_value: techblog-prod
    threshold_usd: 50
    sns_topic_arn: arn:aws:sns:us-east-1:123456789012:techblog-prod-alerts-edge
    region: us-east-1
"""

RETURN = r"""
changes:
  description: What was created, updated, replaced or deleted (or would be in check mode), as sentences.
  returned: always
  type: list
  elements: str
  sample: ["created monitor techblog-prod", "created subscription techblog-prod-alerts"]
anomaly_monitor:
  description: The monitor and its alert subscription (empty when absent).
  returned: always
  type: dict
  contains:
    name:
      description: The monitor's name.
      type: str
    arn:
      description: Its ARN (empty in check mode before creation).
      type: str
    tag_key:
      description: The cost allocation tag it watches.
      type: str
    tag_value:
      description: The tag's value.
      type: str
    subscription_name:
      description: The alert subscription's name.
      type: str
    threshold_usd:
      description: The total impact from which an anomaly alerts.
      type: float
    sns_topic_arn:
      description: Where the alerts go.
      type: str
monitor_arn:
  description: The monitor's ARN (empty when absent or in check mode before creation), as RV(anomaly_monitor.arn).
  returned: always
  type: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_once
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import no_blind_retry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.paging import pages
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


@AWSRetry.jittered_backoff()
def find_monitor(client, name):
    return next((m for m in pages(client.get_anomaly_monitors, "AnomalyMonitors") if m["MonitorName"] == name), None)


@AWSRetry.jittered_backoff()
def find_subscription(client, monitor_arn, name):
    found = pages(client.get_anomaly_subscriptions, "AnomalySubscriptions", MonitorArn=monitor_arn)
    return next((s for s in found if s["SubscriptionName"] == name), None)


def specification(key, value):
    return {"Tags": {"Key": key, "Values": [value], "MatchOptions": ["EQUALS"]}}


def threshold_expression(usd):
    return {
        "Dimensions": {
            "Key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
            "Values": [f"{usd:g}"],
            "MatchOptions": ["GREATER_THAN_OR_EQUAL"],
        }
    }


def subscription_differences(current, wanted):
    found = []
    if current.get("Frequency") != wanted["Frequency"]:
        found.append("Frequency")
    if sorted(current.get("MonitorArnList", [])) != sorted(wanted["MonitorArnList"]):
        found.append("MonitorArnList")
    have = sorted((s["Type"], s["Address"]) for s in current.get("Subscribers", []))
    if have != sorted((s["Type"], s["Address"]) for s in wanted["Subscribers"]):
        found.append("Subscribers")
    if current.get("ThresholdExpression") != wanted["ThresholdExpression"]:
        found.append("ThresholdExpression")
    return found


def view(monitor, subscription) -> dict:
    """The returned monitor with its alert subscription ({} when there is no monitor)."""
    if not monitor:
        return {}
    tags = (monitor.get("MonitorSpecification") or {}).get("Tags") or {}
    threshold = ((subscription or {}).get("ThresholdExpression") or {}).get("Dimensions", {}).get("Values") or [None]
    subscribers = (subscription or {}).get("Subscribers") or [{}]
    return {
        "name": monitor["MonitorName"],
        "arn": monitor.get("MonitorArn", ""),
        "tag_key": tags.get("Key", ""),
        "tag_value": (tags.get("Values") or [""])[0],
        "subscription_name": (subscription or {}).get("SubscriptionName", ""),
        "threshold_usd": float(threshold[0]) if threshold[0] is not None else None,
        "sns_topic_arn": subscribers[0].get("Address", ""),
    }


def _create_monitor(client, name, spec, tag_key, tag_value) -> str:
    """CreateAnomalyMonitor has no token and takes a second monitor of the same name: sent once per attempt, and
    after a lost answer the monitor is looked up by its name before it is created again (adopt.create_once)."""

    def create():
        with no_blind_retry(client, "CreateAnomalyMonitor"):
            return client.create_anomaly_monitor(
                AnomalyMonitor={"MonitorName": name, "MonitorType": "CUSTOM", "MonitorSpecification": spec},
                ResourceTags=[{"Key": tag_key, "Value": tag_value}],
            )

    made, _adopted = create_once(create, lambda: find_monitor(client, name))
    return made["MonitorArn"]


def _create_subscription(client, monitor_arn, wanted, tag_key, tag_value) -> None:
    """CreateAnomalySubscription likewise: looked up by its name on the monitor after a lost answer."""

    def create():
        with no_blind_retry(client, "CreateAnomalySubscription"):
            return client.create_anomaly_subscription(
                AnomalySubscription=wanted, ResourceTags=[{"Key": tag_key, "Value": tag_value}]
            )

    create_once(create, lambda: find_subscription(client, monitor_arn, wanted["SubscriptionName"]))


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            tag_key=dict(type="str", default="wordpress_aws:stack", no_log=False),
            tag_value=dict(type="str"),
            threshold_usd=dict(type="float"),
            sns_topic_arn=dict(type="str"),
            **common_options(tags=False),
        ),
        required_if=[("state", "present", ["tag_value", "threshold_usd", "sns_topic_arn"])],
        supports_check_mode=True,
    )
    p = module.params
    if p["state"] == "present" and p["threshold_usd"] <= 0:
        module.fail_json(msg=f"threshold_usd {p['threshold_usd']:g} must be above 0")
    client = aws_client(module, "ce")
    sub_name = f"{p['name']}-alerts"
    changes = []
    monitor_arn = ""
    before = {}
    with aws_errors(module, f"manage the cost anomaly monitor {p['name']}"):
        monitor = find_monitor(client, p["name"])
        subscription = find_subscription(client, monitor["MonitorArn"], sub_name) if monitor else None
        before = view(monitor, subscription)
        if p["state"] == "absent":
            if subscription:
                changes.append(f"deleted subscription {sub_name}")
                if not module.check_mode:
                    client.delete_anomaly_subscription(SubscriptionArn=subscription["SubscriptionArn"], aws_retry=True)
            if monitor:
                changes.append(f"deleted monitor {p['name']}")
                if not module.check_mode:
                    client.delete_anomaly_monitor(MonitorArn=monitor["MonitorArn"], aws_retry=True)
            exit_result(module, "anomaly_monitor", before, {}, changes, monitor_arn="")
        spec = specification(p["tag_key"], p["tag_value"])
        if monitor and monitor.get("MonitorSpecification") != spec:
            changes.append(f"replaced monitor {p['name']} (its tag expression changed; anomaly history restarts)")
            if not module.check_mode:
                if subscription:
                    client.delete_anomaly_subscription(SubscriptionArn=subscription["SubscriptionArn"], aws_retry=True)
                client.delete_anomaly_monitor(MonitorArn=monitor["MonitorArn"], aws_retry=True)
            monitor, subscription = None, None
        if monitor is None:
            if not changes:  # a replaced monitor is already said
                changes.append(f"created monitor {p['name']}")
            if not module.check_mode:
                monitor_arn = _create_monitor(client, p["name"], spec, p["tag_key"], p["tag_value"])
        else:
            monitor_arn = monitor["MonitorArn"]
        wanted = {
            "SubscriptionName": sub_name,
            "MonitorArnList": [monitor_arn] if monitor_arn else [],
            "Subscribers": [{"Type": "SNS", "Address": p["sns_topic_arn"]}],
            "Frequency": "IMMEDIATE",
            "ThresholdExpression": threshold_expression(p["threshold_usd"]),
        }
        if subscription is None:
            changes.append(f"created subscription {sub_name}")
            if not module.check_mode:
                _create_subscription(client, monitor_arn, wanted, p["tag_key"], p["tag_value"])
        else:
            differ = subscription_differences(subscription, wanted)
            if differ:
                changes.append(f"updated subscription {sub_name}: {', '.join(differ)}")
                if not module.check_mode:
                    client.update_anomaly_subscription(
                        SubscriptionArn=subscription["SubscriptionArn"],
                        Frequency=wanted["Frequency"],
                        MonitorArnList=wanted["MonitorArnList"],
                        Subscribers=wanted["Subscribers"],
                        ThresholdExpression=wanted["ThresholdExpression"],
                        aws_retry=True,
                    )
    after = {
        "name": p["name"],
        "arn": monitor_arn,
        "tag_key": p["tag_key"],
        "tag_value": p["tag_value"],
        "subscription_name": sub_name,
        "threshold_usd": p["threshold_usd"],
        "sns_topic_arn": p["sns_topic_arn"],
    }
    exit_result(module, "anomaly_monitor", before, after if changes else before, changes, monitor_arn=monitor_arn)


if __name__ == "__main__":
    main()
