#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: stack_drift
short_description: What the live stack holds that the inventory does not ask for, in one read
version_added: 0.9.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes.info, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Reads the live resources of a stack with batched describe calls and lists every difference from the desired
    state it is given, like a plan - without writing anything and in one process.
  - The desired state of each family comes in the shape its converge module takes
    (M(techblogpro.wordpress_aws.ec2_security_groups), M(techblogpro.wordpress_aws.cloudwatch_alarms),
    M(techblogpro.wordpress_aws.cloudwatch_log_groups),
    M(techblogpro.wordpress_aws.cloudwatch_log_retention), M(techblogpro.wordpress_aws.rds_parameter_group),
    M(techblogpro.wordpress_aws.wafv2_web_acl), M(techblogpro.wordpress_aws.ecs_task_definition)), and is
    compared with those modules' own normalisation, so a drift reported here is what they repair, and a family
    reported clean is one they leave alone.
  - Every resource found by the stack tag (as M(techblogpro.wordpress_aws.stack_inventory) finds them) must carry
    every tag of O(tags) with its value.
  - Read only. What it does not check is listed in the collection's C(docs/operations.md); C(site.yml --check)
    checks everything.
options:
  stack_name:
    description: The stack name (the value of the C(wordpress_aws:stack) tag).
    type: str
    required: true
  tags:
    description: The tags every resource of the stack carries (C(wordpress_aws_tags)).
    type: dict
    default: {}
  regions:
    description: Regions to search for the stack's resources besides the module's region (for example V(us-east-1)).
    type: list
    elements: str
    default: []
  security_groups:
    description:
      - The O(techblogpro.wordpress_aws.ec2_security_groups#module:groups) of the stack's VPC, compared as that
        module does with O(techblogpro.wordpress_aws.ec2_security_groups#module:purge_rules=true) and
        O(techblogpro.wordpress_aws.ec2_security_groups#module:purge_tags=true); O(tags) is its common O(tags).
      - The VPC is the one tagged with the stack's name.
    type: list
    elements: dict
    default: []
  alarm_sets:
    description: The alarms of M(techblogpro.wordpress_aws.cloudwatch_alarms) calls (with purge), one item per call.
    type: list
    elements: dict
    default: []
    suboptions:
      prefix:
        description: The alarm name prefix.
        type: str
        required: true
      alarms:
        description: The C(PutMetricAlarm) requests.
        type: list
        elements: dict
        default: []
      region:
        description: The region of the alarms (unset - the module's region).
        type: str
  log_groups:
    description: The O(techblogpro.wordpress_aws.cloudwatch_log_groups#module:log_groups), retention and key compared.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The log group name.
        type: str
        required: true
      retention_days:
        description: Its retention (unset - not compared).
        type: int
      kms_key_id:
        description: Its key, an ARN or key id (unset - not compared).
        type: str
      region:
        description: The region of the group (unset - the module's region).
        type: str
  log_retention:
    description: The rules of M(techblogpro.wordpress_aws.cloudwatch_log_retention) calls, one item per call.
    type: list
    elements: dict
    default: []
    suboptions:
      prefixes:
        description: Log group name prefixes.
        type: list
        elements: str
        required: true
      retention_days:
        description: The retention a group without one gets.
        type: int
        required: true
      max_days:
        description: The longest retention a group may keep.
        type: int
      region:
        description: The region of the groups (unset - the module's region).
        type: str
  parameter_groups:
    description: The DB parameter groups of M(techblogpro.wordpress_aws.rds_parameter_group), their parameters compared.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The parameter group name.
        type: str
        required: true
      parameters:
        description: The parameters, as O(techblogpro.wordpress_aws.rds_parameter_group#module:parameters).
        type: dict
        default: {}
  web_acls:
    description:
      - The web ACLs of M(techblogpro.wordpress_aws.wafv2_web_acl), compared as that module compares them
        (default action, rules, visibility, description).
      - Either C(rules), or C(rule_inputs) for the collection's rule set (the C(waf_web_acl_rules) filter) with the
        admin IP sets named in C(admin_ip_set_names) resolved to their ARNs here.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The web ACL name.
        type: str
        required: true
      scope:
        description: Its scope.
        type: str
        choices: [CLOUDFRONT, REGIONAL]
        default: CLOUDFRONT
      region:
        description: Its region (unset - the module's region).
        type: str
      default_action:
        description: Its default action.
        type: str
        choices: [allow, block]
        default: allow
      description:
        description: Its description.
        type: str
        default: ""
      metric_name:
        description: Its metric name (unset - its name).
        type: str
      rules:
        description: The rules, as O(techblogpro.wordpress_aws.wafv2_web_acl#module:rules).
        type: list
        elements: dict
      rule_inputs:
        description: The inputs of the collection's rule set, without C(admin_ip_set_arns).
        type: dict
      admin_ip_set_names:
        description: IP sets of the ACL's scope whose ARNs, where they exist, are the rule set's C(admin_ip_set_arns).
        type: list
        elements: str
        default: []
  task_definitions:
    description:
      - Task definition families, with options of M(techblogpro.wordpress_aws.ecs_task_definition)
        (C(family) required); the latest ACTIVE revision is compared with the fields given, the containers'
        environment variables one by one.
    type: list
    elements: dict
    default: []
"""

EXAMPLES = r"""
- name: Report the drift of the stack
  techblogpro.wordpress_aws.stack_drift:
    stack_name: techblog-prod
    tags: "{{ wordpress_aws_tags }}"
    regions: [us-east-1]
    parameter_groups:
      - name: techblog-prod-mysql
        parameters: {slow_query_log: 1, long_query_time: 2}
    log_retention:
      - prefixes: [/wordpress-aws/techblog-prod/]
        retention_days: 30
  register: drift

- name: Show it
  ansible.builtin.debug:
    msg: "{{ drift.text }}"
"""

RETURN = r"""
drifts:
  description: Each difference, C(wanted) and C(live) being V((absent)) where one side has nothing.
  returned: always
  type: list
  elements: dict
  contains:
    resource:
      description: The resource's name or id.
      type: str
      sample: techblog-prod-alb
    type:
      description: Its kind.
      type: str
      sample: security group
    field:
      description: What differs.
      type: str
      sample: ingress tcp 22 0.0.0.0/0
    wanted:
      description: What the inventory asks.
      type: raw
      sample: (absent)
    live:
      description: What AWS holds.
      type: raw
      sample: present
count:
  description: How many drifts.
  returned: always
  type: int
  sample: 1
checked:
  description: How many resources of each family were compared.
  returned: always
  type: dict
  sample: {"tags": 78, "security_groups": 7, "alarms": 30}
text:
  description: The drifts as a plan, one line each.
  returned: always
  type: str
  sample: "~ alarm techblog-prod/database/cpu-high: Threshold: wanted 80.0, live 95.0"
"""

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import alarms
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import drift
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ec2_security_groups as sg
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import rds_parameter_group as pg
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import waf
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.stack import STACK_TAG_KEY


class Reader:
    """One client per service and region for the whole run."""

    def __init__(self, module):
        self.module, self.clients = module, {}

    def client(self, service, region=None):
        region = region or self.module.region
        if (service, region) not in self.clients:
            self.clients[(service, region)] = self.module.client(service, region=region)
        return self.clients[(service, region)]


def _tags(module, reader, regions):
    return drift.stack_tag_drifts(reader.client, module.params["stack_name"], regions, module.params["tags"])


def _security_groups(module, reader):
    p = module.params
    ec2 = reader.client("ec2")
    vpc_id = drift.stack_vpc_id(ec2, STACK_TAG_KEY, p["stack_name"])
    if not vpc_id:
        return [drift.drift(p["stack_name"], "VPC", "exists", "present", drift.ABSENT)]
    return drift.security_group_drifts(p["security_groups"], sg.describe_groups(ec2, vpc_id), p["tags"])


def _alarms(module, reader):
    found = []
    for item in module.params["alarm_sets"]:
        metric, _composite = alarms.existing(reader.client("cloudwatch", item["region"]), item["prefix"])
        found += drift.alarm_drifts(item["alarms"], metric, item["prefix"])
    return found


def _logs(module, reader):
    p = module.params
    by_region = {}
    for group in p["log_groups"]:
        by_region.setdefault(group["region"], {"groups": [], "prefixes": set()})
        by_region[group["region"]]["groups"].append(group)
        by_region[group["region"]]["prefixes"].add(group["name"])
    for rule in p["log_retention"]:
        by_region.setdefault(rule["region"], {"groups": [], "prefixes": set()})
        by_region[rule["region"]]["prefixes"].update(rule["prefixes"])
    found = []
    for region, wanted in by_region.items():
        live = drift.read_log_groups(reader.client("logs", region), sorted(wanted["prefixes"]))
        found += drift.log_group_drifts(wanted["groups"], live)
        for rule in [r for r in p["log_retention"] if r["region"] == region]:
            found += drift.log_retention_drifts(rule, live)
    # A group checked by name and under a retention prefix is reported once.
    unique = []
    for item in found:
        if item not in unique:
            unique.append(item)
    return unique


def _parameter_groups(module, reader):
    rds = reader.client("rds")
    found = []
    for item in module.params["parameter_groups"]:
        group = pg.describe_group(rds, item["name"])
        current = pg.describe_parameters(rds, item["name"]) if group else None
        found += drift.parameter_drifts(item["name"], item["parameters"], current)
    return found


@AWSRetry.jittered_backoff()
def _ip_set_arns(client, scope, names):
    if not names:
        return []
    listed = client.list_ip_sets(Scope=scope, Limit=100).get("IPSets", [])
    by_name = {item["Name"]: item["ARN"] for item in listed}
    return [by_name[name] for name in names if name in by_name]


def _web_acls(module, reader):
    found = []
    for item in module.params["web_acls"]:
        if (item["rules"] is None) == (item["rule_inputs"] is None):
            module.fail_json(msg=f"web ACL {item['name']}: give either rules or rule_inputs")
        client = reader.client("wafv2", item["region"])
        rules = item["rules"]
        if rules is None:
            arns = _ip_set_arns(client, item["scope"], item["admin_ip_set_names"])
            rules = waf.web_acl_rules({**item["rule_inputs"], "admin_ip_set_arns": arns})
        desired = waf.desired_web_acl(
            item["name"], item["default_action"], rules, item["metric_name"], item["description"]
        )
        found += drift.web_acl_drifts(item["name"], desired, waf.find_web_acl(client, item["name"], item["scope"]))
    return found


def _task_definitions(module, reader):
    ecs_client = reader.client("ecs")
    found = []
    for options in module.params["task_definitions"]:
        if not options.get("family"):
            module.fail_json(msg="each task_definitions item needs its family")
        found += drift.task_definition_drifts(options, drift.read_task_definition(ecs_client, options["family"]))
    return found


def main():
    region_opt = dict(type="str")
    module = WordPressAWSModule(
        argument_spec=dict(
            stack_name=dict(type="str", required=True),
            tags=dict(type="dict", default={}),
            regions=dict(type="list", elements="str", default=[]),
            security_groups=dict(type="list", elements="dict", default=[]),
            alarm_sets=dict(
                type="list",
                elements="dict",
                default=[],
                options=dict(
                    prefix=dict(type="str", required=True),
                    alarms=dict(type="list", elements="dict", default=[]),
                    region=region_opt,
                ),
            ),
            log_groups=dict(
                type="list",
                elements="dict",
                default=[],
                options=dict(
                    name=dict(type="str", required=True),
                    retention_days=dict(type="int"),
                    kms_key_id=dict(type="str"),
                    region=region_opt,
                ),
            ),
            log_retention=dict(
                type="list",
                elements="dict",
                default=[],
                options=dict(
                    prefixes=dict(type="list", elements="str", required=True),
                    retention_days=dict(type="int", required=True),
                    max_days=dict(type="int"),
                    region=region_opt,
                ),
            ),
            parameter_groups=dict(
                type="list",
                elements="dict",
                default=[],
                options=dict(name=dict(type="str", required=True), parameters=dict(type="dict", default={})),
            ),
            web_acls=dict(
                type="list",
                elements="dict",
                default=[],
                options=dict(
                    name=dict(type="str", required=True),
                    scope=dict(type="str", choices=["CLOUDFRONT", "REGIONAL"], default="CLOUDFRONT"),
                    region=region_opt,
                    default_action=dict(type="str", choices=["allow", "block"], default="allow"),
                    description=dict(type="str", default=""),
                    metric_name=dict(type="str"),
                    rules=dict(type="list", elements="dict"),
                    rule_inputs=dict(type="dict"),
                    admin_ip_set_names=dict(type="list", elements="str", default=[]),
                ),
            ),
            task_definitions=dict(type="list", elements="dict", default=[]),
        ),
        supports_check_mode=True,
    )
    p = module.params
    if not all(prefix for rule in p["log_retention"] for prefix in rule["prefixes"]):
        module.fail_json(msg="log_retention prefixes may not hold an empty prefix (it would match every log group)")
    for item in p["security_groups"]:
        for direction in sg.DIRECTIONS:
            try:
                sg.desired_atoms(
                    item.get(direction) or [], {g["name"]: f"sg-{g['name']}" for g in p["security_groups"]}
                )
            except (ValueError, KeyError) as err:
                module.fail_json(msg=f"security group {item.get('name')}, {direction}: {err}")
    reader = Reader(module)
    regions = [module.region] + [r for r in p["regions"] if r != module.region]
    drifts, checked = [], {}
    with aws_errors(module, f"read the live state of stack {p['stack_name']}"):
        found, checked["tags"] = _tags(module, reader, regions)
        drifts += found
        families = (
            ("security_groups", p["security_groups"], _security_groups),
            ("alarms", [a for s in p["alarm_sets"] for a in s["alarms"]], _alarms),
            ("log_groups", p["log_groups"] + p["log_retention"], _logs),
            ("parameter_groups", p["parameter_groups"], _parameter_groups),
            ("web_acls", p["web_acls"], _web_acls),
            ("task_definitions", p["task_definitions"], _task_definitions),
        )
        for name, wanted, check in families:
            if wanted or (name == "alarms" and p["alarm_sets"]):
                drifts += check(module, reader)
            checked[name] = len(wanted)
    module.exit_json(changed=False, drifts=drifts, count=len(drifts), checked=checked, text=drift.text(drifts))


if __name__ == "__main__":
    main()
