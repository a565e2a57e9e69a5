#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: iam_roles
short_description: Several IAM roles, each with its trust policy, managed and inline policies, in one task
version_added: 0.5.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Converges each role of O(roles) - its trust policy, description, maximum session duration, permissions
    boundary, tags, attached managed policies and inline policies - and with O(state=absent) deletes it (inline
    policies, attachments and instance profiles first). One task, one process, for all the roles of a tier, where
    M(amazon.aws.iam_role) and M(amazon.aws.iam_policy) take two tasks per role.
  - Policies are compared normalised (amazon.aws C(compare_policies)) - statement order, single values written as
    lists and the spelling IAM stores do not count as differences.
  - A create whose answer was lost (a 5xx or a dropped connection after IAM created the role) is retried by
    botocore and answered C(EntityAlreadyExists); this module then adopts the role and converges it, where
    M(amazon.aws.iam_role) fails the task. A delete retried after a lost answer (C(NoSuchEntity)) is success.
  - Each role is reported with its ARN and whether it was created or changed in this run, so the tasks that
    use a role right after (Lambda, ECS, EventBridge Scheduler, RDS monitoring) know it is new; they retry
    IAM's propagation delay themselves.
options:
  roles:
    description: The roles.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: The role's name.
        type: str
        required: true
      path:
        description:
          - The role's path, set when it is created (IAM cannot change it, a different path on an existing role is
            reported as a warning). Default V(/).
        type: str
      description:
        description: Its description (unset leaves it alone).
        type: str
      assume_role_policy:
        description: The trust policy, a dict or a JSON string. Required to create the role.
        type: raw
        aliases: [assume_role_policy_document]
      managed_policy_arns:
        description: The managed policies attached to it (unset leaves the attachments alone; V([]) detaches all).
        type: list
        elements: str
      purge_managed_policies:
        description: Detach the managed policies O(roles[].managed_policy_arns) does not list.
        type: bool
        default: true
      inline_policies:
        description: Its inline policies, name -> document (a dict or a JSON string); unset leaves them alone.
        type: dict
      purge_inline_policies:
        description: Delete the inline policies O(roles[].inline_policies) does not name.
        type: bool
        default: true
      max_session_duration:
        description: The maximum session duration in seconds (3600 to 43200; unset leaves it alone).
        type: int
      permissions_boundary:
        description: The ARN of its permissions boundary policy (V("") removes it; unset leaves it alone).
        type: str
      tags:
        description: Tags of this role alone, over O(tags).
        type: dict
      state:
        description: This role's state (default O(state)).
        type: str
        choices: [present, absent]
notes:
  - O(tags) and O(purge_tags) apply to every role; O(roles[].tags) add to O(tags) for one role. With neither set
    the roles' tags are left alone.
"""

EXAMPLES = r"""
- name: The application tier's roles
  techblogpro.wordpress_aws.iam_roles:
    roles:
      - name: techblog-prod-execution
        path: /wordpress-aws/techblog-prod/
        description: ECS task execution role
        assume_role_policy: "{{ lookup('ansible.builtin.template', 'ecs_tasks_trust.json.j2') }}"
        managed_policy_arns: []
        inline_policies:
          wordpress-execution: "{{ lookup('ansible.builtin.template', 'execution_policy.json.j2') }}"
      - name: techblog-prod-task
        path: /wordpress-aws/techblog-prod/
        assume_role_policy: "{{ lookup('ansible.builtin.template', 'ecs_tasks_trust.json.j2') }}"
        managed_policy_arns: []
        inline_policies: {}
    tags:
      wordpress_aws:stack: techblog-prod
  register: roles

- name: Use a role's ARN
  ansible.builtin.debug:
    msg: "{{ roles.iam_roles['techblog-prod-execution'].arn }}"

- name: Remove the roles with their policies
  techblogpro.wordpress_aws.iam_roles:
    roles:
      - name: techblog-prod-execution
      - name: techblog-prod-task
    state: absent
"""

RETURN = r"""
changes:
  description: "What changed (or would in check mode), as C(<role>: <change>); empty when nothing did."
  returned: always
  type: list
  elements: str
  sample: ["techblog-prod-task: created", "techblog-prod-execution: update policy wordpress-execution"]
iam_roles:
  description: Each role after the run, by name.
  returned: always
  type: dict
  contains:
    role_name:
      description: The role's name.
      type: str
    arn:
      description: Its ARN (empty when it does not exist, or is only planned in check mode).
      type: str
      sample: arn:aws:iam::123456789012:role/wordpress-aws/techblog-prod/techblog-prod-task
    role_id:
      description: Its id.
      type: str
    path:
      description: Its path.
      type: str
    description:
      description: Its description.
      type: str
    max_session_duration:
      description: Its maximum session duration in seconds.
      type: int
    permissions_boundary:
      description: The ARN of its permissions boundary (empty when none).
      type: str
    tags:
      description: Its tags.
      type: dict
    inline_policy_names:
      description: The names of its inline policies.
      type: list
      elements: str
    managed_policy_arns:
      description: Its attached managed policies.
      type: list
      elements: str
    exists:
      description: Whether the role exists after the run.
      type: bool
    created:
      description: Whether the role was created in this run (or would be in check mode), also when a lost create
        answer was adopted.
      type: bool
    changed:
      description: Whether anything of this role changed in this run (created, policies, trust, tags, deleted).
      type: bool
    policies_changed:
      description:
        - Whether what the role may do or who may assume it changed in this run (created, trust policy, boundary,
          managed or inline policies); a service given the role right after may still see the old permissions for
          a while (IAM propagation), which the modules using roles retry.
      type: bool
    changes:
      description: What changed on this role.
      type: list
      elements: str
      sample: [created]
"""

import re

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import iam_roles as iam
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options

ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
ROLE_PATH = re.compile(r"^/([\x21-\x7e]{0,510}/)?$")

ROLE_OPTIONS = dict(
    name=dict(type="str", required=True),
    path=dict(type="str"),
    description=dict(type="str"),
    assume_role_policy=dict(type="raw", aliases=["assume_role_policy_document"]),
    managed_policy_arns=dict(type="list", elements="str"),
    purge_managed_policies=dict(type="bool", default=True),
    inline_policies=dict(type="dict"),
    purge_inline_policies=dict(type="bool", default=True),
    max_session_duration=dict(type="int"),
    permissions_boundary=dict(type="str"),
    tags=dict(type="dict"),
    state=dict(type="str", choices=["present", "absent"]),
)


def problems(roles):
    """Input errors, each naming the role and the option; empty when the input is valid."""
    found, seen = [], set()
    for role in roles:
        name = role["name"]
        if not ROLE_NAME.match(name):
            found.append(f"roles[{name}].name: 1-64 letters, digits or +=,.@_- characters")
        if name in seen:
            found.append(f"roles[{name}]: listed twice")
        seen.add(name)
        if role.get("path") and not ROLE_PATH.match(role["path"]):
            found.append(f"roles[{name}].path {role['path']!r}: must start and end with /")
        duration = role.get("max_session_duration")
        if duration is not None and not 3600 <= duration <= 43200:
            found.append(f"roles[{name}].max_session_duration {duration}: must be 3600 to 43200 seconds")
        documents = {"assume_role_policy": role.get("assume_role_policy")}
        documents.update({f"inline_policies.{k}": v for k, v in (role.get("inline_policies") or {}).items()})
        for option, value in documents.items():
            if value is None:
                continue
            try:
                parsed = iam.document(value)
            except (TypeError, ValueError) as err:
                found.append(f"roles[{name}].{option}: not a JSON policy document ({err})")
                continue
            if not isinstance(parsed, dict) or "Statement" not in parsed:
                found.append(f"roles[{name}].{option}: a policy document needs a Statement")
    return found


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            roles=dict(type="list", elements="dict", required=True, options=ROLE_OPTIONS),
            **common_options(name=False),
        ),
        supports_check_mode=True,
    )
    p = module.params
    errors = problems(p["roles"])
    if errors:
        module.fail_json(msg="; ".join(errors))
    client = aws_client(module, "iam")
    before, after, changes = {}, {}, []
    for want in p["roles"]:
        name = want["name"]
        state = want.get("state") or p["state"]
        with aws_errors(module, f"manage IAM role {name}"):
            try:
                if state == "absent":
                    old, new = iam.absent(client, want, module.check_mode)
                else:
                    old, new = iam.present(client, want, p["tags"], p["purge_tags"], module.check_mode)
            except iam.RoleError as err:
                module.fail_json(msg=str(err))
        if state == "present" and old["exists"] and want.get("path") and old["path"] != want["path"]:
            module.warn(f"role {name} has path {old['path']}, not {want['path']}: IAM cannot move a role")
        before[name], after[name] = old, new
        changes.extend(f"{name}: {change}" for change in new["changes"])
    exit_result(module, "iam_roles", before, after, changes)


if __name__ == "__main__":
    main()
