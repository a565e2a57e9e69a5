#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: sns_subscriptions
short_description: The email and HTTPS subscriptions of an SNS topic, as one set
version_added: 0.4.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Subscribes O(emails) and O(https_endpoints) to the topic O(topic_arn); with O(purge_subscriptions=true)
    unsubscribes the email and HTTPS subscriptions that are no longer listed (subscriptions of other protocols,
    a Lambda or an SQS queue, are never touched).
  - An email subscription waits for its owner to click the link AWS mails; until then AWS reports it
    C(PendingConfirmation) and cannot remove it (it expires after three days). Such subscriptions count as present
    and are listed in RV(pending).
  - HTTPS endpoints often carry a token (chat webhooks); they are never printed, only their host.
  - The topic itself belongs to the foundation tier (M(techblogpro.wordpress_aws.sns_topic)); this module leaves
    its attributes alone, so the two never fight.
options:
  topic_arn:
    description: The topic.
    type: str
    required: true
  emails:
    description: Email addresses to alert.
    type: list
    elements: str
    default: []
  https_endpoints:
    description: HTTPS URLs to alert (a chat webhook, an incident tool).
    type: list
    elements: str
    default: []
  purge_subscriptions:
    description: Unsubscribe the email and HTTPS subscriptions not listed.
    type: bool
    default: true
    aliases: [purge]
"""

EXAMPLES = r"""
- name: Alert the on-call mailbox and the chat channel
  techblogpro.wordpress_aws.sns_subscriptions:
    topic_arn: arn:aws:sns:eu-west-3:123456789012:techblog-prod-alerts
    emails: [oncall@example.com]
    https_endpoints: ["{{ vault_chat_webhook_url }}"]
"""

RETURN = r"""
changes:
  description:
    - What changed (or would change in check mode) - C(subscribed <endpoint>), C(unsubscribed <endpoint>), emails
      as they are and HTTPS endpoints by host only; empty when nothing did.
  returned: always
  type: list
  elements: str
  sample: ["subscribed ops@example.com", "unsubscribed https://hooks.chat.example/..."]
subscription_set:
  description: The email and HTTPS subscriptions of the topic after the run.
  returned: always
  type: dict
  contains:
    topic_arn:
      description: The topic.
      type: str
    endpoints:
      description: The endpoints, emails as they are and HTTPS endpoints by host only, sorted.
      type: list
      elements: str
pending:
  description: Email subscriptions still waiting for their owner's confirmation.
  returned: always
  type: list
  elements: str
count:
  description: How many email and HTTPS subscriptions the topic has after the run.
  returned: always
  type: int
"""

from urllib.parse import urlsplit

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.validation import EMAIL_RE

PROTOCOLS = ("email", "https")
PENDING = "PendingConfirmation"


def shown(protocol: str, endpoint: str) -> str:
    """What the output may say about an endpoint: an email as is, a URL by its host only."""
    if protocol == "https":
        return f"https://{urlsplit(endpoint).hostname or '?'}/..."
    return endpoint


@AWSRetry.jittered_backoff()
def _subscriptions(client, topic_arn):
    """The email and HTTPS subscriptions, or None when the topic does not exist."""
    found = []
    try:
        for page in client.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic_arn):
            found.extend(s for s in page.get("Subscriptions", []) if s.get("Protocol") in PROTOCOLS)
    except is_boto3_error_code("NotFound"):
        return None
    return found


def _validate(module) -> set:
    """The wanted (protocol, endpoint) pairs; fails naming the option of a malformed endpoint."""
    p = module.params
    bad = [e for e in p["emails"] if not EMAIL_RE.match(e)]
    if bad:
        module.fail_json(msg=f"emails: not an email address: {', '.join(bad)}")
    bad = [shown("https", u) for u in p["https_endpoints"] if not u.startswith("https://") or not urlsplit(u).hostname]
    if bad:
        module.fail_json(msg=f"https_endpoints: not an https:// URL: {', '.join(bad)}")
    if p["state"] != "present":
        return set()
    return {("email", e.lower()) for e in p["emails"]} | {("https", u) for u in p["https_endpoints"]}


def converge_subscriptions(module, client, wanted: set) -> tuple[dict, list, list]:
    """Subscribe what is missing, unsubscribe (with purge) what is no longer wanted: (have, changes, pending).

    ``have`` (endpoints to subscription ARNs) is None when the topic does not exist.
    """
    p = module.params
    current = _subscriptions(client, p["topic_arn"])
    if current is None:
        if p["state"] == "present":
            module.fail_json(msg=f"the topic {p['topic_arn']} does not exist")
        return None, [], []
    have = {}
    for sub in current:
        endpoint = sub["Endpoint"].lower() if sub["Protocol"] == "email" else sub["Endpoint"]
        have[(sub["Protocol"], endpoint)] = sub["SubscriptionArn"]
    changes, pending = [], []
    for protocol, endpoint in sorted(wanted - set(have)):
        changes.append(f"subscribed {shown(protocol, endpoint)}")
        if not module.check_mode:
            client.subscribe(TopicArn=p["topic_arn"], Protocol=protocol, Endpoint=endpoint, aws_retry=True)
    for (protocol, endpoint), arn in sorted(have.items()):
        if (protocol, endpoint) in wanted:
            if arn == PENDING:
                pending.append(shown(protocol, endpoint))
            continue
        if not (p["purge_subscriptions"] or p["state"] == "absent"):
            continue
        if arn == PENDING:
            module.warn(
                f"{shown(protocol, endpoint)} is no longer listed but still waits for confirmation: AWS cannot "
                "remove it; it expires three days after it was made"
            )
            continue
        changes.append(f"unsubscribed {shown(protocol, endpoint)}")
        if not module.check_mode:
            client.unsubscribe(SubscriptionArn=arn, aws_retry=True)
    return have, changes, pending


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            topic_arn=dict(type="str", required=True),
            emails=dict(type="list", elements="str", default=[]),
            https_endpoints=dict(type="list", elements="str", default=[], no_log=True),
            purge_subscriptions=dict(type="bool", default=True, aliases=["purge"]),
            **common_options(name=False, tags=False),
        ),
        supports_check_mode=True,
    )
    wanted = _validate(module)
    have, changes, pending = None, [], []
    with aws_errors(module, f"manage the subscriptions of {module.params['topic_arn']}"):
        have, changes, pending = converge_subscriptions(module, aws_client(module, "sns"), wanted)
    before = sorted(shown(protocol, endpoint) for protocol, endpoint in have or {})
    added = {c.split(" ", 1)[1] for c in changes if c.startswith("subscribed ")}
    removed = {c.split(" ", 1)[1] for c in changes if c.startswith("unsubscribed ")}
    after = sorted({*before, *added} - removed)
    topic = module.params["topic_arn"]
    exit_result(
        module,
        "subscription_set",
        {"topic_arn": topic, "endpoints": before} if have is not None else {},
        {"topic_arn": topic, "endpoints": after} if have is not None else {},
        changes,
        pending=pending,
        count=len(have or {})
        - sum(c.startswith("unsubscribed ") for c in changes)
        + sum(c.startswith("subscribed ") for c in changes),
    )


if __name__ == "__main__":
    main()
