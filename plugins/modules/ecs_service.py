#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: ecs_service
short_description: Manage an ECS service that converges and stays converged
version_added: 0.2.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Creates, updates and deletes an ECS service (Fargate, C(awsvpc) networking), comparing every field it
    sets - task definition, capacity provider strategy, network, load balancers, deployment configuration
    (with the circuit breaker), grace period, tag propagation, ECS Exec, tags - and updating only the difference.
  - After a create or an update it reads the service back and applies, once, any field the service did not
    take; on AWS that finds nothing, on an endpoint whose C(CreateService) drops fields it makes the first
    run complete, so the second run reports no change.
  - With O(keep_desired_count=true) the desired count is only set on creation; afterwards Application
    Auto Scaling owns it and a re-run does not reset it (M(community.aws.ecs_service) does).
  - A change of capacity provider strategy, network or platform version starts a new deployment, because
    running tasks only move on one.
options:
  name:
    description: The service name.
    type: str
    required: true
  cluster:
    description: The cluster name or ARN.
    type: str
    required: true
  task_definition:
    description: The task definition ARN, or C(family:revision).
    type: str
  desired_count:
    description: How many tasks to run.
    type: int
  keep_desired_count:
    description: Set O(desired_count) on creation only (when Application Auto Scaling manages the service).
    type: bool
    default: false
  capacity_provider_strategy:
    description: Where tasks run; mutually exclusive with O(launch_type).
    type: list
    elements: dict
    suboptions:
      capacity_provider:
        description: V(FARGATE), V(FARGATE_SPOT) or a cluster capacity provider.
        type: str
        required: true
      weight:
        description: Relative share of tasks beyond the bases.
        type: int
        default: 0
      base:
        description: Tasks placed on this provider first.
        type: int
        default: 0
  launch_type:
    description: The launch type when no capacity provider strategy is given.
    type: str
    choices: [FARGATE, EC2]
  platform_version:
    description: The Fargate platform version. Unset leaves it alone.
    type: str
  network_configuration:
    description: The awsvpc network of the tasks.
    type: dict
    suboptions:
      subnets:
        description: The subnets.
        type: list
        elements: str
        required: true
      security_groups:
        description: The security groups.
        type: list
        elements: str
        required: true
      assign_public_ip:
        description: Give the tasks public IP addresses.
        type: bool
        default: false
  load_balancers:
    description: Target groups the tasks register with.
    type: list
    elements: dict
    suboptions:
      target_group_arn:
        description: The target group.
        type: str
        required: true
      container_name:
        description: The container.
        type: str
        required: true
      container_port:
        description: The container port.
        type: int
        required: true
  health_check_grace_period_seconds:
    description: Seconds the load balancer health checks are ignored after a task starts.
    type: int
  deployment_configuration:
    description: How a deployment replaces tasks.
    type: dict
    suboptions:
      maximum_percent:
        description: Upper limit of running tasks during a deployment, percent of the desired count.
        type: int
        default: 200
      minimum_healthy_percent:
        description: Lower limit of healthy tasks during a deployment.
        type: int
        default: 100
      circuit_breaker:
        description: Stop a failing deployment (C(enable)) and roll it back (C(rollback)).
        type: dict
        suboptions:
          enable:
            description: Stop a deployment whose tasks keep failing.
            type: bool
            default: true
          rollback:
            description: Roll a stopped deployment back to the last completed one.
            type: bool
            default: true
  propagate_tags:
    description: Copy tags to the tasks from the service or the task definition.
    type: str
    choices: [SERVICE, TASK_DEFINITION, NONE]
  enable_ecs_managed_tags:
    description: Tag tasks with the cluster and service names.
    type: bool
  enable_execute_command:
    description: Allow ECS Exec into the tasks.
    type: bool
  force_new_deployment:
    description: Start a new deployment (tasks restart and read their secrets again).
    type: bool
    default: false
  wait:
    description:
      - Wait until the deployment completes (and, with O(state=absent), until the service is gone).
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait.
    type: int
    default: 900
"""

EXAMPLES = r"""
- name: WordPress service, one on-demand task then Spot, rolled back when a deployment fails
  techblogpro.wordpress_aws.ecs_service:
    name: techblog-prod-wordpress
    cluster: techblog-prod
    task_definition: "{{ task_definition_arn }}"
    desired_count: 2
    keep_desired_count: true
    capacity_provider_strategy:
      - {capacity_provider: FARGATE, base: 1, weight: 1}
      - {capacity_provider: FARGATE_SPOT, weight: 3}
    network_configuration:
      subnets: "{{ app_subnet_ids }}"
      security_groups: ["{{ app_sg }}"]
    load_balancers:
      - {target_group_arn: "{{ tg_arn }}", container_name: wordpress, container_port: 80}
    health_check_grace_period_seconds: 120
    deployment_configuration:
      circuit_breaker: {enable: true, rollback: true}
    propagate_tags: SERVICE
    tags:
      wordpress_aws:stack: techblog-prod
"""

RETURN = r"""
service:
  description: The service as ECS describes it (empty when absent); tags as a dict.
  returned: always
  type: dict
  contains:
    service_arn:
      description: The ARN.
      type: str
    service_name:
      description: The name.
      type: str
    task_definition:
      description: The task definition ARN of the primary deployment.
      type: str
    desired_count:
      description: The desired count.
      type: int
    running_count:
      description: Tasks running.
      type: int
    capacity_provider_strategy:
      description: The strategy.
      type: list
      elements: dict
    deployment_configuration:
      description: The deployment configuration.
      type: dict
    tags:
      description: The tags.
      type: dict
changes:
  description: What this run changed (or would change in check mode) - V(created) or V(deleted), the fields it
    changed on an existing service (or applied again after creating it), V(tags), V(forceNewDeployment).
  returned: always
  type: list
  elements: str
  sample: [desiredCount]
"""

import time

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ecs
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_or_adopt
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import request_token
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import resource_view
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import list_of

_DROP = ("events", "deployments", "taskSets", "tags")


def _result(service):
    if not service:
        return {}
    out = resource_view(service, "tags", drop=_DROP)
    out["deployments"] = [
        {k: d.get(k) for k in ("id", "status", "taskDefinition", "rolloutState", "desiredCount", "runningCount")}
        for d in service.get("deployments", [])
    ]
    return out


def build_request(p) -> dict:
    """The CreateService arguments (minus tags) from the module parameters."""
    request = {"cluster": p["cluster"], "serviceName": p["name"]}
    if p["task_definition"]:
        request["taskDefinition"] = p["task_definition"]
    if p["desired_count"] is not None:
        request["desiredCount"] = p["desired_count"]
    if p["capacity_provider_strategy"]:
        request["capacityProviderStrategy"] = ecs.strategy_api(p["capacity_provider_strategy"])
    elif p["launch_type"]:
        request["launchType"] = p["launch_type"]
    if p["platform_version"]:
        request["platformVersion"] = p["platform_version"]
    net = p["network_configuration"]
    if net:
        request["networkConfiguration"] = {
            "awsvpcConfiguration": {
                "subnets": net["subnets"],
                "securityGroups": net["security_groups"],
                "assignPublicIp": "ENABLED" if net["assign_public_ip"] else "DISABLED",
            }
        }
    if p["load_balancers"] is not None:
        request["loadBalancers"] = [
            {
                "targetGroupArn": lb["target_group_arn"],
                "containerName": lb["container_name"],
                "containerPort": lb["container_port"],
            }
            for lb in p["load_balancers"]
        ]
    if p["health_check_grace_period_seconds"] is not None:
        request["healthCheckGracePeriodSeconds"] = p["health_check_grace_period_seconds"]
    dc = p["deployment_configuration"]
    if dc:
        request["deploymentConfiguration"] = {
            "maximumPercent": dc["maximum_percent"],
            "minimumHealthyPercent": dc["minimum_healthy_percent"],
        }
        if dc["circuit_breaker"]:
            request["deploymentConfiguration"]["deploymentCircuitBreaker"] = {
                "enable": dc["circuit_breaker"]["enable"],
                "rollback": dc["circuit_breaker"]["rollback"],
            }
    for key, name in (
        ("propagateTags", "propagate_tags"),
        ("enableECSManagedTags", "enable_ecs_managed_tags"),
        ("enableExecuteCommand", "enable_execute_command"),
    ):
        if p[name] is not None:
            request[key] = p[name]
    return request


def _wait_deployed(client, p, timeout):
    deadline = time.monotonic() + timeout
    while True:
        service = ecs.describe_service(client, p["cluster"], p["name"])
        primary = [d for d in service.get("deployments", []) if d.get("status") == "PRIMARY"]
        state = primary[0].get("rolloutState") if primary else "COMPLETED"
        if state == "COMPLETED":
            return service
        if state == "FAILED":
            raise RuntimeError(f"deployment failed: {primary[0].get('rolloutStateReason')}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"deployment of {p['name']} still {state} after {timeout} s")
        time.sleep(15)


def present(module, client, current):
    p = module.params
    request = build_request(p)
    check = module.check_mode
    if current is None:
        if not p["task_definition"]:
            module.fail_json(msg=f"service {p['name']} does not exist; creating it needs task_definition")
        predicted = {**request, "status": "ACTIVE", "tags": tagging.ecs_tags(p["tags"] or {})}
        if check:
            return True, predicted, []
        # one token for every retry; a lost answer that survived them: the service is looked up and adopted
        token = request_token()
        create_or_adopt(
            lambda: ecs.create_service(client, request, p["tags"] or {}, token),
            lambda: ecs.describe_service(client, p["cluster"], p["name"]),
        )
        after = ecs.describe_service(client, p["cluster"], p["name"])
        # Apply once whatever the created service did not take.
        changes = ecs.service_differences(after, request, keep_desired_count=False)
        changes.pop("forceNewDeployment", None)
        if changes:
            ecs.update_service(client, p["cluster"], p["name"], changes)
            after = ecs.describe_service(client, p["cluster"], p["name"])
        return True, after, sorted(changes)

    changes = ecs.service_differences(current, request, keep_desired_count=p["keep_desired_count"])
    if p["force_new_deployment"]:
        changes["forceNewDeployment"] = True
    have_tags = tagging.tags_of(current, "tags")
    to_add, to_remove = tagging.tag_changes(p["tags"], have_tags, p["purge_tags"])
    if not changes and not to_add and not to_remove:
        return False, current, []
    fields = sorted(k for k in changes if k != "forceNewDeployment") + (["tags"] if to_add or to_remove else [])
    if check:
        after = {**current, **{k: v for k, v in changes.items() if k != "forceNewDeployment"}}
        after["tags"] = tagging.ecs_tags({k: v for k, v in {**have_tags, **to_add}.items() if k not in to_remove})
        return True, after, fields
    if changes:
        ecs.update_service(client, p["cluster"], p["name"], changes)
    if to_add or to_remove:
        tagging.set_tags(client, current["serviceArn"], to_add, to_remove)
    return True, ecs.describe_service(client, p["cluster"], p["name"]), fields


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            cluster=dict(type="str", required=True),
            task_definition=dict(type="str"),
            desired_count=dict(type="int"),
            keep_desired_count=dict(type="bool", default=False),
            capacity_provider_strategy=list_of(**ecs.STRATEGY_OPTIONS),
            launch_type=dict(type="str", choices=["FARGATE", "EC2"]),
            platform_version=dict(type="str"),
            network_configuration=dict(
                type="dict",
                options=dict(
                    subnets=dict(type="list", elements="str", required=True),
                    security_groups=dict(type="list", elements="str", required=True),
                    assign_public_ip=dict(type="bool", default=False),
                ),
            ),
            load_balancers=list_of(
                target_group_arn=dict(type="str", required=True),
                container_name=dict(type="str", required=True),
                container_port=dict(type="int", required=True),
            ),
            health_check_grace_period_seconds=dict(type="int"),
            deployment_configuration=dict(
                type="dict",
                options=dict(
                    maximum_percent=dict(type="int", default=200),
                    minimum_healthy_percent=dict(type="int", default=100),
                    circuit_breaker=dict(
                        type="dict",
                        options=dict(enable=dict(type="bool", default=True), rollback=dict(type="bool", default=True)),
                    ),
                ),
            ),
            propagate_tags=dict(type="str", choices=["SERVICE", "TASK_DEFINITION", "NONE"]),
            enable_ecs_managed_tags=dict(type="bool"),
            enable_execute_command=dict(type="bool"),
            force_new_deployment=dict(type="bool", default=False),
            **common_options(wait=False, wait_timeout=900),
        ),
        mutually_exclusive=[("capacity_provider_strategy", "launch_type")],
        supports_check_mode=True,
    )
    p = module.params
    if p["desired_count"] is not None and p["desired_count"] < 0:
        module.fail_json(msg=f"desired_count {p['desired_count']} must be 0 or more")
    strategy = p["capacity_provider_strategy"] or []
    if sum(1 for s in strategy if s["base"]) > 1:
        module.fail_json(msg="capacity_provider_strategy: only one capacity provider may have a base")
    if strategy and not any(s["weight"] for s in strategy):
        module.fail_json(msg="capacity_provider_strategy: at least one capacity provider needs a weight above 0")
    client = aws_client(module, "ecs")
    fields = []
    with aws_errors(module, f"manage ECS service {p['name']}"):
        try:
            current = ecs.describe_service(client, p["cluster"], p["name"])
            if p["state"] == "absent":
                after = None
                fields = ["deleted"] if current is not None else []
                if fields and not module.check_mode:
                    ecs.delete_service(client, p["cluster"], p["name"])
                    if p["wait"]:
                        ecs.wait_service_gone(client, p["cluster"], p["name"], timeout=p["wait_timeout"])
            else:
                changed, after, fields = present(module, client, current)
                if changed:
                    fields = ["created", *fields] if current is None else fields or ["forceNewDeployment"]
                if changed and p["wait"] and not module.check_mode:
                    after = _wait_deployed(client, p, p["wait_timeout"])
        except (TimeoutError, RuntimeError) as err:
            module.fail_json(msg=f"ECS service {p['name']}: {err}")
    exit_result(module, "service", _result(current), _result(after), fields)


if __name__ == "__main__":
    main()
