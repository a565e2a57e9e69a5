#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: kms_key
short_description: Ensure a customer-managed KMS key and its alias, never two keys for one alias
version_added: 0.7.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, amazon.aws.common.modules, amazon.aws.region.modules,
   amazon.aws.tags, amazon.aws.boto3]
description:
  - Creates a symmetric customer-managed key with its alias, description, key policy, rotation and tags, and
    brings an existing one in line. The key is found by its alias.
  - C(CreateKey) has no idempotency token. M(amazon.aws.kms_key) lets botocore resend a create whose answer
    was lost, which makes a second key and leaves the first without an alias. This module tags the key
    C(wordpress_aws:kms-alias) = its alias when it creates it, sends the create once per attempt, and when the
    alias is missing looks the key up by that tag and adopts it (then gives it its alias), so a lost answer or a
    run interrupted between the key and its alias never leaves a second key behind.
  - Retiring the key is M(techblogpro.wordpress_aws.kms_key_deletion)'s job (AWS deletes a key only after a
    7 to 30 day window); this module only ensures it is present.
options:
  alias:
    description: The key's alias, with or without the C(alias/) prefix.
    type: str
    required: true
  description:
    description: The key's description.
    type: str
    default: ""
  policy:
    description:
      - The key policy (JSON). Compared as a policy (statement order, a single value against a list), so a
        policy AWS stores in another shape is not rewritten.
      - Unset leaves the policy alone (a new key gets the account's default policy).
    type: json
  enable_key_rotation:
    description: Turn the yearly automatic rotation of the key material on or off.
    type: bool
    default: true
  tags:
    description:
      - The key's tags. The tag C(wordpress_aws:kms-alias) is always kept (the module finds the key by it).
"""

EXAMPLES = r"""
- name: Ensure the stack's key
  techblogpro.wordpress_aws.kms_key:
    alias: alias/wordpress-aws/techblog-prod
    description: "wordpress_aws techblog-prod"
    policy: "{{ lookup('ansible.builtin.template', 'kms_key_policy.json.j2') }}"
    tags:
      wordpress_aws:stack: techblog-prod
  register: key

- name: Use its ARN
  ansible.builtin.debug:
    msg: "{{ key.key_arn }}"
"""

RETURN = r"""
changes:
  description: What changed (or would in check mode) - V(created), V(alias), V(description), V(policy),
    V(rotation), V(tags).
  returned: always
  type: list
  elements: str
  sample: [created]
key_arn:
  description: The key ARN (empty in check mode for a key not created yet).
  returned: always
  type: str
  sample: arn:aws:kms:eu-west-3:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
key_id:
  description: The key id.
  returned: always
  type: str
  sample: 1234abcd-12ab-34cd-56ef-1234567890ab
key:
  description: The key after the call.
  returned: always
  type: dict
  contains:
    key_id:
      description: The key id.
      type: str
    key_arn:
      description: The key ARN.
      type: str
    alias:
      description: The alias.
      type: str
      sample: alias/wordpress-aws/techblog-prod
    description:
      description: The description.
      type: str
    key_state:
      description: The key state.
      type: str
      sample: Enabled
    enable_key_rotation:
      description: Whether automatic rotation is on.
      type: bool
    policy:
      description: The key policy.
      type: dict
    tags:
      description: The key's tags.
      type: dict
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import kms
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import tag_changes


def read(client, meta, alias, has_alias):
    """The key as the module returns it."""
    key_id = meta["KeyId"]
    return {
        "key_id": key_id,
        "key_arn": meta.get("Arn", ""),
        "alias": alias if has_alias else "",
        "description": meta.get("Description", ""),
        "key_state": meta.get("KeyState", ""),
        "enable_key_rotation": kms.rotation_enabled(client, key_id),
        "policy": kms.policy(client, key_id),
        "tags": kms.tags(client, key_id),
    }


def wanted_tags(p, alias):
    return {**(p["tags"] or {}), kms.ALIAS_TAG: alias}


def converge_key(module, client, alias):
    """Returns (before, after, changes)."""
    p, check = module.params, module.check_mode
    meta = kms.describe(client, alias)
    has_alias = meta is not None
    if meta is None:
        meta = kms.find_by_tag(client, alias)  # a key an earlier lost answer or interrupted run left
    if meta is None:
        planned = {
            "alias": alias,
            "description": p["description"],
            "enable_key_rotation": p["enable_key_rotation"],
            "tags": wanted_tags(p, alias),
            "key_id": "",
            "key_arn": "",
            "key_state": "Enabled",
        }
        if check:
            return {}, planned, ["created"]
        policy = p["policy"] if p["policy"] else None
        meta = kms.create_key(client, alias, p["description"], policy, wanted_tags(p, alias))
        kms.create_alias(client, alias, meta["KeyId"])
        if p["enable_key_rotation"]:
            kms.set_rotation(client, meta["KeyId"], True)
        return {}, read(client, kms.describe(client, meta["KeyId"]), alias, True), ["created"]

    before = read(client, meta, alias, has_alias)
    key_id, changes = meta["KeyId"], []
    if not has_alias:
        changes.append("alias")
    if p["description"] != before["description"]:
        changes.append("description")
    if kms.policy_differs(before["policy"], p["policy"]):
        changes.append("policy")
    if p["enable_key_rotation"] != before["enable_key_rotation"]:
        changes.append("rotation")
    purge = p["purge_tags"] and p["tags"] is not None
    to_set, to_remove = tag_changes(wanted_tags(p, alias), before["tags"], purge)
    if to_set or to_remove:
        changes.append("tags")
    if not changes:
        return before, before, []
    if check:
        after = dict(before, alias=alias, description=p["description"], enable_key_rotation=p["enable_key_rotation"])
        after["tags"] = {k: v for k, v in {**before["tags"], **to_set}.items() if k not in to_remove}
        return before, after, changes
    if "alias" in changes:
        kms.create_alias(client, alias, key_id)
    if "description" in changes:
        kms.set_description(client, key_id, p["description"])
    if "policy" in changes:
        kms.put_policy(client, key_id, p["policy"])
    if "rotation" in changes:
        kms.set_rotation(client, key_id, p["enable_key_rotation"])
    kms.set_tags(client, key_id, to_set, to_remove)
    return before, read(client, kms.describe(client, key_id), alias, True), changes


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            alias=dict(type="str", required=True),
            description=dict(type="str", default=""),
            policy=dict(type="json"),
            enable_key_rotation=dict(type="bool", default=True),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    alias = kms.alias_name(module.params["alias"])
    client = aws_client(module, "kms")
    before, after, changes = {}, {}, []
    with aws_errors(module, f"manage the KMS key {alias}"):
        before, after, changes = converge_key(module, client, alias)
    exit_result(module, "key", before, after, changes, key_arn=after.get("key_arn", ""), key_id=after.get("key_id", ""))


if __name__ == "__main__":
    main()
