#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: ecs_scheduled_scaling
short_description: Scheduled capacity for an ECS service (business hours up, nights and weekends down)
version_added: 0.5.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state,
   techblogpro.wordpress_aws.scalable_service, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Keeps the Application Auto Scaling scheduled actions of an ECS service's scalable target whose names start with
    O(prefix) as O(actions) (schedule, time zone, floor and ceiling), deleting those no longer listed.
  - AWS applies a scheduled action only when it fires. When this module writes the actions (the first run, or a
    changed schedule), it also puts the target in the capacity of the action that fired last (for example 0 tasks on
    a Saturday). From then on the actions own the capacity, here and in M(techblogpro.wordpress_aws.ecs_autoscaling),
    so a re-run at any hour changes nothing and never races an action that fires late.
  - Schedules take the form C(cron(M H ? * DAYS *)) in an IANA time zone.
  - The scalable target itself belongs to M(techblogpro.wordpress_aws.ecs_autoscaling); without one this module fails.
options:
  prefix:
    description: The scheduled action names this module owns.
    type: str
    required: true
  actions:
    description: The scheduled actions.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Its name (starts with O(prefix)).
        type: str
        required: true
      schedule:
        description: C(cron(M H ? * DAYS *)).
        type: str
        required: true
      timezone:
        description: The IANA time zone of the schedule.
        type: str
        default: UTC
      min_capacity:
        description: The floor from then on.
        type: int
        required: true
      max_capacity:
        description: The ceiling from then on.
        type: int
        required: true
"""

EXAMPLES = r"""
- name: Office hours for the staging site, Paris time
  techblogpro.wordpress_aws.ecs_scheduled_scaling:
    cluster: techblog-staging
    service: techblog-staging-wordpress
    prefix: techblog-staging-business-hours-
    actions:
      - {name: techblog-staging-business-hours-up, schedule: "cron(0 7 ? * MON-FRI *)", timezone: Europe/Paris,
         min_capacity: 2, max_capacity: 4}
      - {name: techblog-staging-business-hours-down, schedule: "cron(0 20 ? * MON-FRI *)", timezone: Europe/Paris,
         min_capacity: 0, max_capacity: 0}
"""

RETURN = r"""
changes:
  description: The actions written or deleted, and the capacity applied (or that would be in check mode).
  returned: always
  type: list
  elements: str
  sample:
    - created techblog-staging-hours-down
    - "applied techblog-staging-hours-down: 0-0 tasks until the next action"
scheduled_scaling:
  description: The scheduled actions under the prefix and the capacity of the service after the run.
  returned: always
  type: dict
  contains:
    resource_id:
      description: The scalable target (C(service/<cluster>/<service>)).
      type: str
    actions:
      description: The actions by name, each with C(schedule), C(timezone), C(min_capacity), C(max_capacity).
      type: dict
    min_capacity:
      description: The target's minimum capacity.
      type: int
    max_capacity:
      description: The target's maximum capacity.
      type: int
holding:
  description: The name of the action whose capacity holds now (empty without actions).
  returned: always
  type: str
"""

from datetime import datetime
from datetime import timezone as tz

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import app_autoscaling as aas
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import schedule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import reconcile
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import list_of


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            **aas.SERVICE_OPTIONS,
            prefix=dict(type="str", required=True),
            actions=list_of(
                default=[],
                name=dict(type="str", required=True),
                schedule=dict(type="str", required=True),
                timezone=dict(type="str", default="UTC"),
                min_capacity=dict(type="int", required=True),
                max_capacity=dict(type="int", required=True),
            ),
            **common_options(name=False, tags=False),
        ),
        supports_check_mode=True,
    )
    p = module.params
    wanted = {} if p["state"] == "absent" else {a["name"]: a for a in p["actions"]}
    errors = []
    for name, action in wanted.items():
        if not name.startswith(p["prefix"]) or not p["prefix"]:
            errors.append(f"action {name!r} must start with the prefix {p['prefix']!r}")
        try:
            schedule.parse_cron(action["schedule"])
            schedule.zone(action["timezone"])
        except ValueError as err:
            errors.append(f"action {name}: {err}")
        if not 0 <= action["min_capacity"] <= action["max_capacity"]:
            errors.append(f"action {name}: min_capacity must be between 0 and max_capacity")
    if errors:
        module.fail_json(msg="; ".join(errors))
    client = aws_client(module, "application-autoscaling")
    rid = aas.resource_id(p["cluster"], p["service"])
    keys = ("schedule", "timezone", "min_capacity", "max_capacity")
    changes, holding, target, ours = [], "", None, {}
    with aws_errors(module, f"manage the scheduled actions of {rid}"):
        target = aas.describe_target(client, rid)
        if target is None:
            if p["state"] == "absent":
                exit_result(module, "scheduled_scaling", None, None, [], holding="")
            module.fail_json(msg=f"{rid} is not a scalable target yet: the application tier registers it first")
        ours = {a["name"]: a for a in aas.scheduled_actions(client, rid) if a["name"].startswith(p["prefix"])}
        changes = reconcile(
            module,
            wanted,
            ours,
            differences=lambda action, have: [k for k in keys if have[k] != action[k]],
            put=lambda name, action, have: aas.put_scheduled_action(client, rid, action),
            remove=lambda name, have: aas.delete_scheduled_action(client, rid, name),
        )
        capacity = (target["MinCapacity"], target["MaxCapacity"])
        if wanted:
            now = datetime.now(tz.utc)  # noqa: UP017 (modules run on older Pythons)
            current = schedule.effective(list(wanted.values()), now)
            holding = current["name"]
            # Only when this run writes the actions: from then on AWS fires them and owns the capacity, and a
            # re-run at any hour leaves it alone (it never races an action that fires late).
            if changes and capacity != (current["min_capacity"], current["max_capacity"]):
                capacity = (current["min_capacity"], current["max_capacity"])
                changes.append(f"applied {holding}: {capacity[0]}-{capacity[1]} tasks until the next action")
                if not module.check_mode:
                    aas.register_target(client, rid, capacity[0], capacity[1], None)

    def shown(actions, capacity):
        listed = {name: {k: action[k] for k in keys} for name, action in sorted(actions.items())}
        return {"resource_id": rid, "actions": listed, "min_capacity": capacity[0], "max_capacity": capacity[1]}

    before = shown(ours, (target["MinCapacity"], target["MaxCapacity"]))
    exit_result(module, "scheduled_scaling", before, shown(wanted, capacity), changes, holding=holding)


if __name__ == "__main__":
    main()
