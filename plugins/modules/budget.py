#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: budget
short_description: An AWS Budgets cost budget with its actual and forecast notifications
version_added: 0.5.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
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

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_or_adopt
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import list_of
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.validation import EMAIL_RE


@AWSRetry.jittered_backoff()
def describe(client, account, name):
    try:
        return client.describe_budget(AccountId=account, BudgetName=name)["Budget"]
    except is_boto3_error_code("NotFoundException"):
        return None


@AWSRetry.jittered_backoff()
def notifications_of(client, account, name) -> list:
    pages = client.get_paginator("describe_notifications_for_budget").paginate(AccountId=account, BudgetName=name)
    return [n for page in pages for n in page.get("Notifications", [])]


@AWSRetry.jittered_backoff()
def subscribers_of(client, account, name, note) -> set:
    pages = client.get_paginator("describe_subscribers_for_notification").paginate(
        AccountId=account, BudgetName=name, Notification=note
    )
    return {(s["SubscriptionType"], s["Address"]) for page in pages for s in page.get("Subscribers", [])}


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


def view(found):
    """The returned budget, from ``{"budget": ..., "notifications": {key: notification}}``."""
    budget = (found or {}).get("budget")
    if not budget:
        return {}
    return {
        "name": budget["BudgetName"],
        "limit_usd": float(budget["BudgetLimit"]["Amount"]),
        "time_unit": budget.get("TimeUnit", ""),
        "cost_filters": normal_filters(budget.get("CostFilters")),
        "notifications": sorted(label(n) for n in found["notifications"].values()),
    }


class Budget:
    """The reads and writes of one budget with its notifications and their subscribers (none in check mode)."""

    def __init__(self, module, client, account):
        p = module.params
        self.module, self.client, self.account, self.name = module, client, account, p["name"]
        self.subscribers = [{"SubscriptionType": "EMAIL", "Address": e} for e in sorted(set(p["emails"]))]
        if p["sns_topic_arn"]:
            self.subscribers.append({"SubscriptionType": "SNS", "Address": p["sns_topic_arn"]})
        notes = (notification(x["type"], x["threshold_percent"]) for x in p["notifications"])
        self.want_notes = {key(n): n for n in notes}
        self.wanted = wanted_budget(p) if p["state"] == "present" else None

    def find(self):
        budget = describe(self.client, self.account, self.name)
        if budget is None:
            return None
        notes = notifications_of(self.client, self.account, self.name)
        return {"budget": budget, "notifications": {key(n): n for n in notes}}

    def desired(self):
        return {"budget": self.wanted, "notifications": self.want_notes}

    def _write(self, method, find=None, **kwargs):
        """Call ``method``; a create passes ``find`` (the thing it makes, or None) to adopt it after a lost answer.

        Budgets has no idempotency token: the retry of a lost create answers DuplicateRecordException.
        """
        if self.module.check_mode:
            return

        def call():
            return getattr(self.client, method)(AccountId=self.account, **kwargs, aws_retry=True)

        if find is None:
            call()
        else:
            create_or_adopt(call, find, ("DuplicateRecordException",))

    def _has_note(self, note):
        notes = notifications_of(self.client, self.account, self.name)
        return next((n for n in notes if key(n) == key(note)), None)

    def _has_subscriber(self, note, kind, address):
        have = subscribers_of(self.client, self.account, self.name, note)
        return (kind, address) if (kind, address) in have else None

    def converge(self, found) -> list[str]:
        """Bring the budget to the parameters; returns what changed, as sentences."""
        if self.wanted is None:
            if found is None:
                return []
            self._write("delete_budget", BudgetName=self.name)
            return ["deleted"]
        if found is None:
            with_subscribers = [{"Notification": n, "Subscribers": self.subscribers} for n in self.want_notes.values()]
            self._write(
                "create_budget",
                find=lambda: describe(self.client, self.account, self.name),
                Budget=self.wanted,
                NotificationsWithSubscribers=with_subscribers,
            )
            return ["created"]
        changes, have_notes = [], found["notifications"]
        differ = budget_differences(found["budget"], self.wanted)
        if differ:
            changes.append("updated " + ", ".join(differ))
            self._write("update_budget", NewBudget=self.wanted)
        for k in sorted(set(have_notes) - set(self.want_notes)):
            changes.append(f"removed notification {label(have_notes[k])}")
            self._write("delete_notification", BudgetName=self.name, Notification=have_notes[k])
        for k in sorted(set(self.want_notes) - set(have_notes)):
            changes.append(f"added notification {label(self.want_notes[k])}")
            note = self.want_notes[k]
            self._write(
                "create_notification",
                find=lambda note=note: self._has_note(note),
                BudgetName=self.name,
                Notification=note,
                Subscribers=self.subscribers,
            )
        if self.module.params["compare_subscribers"]:
            for k in sorted(set(self.want_notes) & set(have_notes)):
                changes += self.sync_subscribers(have_notes[k])
        return changes

    def sync_subscribers(self, note) -> list[str]:
        """Add and remove the subscribers of one notification that differ from the wanted ones."""
        have = subscribers_of(self.client, self.account, self.name, note)
        want = {(s["SubscriptionType"], s["Address"]) for s in self.subscribers}
        changes = []
        for verb, method, pairs in (
            ("removed", "delete_subscriber", have - want),
            ("added", "create_subscriber", want - have),
        ):
            for kind, address in sorted(pairs):
                changes.append(f"{label(note)}: {verb} {kind.lower()} subscriber {address}")
                subscriber = {"SubscriptionType": kind, "Address": address}
                find = (lambda k=kind, a=address: self._has_subscriber(note, k, a)) if verb == "added" else None
                self._write(method, find=find, BudgetName=self.name, Notification=note, Subscriber=subscriber)
        return changes


def validate(p) -> list[str]:
    """The input errors of O(state=present), each naming its option."""
    if p["state"] != "present":
        return []
    errors = []
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
    return errors


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            limit_usd=dict(type="float"),
            time_unit=dict(type="str", choices=["MONTHLY", "QUARTERLY", "ANNUALLY"], default="MONTHLY"),
            cost_filters=dict(type="dict", default={}),
            notifications=list_of(
                default=[],
                type=dict(type="str", choices=["ACTUAL", "FORECASTED"], required=True),
                threshold_percent=dict(type="float", required=True),
            ),
            sns_topic_arn=dict(type="str"),
            emails=dict(type="list", elements="str", default=[]),
            compare_subscribers=dict(type="bool", default=True),
            **common_options(tags=False),
        ),
        required_if=[("state", "present", ["limit_usd"])],
        supports_check_mode=True,
    )
    errors = validate(module.params)
    if errors:
        module.fail_json(msg="; ".join(errors))
    name = module.params["name"]
    with aws_errors(module, f"manage the budget {name}: the account is unknown"):
        account = aws_client(module, "sts").get_caller_identity(aws_retry=True)["Account"]
    budget = Budget(module, aws_client(module, "budgets"), account)
    before, changes = {}, []
    with aws_errors(module, f"manage the budget {name}"):
        found = budget.find()
        before = view(found)
        changes = budget.converge(found)
    after = view(budget.desired()) if budget.wanted is not None else {}
    exit_result(module, "budget", before, after if changes else before, changes)


if __name__ == "__main__":
    main()
