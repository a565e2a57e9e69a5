# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ECS clusters, task definitions and services: calls and desired-state comparisons.

community.aws's ECS modules cannot tag clusters or task definitions, cannot set Container Insights,
compare a service on a handful of fields only (so network, capacity provider and deployment changes
never reach AWS), reset the desired count Application Auto Scaling has set, and re-run ``changed`` when
a service does not report every field it was created with. These helpers compare everything they set.
"""

from __future__ import annotations

import time

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_once
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import no_blind_retry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.compare import contains
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.propagation import propagation_retry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import ecs_tags

# The elements of a capacity provider strategy (ecs_cluster's default_capacity_provider_strategy, ecs_service's
# capacity_provider_strategy), as an argument spec's options.
STRATEGY_OPTIONS = dict(
    capacity_provider=dict(type="str", required=True),
    weight=dict(type="int", default=0),
    base=dict(type="int", default=0),
)

# ---- clusters -----------------------------------------------------------------------------------


@AWSRetry.jittered_backoff()
def describe_cluster(client, name: str) -> dict | None:
    response = client.describe_clusters(clusters=[name], include=["SETTINGS", "TAGS", "CONFIGURATIONS"])
    for cluster in response.get("clusters", []):
        if cluster.get("status") != "INACTIVE":
            return cluster
    return None


@AWSRetry.jittered_backoff()
def create_cluster(client, name: str, settings: list, providers: list, strategy: list, tags: dict) -> dict:
    params = {"clusterName": name, "settings": settings, "tags": ecs_tags(tags)}
    if providers:
        params["capacityProviders"] = providers
        params["defaultCapacityProviderStrategy"] = strategy
    return client.create_cluster(**params)["cluster"]


@AWSRetry.jittered_backoff()
def update_cluster_settings(client, name: str, settings: list) -> None:
    client.update_cluster_settings(cluster=name, settings=settings)


@AWSRetry.jittered_backoff(catch_extra_error_codes=["UpdateInProgressException", "ResourceInUseException"])
def put_capacity_providers(client, name: str, providers: list, strategy: list) -> None:
    client.put_cluster_capacity_providers(
        cluster=name, capacityProviders=providers, defaultCapacityProviderStrategy=strategy
    )


@AWSRetry.jittered_backoff(
    catch_extra_error_codes=["ClusterContainsServicesException", "ClusterContainsTasksException"]
)
def delete_cluster(client, name: str) -> None:
    try:
        client.delete_cluster(cluster=name)
    except is_boto3_error_code("ClusterNotFoundException"):
        return


def strategy_api(strategy: list | None) -> list:
    """The API's capacity provider strategy from the modules' snake_case list (base 0 spelled out)."""
    return [
        {"capacityProvider": s["capacity_provider"], "weight": s.get("weight") or 0, "base": s.get("base") or 0}
        for s in strategy or []
    ]


def same_strategy(have: list | None, want: list) -> bool:
    def norm(items):
        return sorted((i["capacityProvider"], i.get("weight", 0) or 0, i.get("base", 0) or 0) for i in items or [])

    return norm(have) == norm(want)


# ---- task definitions ---------------------------------------------------------------------------


def revision_number(arn: str) -> int:
    return int(arn.rsplit(":", 1)[1])


def latest_task_definition(client, family: str) -> dict | None:
    """The newest ACTIVE revision of the family with its tags, or None.

    Picks the highest revision number itself: the emulator ignores ListTaskDefinitions' sort order (it always
    answers oldest first), and comparing with an old revision would register a new one on every run.
    """
    arns = active_revisions(client, family)
    if not arns:
        return None
    response = _describe_task_definition(client, max(arns, key=revision_number))
    return {**response["taskDefinition"], "tags": response.get("tags", [])}


@AWSRetry.jittered_backoff()
def _describe_task_definition(client, arn: str) -> dict:
    return client.describe_task_definition(taskDefinition=arn, include=["TAGS"])


@AWSRetry.jittered_backoff()
def active_revisions(client, family: str) -> list:
    paginator = client.get_paginator("list_task_definitions")
    arns = []
    for page in paginator.paginate(familyPrefix=family, status="ACTIVE"):
        arns.extend(a for a in page.get("taskDefinitionArns", []) if a.split("/")[-1].rsplit(":", 1)[0] == family)
    return arns


def register_task_definition(client, request: dict, tags: dict, seen_revision: int = 0) -> dict:
    """Register a new revision, never two for one applied call.

    RegisterTaskDefinition has no token: a blind retry after a lost answer registers a second identical revision,
    which then counts against ``keep_revisions`` and prunes a rollback target. The call is sent once per attempt
    (botocore's resend vetoed); after a lost answer the family's newest revision is adopted when it is newer than
    ``seen_revision`` (the newest before the call) and matches the request (adopt.create_once).
    """

    def register() -> dict:
        with no_blind_retry(client, "RegisterTaskDefinition"):
            response = client.register_task_definition(**request, tags=ecs_tags(tags))
        return {**response["taskDefinition"], "tags": response.get("tags", ecs_tags(tags))}

    def find() -> dict | None:
        latest = latest_task_definition(client, request["family"])
        if latest and latest.get("revision", 0) > seen_revision and task_definition_matches(latest, request):
            return latest
        return None

    registered, _adopted = create_once(register, find)
    return registered


@AWSRetry.jittered_backoff()
def deregister_task_definition(client, arn: str) -> None:
    client.deregister_task_definition(taskDefinition=arn)


# The options of ecs_task_definition that make its RegisterTaskDefinition request.
TASK_DEFINITION_OPTIONS = (
    "family",
    "container_definitions",
    "network_mode",
    "requires_compatibilities",
    "volumes",
    "cpu",
    "memory",
    "execution_role_arn",
    "task_role_arn",
    "runtime_platform",
)


def task_definition_request(p: dict) -> dict:
    """The RegisterTaskDefinition request of ecs_task_definition's options (stack_drift compares the same)."""
    request = {
        "family": p["family"],
        "containerDefinitions": p["container_definitions"],
        "networkMode": p["network_mode"],
        "requiresCompatibilities": p["requires_compatibilities"],
        "volumes": p["volumes"],
    }
    for key, name in (
        ("cpu", "cpu"),
        ("memory", "memory"),
        ("executionRoleArn", "execution_role_arn"),
        ("taskRoleArn", "task_role_arn"),
    ):
        if p[name]:
            request[key] = p[name]
    if p["runtime_platform"]:
        request["runtimePlatform"] = {
            "cpuArchitecture": p["runtime_platform"]["cpu_architecture"],
            "operatingSystemFamily": p["runtime_platform"]["operating_system_family"],
        }
    return request


# Keys that AWS adds to a container definition with a non-empty default when they were not asked for.
_CONTAINER_DEFAULT_KEYS = {"essential"}


def task_definition_matches(current: dict, request: dict) -> bool:
    """True when the revision holds the request: every field asked for, and nothing else set on a container."""
    for key, want in request.items():
        if key == "family":
            continue
        if key == "containerDefinitions":
            have = current.get(key) or []
            if len(have) != len(want):
                return False
            for h, w in zip(have, want, strict=True):
                if not contains(w, h):
                    return False
                extra = (
                    {k for k, v in h.items() if v not in (None, "", [], {}, 0, False)}
                    - set(w)
                    - _CONTAINER_DEFAULT_KEYS
                )
                if extra:
                    return False
        elif not contains(want, current.get(key)):
            return False
    return True


# ---- services -----------------------------------------------------------------------------------


@AWSRetry.jittered_backoff()
def describe_service(client, cluster: str, name: str) -> dict | None:
    try:
        response = client.describe_services(cluster=cluster, services=[name], include=["TAGS"])
    except is_boto3_error_code("ClusterNotFoundException"):
        return None
    for service in response.get("services", []):
        if service.get("status") != "INACTIVE":
            return service
    return None


# The service may use a role (or the ECS service-linked role) created seconds before: IAM propagation is retried too.
@propagation_retry()
def create_service(client, request: dict, tags: dict, client_token: str) -> dict:
    """``client_token`` is made once by the caller (adopt.request_token): every retry resends it and ECS answers a
    repeat with the first answer (botocore does not fill ECS's ``clientToken`` by itself)."""
    return client.create_service(**request, tags=ecs_tags(tags), clientToken=client_token)["service"]


@propagation_retry(catch_extra_error_codes=["ServiceNotActiveException"])
def update_service(client, cluster: str, name: str, changes: dict) -> dict:
    return client.update_service(cluster=cluster, service=name, **changes)["service"]


@AWSRetry.jittered_backoff()
def delete_service(client, cluster: str, name: str) -> None:
    try:
        client.delete_service(cluster=cluster, service=name, force=True)
    except is_boto3_error_code(["ServiceNotFoundException", "ClusterNotFoundException"]):
        return


def wait_service_gone(client, cluster: str, name: str, timeout: int = 600, sleep: int = 10) -> None:
    deadline = time.monotonic() + timeout
    while describe_service(client, cluster, name) is not None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"service {name} still draining after {timeout} s")
        time.sleep(sleep)


# The fields of a service this collection manages, as UpdateService names them.
UPDATABLE = (
    "taskDefinition",
    "capacityProviderStrategy",
    "platformVersion",
    "networkConfiguration",
    "loadBalancers",
    "healthCheckGracePeriodSeconds",
    "deploymentConfiguration",
    "propagateTags",
    "enableECSManagedTags",
    "enableExecuteCommand",
    "desiredCount",
)


def service_differences(current: dict, request: dict, keep_desired_count: bool) -> dict:
    """The UpdateService arguments that bring ``current`` to ``request`` (empty when it matches)."""
    changes = {}
    for key in UPDATABLE:
        if key not in request:
            continue
        if key == "desiredCount" and keep_desired_count:
            continue
        want, have = request[key], current.get(key)
        if key == "capacityProviderStrategy":
            same = same_strategy(have, want)
        elif key == "taskDefinition":
            same = have == want or (have or "").split("/")[-1] == want
        elif key == "networkConfiguration":
            same = _same_network(have, want)
        elif key == "loadBalancers":
            same = sorted(map(_lb_key, have or [])) == sorted(map(_lb_key, want))
        else:
            same = contains(want, have)
        if not same:
            changes[key] = want
    if "capacityProviderStrategy" in changes or "networkConfiguration" in changes or "platformVersion" in changes:
        # Tasks only move to the new placement on a new deployment.
        changes["forceNewDeployment"] = True
    return changes


def _same_network(have: dict | None, want: dict) -> bool:
    h = (have or {}).get("awsvpcConfiguration", {})
    w = want.get("awsvpcConfiguration", {})
    return (
        sorted(h.get("subnets", [])) == sorted(w.get("subnets", []))
        and sorted(h.get("securityGroups", [])) == sorted(w.get("securityGroups", []))
        and h.get("assignPublicIp", "DISABLED") == w.get("assignPublicIp", "DISABLED")
    )


def _lb_key(lb: dict) -> tuple:
    return (lb.get("targetGroupArn", ""), lb.get("containerName", ""), int(lb.get("containerPort", 0)))


@AWSRetry.jittered_backoff()
def _delete_batch(client, arns: list) -> bool:
    try:
        client.delete_task_definitions(taskDefinitions=arns)
    except is_boto3_error_code(["InvalidParameterException", "UnsupportedFeatureException"]):
        return False  # deregistered revisions that AWS cannot delete yet stay INACTIVE (no cost, no use)
    return True


def delete_task_definitions(client, arns: list) -> None:
    """Delete deregistered revisions, ten at a time (the API's limit), stopping where AWS refuses."""
    for start in range(0, len(arns), 10):
        if not _delete_batch(client, arns[start : start + 10]):
            return
