# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift report: what the live stack holds that the inventory does not ask for, family by family.

Each ``*_drifts`` function compares the desired state of one resource family, in the shape its converge module
takes, with what AWS describes, and returns drifts ``{resource, type, field, wanted, live}``. Each uses the
converge module's own normalisation and comparison (``ec2_security_groups.rule_differences``,
``alarms.normalised``, ``log_groups.differences``, ``rds_parameter_group.parameter_changes``,
``compare.differences``, ``ecs.task_definition_request``...), so what the report calls converged is what the
converge module leaves alone, and what it reports the converge module repairs.

The read calls are batched per family (one ``DescribeSecurityGroups`` for the VPC, one ``DescribeAlarms`` per
prefix, one ``DescribeLogGroups`` per prefix...); ``read_*`` functions make them, the comparisons make none.
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import alarms
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import compare
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ec2_security_groups as sg
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ecs
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import inventory
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import log_groups
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import logs
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import rds_parameter_group as pg
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import waf
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import tag_changes
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import tags_of

ABSENT = "(absent)"
# The services whose describe calls find the stack's resources by tag (module_utils/inventory.py), per region.
INVENTORY_SERVICES = (
    "resourcegroupstaggingapi",
    "ec2",
    "backup",
    "kms",
    "secretsmanager",
    "rds",
    "ecs",
    "wafv2",
    "acm",
)


def drift(resource: str, rtype: str, field: str, wanted, live) -> dict:
    return {"resource": resource, "type": rtype, "field": field, "wanted": wanted, "live": live}


def text(drifts: list) -> str:
    """The drifts as a plan: one line per drift, ``~`` changed, ``+`` missing, ``-`` not asked for."""
    if not drifts:
        return "No drift: the live stack is what the inventory asks for."
    lines = []
    for d in drifts:
        sign = "+" if d["live"] == ABSENT else "-" if d["wanted"] == ABSENT else "~"
        lines.append(f"{sign} {d['type']} {d['resource']}: {d['field']}: wanted {d['wanted']!r}, live {d['live']!r}")
    lines.append(f"{len(drifts)} drift(s); ansible-playbook playbooks/site.yml repairs them.")
    return "\n".join(lines)


# --- tags ---------------------------------------------------------------------------------------------------------


def tag_drifts(resources: list, wanted: dict) -> list:
    """Every stack resource (stack_inventory entries) carries every stack tag with its value.

    Tags a resource has beyond these (``Name``, ``wordpress_aws:tier``...) are left to the resource's own family.
    """
    found = []
    for entry in resources:
        to_set, _remove = tag_changes(wanted, entry.get("tags") or {}, False)
        for key in sorted(to_set):
            label = f"{entry['service']}:{entry['resource_type']}"
            found.append(
                drift(entry["id"], label, f"tag {key}", wanted[key], (entry.get("tags") or {}).get(key, ABSENT))
            )
    return found


def _tag_field_drifts(resource: str, rtype: str, wanted: dict | None, live: dict, purge: bool) -> list:
    to_set, to_remove = tag_changes(wanted, live, purge)
    found = [drift(resource, rtype, f"tag {k}", v, live.get(k, ABSENT)) for k, v in sorted(to_set.items())]
    found += [drift(resource, rtype, f"tag {k}", ABSENT, live[k]) for k in sorted(to_remove)]
    return found


# --- security groups ----------------------------------------------------------------------------------------------


def security_group_drifts(wanted: list, found: dict, common_tags: dict | None) -> list:
    """The groups of ``ec2_security_groups`` (``purge_rules`` and ``purge_tags`` true) against ``describe_groups``."""
    ids = {name: group["GroupId"] for name, group in found.items()}
    out = []
    for want in wanted:
        name = want["name"]
        group = found.get(name)
        if group is None:
            out.append(drift(name, "security group", "exists", "present", ABSENT))
            continue
        tags = sg.wanted_tags(want, common_tags)
        out += _tag_field_drifts(name, "security group", tags, tags_of(group), True)
        for direction in sg.DIRECTIONS:
            desired = sg.desired_atoms(want.get(direction) or [], ids)
            actual = sg.atoms_of(group.get(sg.RULES_KEY[direction]))
            to_add, to_remove, to_describe = sg.rule_differences(desired, actual, True)
            names = {gid: gname for gname, gid in ids.items()}
            for atom in sorted(to_add, key=str):
                out.append(
                    drift(name, "security group", f"{direction} {sg.describe_atom(atom, names)}", "present", ABSENT)
                )
            for atom in sorted(to_remove, key=str):
                out.append(
                    drift(name, "security group", f"{direction} {sg.describe_atom(atom, names)}", ABSENT, "present")
                )
            for atom, desc in sorted(to_describe.items(), key=lambda kv: str(kv[0])):
                field = f"{direction} {sg.describe_atom(atom, names)} description"
                out.append(drift(name, "security group", field, desc, actual.get(atom)))
    return out


# --- alarms -------------------------------------------------------------------------------------------------------


def alarm_drifts(wanted: list, live: dict, prefix: str) -> list:
    """The metric alarms of ``cloudwatch_alarms`` (``purge_alarms`` true) against ``alarms.existing``."""
    out = []
    names = {a["AlarmName"] for a in wanted}
    for alarm in wanted:
        name = alarm["AlarmName"]
        have = live.get(name)
        if have is None:
            out.append(drift(name, "alarm", "exists", "present", ABSENT))
            continue
        want_n, have_n = alarms.normalised(alarm), alarms.normalised(have)
        for field in compare.differences(want_n, have_n):
            key = field.split(".")[0].split("[")[0]
            out.append(drift(name, "alarm", field, want_n.get(key), have_n.get(key, ABSENT)))
    for name in sorted(set(live) - names):
        if name.startswith(prefix):
            out.append(drift(name, "alarm", "exists", ABSENT, "present"))
    return out


# --- log groups ---------------------------------------------------------------------------------------------------


@AWSRetry.jittered_backoff()
def read_log_groups(client, prefixes: list) -> dict:
    """The log groups under each prefix, by name, in one paginated ``DescribeLogGroups`` per prefix."""
    found = {}
    for prefix in prefixes:
        for page in client.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=prefix):
            found.update({group["logGroupName"]: group for group in page.get("logGroups", [])})
    return found


def log_group_drifts(wanted: list, found: dict) -> list:
    """The groups of ``cloudwatch_log_groups`` (retention, key) against ``read_log_groups``; tags: ``tag_drifts``."""
    out = []
    for want in wanted:
        name = want["name"]
        group = found.get(name)
        if group is None:
            out.append(drift(name, "log group", "exists", "present", ABSENT))
            continue
        for field in log_groups.differences(want, {"group": group, "tags": {}}, None, False):
            if field == "retention":
                out.append(
                    drift(name, "log group", "retention_days", want["retention_days"], group.get("retentionInDays"))
                )
            else:
                out.append(drift(name, "log group", field, want.get("kms_key_id"), group.get("kmsKeyId", ABSENT)))
    return out


def log_retention_drifts(rule: dict, found: dict) -> list:
    """The rule of ``cloudwatch_log_retention`` (every group under ``prefixes`` has a retention) on ``found``."""
    out = []
    for name, group in sorted(found.items()):
        if not any(name.startswith(prefix) for prefix in rule["prefixes"]):
            continue
        current = group.get("retentionInDays")
        days = logs.wanted_retention(current, rule["retention_days"], rule.get("max_days"))
        if days is not None:
            out.append(drift(name, "log group", "retention_days", days, current if current is not None else ABSENT))
    return out


# --- RDS parameter groups -----------------------------------------------------------------------------------------


def parameter_drifts(name: str, desired: dict, current: dict | None) -> list:
    """The parameters of ``rds_parameter_group`` against ``describe_parameters``; tags: ``tag_drifts``."""
    if current is None:
        return [drift(name, "DB parameter group", "exists", "present", ABSENT)]
    out = []
    for change in pg.parameter_changes(current, desired):
        parameter = change["ParameterName"]
        live = current.get(parameter, {}).get("value")
        out.append(drift(name, "DB parameter group", parameter, change["ParameterValue"], live or ABSENT))
    return out


# --- web ACLs -----------------------------------------------------------------------------------------------------


def web_acl_drifts(name: str, desired: dict, current: dict | None) -> list:
    """``waf.desired_web_acl`` against ``waf.find_web_acl``, the rules one by one by name."""
    if current is None:
        return [drift(name, "web ACL", "exists", "present", ABSENT)]
    out = []
    want_rules = {r["Name"]: r for r in desired.get("Rules", [])}
    have_rules = {r["Name"]: r for r in current.get("Rules", [])}
    for rule in sorted(set(want_rules) | set(have_rules)):
        if rule not in have_rules:
            out.append(drift(name, "web ACL", f"rule {rule}", "present", ABSENT))
        elif rule not in want_rules:
            out.append(drift(name, "web ACL", f"rule {rule}", ABSENT, "present"))
        else:
            for field in compare.differences(want_rules[rule], have_rules[rule]):
                out.append(drift(name, "web ACL", f"rule {rule}: {field}", "as the inventory asks", "differs"))
    if not out and compare.differences({"Rules": desired.get("Rules", [])}, {"Rules": current.get("Rules", [])}):
        order = ([r["Name"] for r in desired["Rules"]], [r["Name"] for r in current.get("Rules", [])])
        out.append(drift(name, "web ACL", "rule order", *order))
    for field in compare.differences({k: v for k, v in desired.items() if k != "Rules"}, current):
        key = field.split(".")[0]
        out.append(drift(name, "web ACL", field, desired.get(key), current.get(key, ABSENT)))
    return out


# --- task definitions ---------------------------------------------------------------------------------------------


def _environment(container: dict) -> dict:
    return {item["name"]: item.get("value") for item in container.get("environment") or []}


def task_definition_drifts(options: dict, current: dict | None) -> list:
    """The latest ACTIVE revision against what ``ecs_task_definition`` would register from ``options``.

    ``options`` holds ecs_task_definition's options; those left unset (``None``) are not compared. The
    containers' environment variables are compared one by one, by name.
    """
    family = options["family"]
    if current is None:
        return [drift(family, "task definition", "exists", "present", ABSENT)]
    request = ecs.task_definition_request({k: options.get(k) for k in ecs.TASK_DEFINITION_OPTIONS})
    request = {k: v for k, v in request.items() if v is not None}
    out = []
    have_containers = {c["name"]: c for c in current.get("containerDefinitions") or []}
    for want in request.pop("containerDefinitions", None) or []:
        cname = want["name"]
        have = have_containers.get(cname)
        if have is None:
            out.append(drift(family, "task definition", f"container {cname}", "present", ABSENT))
            continue
        want_env, have_env = _environment(want), _environment(have)
        for var in sorted(set(want_env) | set(have_env)) if "environment" in want else []:
            if var not in have_env or var not in want_env or not compare.contains(want_env[var], have_env[var]):
                field = f"container {cname} environment {var}"
                out.append(
                    drift(family, "task definition", field, want_env.get(var, ABSENT), have_env.get(var, ABSENT))
                )
        for key in sorted(set(want) - {"name", "environment"}):
            if not compare.contains(want[key], have.get(key)):
                out.append(
                    drift(family, "task definition", f"container {cname} {key}", want[key], have.get(key, ABSENT))
                )
    for key, want in sorted(request.items()):
        if key != "family" and not compare.contains(want, current.get(key)):
            out.append(drift(family, "task definition", key, want, current.get(key, ABSENT)))
    return out


# --- reads --------------------------------------------------------------------------------------------------------


def stack_tag_drifts(client, stack_name: str, regions: list, wanted: dict) -> tuple[list, int]:
    """The tag drifts of every live resource of the stack in ``regions`` (the first one also holds the global
    services: IAM, CloudFront), and how many resources were read. ``client(service, region)`` gives a client."""
    resources = []
    for index, region in enumerate(regions):
        clients = {name: client(name, region) for name in INVENTORY_SERVICES}
        if index == 0:
            clients["iam"] = client("iam", region)
            clients["cloudfront"] = client("cloudfront", "us-east-1")
        live, _pending, _retained = inventory.collect(clients, stack_name, region, index == 0)
        resources.extend(live)
    resources = inventory.merge(resources)
    return tag_drifts(resources, wanted), len(resources)


@AWSRetry.jittered_backoff()
def stack_vpc_id(client, stack_tag: str, stack_name: str) -> str:
    vpcs = client.describe_vpcs(Filters=[{"Name": f"tag:{stack_tag}", "Values": [stack_name]}]).get("Vpcs", [])
    return vpcs[0]["VpcId"] if vpcs else ""


def read_web_acl(client, name: str, scope: str) -> dict | None:
    return waf.find_web_acl(client, name, scope)


def read_task_definition(client, family: str) -> dict | None:
    return ecs.latest_task_definition(client, family)
