#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: ecs_task_definition
short_description: Register a tagged ECS task definition revision only when the definition changes
version_added: 0.2.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Compares the definition asked for with the newest ACTIVE revision of the family and registers a new
    revision only when they differ, so a re-run is not a change and does not roll the service.
  - Tags every revision (M(community.aws.ecs_taskdefinition) cannot), and can deregister and delete
    revisions beyond the newest O(keep_revisions).
  - Container definitions and volumes are given in the ECS API's own (camelCase) form and compared with
    the defaults ECS adds left out; a container field removed from the definition is a change.
options:
  family:
    description: The task definition family.
    type: str
    required: true
  container_definitions:
    description: The containers, as in the C(RegisterTaskDefinition) API (camelCase keys).
    type: list
    elements: dict
  cpu:
    description: Task CPU units, for example V(512).
    type: str
  memory:
    description: Task memory in MiB, for example V(1024).
    type: str
  network_mode:
    description: The network mode (Fargate needs V(awsvpc)).
    type: str
    default: awsvpc
    choices: [awsvpc, bridge, host, none]
  requires_compatibilities:
    description: Launch types the definition must be valid for.
    type: list
    elements: str
    default: [FARGATE]
  runtime_platform:
    description: CPU architecture and operating system.
    type: dict
    suboptions:
      cpu_architecture:
        description: V(X86_64) or V(ARM64) (Fargate Spot runs only V(X86_64)).
        type: str
        choices: [X86_64, ARM64]
        default: X86_64
      operating_system_family:
        description: The operating system.
        type: str
        default: LINUX
  execution_role_arn:
    description: The role ECS uses to pull the image, read secrets and write logs.
    type: str
  task_role_arn:
    description: The role the containers run as.
    type: str
  volumes:
    description: Volumes, as in the C(RegisterTaskDefinition) API.
    type: list
    elements: dict
    default: []
  keep_revisions:
    description:
      - After registering, deregister and delete ACTIVE revisions older than the newest O(keep_revisions).
        V(0) keeps them all. Keep at least two so a deployment can roll back.
    type: int
    default: 0
notes:
  - O(state=absent) deregisters every ACTIVE revision of the family and deletes them.
"""

EXAMPLES = r"""
- name: WordPress task definition
  techblogpro.wordpress_aws.ecs_task_definition:
    family: techblog-prod-wordpress
    cpu: "1024"
    memory: "2048"
    runtime_platform: {cpu_architecture: X86_64}
    execution_role_arn: "{{ execution_role_arn }}"
    task_role_arn: "{{ task_role_arn }}"
    container_definitions:
      - name: wordpress
        image: wordpress:6.8.3-php8.3-apache
        essential: true
        portMappings: [{containerPort: 80, protocol: tcp}]
        secrets:
          - {name: WORDPRESS_DB_PASSWORD, valueFrom: "{{ db_secret_arn }}:password::"}
    keep_revisions: 5
    tags:
      wordpress_aws:stack: techblog-prod
"""

RETURN = r"""
changes:
  description: V(created) when a revision is registered, V(deleted) when the family goes, else the
    RV(task_definition) paths.
  returned: always
  type: list
  elements: str
  sample: [created]
task_definition:
  description: The newest revision (empty when absent); tags as a dict.
  returned: always
  type: dict
  contains:
    task_definition_arn:
      description: The revision's ARN.
      type: str
    family:
      description: The family.
      type: str
    revision:
      description: The revision number.
      type: int
    container_definitions:
      description: The containers (secrets appear as C(valueFrom) ARNs only).
      type: list
      elements: dict
    tags:
      description: The tags.
      type: dict
deregistered:
  description: Revisions deregistered by this run.
  returned: always
  type: list
  elements: str
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ecs
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.compare import change_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import resource_view
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options

_KEEP = (
    "taskDefinitionArn",
    "family",
    "revision",
    "status",
    "cpu",
    "memory",
    "networkMode",
    "runtimePlatform",
    "requiresCompatibilities",
    "executionRoleArn",
    "taskRoleArn",
    "volumes",
)


def _result(td):
    if not td:
        return {}
    out = resource_view(td, "tags", keep=_KEEP)
    # Container definitions keep ECS's own keys (environment names are data, not attributes).
    out["container_definitions"] = td.get("containerDefinitions", [])
    return out


def _prune(client, family, keep):
    """Deregister and delete ACTIVE revisions older than the newest ``keep``."""
    arns = sorted(ecs.active_revisions(client, family), key=lambda a: int(a.rsplit(":", 1)[1]), reverse=True)
    old = arns[keep:] if keep else []
    for arn in old:
        ecs.deregister_task_definition(client, arn)
    ecs.delete_task_definitions(client, old)
    return old


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            family=dict(type="str", required=True),
            container_definitions=dict(type="list", elements="dict"),
            cpu=dict(type="str"),
            memory=dict(type="str"),
            network_mode=dict(type="str", default="awsvpc", choices=["awsvpc", "bridge", "host", "none"]),
            requires_compatibilities=dict(type="list", elements="str", default=["FARGATE"]),
            runtime_platform=dict(
                type="dict",
                options=dict(
                    cpu_architecture=dict(type="str", choices=["X86_64", "ARM64"], default="X86_64"),
                    operating_system_family=dict(type="str", default="LINUX"),
                ),
            ),
            execution_role_arn=dict(type="str"),
            task_role_arn=dict(type="str"),
            volumes=dict(type="list", elements="dict", default=[]),
            keep_revisions=dict(type="int", default=0),
            **common_options(name=False),
        ),
        required_if=[("state", "present", ["container_definitions"])],
        supports_check_mode=True,
    )
    p = module.params
    if p["keep_revisions"] < 0:
        module.fail_json(msg=f"keep_revisions {p['keep_revisions']} must be 0 (keep all) or more")
    client = module.client("ecs")
    deregistered = []
    with aws_errors(module, f"manage task definition family {p['family']}"):
        current = ecs.latest_task_definition(client, p["family"])
        if p["state"] == "absent":
            arns = ecs.active_revisions(client, p["family"])
            changed, after = bool(arns), None
            if changed and not module.check_mode:
                for arn in arns:
                    ecs.deregister_task_definition(client, arn)
                ecs.delete_task_definitions(client, arns)
            deregistered = arns
        else:
            request = ecs.task_definition_request(p)
            changed, after = False, current
            if current is None or not ecs.task_definition_matches(current, request):
                changed = True
                if module.check_mode:
                    revision = (current or {}).get("revision", 0) + 1
                    after = {
                        **request,
                        "revision": revision,
                        "tags": tagging.ecs_tags(p["tags"] or {}),
                        "taskDefinitionArn": f"(new revision {revision} of {p['family']})",
                    }
                else:
                    seen = (current or {}).get("revision", 0)
                    after = ecs.register_task_definition(client, request, p["tags"] or {}, seen)
            else:
                have = tagging.tags_of(current, "tags")
                to_add, to_remove = tagging.tag_changes(p["tags"], have, p["purge_tags"])
                if to_add or to_remove:
                    changed = True
                    after = {
                        **current,
                        "tags": tagging.ecs_tags({k: v for k, v in {**have, **to_add}.items() if k not in to_remove}),
                    }
                    if not module.check_mode:
                        tagging.set_tags(client, current["taskDefinitionArn"], to_add, to_remove)
            if p["keep_revisions"] and not module.check_mode:
                deregistered = _prune(client, p["family"], p["keep_revisions"])
                changed = changed or bool(deregistered)
    view_before, view_after = _result(current), _result(after)
    changes = change_list(view_before, view_after, changed)
    exit_result(module, "task_definition", view_before, view_after, changes, deregistered=deregistered)


if __name__ == "__main__":
    main()
