#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: wafv2_ip_set
short_description: Manage a WAFv2 IP set that survives a lost create answer
version_added: 0.7.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Creates, updates (addresses, description, tags) and deletes a WAFv2 IP set, found by name and scope.
  - C(CreateIPSet) has no idempotency token. When its answer is lost after WAF created the set, the retry answers
    C(WAFDuplicateItemException); M(community.aws.wafv2_ip_set) fails there, this module finds the set and adopts it.
  - Addresses are compared as sets of normalised networks, so order and host bits do not cause a change.
  - The IP version of a set cannot change in place; asking for another one fails with a clear message.
options:
  name:
    description: The set name.
    type: str
    required: true
  scope:
    description: V(CLOUDFRONT) (region us-east-1) or V(REGIONAL).
    type: str
    required: true
    choices: [CLOUDFRONT, REGIONAL]
  ip_address_version:
    description: The IP version of the addresses. Required with O(state=present).
    type: str
    choices: [IPV4, IPV6]
  addresses:
    description: The networks in CIDR notation. Required with O(state=present); may be empty.
    type: list
    elements: str
  description:
    description: The set description. Unset leaves it alone.
    type: str
"""

EXAMPLES = r"""
- name: Ensure the admin allow-list
  techblogpro.wordpress_aws.wafv2_ip_set:
    name: techblog-prod-admin-v4
    scope: CLOUDFRONT
    region: us-east-1
    ip_address_version: IPV4
    addresses: [203.0.113.0/24]
    tags:
      wordpress_aws:stack: techblog-prod

- name: Remove it
  techblogpro.wordpress_aws.wafv2_ip_set:
    name: techblog-prod-admin-v4
    scope: CLOUDFRONT
    region: us-east-1
    state: absent
"""

RETURN = r"""
changes:
  description: V(created), V(deleted), or what was updated (V(addresses), V(description), V(tags)).
  returned: always
  type: list
  elements: str
  sample: [addresses]
arn:
  description: The set ARN (empty when absent or not created yet in check mode).
  returned: always
  type: str
  sample: arn:aws:wafv2:us-east-1:123456789012:global/ipset/techblog-prod-admin-v4/a1b2
ip_set:
  description: The set (empty when absent).
  returned: always
  type: dict
  contains:
    name:
      description: The set name.
      type: str
    id:
      description: The set id.
      type: str
    arn:
      description: The set ARN.
      type: str
    description:
      description: The description.
      type: str
    ip_address_version:
      description: V(IPV4) or V(IPV6).
      type: str
    addresses:
      description: The networks, sorted.
      type: list
      elements: str
    tags:
      description: The set's tags.
      type: dict
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import waf_ip_set as ips
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import converge
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def view(found):
    if not found:
        return {}
    return {
        "name": found["Name"],
        "id": found.get("Id", ""),
        "arn": found.get("ARN", ""),
        "description": found.get("Description", ""),
        "ip_address_version": found.get("IPAddressVersion", ""),
        "addresses": ips.networks(found.get("Addresses")),
        "tags": dict(found.get("Tags") or {}),
    }


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            scope=dict(type="str", required=True, choices=["CLOUDFRONT", "REGIONAL"]),
            ip_address_version=dict(type="str", choices=["IPV4", "IPV6"]),
            addresses=dict(type="list", elements="str"),
            description=dict(type="str"),
            **common_options(),
        ),
        required_if=[("state", "present", ["ip_address_version", "addresses"])],
        supports_check_mode=True,
    )
    p = module.params
    name, scope = p["name"], p["scope"]
    if p["state"] == "present":
        try:
            ips.networks(p["addresses"])
        except ValueError as err:
            module.fail_json(msg=f"addresses: {err}")
    client = aws_client(module, "wafv2")

    def tag_changes(current):
        return tagging.tag_changes(p["tags"], current.get("Tags", {}), p["purge_tags"])

    def differences(current):
        found = ips.differences(current, p["description"], p["ip_address_version"], p["addresses"])
        if "ip_address_version" in found:
            module.fail_json(
                msg=(
                    f"IP set {name} holds {current.get('IPAddressVersion')} addresses, not {p['ip_address_version']}; "
                    "WAF cannot change a set's IP version: use another name"
                )
            )
        return found + (["tags"] if any(tag_changes(current)) else [])

    def update(current, changes):
        if {"addresses", "description"} & set(changes):
            ips.update(client, name, scope, p["description"], p["addresses"])
        tagging.set_tags(client, current["ARN"], *tag_changes(current))

    def planned(current):
        base = current or {"Name": name, "Tags": p["tags"] or {}}
        to_set, to_remove = tag_changes(base) if current else ({}, [])
        set_tags = {k: v for k, v in {**base.get("Tags", {}), **to_set}.items() if k not in to_remove}
        description = p["description"] if p["description"] is not None else base.get("Description", "")
        return view(
            {
                **base,
                "IPAddressVersion": p["ip_address_version"],
                "Addresses": p["addresses"],
                "Tags": set_tags,
                "Description": description,
            }
        )

    converge(
        module,
        "ip_set",
        find=lambda: ips.find(client, name, scope),
        differences=differences,
        create=lambda: ips.create(
            client, name, scope, p["description"], p["ip_address_version"], p["addresses"], p["tags"] or {}
        ),
        update=update,
        delete=lambda _current: ips.delete(client, name, scope),
        result=view,
        planned=planned,
        label=f"WAF IP set {name} ({scope})",
        extra=lambda after: {"arn": after.get("arn", "")},
    )


if __name__ == "__main__":
    main()
