# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Security groups of one VPC and their rules, converged without failing on a lost answer.

A rule is compared as a set of *atoms*: ``(direction, protocol, from port, to port, kind, target)`` with its
description, one per port range and source (a CIDR, a prefix list or a group). CreateSecurityGroup and
Authorize*/Revoke*SecurityGroup* take no idempotency token: when AWS applies one and its answer is lost, botocore
resends it and AWS answers ``InvalidGroup.Duplicate``, ``InvalidPermission.Duplicate`` or
``InvalidPermission.NotFound`` (amazon.aws ``ec2_security_group`` fails there). Here a lost create adopts the group
found by (VPC, name); a Duplicate/NotFound/lost answer to a rule change reads the group again and writes, one rule at
a time, only what is still missing (or still present), where Duplicate and NotFound mean the rule is as wanted.
"""

from __future__ import annotations

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.ec2_writes import answer_lost
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.ec2_writes import error_code
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import tags_of

GROUP_DUPLICATE = "InvalidGroup.Duplicate"
GROUP_NOT_FOUND = "InvalidGroup.NotFound"
RULE_DUPLICATE = "InvalidPermission.Duplicate"
RULE_NOT_FOUND = "InvalidPermission.NotFound"
DIRECTIONS = ("ingress", "egress")
RULES_KEY = {"ingress": "IpPermissions", "egress": "IpPermissionsEgress"}
PROTOCOLS = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1", "-1": "-1"}
# (kind, IpPermissions list key, the target's key in an item)
KINDS = (
    ("cidr_ipv4", "IpRanges", "CidrIp"),
    ("cidr_ipv6", "Ipv6Ranges", "CidrIpv6"),
    ("prefix_list_id", "PrefixListIds", "PrefixListId"),
    ("group_id", "UserIdGroupPairs", "GroupId"),
)
_LIST_KEY = {kind: (key, item) for kind, key, item in KINDS}

# An atom: (protocol, from_port, to_port, kind, target); its description is kept beside it.
Atom = tuple


def protocol_of(value: Any) -> str:
    text = str(value).lower()
    return PROTOCOLS.get(text, text)


def atoms_of(permissions: list) -> dict:
    """``{atom: description}`` of an ``IpPermissions`` list as AWS describes it."""
    found: dict = {}
    for perm in permissions or []:
        protocol = protocol_of(perm.get("IpProtocol", "-1"))
        ports = (None, None) if protocol == "-1" else (perm.get("FromPort"), perm.get("ToPort"))
        for kind, key, item_key in KINDS:
            for item in perm.get(key) or []:
                found[(protocol, *ports, kind, item[item_key])] = item.get("Description")
    return found


def permission(atom: Atom, description: str | None) -> dict:
    """The one-item ``IpPermissions`` entry that authorizes or revokes ``atom``."""
    protocol, from_port, to_port, kind, target = atom
    perm: dict = {"IpProtocol": protocol}
    if protocol != "-1":
        perm["FromPort"], perm["ToPort"] = from_port, to_port
    key, item_key = _LIST_KEY[kind]
    item = {item_key: target}
    if description is not None:
        item["Description"] = description
    perm[key] = [item]
    return perm


def describe_atom(atom: Atom, names: dict | None = None) -> str:
    """An atom as a sentence fragment: ``tcp 80 sg-0123 (blog-app)``."""
    protocol, from_port, to_port, _kind, target = atom
    ports = "" if protocol == "-1" else f" {from_port}" if from_port == to_port else f" {from_port}-{to_port}"
    label = (names or {}).get(target)
    return f"{'all' if protocol == '-1' else protocol}{ports} {target}{f' ({label})' if label else ''}"


def atom_view(atom: Atom, description: str | None) -> dict:
    protocol, from_port, to_port, kind, target = atom
    return {
        "protocol": protocol,
        "from_port": from_port,
        "to_port": to_port,
        kind: target,
        "description": description,
    }


def view(group: dict | None) -> dict:
    """A security group as the module returns it (its rules flattened, sorted)."""
    if not group:
        return {}
    rules = {
        "ingress": atoms_of(group.get("IpPermissions")),
        "egress": atoms_of(group.get("IpPermissionsEgress")),
    }
    return {
        "group_id": group.get("GroupId"),
        "group_name": group.get("GroupName"),
        "description": group.get("Description"),
        "vpc_id": group.get("VpcId"),
        "tags": tags_of(group),
        **{
            direction: [atom_view(a, d) for a, d in sorted(found.items(), key=lambda kv: str(kv[0]))]
            for direction, found in rules.items()
        },
    }


# --- calls ------------------------------------------------------------------------------------------------------


@AWSRetry.jittered_backoff()
def describe_groups(client, vpc_id: str) -> dict:
    """The VPC's security groups by name."""
    paginator = client.get_paginator("describe_security_groups")
    found = paginator.paginate(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]).build_full_result()
    return {group["GroupName"]: group for group in found.get("SecurityGroups", [])}


@AWSRetry.jittered_backoff()
def _create(client, vpc_id: str, name: str, description: str, tags: dict) -> str:
    params = {"GroupName": name, "Description": description, "VpcId": vpc_id}
    if tags:
        params["TagSpecifications"] = [{"ResourceType": "security-group", "Tags": ansible_dict_to_boto3_tag_list(tags)}]
    return client.create_security_group(**params)["GroupId"]


def create_group(client, vpc_id: str, name: str, description: str, tags: dict) -> tuple[dict, bool]:
    """Create the group and describe it; ``(group, adopted)``, adopted when a lost answer left it created."""
    try:
        group_id = _create(client, vpc_id, name, description, tags)
    except Exception as err:  # only a lost answer is adopted; anything else is raised again
        if error_code(err) != GROUP_DUPLICATE and not answer_lost(err):
            raise
        found = describe_groups(client, vpc_id).get(name)
        if found is None:
            raise
        return found, True
    found = describe_groups(client, vpc_id).get(name)
    return found or {"GroupId": group_id, "GroupName": name, "Description": description, "VpcId": vpc_id}, False


@AWSRetry.jittered_backoff()
def _change_rules(client, verb: str, direction: str, group_id: str, permissions: list) -> None:
    call = getattr(client, f"{verb}_security_group_{direction}")
    call(GroupId=group_id, IpPermissions=permissions)


@AWSRetry.jittered_backoff()
def update_descriptions(client, direction: str, group_id: str, permissions: list) -> None:
    call = getattr(client, f"update_security_group_rule_descriptions_{direction}")
    call(GroupId=group_id, IpPermissions=permissions)


def read_atoms(client, vpc_id: str, name: str, direction: str) -> dict:
    group = describe_groups(client, vpc_id).get(name) or {}
    return atoms_of(group.get("IpPermissions" if direction == "ingress" else "IpPermissionsEgress"))


def change_rules(client, verb: str, direction: str, vpc_id: str, group: dict, atoms: dict) -> None:
    """Authorize (``verb="authorize"``) or revoke ``atoms`` (``{atom: description}``) on ``group``.

    One call for them all; if its answer says some already hold (``InvalidPermission.Duplicate`` to an
    authorize, ``InvalidPermission.NotFound`` to a revoke: AWS then applies none of them) or is lost, the group is
    read again and each atom still to write is written alone, where Duplicate/NotFound mean it holds already.
    """
    if not atoms:
        return
    holds = RULE_DUPLICATE if verb == "authorize" else RULE_NOT_FOUND
    try:
        _change_rules(
            client, verb, direction, group["GroupId"], [_perm(verb, a, d) for a, d in sorted(atoms.items(), key=str)]
        )
        return
    except Exception as err:  # a lost or partly redundant write is read again; anything else is raised
        if error_code(err) != holds and not answer_lost(err):
            raise
    present = read_atoms(client, vpc_id, group["GroupName"], direction)
    for atom, description in sorted(atoms.items(), key=str):
        if (atom in present) == (verb == "authorize"):
            continue
        try:
            _change_rules(client, verb, direction, group["GroupId"], [_perm(verb, atom, description)])
        except Exception as err:  # Duplicate / NotFound: this rule holds already
            if error_code(err) != holds and not answer_lost(err):
                raise


def _perm(verb: str, atom: Atom, description: str | None) -> dict:
    # A revoke names the rule without its description (the description is no part of what identifies it).
    return permission(atom, description if verb == "authorize" else None)


@AWSRetry.jittered_backoff()
def _delete(client, group_id: str) -> None:
    client.delete_security_group(GroupId=group_id)


def delete_group(client, group_id: str) -> None:
    """Delete the group; already gone (a lost answer to an earlier attempt) is done."""
    try:
        _delete(client, group_id)
    except Exception as err:  # a gone group is deleted; anything else is raised again
        if error_code(err) != GROUP_NOT_FOUND:
            raise


# --- desired rules ----------------------------------------------------------------------------------------------


def wanted_tags(group: dict, common: dict | None) -> dict | None:
    """The tags a group of ec2_security_groups should carry: the common O(tags) and its own, or None (leave them).

    The VPC's default group keeps its tags unless the group names its own.
    """
    if group["name"] == "default" and group.get("tags") is None:
        return None
    if common is None and group.get("tags") is None:
        return None
    return {**(common or {}), **(group.get("tags") or {})}


def port_ranges(rule: dict) -> list:
    """``[(from, to)]`` of a rule's O(ports) (``"80"``, ``"1024-2048"``); ``[(None, None)]`` for all protocols."""
    protocol = protocol_of(rule.get("protocol") or "tcp")
    if protocol == "-1":
        return [(None, None)]
    ranges = []
    for text in rule.get("ports") or []:
        low, _sep, high = str(text).partition("-")
        try:
            ranges.append((int(low), int(high or low)))
        except ValueError:
            raise ValueError(f"port {text!r} is not a number or a range like 1024-2048") from None
    if not ranges:
        raise ValueError(f"a {protocol} rule needs ports")
    return ranges


def desired_atoms(rules: list, group_ids: dict) -> dict:
    """``{atom: description}`` of a group's rules; a group is named (a group of this call) or an ``sg-`` id."""
    wanted: dict = {}
    for rule in rules:
        protocol = protocol_of(rule.get("protocol") or "tcp")
        targets = [("cidr_ipv4", value) for value in rule.get("cidr_ipv4") or []]
        targets += [("cidr_ipv6", value) for value in rule.get("cidr_ipv6") or []]
        targets += [("prefix_list_id", value) for value in rule.get("prefix_list_ids") or []]
        for ref in rule.get("groups") or []:
            if ref in group_ids:
                targets.append(("group_id", group_ids[ref]))
            elif str(ref).startswith("sg-"):
                targets.append(("group_id", ref))
            else:
                raise ValueError(f"a rule names the group {ref!r}, which is neither a group of this call nor an sg- id")
        if not targets:
            raise ValueError("a rule needs at least one of cidr_ipv4, cidr_ipv6, prefix_list_ids, groups")
        for from_port, to_port in port_ranges(rule):
            for kind, target in targets:
                wanted[(protocol, from_port, to_port, kind, target)] = rule.get("description")
    return wanted


def rule_differences(wanted: dict, actual: dict, purge: bool) -> tuple[dict, dict, dict]:
    """``(to authorize, to revoke, descriptions to update)`` turning ``actual`` into ``wanted``.

    A wanted description of ``None`` accepts any description.
    """
    to_add = {atom: desc for atom, desc in wanted.items() if atom not in actual}
    to_remove = {atom: desc for atom, desc in actual.items() if purge and atom not in wanted}
    to_describe = {
        atom: desc
        for atom, desc in wanted.items()
        if atom in actual and desc is not None and (actual[atom] or "") != desc
    }
    return to_add, to_remove, to_describe
