"""The foundation's key, topic and backup role policies, rendered from the role's templates: each service principal
gets the conditions that service really sends (a condition it does not send drops the alert or denies the job)."""

from __future__ import annotations

import fnmatch

import pytest

from .conftest import ACCOUNT
from .conftest import REGION
from .conftest import statements

FOUNDATION = {
    "__foundation_account_id": ACCOUNT,
    "__foundation_partition": "aws",
    "foundation_alert_topic_name": "blog-alerts",
    "__foundation_key_arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k",
}
TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:blog-alerts"
PUBLISHERS = {
    "cloudwatch.amazonaws.com",
    "events.amazonaws.com",
    "budgets.amazonaws.com",
    "costalerts.amazonaws.com",
    "backup.amazonaws.com",
    "events.rds.amazonaws.com",
}


def by_service(policy):
    found = {}
    for statement in policy["Statement"]:
        service = statement["Principal"].get("Service")
        if isinstance(service, str) and service in PUBLISHERS:
            found[service] = statement
    return found


@pytest.fixture(params=["topic_policy.json.j2", "kms_key_policy.json.j2"])
def publishers(request, render):
    return by_service(render("foundation", request.param, **FOUNDATION))


def test_eventbridge_is_held_to_the_stacks_rule_not_to_a_source_account_it_never_sends(publishers):
    events = publishers["events.amazonaws.com"]["Condition"]
    assert "StringEquals" not in events and "aws:SourceAccount" not in str(events)
    assert events == {
        "ArnLike": {"aws:SourceArn": [f"arn:aws:events:{REGION}:{ACCOUNT}:rule/blog-ecs-deployment-failed"]}
    }


def test_every_alert_publisher_has_its_own_statement_with_its_documented_conditions(publishers):
    assert set(publishers) == PUBLISHERS
    condition = {service: statement.get("Condition") for service, statement in publishers.items()}
    assert condition["cloudwatch.amazonaws.com"] == {
        "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:*"},
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
    }
    assert condition["budgets.amazonaws.com"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": f"arn:aws:budgets::{ACCOUNT}:*"},
    }
    assert condition["costalerts.amazonaws.com"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    assert condition["backup.amazonaws.com"] is None
    assert condition["events.rds.amazonaws.com"] == {
        "ArnLike": {
            "aws:SourceArn": [
                f"arn:aws:rds:{REGION}:{ACCOUNT}:db:blog-db",
                f"arn:aws:rds:{REGION}:{ACCOUNT}:db:blog-db-replica",
                f"arn:aws:rds:{REGION}:{ACCOUNT}:es:blog-db-events",
            ]
        },
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
    }


def test_the_topic_and_the_key_grant_the_publishers_the_same_conditions(render):
    topic = by_service(render("foundation", "topic_policy.json.j2", **FOUNDATION))
    key = by_service(render("foundation", "kms_key_policy.json.j2", **FOUNDATION))
    for service in PUBLISHERS:
        assert topic[service].get("Condition") == key[service].get("Condition"), service
        assert topic[service]["Action"] == "sns:Publish" and topic[service]["Resource"] == TOPIC_ARN
        assert key[service]["Action"] == ["kms:Decrypt", "kms:GenerateDataKey*"] and key[service]["Resource"] == "*"
    # the account still manages both
    assert "AccountManagesTheTopic" in statements(render("foundation", "topic_policy.json.j2", **FOUNDATION))


@pytest.mark.parametrize(
    ("role", "template", "prefix"),
    [
        ("monitoring", "edge_topic_policy.json.j2", "__monitoring_"),
        ("cloudfront_waf", "edge_key_policy.json.j2", "__cloudfront_waf_"),
    ],
)
def test_the_edge_topic_and_key_admit_this_accounts_alarms_only(render, role, template, prefix):
    policy = render(role, template, **{f"{prefix}account_id": ACCOUNT, f"{prefix}partition": "aws"})
    alarms = by_service(policy)["cloudwatch.amazonaws.com"]["Condition"]
    assert alarms == {
        "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:*"},
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
    }


def allows(policy, action, resource, tags):
    """Whether an Allow statement grants ``action`` on ``resource`` carrying ``tags`` (ARN wildcards, tag equality)."""

    for statement in policy["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        if action not in actions or not any(fnmatch.fnmatchcase(resource, pattern) for pattern in resources):
            continue
        wanted = statement.get("Condition", {}).get("StringEquals", {})
        if all(tags.get(key.split("/", 1)[1]) == value for key, value in wanted.items()):
            return True
    return False


def test_aws_backup_may_create_the_untagged_snapshot_of_the_stacks_database_only(render):
    """CreateDBSnapshot is authorised on the DB and on the new snapshot; the snapshot has no tag yet."""
    policy = render("foundation", "backup_role_policy.json.j2", **FOUNDATION)
    db = f"arn:aws:rds:{REGION}:{ACCOUNT}:db:blog-db"
    snapshot = f"arn:aws:rds:{REGION}:{ACCOUNT}:snapshot:awsbackup:job-0123"
    stack_tag = {"wordpress_aws:stack": "blog"}
    assert allows(policy, "rds:CreateDBSnapshot", db, stack_tag)
    assert allows(policy, "rds:CreateDBSnapshot", snapshot, {})
    for action in ("rds:AddTagsToResource", "rds:CopyDBSnapshot", "rds:DeleteDBSnapshot"):
        assert allows(policy, action, snapshot, {}), action
    # another stack's database, and snapshots AWS Backup did not create, stay out of reach
    assert not allows(policy, "rds:CreateDBSnapshot", f"arn:aws:rds:{REGION}:{ACCOUNT}:db:other-db", {})
    assert not allows(policy, "rds:DeleteDBSnapshot", f"arn:aws:rds:{REGION}:{ACCOUNT}:snapshot:manual-keep", {})
