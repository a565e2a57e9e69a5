#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: ec2_security_groups
short_description: Manage a VPC's security groups and their rules in one call, surviving lost answers
version_added: 0.1.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Ensures the security groups O(groups) in O(vpc_id), found by (VPC, name), with exactly their ingress and egress
    rules. A rule may name another group of the same call, so groups that reference each other converge in one
    task; the groups are created first (with their tags, C(TagSpecifications)), then their rules.
  - CreateSecurityGroup and Authorize/Revoke SecurityGroupIngress/Egress have no idempotency token. When AWS
    applies one but its answer is lost (a 5xx or a closed connection), botocore resends it and AWS answers
    C(InvalidGroup.Duplicate), C(InvalidPermission.Duplicate) or C(InvalidPermission.NotFound);
    M(amazon.aws.ec2_security_group) fails there. This module adopts the group found by (VPC, name), and for rules
    reads the group again and writes only what still differs, taking Duplicate (to an authorize) and NotFound (to a
    revoke) as the rule already being as wanted.
  - The VPC's C(default) group may be listed to manage its rules; it is never created nor deleted, and O(tags)
    reach it only when it lists its own O(groups[].tags).
  - With O(state=absent) the groups lose their rules that reference groups (they reference each other) and are
    then deleted, retrying C(DependencyViolation) (a deleted VPC Lambda's network interfaces hold its group for up
    to 45 minutes) with a backoff for up to O(timeout) seconds in all. A deleted group is done, so an interrupted
    run can be run again.
options:
  vpc_id:
    description: The VPC of the groups.
    type: str
    required: true
  groups:
    description:
      - The security groups. Required with O(state=present).
      - With O(state=absent), only O(groups[].name) is used; unset means every group of O(vpc_id) but C(default)
        carrying all of O(tags) (then O(tags) is required).
    type: list
    elements: dict
    suboptions:
      name:
        description: The group's name, unique in the VPC.
        type: str
        required: true
      description:
        description: The group's description, required to create it (AWS cannot change it afterwards; a different
          one is reported as a warning).
        type: str
      tags:
        description: Its own tags, merged over O(tags). Unset with O(tags) unset leaves its tags alone.
        type: dict
      ingress:
        description: Its inbound rules; unset leaves them alone, V([]) allows nothing in.
        type: list
        elements: dict
        suboptions: &rule
          protocol:
            description: C(tcp), C(udp), C(icmp), a protocol number, or V(-1) / V(all) for all traffic.
            type: str
            default: tcp
          ports:
            description: Ports (V("443")) or ranges (V("1024-2048")); required unless O(groups[].ingress[].protocol)
              is V(-1).
            type: list
            elements: str
          cidr_ipv4:
            description: IPv4 CIDR blocks.
            type: list
            elements: str
          cidr_ipv6:
            description: IPv6 CIDR blocks.
            type: list
            elements: str
          prefix_list_ids:
            description: Managed prefix list ids.
            type: list
            elements: str
          groups:
            description: Security groups, by the name of a group of this call or by C(sg-) id.
            type: list
            elements: str
          description:
            description: The rule's description; unset accepts whatever description the rule has.
            type: str
      egress:
        description:
          - Its outbound rules, as O(groups[].ingress); unset leaves them alone, V([]) allows nothing out (AWS gives
            a new group an allow-all egress rule, which V([]) removes).
        type: list
        elements: dict
        suboptions: *rule
  purge_rules:
    description: Remove the rules of a listed direction that are not listed.
    type: bool
    default: true
  tags:
    description: Tags of every group (each group's own O(groups[].tags) are merged over them).
  timeout:
    description: With O(state=absent), the seconds to keep retrying C(DependencyViolation), over all the groups.
    type: int
    default: 600
"""

EXAMPLES = r"""
- name: Ensure the ALB and task groups, each admitting only the one in front of it
  techblogpro.wordpress_aws.ec2_security_groups:
    vpc_id: vpc-0123456789abcdef0
    tags:
      wordpress_aws:stack: techblog-prod
    groups:
      - name: techblog-prod-alb
        description: ALB (HTTPS from CloudFront only)
        ingress:
          - {ports: ["443"], prefix_list_ids: [pl-0123456789abcdef0]}
        egress:
          - {ports: ["80"], groups: [techblog-prod-app], description: to WordPress tasks}
      - name: techblog-prod-app
        description: WordPress tasks
        ingress:
          - {ports: ["80"], groups: [techblog-prod-alb], description: from the ALB}
        egress:
          - {ports: ["443"], cidr_ipv4: [0.0.0.0/0], description: HTTPS out}

- name: Empty the VPC's default group
  techblogpro.wordpress_aws.ec2_security_groups:
    vpc_id: vpc-0123456789abcdef0
    groups:
      - {name: default, ingress: [], egress: []}

- name: Delete the stack's groups, waiting out Lambda's network interfaces
  techblogpro.wordpress_aws.ec2_security_groups:
    vpc_id: vpc-0123456789abcdef0
    tags:
      wordpress_aws:stack: techblog-prod
    timeout: 900
    state: absent
"""

RETURN = r"""
changes:
  description: What changed (or would change in check mode), one sentence per group, tag set and rule.
  returned: always
  type: list
  elements: str
  sample: ["created group blog-app", "authorized ingress tcp 80 sg-0123456789abcdef0 (blog-alb) on blog-app"]
security_group_set:
  description: The groups after the run.
  returned: always
  type: dict
  contains:
    vpc_id:
      description: The VPC.
      type: str
      sample: vpc-0123456789abcdef0
    groups:
      description: The groups in the order of O(groups) (empty after O(state=absent)).
      type: list
      elements: dict
      contains:
        group_id:
          description: The group id (none in check mode for a group still to create).
          type: str
          sample: sg-0123456789abcdef0
        group_name:
          description: Its name.
          type: str
        description:
          description: Its description.
          type: str
        tags:
          description: Its tags.
          type: dict
        ingress:
          description: Its inbound rules, one per port range and source, with C(protocol), C(from_port),
            C(to_port), one of C(cidr_ipv4), C(cidr_ipv6), C(prefix_list_id), C(group_id), and C(description).
          type: list
          elements: dict
        egress:
          description: Its outbound rules, as RV(security_group_set.groups[].ingress).
          type: list
          elements: dict
group_ids:
  description: The group ids by name (V((known after apply\)) in check mode for a group still to create).
  returned: when O(state=present)
  type: dict
  sample: {blog-alb: sg-0123456789abcdef0}
release:
  description: What deleting took with O(state=absent).
  returned: when O(state=absent)
  type: dict
  contains:
    attempts:
      description: Delete calls made.
      type: int
      sample: 7
    waited:
      description: Seconds slept while AWS answered C(DependencyViolation).
      type: int
    retried:
      description: The groups whose delete was retried.
      type: list
      elements: str
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ec2_security_groups as sg
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.ec2_writes import retry_dependency
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.ec2_writes import run_family
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.ec2_writes import selected
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options

UNKNOWN = "(known after apply)"
RULE = dict(
    protocol=dict(type="str", default="tcp"),
    ports=dict(type="list", elements="str"),
    cidr_ipv4=dict(type="list", elements="str"),
    cidr_ipv6=dict(type="list", elements="str"),
    prefix_list_ids=dict(type="list", elements="str"),
    groups=dict(type="list", elements="str"),
    description=dict(type="str"),
)
# What AWS gives a new group: all traffic out.
DEFAULT_EGRESS = {("-1", None, None, "cidr_ipv4", "0.0.0.0/0"): None}


def _wanted(module):
    p = module.params
    wanted = []
    for group in p["groups"] or []:
        wanted.append({**group, "tags": sg.wanted_tags(group, p["tags"])})
    names = [group["name"] for group in wanted]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        module.fail_json(msg=f"groups lists {', '.join(duplicates)} more than once")
    placeholders = {name: f"sg-{name}" for name in names}
    for group in wanted:
        for direction in sg.DIRECTIONS:
            try:
                sg.desired_atoms(group.get(direction) or [], placeholders)
            except ValueError as err:
                module.fail_json(msg=f"group {group['name']}, {direction}: {err}")
    return wanted


def _planned_view(group, atoms):
    """The view of ``group`` with the rules it will have (check mode)."""
    planned = sg.view(group)
    for direction, found in atoms.items():
        planned[direction] = [sg.atom_view(a, d) for a, d in sorted(found.items(), key=lambda kv: str(kv[0]))]
    return planned


def present(module, client, wanted):
    p = module.params
    vpc_id, check = p["vpc_id"], module.check_mode
    found = sg.describe_groups(client, vpc_id)
    before = [sg.view(found[w["name"]]) for w in wanted if w["name"] in found]
    ids = {name: group["GroupId"] for name, group in found.items()}
    changes, groups = [], {}
    for w in wanted:
        name = w["name"]
        group = found.get(name)
        if group is None:
            if name == "default" or not w.get("description"):
                module.fail_json(msg=f"group {name} does not exist in {vpc_id}; creating it needs its description")
            changes.append(f"created group {name}")
            if check:
                group = {"GroupId": None, "GroupName": name, "Description": w["description"], "VpcId": vpc_id}
                group["Tags"] = [{"Key": k, "Value": v} for k, v in (w["tags"] or {}).items()]
                group["IpPermissionsEgress"] = [sg.permission(next(iter(DEFAULT_EGRESS)), None)]
                ids[name] = UNKNOWN
            else:
                group, adopted = sg.create_group(client, vpc_id, name, w["description"], w["tags"] or {})
                if adopted:
                    changes[-1] = f"adopted group {name} after a lost answer"
                ids[name] = group["GroupId"]
        else:
            if w.get("description") and name != "default" and group.get("Description") != w["description"]:
                module.warn(f"group {name} keeps its description {group.get('Description')!r}: AWS cannot change it")
            to_set, to_remove = tagging.tag_changes(w["tags"], tagging.tags_of(group), p["purge_tags"])
            if to_set or to_remove:
                changes.append(f"tags of group {name}")
                if not check:
                    tagging.set_tags(client, group["GroupId"], to_set, to_remove)
                group = {
                    **group,
                    "Tags": [
                        {"Key": k, "Value": v}
                        for k, v in {**tagging.tags_of(group), **to_set}.items()
                        if k not in to_remove
                    ],
                }
        groups[name] = group

    names = {group_id: name for name, group_id in ids.items()}
    planned = []
    for w in wanted:
        name, group = w["name"], groups[w["name"]]
        atoms = {}
        for direction in sg.DIRECTIONS:
            actual = sg.atoms_of(group.get(sg.RULES_KEY[direction]))
            if w.get(direction) is None:
                atoms[direction] = actual
                continue
            desired = sg.desired_atoms(w[direction], ids)
            to_add, to_remove, to_describe = sg.rule_differences(desired, actual, p["purge_rules"])
            changes += [
                f"authorized {direction} {sg.describe_atom(a, names)} on {name}" for a in sorted(to_add, key=str)
            ]
            changes += [
                f"described {direction} {sg.describe_atom(a, names)} on {name}" for a in sorted(to_describe, key=str)
            ]
            changes += [
                f"revoked {direction} {sg.describe_atom(a, names)} on {name}" for a in sorted(to_remove, key=str)
            ]
            atoms[direction] = {**{a: d for a, d in actual.items() if a not in to_remove}, **to_add, **to_describe}
            if not check:
                sg.change_rules(client, "authorize", direction, vpc_id, group, to_add)
                if to_describe:
                    permissions = [sg.permission(a, d) for a, d in sorted(to_describe.items(), key=str)]
                    sg.update_descriptions(client, direction, group["GroupId"], permissions)
                sg.change_rules(client, "revoke", direction, vpc_id, group, to_remove)
        planned.append(_planned_view(group, atoms))
    if check:
        return before, planned, changes, ids
    if changes:
        found = sg.describe_groups(client, vpc_id)
    return before, [sg.view(found.get(w["name"])) for w in wanted], changes, ids


def absent(module, client, wanted, progress):
    p = module.params
    vpc_id = p["vpc_id"]
    found = sg.describe_groups(client, vpc_id)
    doomed = selected(found, [w["name"] for w in wanted or []], p["tags"], skip=("default",))
    before = [sg.view(group) for group in doomed]
    changes = [f"deleted group {group['GroupName']}" for group in doomed]
    if module.check_mode:
        return before, [], changes
    # They reference each other: no group can go while another one's rule names it.
    for group in doomed:
        for direction in sg.DIRECTIONS:
            refs = {a: d for a, d in sg.atoms_of(group.get(sg.RULES_KEY[direction])).items() if a[3] == "group_id"}
            sg.change_rules(client, "revoke", direction, vpc_id, group, refs)
    for group in doomed:
        retry_dependency(
            lambda group=group: sg.delete_group(client, group["GroupId"]),
            group["GroupName"],
            progress,
            p["timeout"],
        )
    return before, [], changes


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            vpc_id=dict(type="str", required=True),
            groups=dict(
                type="list",
                elements="dict",
                options=dict(
                    name=dict(type="str", required=True),
                    description=dict(type="str"),
                    tags=dict(type="dict"),
                    ingress=dict(type="list", elements="dict", options=RULE),
                    egress=dict(type="list", elements="dict", options=RULE),
                ),
            ),
            purge_rules=dict(type="bool", default=True),
            timeout=dict(type="int", default=600),
            **common_options(name=False),
        ),
        required_if=[("state", "present", ["groups"])],
        supports_check_mode=True,
    )
    wanted = _wanted(module)
    client = aws_client(module, "ec2")

    def ensure():
        before, after, changes, ids = present(module, client, wanted)
        return before, after, changes, {"group_ids": {w["name"]: ids.get(w["name"]) for w in wanted}}

    run_family(
        module,
        "security groups",
        "groups",
        "security_group_set",
        ensure,
        lambda progress: absent(module, client, wanted, progress),
    )


if __name__ == "__main__":
    main()
