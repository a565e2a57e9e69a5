"""Stop a non-production stack's database out of hours and start it before business hours.

EventBridge Scheduler invokes this function with {"action": "stop"} or {"action": "start"}. It acts on one DB
instance (DB_INSTANCE_ID) and only when the instance carries this stack's tags and is not production: the
environment variable, the instance's own tag and the event must all agree, so a copied schedule or a wrong
variable can never stop a production database. Every call is idempotent (a stopped instance is not stopped again)
and says what it did. RDS starts a stopped instance again after seven days by itself; the next "stop" stops it.
"""

from __future__ import annotations

import json
import logging
import os

import boto3

LOG = logging.getLogger()
LOG.setLevel(logging.INFO)

STACK_TAG = "wordpress_aws:stack"
ENVIRONMENT_TAG = "wordpress_aws:environment"
PRODUCTION = "production"
# What each action does from each status; any other status is left for the next run (a backup or a change runs).
PLAN = {
    "stop": {"available": "stop", "stopped": "none", "stopping": "none"},
    "start": {"stopped": "start", "available": "none", "starting": "none"},
}


def decide(action: str, instance: dict, stack: str, environment: str) -> tuple[str, str]:
    """What to do ("stop", "start", "none" or "refuse") and why, for one described instance."""
    if action not in PLAN:
        return "refuse", f"unknown action {action!r} (stop or start)"
    tags = {t["Key"]: t["Value"] for t in instance.get("TagList", [])}
    if environment == PRODUCTION or tags.get(ENVIRONMENT_TAG) == PRODUCTION:
        return "refuse", "a production database is never stopped or started on a schedule"
    if tags.get(STACK_TAG) != stack:
        return "refuse", f"the instance does not carry {STACK_TAG}={stack}"
    if tags.get(ENVIRONMENT_TAG) != environment:
        return "refuse", f"the instance's {ENVIRONMENT_TAG} is {tags.get(ENVIRONMENT_TAG)!r}, not {environment!r}"
    if action == "stop" and instance.get("ReadReplicaDBInstanceIdentifiers"):
        return "refuse", "an instance with a read replica cannot be stopped"
    status = instance.get("DBInstanceStatus", "")
    step = PLAN[action].get(status)
    if step is None:
        return "none", f"status {status}: left for the next run"
    return step, f"status {status}"


def handler(event, context, client=None):  # pylint: disable=unused-argument
    stack = os.environ["STACK_NAME"]
    environment = os.environ["ENVIRONMENT"]
    instance_id = os.environ["DB_INSTANCE_ID"]
    action = str((event or {}).get("action", ""))
    rds = client or boto3.client("rds")
    instance = rds.describe_db_instances(DBInstanceIdentifier=instance_id)["DBInstances"][0]
    step, why = decide(action, instance, stack, environment)
    if step == "stop":
        rds.stop_db_instance(DBInstanceIdentifier=instance_id)
    elif step == "start":
        rds.start_db_instance(DBInstanceIdentifier=instance_id)
    result = {"action": action, "instance": instance_id, "did": step, "why": why}
    LOG.info(json.dumps(result))
    if step == "refuse":
        raise PermissionError(f"{instance_id}: {why}")
    return result
