#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: rds_parameter_group
short_description: Manage an RDS DB parameter group and its parameters
version_added: 0.1.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Creates, updates and deletes a DB parameter group, its parameter values and tags.
  - A group that is missing is recognised whether the endpoint answers C(DBParameterGroupNotFound) or an
    empty list (M(amazon.aws.rds_instance_param_group) fails on the latter).
  - Only the parameters given are compared; with O(purge_parameters) the other user-set ones are reset.
  - The family of an existing group cannot change; asking for another fails with a clear message.
options:
  name:
    description: The group name.
    type: str
    required: true
  family:
    description: The parameter group family, for example V(mysql8.0). Required to create the group.
    type: str
  description:
    description: The group description (only set at creation; AWS cannot change it).
    type: str
  parameters:
    description:
      - Parameter values by name. A value may be a scalar, or a dict with C(value) and C(apply_method)
        (V(immediate) or V(pending-reboot)). Without an apply method, dynamic parameters apply
        immediately and the others at the next reboot.
    type: dict
    default: {}
  purge_parameters:
    description: Reset user-set parameters that O(parameters) does not name.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: MySQL 8.0 parameters tuned for WordPress
  techblogpro.wordpress_aws.rds_parameter_group:
    name: techblog-prod-mysql84
    family: mysql8.4
    description: WordPress on MySQL 8.0
    parameters:
      slow_query_log: 1
      long_query_time: 1
      log_output: FILE
      performance_schema: {value: 1, apply_method: pending-reboot}
    tags:
      wordpress_aws:stack: techblog-prod
"""

RETURN = r"""
parameter_group:
  description: The group (empty when absent).
  returned: always
  type: dict
  contains:
    name:
      description: The group name.
      type: str
    family:
      description: The family.
      type: str
    arn:
      description: The group ARN.
      type: str
    parameters:
      description: The values of the parameters this task manages, as the group now holds them.
      type: dict
    tags:
      description: The group's tags.
      type: dict
changes:
  description:
    - What changed (or would in check mode), as sentences - V(created), V(deleted), V(<parameter> = <value>
      (<apply method>\)), V(reset <parameter> (<apply method>\)) and V(tags).
  returned: always
  type: list
  elements: str
  sample: ["long_query_time = 2 (pending-reboot)", tags]
parameter_changes:
  description: The parameter changes made (or that would be made in check mode), as ModifyDBParameterGroup takes them.
  returned: always
  type: list
  elements: dict
  sample: [{ParameterName: long_query_time, ParameterValue: "2", ApplyMethod: pending-reboot}]
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import rds_parameter_group as pg
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_or_adopt
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def _result(group, values):
    if not group:
        return {}
    return {
        "name": group.get("DBParameterGroupName"),
        "family": group.get("DBParameterGroupFamily"),
        "description": group.get("Description"),
        "arn": group.get("DBParameterGroupArn"),
        "parameters": values,
        "tags": group.get("Tags", {}),
    }


def _sentences(state, before, after, parameter_changes):
    """What changed, as sentences, from the group before and after and the parameter changes."""
    if state == "absent":
        return ["deleted"]
    said = [] if before[0] else ["created"]
    for change in parameter_changes:
        name, method = change["ParameterName"], change.get("ApplyMethod", "")
        if "ParameterValue" in change:
            said.append(f"{name} = {change['ParameterValue']} ({method})")
        else:
            said.append(f"reset {name} ({method})")
    if before[0] and before[0].get("Tags", {}) != (after[0] or {}).get("Tags", {}):
        said.append("tags")
    return said or ["tags"]


def _managed_values(current, desired):
    return {name: current.get(name, {}).get("value") for name in desired}


def ensure(module, client):
    p = module.params
    name, desired = p["name"], p["parameters"]
    group = pg.describe_group(client, name)
    if p["state"] == "absent":
        if group and not module.check_mode:
            pg.delete_group(client, name)
        return group is not None, (group, {}), (None, {}), []

    if group is None:
        if not p["family"]:
            module.fail_json(msg=f"family is required to create parameter group {name}")
        if module.check_mode:
            planned = {"DBParameterGroupName": name, "DBParameterGroupFamily": p["family"], "Tags": p["tags"] or {}}
            values = {k: v for k, (v, _m) in pg.normalise(desired).items()}
            return True, (None, {}), (planned, values), pg.parameter_changes({}, desired)
        # no token in CreateDBParameterGroup: a retry after a lost answer meets the group the first attempt made
        create_or_adopt(
            lambda: pg.create_group(client, name, p["family"], p["description"] or name, p["tags"] or {}),
            lambda: pg.describe_group(client, name),
            ("DBParameterGroupAlreadyExists",),
        )
        group = pg.describe_group(client, name)
        before_group, before_values = None, {}
    else:
        if p["family"] and group.get("DBParameterGroupFamily") != p["family"]:
            module.fail_json(
                msg=(
                    f"parameter group {name} is of family {group.get('DBParameterGroupFamily')}, not {p['family']}; "
                    "AWS cannot change a group's family: use a new group name"
                )
            )
        before_group = group

    current = pg.describe_parameters(client, name)
    before_values = _managed_values(current, desired) if before_group else {}
    changes = pg.parameter_changes(current, desired)
    resets = []
    if p["purge_parameters"]:
        user_set = {k: v for k, v in current.items() if v.get("source") == "user"}
        resets = pg.parameter_resets(user_set, desired)
    to_add, to_remove = ({}, [])
    if p["tags"] is not None:
        to_add, to_remove = tagging.tag_changes(p["tags"], group.get("Tags", {}), p["purge_tags"])
    changed = before_group is None or bool(changes or resets or to_add or to_remove)
    if not changed:
        return False, (group, before_values), (group, before_values), []
    if module.check_mode:
        after_values = {**before_values, **{c["ParameterName"]: c["ParameterValue"] for c in changes}}
        tags = {k: v for k, v in {**group.get("Tags", {}), **to_add}.items() if k not in to_remove}
        return True, (group, before_values), ({**group, "Tags": tags}, after_values), changes + resets
    if changes:
        pg.modify(client, name, changes)
    if resets:
        pg.reset(client, name, resets)
    tagging.set_tags(client, group["DBParameterGroupArn"], to_add, to_remove)
    after = pg.describe_group(client, name)
    after_values = _managed_values(pg.describe_parameters(client, name), desired)
    return True, (before_group, before_values), (after, after_values), changes + resets


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            family=dict(type="str"),
            description=dict(type="str"),
            parameters=dict(type="dict", default={}),
            purge_parameters=dict(type="bool", default=False),
            **common_options(),
        ),
        supports_check_mode=True,
    )
    with aws_errors(module, f"manage DB parameter group {module.params['name']}"):
        changed, before, after, changes = ensure(module, module.client("rds"))
    said = _sentences(module.params["state"], before, after, changes) if changed else []
    exit_result(module, "parameter_group", _result(*before), _result(*after), said, parameter_changes=changes)


if __name__ == "__main__":
    main()
