"""Redeploy Lambda: after a successful rotation of the stack's DB secret, replace every WordPress task.

ECS injects secrets into a task when it starts, so a rotated password reaches WordPress only through new tasks.
EventBridge calls this function on Secrets Manager's ``RotationSucceeded`` event (CloudTrail) for the stack's
application secret; it forces a new deployment of the one service it is configured for. The rolling deployment
keeps the old tasks serving until the new ones are healthy, and the old tasks' credentials (the previous user's)
keep working until the next rotation: no request fails.

Configuration (environment): CLUSTER, SERVICE, SECRET_ARN. Events for any other secret are ignored.
"""

from __future__ import annotations

import logging
import os

LOG = logging.getLogger()
LOG.setLevel(logging.INFO)


class RedeployError(Exception):
    """A misconfiguration worth reporting as is."""


def secret_of(event: dict) -> str:
    """The secret a RotationSucceeded event is about ('' for any other event)."""
    detail = (event or {}).get("detail") or {}
    if detail.get("eventName") != "RotationSucceeded":
        return ""
    extra = detail.get("additionalEventData") or {}
    return extra.get("SecretId") or extra.get("secretId") or ""


def _same_secret(a: str, b: str) -> bool:
    # A secret's full ARN ends in a random 6-character suffix; events may carry either form
    return bool(a) and bool(b) and (a == b or a.rsplit("-", 1)[0] == b.rsplit("-", 1)[0])


def handler(event, context, ecs_client=None):
    """Lambda entry point. Returns what it did; raises on misconfiguration so the invocation reports an error."""
    import boto3  # in the Lambda runtime; imported here so the module loads without it

    cluster, service, secret = (os.environ.get(k, "") for k in ("CLUSTER", "SERVICE", "SECRET_ARN"))
    if not (cluster and service and secret):
        raise RedeployError("CLUSTER, SERVICE and SECRET_ARN must be set")
    rotated = secret_of(event)
    if not _same_secret(rotated, secret):
        LOG.info("ignored: not a successful rotation of %s", secret)
        return {"redeployed": False, "reason": "not a rotation of this stack's secret"}
    ecs = ecs_client or boto3.client("ecs")
    answer = ecs.update_service(cluster=cluster, service=service, forceNewDeployment=True)
    deployment = next(
        (d.get("id", "") for d in answer["service"].get("deployments", []) if d.get("status") == "PRIMARY"), ""
    )
    LOG.info("rotation of %s: new deployment %s of %s/%s", secret, deployment, cluster, service)
    return {"redeployed": True, "service": service, "deployment": deployment}
