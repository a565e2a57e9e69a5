#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: ecs_autoscaling
short_description: Scale an ECS service with target tracking, between a floor and a ceiling
version_added: 0.2.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state,
   techblogpro.wordpress_aws.scalable_service,
   amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Registers the service's desired count as an Application Auto Scaling target with O(min_capacity) and
    O(max_capacity), and keeps its target-tracking policies as listed in O(policies).
  - Honours check mode (M(community.aws.application_autoscaling_policy) writes even in check mode), tags the
    target on creation, and with O(state=absent) deletes each policy (with the alarms target tracking made for
    it) and then deregisters the target.
  - O(min_capacity) and O(max_capacity) are set when the target is created. Once the target has scheduled actions
    (M(techblogpro.wordpress_aws.ecs_scheduled_scaling), nights and weekends down), they own its min and max; the
    module leaves them as they are at any hour, so a converge never races an action that fired late or not at all
    (RV(capacity_owner)).
options:
  min_capacity:
    description: The fewest tasks.
    type: int
  max_capacity:
    description: The most tasks.
    type: int
  policies:
    description: Target-tracking policies.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The policy name.
        type: str
        required: true
      metric:
        description: The predefined metric to track.
        type: str
        required: true
        choices: [ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization, ALBRequestCountPerTarget]
      resource_label:
        description: With V(ALBRequestCountPerTarget), C(app/<alb>/<id>/targetgroup/<tg>/<id>).
        type: str
      target_value:
        description: The value to hold the metric at.
        type: float
        required: true
      scale_in_cooldown:
        description: Seconds after a scale-in before another.
        type: int
        default: 300
      scale_out_cooldown:
        description: Seconds after a scale-out before another.
        type: int
        default: 60
      disable_scale_in:
        description: Only ever scale out with this policy.
        type: bool
        default: false
  purge_policies:
    description: Delete the target's policies not listed in O(policies).
    type: bool
    default: true
  tags:
    description: Tags for the scalable target, set when it is registered.
    type: dict
"""

EXAMPLES = r"""
- name: Two to twelve WordPress tasks, tracking CPU and requests per task
  techblogpro.wordpress_aws.ecs_autoscaling:
    cluster: techblog-prod
    service: techblog-prod-wordpress
    min_capacity: 2
    max_capacity: 12
    policies:
      - {name: cpu, metric: ECSServiceAverageCPUUtilization, target_value: 60}
      - name: requests
        metric: ALBRequestCountPerTarget
        resource_label: "{{ alb_label }}/{{ tg_label }}"
        target_value: 1000
"""

RETURN = r"""
capacity_owner:
  description: Who sets min and max now, V(this module) or V(scheduled actions).
  returned: always
  type: str
  sample: scheduled actions
scalable_target:
  description: The scalable target (empty when absent).
  returned: always
  type: dict
  contains:
    resource_id:
      description: C(service/<cluster>/<service>).
      type: str
    min_capacity:
      description: The floor.
      type: int
    max_capacity:
      description: The ceiling.
      type: int
changes:
  description:
    - What changed (or would in check mode) - V(created), V(deleted), V(capacity <min>-<max>),
      V(created policy <name>), V(updated policy <name>), V(deleted policy <name>).
  returned: always
  type: list
  elements: str
  sample: ["capacity 2-8", "deleted policy requests"]
policies:
  description: The target-tracking policies of the target.
  returned: always
  type: list
  elements: dict
"""


from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import app_autoscaling as aas
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import list_of


def _state(target, pols):
    keep = ("PolicyName", "PolicyType", "TargetTrackingScalingPolicyConfiguration")
    return {
        "scalable_target": camel_dict_to_snake_dict(target) if target else {},
        "policies": [camel_dict_to_snake_dict({k: v for k, v in p.items() if k in keep}) for p in pols],
    }


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            **aas.SERVICE_OPTIONS,
            min_capacity=dict(type="int"),
            max_capacity=dict(type="int"),
            policies=list_of(
                default=[],
                name=dict(type="str", required=True),
                metric=dict(
                    type="str",
                    required=True,
                    choices=[
                        "ECSServiceAverageCPUUtilization",
                        "ECSServiceAverageMemoryUtilization",
                        "ALBRequestCountPerTarget",
                    ],
                ),
                resource_label=dict(type="str"),
                target_value=dict(type="float", required=True),
                scale_in_cooldown=dict(type="int", default=300),
                scale_out_cooldown=dict(type="int", default=60),
                disable_scale_in=dict(type="bool", default=False),
            ),
            purge_policies=dict(type="bool", default=True),
            tags=dict(type="dict"),
            **common_options(name=False, tags=False),
        ),
        required_if=[("state", "present", ["min_capacity", "max_capacity"])],
        supports_check_mode=True,
    )
    p = module.params
    if p["state"] == "present" and not 0 <= p["min_capacity"] <= p["max_capacity"]:
        module.fail_json(msg=f"min_capacity {p['min_capacity']} must be between 0 and max_capacity {p['max_capacity']}")
    for spec in p["policies"]:
        if (spec["metric"] == "ALBRequestCountPerTarget") != bool(spec["resource_label"]):
            module.fail_json(msg=f"policy {spec['name']}: resource_label is needed with ALBRequestCountPerTarget only")
    client = module.client("application-autoscaling")
    rid = aas.resource_id(p["cluster"], p["service"])
    with aws_errors(module, f"manage autoscaling of {rid}"):
        target = aas.describe_target(client, rid)
        current = aas.policies(client, rid) if target else []
        before = _state(target, current)
        if p["state"] == "absent":
            # Each policy first (DeleteScalingPolicy removes the alarms a target-tracking policy made), then the
            # target: AWS would take the policies with the target, an emulator may keep them and their alarms
            # (and then policies outlive a target already gone).
            current = current if target is not None else aas.policies(client, rid)
            changes = [f"deleted policy {pol['PolicyName']}" for pol in current]
            changes += ["deleted"] if target is not None else []
            if changes and not module.check_mode:
                for pol in current:
                    aas.delete_policy(client, rid, pol["PolicyName"])
                if target is not None:
                    aas.deregister_target(client, rid)
            module.exit_json(
                changed=bool(changes),
                scalable_target={},
                policies=[],
                changes=changes,
                capacity_owner="this module",
                diff={"before": before, "after": _state(None, [])},
            )
        changes = []
        wanted = (p["min_capacity"], p["max_capacity"])
        # Once scheduled actions exist (business hours, ecs_scheduled_scaling), they own min/max: whichever fired
        # last, or one that fired late or not at all, a converge never races them. Min/max are ours on creation only.
        scheduled = target is not None and bool(aas.scheduled_actions(client, rid))
        if scheduled:
            wanted = (target["MinCapacity"], target["MaxCapacity"])
        if target is None or (target["MinCapacity"], target["MaxCapacity"]) != wanted:
            changes.append("created" if target is None else f"capacity {wanted[0]}-{wanted[1]}")
            if not module.check_mode:
                aas.register_target(client, rid, wanted[0], wanted[1], p["tags"] if target is None else None)
        put, delete = aas.policy_plan(current, p["policies"], p["purge_policies"])
        have = {x["PolicyName"] for x in current}
        changes += [f"{'updated' if name in have else 'created'} policy {name}" for name, _config in put]
        changes += [f"deleted policy {name}" for name in delete]
        if not module.check_mode:
            for name, config in put:
                aas.put_policy(client, rid, name, config)
            for name in delete:
                aas.delete_policy(client, rid, name)
        if changes and not module.check_mode:
            after = _state(aas.describe_target(client, rid), aas.policies(client, rid))
        elif changes:
            predicted = {"ResourceId": rid, "MinCapacity": wanted[0], "MaxCapacity": wanted[1]}
            kept = [x for x in current if x["PolicyName"] not in delete and x["PolicyName"] not in dict(put)]
            new = [
                {"PolicyName": n, "PolicyType": "TargetTrackingScaling", "TargetTrackingScalingPolicyConfiguration": c}
                for n, c in put
            ]
            after = _state(predicted, kept + new)
        else:
            after = before
    module.exit_json(
        changed=bool(changes),
        changes=changes,
        capacity_owner="scheduled actions" if scheduled else "this module",
        diff={"before": before, "after": after},
        **after,
    )


if __name__ == "__main__":
    main()
