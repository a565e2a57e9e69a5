#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: budget
short_description: An AWS Budgets cost budget with its actual and forecast notifications
version_added: 0.5.0
description:
  - Creates, updates or deletes the cost budget O(name) - a monthly (or other) limit on the costs O(cost_filters)
    select, for example those carrying the stack's cost allocation tag - and keeps its notifications (actual or
    forecast spend above a percentage of the limit) going to an SNS topic and email addresses.
  - The budget is updated only when its limit, period or filters differ; a notification is added or removed as a
    whole, and its subscribers are compared one by one (O(compare_subscribers)).
  - No module of amazon.aws or community.aws manages AWS Budgets.
options:
  name:
    description: The budget's name (unique in the account).
    type: str
    required: true
  limit_usd:
    description: The limit per period, in USD. Required with O(state=present).
    type: float
  time_unit:
    description: The period.
    type: str
    choices: [MONTHLY, QUARTERLY, ANNUALLY]
    default: MONTHLY
  cost_filters:
    description:
      - AWS Budgets cost filters, for example a C(TagKeyValue) list holding C(user:wordpress_aws:stack$techblog-prod)
        (the tag must be activated as a cost allocation tag).
    type: dict
    default: {}
  notifications:
    description: When to notify.
    type: list
    elements: dict
    default: []
    suboptions:
      type:
        description: Actual or forecast spend.
        type: str
        choices: [ACTUAL, FORECASTED]
        required: true
      threshold_percent:
        description: Notify above this percentage of the limit.
        type: float
        required: true
  sns_topic_arn:
    description: The topic every notification goes to (its policy must let C(budgets.amazonaws.com) publish).
    type: str
  emails:
    description: Email addresses every notification goes to (AWS Budgets allows ten subscribers in all).
    type: list
    elements: str
    default: []
  compare_subscribers:
    description:
      - Read each notification's subscribers (C(DescribeSubscribersForNotification)) and add or remove those that
        differ. Off, subscribers are set only when a notification is created.
    type: bool
    default: true
extends_documentation_fragment:
  - techblogpro.wordpress_aws.attributes
  - techblogpro.wordpress_aws.attributes.state
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - techblogpro platform team (@techblogpro)
"""

EXAMPLES = r"""
- name: 400 USD a month for the stack, alerts at 80 % actual and 100 % forecast
  techblogpro.wordpress_aws.budget:
    name: techblog-prod
    limit_usd: 400
    cost_filters:
      TagKeyValue: ["user:wordpress_aws:stack$techblog-prod"]
    notifications:
      - {type: ACTUAL, threshold_percent: 80}
      - {type: FORECASTED, threshold_percent: 100}
    sns_topic_arn: arn:aws:sns:eu-west-3:123456789012:techblog-prod-alerts
    emails: [finance@example.com]
"""

RETURN = r"""
budget:
  description: The budget (empty when absent).
  returned: always
  type: dict
  contains:
    name:
      description: Its name.
      type: str
    limit_usd:
      description: The limit per period.
      type: float
    time_unit:
      description: The period.
      type: str
    cost_filters:
      description: The filters.
      type: dict
    notifications:
      description: The notifications, as C(<type> > <percent>%).
      type: list
      elements: str
changes:
  description: What was created, updated, added or removed.
  returned: always
  type: list
  elements: str
"""

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.validation import EMAIL_RE


@AWSRetry.jittered_backoff()
def describe(client, account, name):
    try:
        return client.describe_budget(AccountId=account, BudgetName=name)["Budget"]
    except is_boto3_error_code("NotFoundException"):
        return None


def notification(kind, percent):
    return {
        "NotificationType": kind,
        "ComparisonOperator": "GREATER_THAN",
        "Threshold": float(percent),
        "ThresholdType": "PERCENTAGE",
    }


def key(item):
    return (item["NotificationType"], item["ComparisonOperator"], float(item["Threshold"]), item.get("ThresholdType"))


def label(item):
    return f"{item['NotificationType']} > {float(item['Threshold']):g}%"


def normal_filters(filters):
    return {k: sorted(v) for k, v in (filters or {}).items()}


def wanted_budget(p):
    budget = {
        "BudgetName": p["name"],
        "BudgetType": "COST",
        "TimeUnit": p["time_unit"],
        "BudgetLimit": {"Amount": f"{p['limit_usd']:.2f}", "Unit": "USD"},
    }
    if p["cost_filters"]:
        budget["CostFilters"] = normal_filters(p["cost_filters"])
    return budget


def budget_differences(current, wanted):
    found = []
    if float(current["BudgetLimit"]["Amount"]) != float(wanted["BudgetLimit"]["Amount"]):
        found.append("limit")
    if current.get("TimeUnit") != wanted["TimeUnit"]:
        found.append("time_unit")
    if normal_filters(current.get("CostFilters")) != wanted.get("CostFilters", {}):
        found.append("cost_filters")
    return found


def view(budget, notifications):
    if not budget:
        return {}
    return {
        "name": budget["BudgetName"],
        "limit_usd": float(budget["BudgetLimit"]["Amount"]),
        "time_unit": budget.get("TimeUnit", ""),
        "cost_filters": normal_filters(budget.get("CostFilters")),
        "notifications": sorted(label(n) for n in notifications),
    }


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            limit_usd=dict(type="float"),
            time_unit=dict(type="str", choices=["MONTHLY", "QUARTERLY", "ANNUALLY"], default="MONTHLY"),
            cost_filters=dict(type="dict", default={}),
            notifications=dict(
                type="list",
                elements="dict",
                default=[],
                options=dict(
                    type=dict(type="str", choices=["ACTUAL", "FORECASTED"], required=True),
                    threshold_percent=dict(type="float", required=True),
                ),
            ),
            sns_topic_arn=dict(type="str"),
            emails=dict(type="list", elements="str", default=[]),
            compare_subscribers=dict(type="bool", default=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        required_if=[("state", "present", ["limit_usd"])],
        supports_check_mode=True,
    )
    p = module.params
    errors = []
    if p["state"] == "present":
        if p["limit_usd"] <= 0:
            errors.append(f"limit_usd {p['limit_usd']:g} must be above 0")
        errors += [
            f"notifications: threshold_percent {n['threshold_percent']:g} must be above 0"
            for n in p["notifications"]
            if n["threshold_percent"] <= 0
        ]
        errors += [f"emails: {e!r} is not an email address" for e in p["emails"] if not EMAIL_RE.match(e)]
        if len(p["emails"]) + (1 if p["sns_topic_arn"] else 0) > 10:
            errors.append("AWS Budgets allows ten subscribers per notification (emails and the topic together)")
    if errors:
        module.fail_json(msg="; ".join(errors))
    subscribers = [{"SubscriptionType": "EMAIL", "Address": e} for e in sorted(set(p["emails"]))]
    if p["sns_topic_arn"]:
        subscribers.append({"SubscriptionType": "SNS", "Address": p["sns_topic_arn"]})
    want_notes = {key(n): n for n in (notification(x["type"], x["threshold_percent"]) for x in p["notifications"])}
    client = module.client("budgets")
    changes = []
    try:
        account = module.client("sts").get_caller_identity()["Account"]
        current = describe(client, account, p["name"])
        have_notes = {}
        if current:
            pages = client.get_paginator("describe_notifications_for_budget").paginate(
                AccountId=account, BudgetName=p["name"]
            )
            have_notes = {key(n): n for page in pages for n in page.get("Notifications", [])}
        before = view(current, list(have_notes.values()))
        after = before
        if p["state"] == "absent":
            if current:
                changes.append("deleted")
                after = {}
                if not module.check_mode:
                    client.delete_budget(AccountId=account, BudgetName=p["name"])
        else:
            wanted = wanted_budget(p)
            if current is None:
                changes.append("created")
                if not module.check_mode:
                    client.create_budget(
                        AccountId=account,
                        Budget=wanted,
                        NotificationsWithSubscribers=[
                            {"Notification": n, "Subscribers": subscribers} for n in want_notes.values()
                        ],
                    )
            else:
                differ = budget_differences(current, wanted)
                if differ:
                    changes.append("updated " + ", ".join(differ))
                    if not module.check_mode:
                        client.update_budget(AccountId=account, NewBudget=wanted)
                for k in sorted(set(have_notes) - set(want_notes)):
                    changes.append(f"removed notification {label(have_notes[k])}")
                    if not module.check_mode:
                        client.delete_notification(AccountId=account, BudgetName=p["name"], Notification=have_notes[k])
                for k in sorted(set(want_notes) - set(have_notes)):
                    changes.append(f"added notification {label(want_notes[k])}")
                    if not module.check_mode:
                        client.create_notification(
                            AccountId=account,
                            BudgetName=p["name"],
                            Notification=want_notes[k],
                            Subscribers=subscribers,
                        )
                if p["compare_subscribers"]:
                    for k in sorted(set(want_notes) & set(have_notes)):
                        changes += sync_subscribers(module, client, account, p["name"], have_notes[k], subscribers)
            after = view(wanted, list(want_notes.values()))
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Unable to manage the budget {p['name']}")
    module.exit_json(changed=bool(changes), changes=changes, budget=after, diff={"before": before, "after": after})


def sync_subscribers(module, client, account, name, note, wanted):
    """Add and remove the subscribers of one notification that differ from ``wanted``."""
    pages = client.get_paginator("describe_subscribers_for_notification").paginate(
        AccountId=account, BudgetName=name, Notification=note
    )
    have = {(s["SubscriptionType"], s["Address"]) for page in pages for s in page.get("Subscribers", [])}
    want = {(s["SubscriptionType"], s["Address"]) for s in wanted}
    changes = []
    for kind, address in sorted(have - want):
        changes.append(f"{label(note)}: removed {kind.lower()} subscriber {address}")
        if not module.check_mode:
            client.delete_subscriber(
                AccountId=account,
                BudgetName=name,
                Notification=note,
                Subscriber={"SubscriptionType": kind, "Address": address},
            )
    for kind, address in sorted(want - have):
        changes.append(f"{label(note)}: added {kind.lower()} subscriber {address}")
        if not module.check_mode:
            client.create_subscriber(
                AccountId=account,
                BudgetName=name,
                Notification=note,
                Subscriber={"SubscriptionType": kind, "Address": address},
            )
    return changes


if __name__ == "__main__":
    main()
