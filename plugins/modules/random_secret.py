#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: random_secret
short_description: A Secrets Manager secret whose generated values never pass through Ansible
version_added: 0.1.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state,
   techblogpro.wordpress_aws.generate, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.tags,
   amazon.aws.boto3]
description:
  - Ensures a Secrets Manager secret holding a JSON object of O(fields) (static values, such as a user name)
    and O(generate) (random values, such as a password or WordPress salts).
  - Generated values are made by the module on first create and kept on every later run; they are never
    returned, logged or shown in a diff. A missing generated field is added; an existing one is never
    regenerated (rotation is a separate concern).
  - A secret scheduled for deletion is restored rather than recreated.
options:
  name:
    description: The secret name.
    type: str
    required: true
  description:
    description: The secret's description.
    type: str
  kms_key_id:
    description: The KMS key that encrypts the secret (id, ARN or alias).
    type: str
  fields:
    description: Static fields of the JSON value. Their values are compared and updated.
    type: dict
    default: {}
  initial_fields:
    description:
      - Fields written when the secret lacks them and never changed afterwards, such as the user name that a
        rotation with alternating users switches between C(user) and C(user_clone).
    type: dict
    default: {}
  recovery_window_days:
    description: With O(state=absent), days the secret stays recoverable (7-30), or 0 to delete it at once.
    type: int
    default: 30
  allowed_principals:
    description:
      - When given, the secret's resource policy denies every action to every principal but these, the principal
        running the module (an assumed role's session counts as its role, in any path) and the account's root user
        (C(aws:PrincipalArn) with C(ArnNotLike)). Secrets Manager refuses a policy that would make the secret public
        (C(BlockPublicPolicy)).
      - The policy only denies; each principal still needs its own identity policy to read the secret.
      - Compared normalised with the attached policy and written only when it differs. Omitted, the resource policy
        is left as it is.
    type: dict
    suboptions:
      iam_paths:
        description: IAM paths whose roles are spared, such as C(/wordpress-aws/<stack>/) (the stack's roles).
        type: list
        elements: str
        default: []
      arns:
        description: Principal ARNs (wildcards allowed) that are spared, such as the administrators' roles.
        type: list
        elements: str
        default: []
attributes:
  diff_mode:
    details: The diff shows field names, never values.
"""

EXAMPLES = r"""
- name: WordPress database credentials, password generated once
  techblogpro.wordpress_aws.random_secret:
    name: techblog-prod/db/app
    kms_key_id: alias/wordpress-aws/techblog-prod
    fields:
      username: wpapp
    generate:
      - name: password
        length: 32
    tags:
      wordpress_aws:stack: techblog-prod

- name: The same secret, closed to all but the stack's roles, the deployer and an admin role
  techblogpro.wordpress_aws.random_secret:
    name: techblog-prod/db/app
    kms_key_id: alias/wordpress-aws/techblog-prod
    fields:
      username: wpapp
    generate:
      - name: password
    allowed_principals:
      iam_paths: [/wordpress-aws/techblog-prod/]
      arns: [arn:aws:iam::123456789012:role/SecurityAdmin]

- name: Delete the secret (recoverable for 7 days)
  techblogpro.wordpress_aws.random_secret:
    name: techblog-prod/db/app
    recovery_window_days: 7
    state: absent
"""

RETURN = r"""
changes:
  description: The secret V(created) or V(deleted), else the RV(secret) paths changed, such as its field names
    (values never appear).
  returned: always
  type: list
  elements: str
  sample: [fields]
secret:
  description: The secret's metadata (never its value).
  returned: always
  type: dict
  contains:
    arn:
      description: The secret ARN.
      type: str
    name:
      description: The secret name.
      type: str
    kms_key_id:
      description: The key that encrypts it.
      type: str
    fields:
      description: The names of the fields in its value.
      type: list
      elements: str
    tags:
      description: Its tags.
      type: dict
    resource_policy:
      description: Its resource policy (none when it has none).
      type: dict
      sample:
        Version: "2012-10-17"
        Statement:
          - Sid: DenyAllButTheStackRolesAndAdmins
            Effect: Deny
            Principal: {AWS: "*"}
            Action: "secretsmanager:*"
            Resource: "*"
            Condition:
              ArnNotLike:
                aws:PrincipalArn: ["arn:aws:iam::123456789012:role/wordpress-aws/techblog-prod/*"]
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import random_secret as rs
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import secret_policy
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import secretsmanager as sm_api
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.compare import change_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def _result(secret, field_names, policy=None):
    if not secret:
        return {}
    return {
        "resource_policy": policy,
        "arn": secret.get("ARN"),
        "name": secret.get("Name"),
        "description": secret.get("Description"),
        "kms_key_id": secret.get("KmsKeyId"),
        "fields": sorted(field_names),
        "tags": tagging.tags_of(secret),
    }


def absent(module, client, current):
    if current is None or current.get("PendingDeletion"):
        return False
    if not module.check_mode:
        sm_api.delete(client, module.params["name"], module.params["recovery_window_days"])
    return True


def desired_policy(module):
    """The deny-others policy for O(allowed_principals), None when the option is omitted."""
    allowed = module.params["allowed_principals"]
    if allowed is None:
        return None
    caller = secret_policy.caller_arn(module.client("sts"))
    return secret_policy.deny_others(secret_policy.allowed_patterns(caller, allowed["iam_paths"], allowed["arns"]))


def converge_policy(module, client, name, desired, actual):
    """Attach ``desired`` when it differs from ``actual``; whether it did (or would)."""
    if desired is None or not secret_policy.differs(desired, actual):
        return False
    if not module.check_mode:
        sm_api.put_policy(client, name, desired)
    return True


def present(module, client, current, policy=None, policy_now=None):
    p = module.params
    name, static, generated, initial = p["name"], p["fields"], p["generate"], p["initial_fields"]
    wanted_fields = set(static) | set(initial) | {g["name"] for g in generated}
    if current is None:
        if module.check_mode:
            return True, {"Name": name, "Description": p["description"], "KmsKeyId": p["kms_key_id"]}, wanted_fields
        sm_api.create(
            client,
            name,
            p["description"],
            p["kms_key_id"],
            rs.build_value(static, generated, None, initial),
            p["tags"] or {},
        )
        converge_policy(module, client, name, policy, None)
        return True, sm_api.describe(client, name), wanted_fields

    changed = False
    if current.get("PendingDeletion"):
        changed = True
        if not module.check_mode:
            sm_api.restore(client, name)
    stored = sm_api.read_json(client, name) if not current.get("PendingDeletion") or not module.check_mode else None
    fields_now = set(stored or {})
    description = (
        p["description"] if p["description"] is not None and p["description"] != current.get("Description") else None
    )
    kms = p["kms_key_id"] if rs.kms_differs(current, p["kms_key_id"]) else None
    if description is not None or kms is not None:
        changed = True
        if not module.check_mode:
            sm_api.update(client, name, description, kms)
    if rs.value_needs_update(stored, static, generated, initial):
        changed = True
        if not module.check_mode:
            sm_api.put_value(client, name, rs.build_value(static, generated, {**(stored or {})}, initial))
    to_add, to_remove = ({}, [])
    if p["tags"] is not None:
        to_add, to_remove = tagging.tag_changes(p["tags"], tagging.tags_of(current), p["purge_tags"])
    if to_add or to_remove:
        changed = True
        if not module.check_mode:
            tagging.set_tags(client, name, to_add, to_remove)
    if converge_policy(module, client, name, policy, policy_now):
        changed = True
    if not changed:
        return False, current, fields_now
    if module.check_mode:
        return (
            True,
            {**current, "Description": p["description"] or current.get("Description")},
            fields_now | wanted_fields,
        )
    return True, sm_api.describe(client, name), fields_now | wanted_fields


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            description=dict(type="str"),
            kms_key_id=dict(type="str"),
            fields=dict(type="dict", default={}),
            initial_fields=dict(type="dict", default={}),
            generate=rs.GENERATE,
            recovery_window_days=dict(type="int", default=30),
            allowed_principals=dict(
                type="dict",
                options=dict(
                    iam_paths=dict(type="list", elements="str", default=[]),
                    arns=dict(type="list", elements="str", default=[]),
                ),
            ),
            **common_options(),
        ),
        supports_check_mode=True,
    )
    p = module.params
    window = p["recovery_window_days"]
    if window != 0 and not 7 <= window <= 30:
        module.fail_json(msg=f"recovery_window_days {window} must be 0 or between 7 and 30")
    errors = rs.generate_errors(p["generate"])
    if p["allowed_principals"]:
        errors += secret_policy.input_errors(p["allowed_principals"]["iam_paths"], p["allowed_principals"]["arns"])
    if errors:
        module.fail_json(msg="; ".join(errors))
    for spec in p["generate"]:
        if spec["name"] in p["fields"]:
            module.fail_json(msg=f"field {spec['name']} is both static (fields) and generated (generate)")
        if spec["name"] in p["initial_fields"]:
            module.fail_json(msg=f"field {spec['name']} is both initial (initial_fields) and generated (generate)")
    both = sorted(set(p["fields"]) & set(p["initial_fields"]))
    if both:
        module.fail_json(msg=f"fields {', '.join(both)} are both static (fields) and initial (initial_fields)")
    client = module.client("secretsmanager")
    with aws_errors(module, f"manage secret {p['name']}"):
        current = sm_api.describe(client, p["name"])
        before_fields = (
            set(sm_api.read_json(client, p["name"]) or {}) if current and not current.get("PendingDeletion") else set()
        )
        live = current and not current.get("PendingDeletion")
        policy_before = sm_api.get_policy(client, p["name"]) if live else None
        if p["state"] == "absent":
            changed, after, after_fields = absent(module, client, current), None, set()
            policy_after = None
        else:
            policy = desired_policy(module)
            changed, after, after_fields = present(module, client, current, policy, policy_before)
            policy_after = policy if policy is not None else policy_before
    view_before = _result(current, before_fields, policy_before)
    view_after = _result(after, after_fields, policy_after)
    exit_result(module, "secret", view_before, view_after, change_list(view_before, view_after, changed))


if __name__ == "__main__":
    main()
