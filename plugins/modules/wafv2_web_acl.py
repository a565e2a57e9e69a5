#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: wafv2_web_acl
short_description: A WAFv2 web ACL with its rules, logging and (regional) associations
version_added: 0.3.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Creates, updates or deletes the web ACL O(name) in O(scope). O(rules) are WAFv2 rules in the API's own
    shape (see the role's C(waf_web_acl_rules) filter); the module compares them with what WAF reports, fields
    WAF adds left out, and updates with the lock token only when something differs.
  - O(logging) sends the ACL's logs to a CloudWatch log group (its name must start with C(aws-waf-logs-)) with
    the listed headers redacted.
  - O(associations) attaches a REGIONAL ACL to load balancers. CloudFront distributions name their ACL
    themselves (C(WebACLId)).
  - With O(state=absent) the associations and logging configuration go first, then the ACL.
  - M(community.aws.wafv2_web_acl) wants snake_case keys inside rules and cannot configure logging.
options:
  name:
    description: The web ACL's name.
    type: str
    required: true
  scope:
    description: C(CLOUDFRONT) (the client must be in us-east-1) or C(REGIONAL).
    type: str
    choices: [CLOUDFRONT, REGIONAL]
    default: CLOUDFRONT
  description:
    description: The description.
    type: str
    default: ""
  default_action:
    description: What happens to requests no rule decides.
    type: str
    choices: [allow, block]
    default: allow
  rules:
    description: The rules, in WAFv2's shape.
    type: list
    elements: dict
    default: []
  metric_name:
    description: The ACL's CloudWatch metric name (defaults to O(name)).
    type: str
  logging:
    description: Where the logs go; omit to leave logging as it is.
    type: dict
    suboptions:
      destination_arn:
        description: The log group ARN (without the trailing C(:*)).
        type: str
        required: true
      redacted_headers:
        description: Request headers replaced by C(REDACTED) in the logs.
        type: list
        elements: str
        default: [cookie, authorization]
  associations:
    description: Regional resources (ALB ARNs) this ACL protects; only with O(scope=REGIONAL).
    type: list
    elements: str
    default: []
"""

EXAMPLES = r"""
- name: The edge ACL for CloudFront (us-east-1), logs redacted
  techblogpro.wordpress_aws.wafv2_web_acl:
    name: techblog-prod-edge
    scope: CLOUDFRONT
    region: us-east-1
    rules: "{{ waf_inputs | techblogpro.wordpress_aws.waf_web_acl_rules }}"
    logging:
      destination_arn: arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-techblog-prod
    tags:
      wordpress_aws:stack: techblog-prod
"""

RETURN = r"""
changes:
  description:
    - What changed (or would in check mode) - C(created), C(deleted), C(updated <fields>), C(tags), C(logging),
      C(associated <resource ARN>); empty when nothing did.
  returned: always
  type: list
  elements: str
  sample: ["updated Rules", "logging"]
web_acl:
  description: The web ACL as WAF describes it (empty when absent); keys as WAF spells them.
  returned: always
  type: dict
  contains:
    arn:
      description: The ARN (what CloudFront's C(WebACLId) takes).
      type: str
    id:
      description: The id.
      type: str
    name:
      description: The name.
      type: str
    rules:
      description: The rules.
      type: list
      elements: dict
    capacity:
      description: The web ACL capacity units the rules use.
      type: int
    logging:
      description: The logging configuration.
      type: dict
    tags:
      description: The tags.
      type: dict
associations:
  description: For each resource in O(associations), the ARN of the web ACL that protects it now (empty if none).
  returned: always
  type: dict
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import compare
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import waf
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_or_adopt
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import set_tags
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import tag_changes


def _result(acl, tags, logging):
    if not acl:
        return {}
    return {
        "arn": acl.get("ARN", ""),
        "id": acl.get("Id", ""),
        "name": acl.get("Name", ""),
        "description": acl.get("Description", ""),
        "default_action": acl.get("DefaultAction", {}),
        "rules": acl.get("Rules", []),
        "capacity": acl.get("Capacity", 0),
        "logging": logging or {},
        "tags": tags or {},
    }


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            scope=dict(type="str", choices=["CLOUDFRONT", "REGIONAL"], default="CLOUDFRONT"),
            description=dict(type="str", default=""),
            default_action=dict(type="str", choices=["allow", "block"], default="allow"),
            rules=dict(type="list", elements="dict", default=[]),
            metric_name=dict(type="str"),
            logging=dict(
                type="dict",
                options=dict(
                    destination_arn=dict(type="str", required=True),
                    redacted_headers=dict(type="list", elements="str", default=["cookie", "authorization"]),
                ),
            ),
            associations=dict(type="list", elements="str", default=[]),
            **common_options(),
        ),
        supports_check_mode=True,
    )
    p = module.params
    if p["associations"] and p["scope"] != "REGIONAL":
        module.fail_json(msg="associations are for REGIONAL web ACLs; a distribution names its ACL in WebACLId")
    client = aws_client(module, "wafv2")
    check = module.check_mode
    changes = []
    associated = {}
    current, before_tags, before_logging = None, {}, None
    after, after_tags, after_logging = None, {}, None
    with aws_errors(module, f"manage the web ACL {p['name']} ({p['scope']})"):
        current = waf.find_web_acl(client, p["name"], p["scope"])
        before_tags = waf.tags(client, current["ARN"]) if current else {}
        before_logging = waf.logging_configuration(client, current["ARN"]) if current else None
        after, after_tags, after_logging = current, before_tags, before_logging
        if p["state"] == "absent":
            if current:
                changes, after, after_tags, after_logging = ["deleted"], None, {}, None
                if not check:
                    for resource in p["associations"]:
                        if waf.associated_web_acl(client, resource) == current["ARN"]:
                            client.disassociate_web_acl(ResourceArn=resource, aws_retry=True)
                    if before_logging:
                        client.delete_logging_configuration(ResourceArn=current["ARN"], aws_retry=True)
                    client.delete_web_acl(
                        Name=p["name"],
                        Scope=p["scope"],
                        Id=current["Id"],
                        LockToken=current["LockToken"],
                        aws_retry=True,
                    )
        else:
            desired = waf.desired_web_acl(
                p["name"], p["default_action"], p["rules"], p["metric_name"], p["description"]
            )
            if current is None:
                changes.append("created")
                after = {"Name": p["name"], **desired}
                after_tags = p["tags"] or {}
                if not check:
                    tag_list = [{"Key": k, "Value": v} for k, v in after_tags.items()]
                    kwargs = {"Name": p["name"], "Scope": p["scope"], **desired}
                    if tag_list:
                        kwargs["Tags"] = tag_list
                    # no token in CreateWebACL: a retry after a lost answer meets the ACL the first attempt made
                    create_or_adopt(
                        lambda: client.create_web_acl(**kwargs, aws_retry=True),
                        lambda: waf.find_web_acl(client, p["name"], p["scope"]),
                        ("WAFDuplicateItemException", "WafV2DuplicateItem"),  # the second: moto's name for it
                    )
                    after = waf.find_web_acl(client, p["name"], p["scope"])
            else:
                differ = compare.differences(desired, current)
                if differ:
                    changes.append(f"updated {', '.join(differ)}")
                    after = {**current, **desired}
                    if not check:
                        client.update_web_acl(
                            Name=p["name"],
                            Scope=p["scope"],
                            Id=current["Id"],
                            LockToken=current["LockToken"],
                            **desired,
                            aws_retry=True,
                        )
                        after = waf.find_web_acl(client, p["name"], p["scope"])
                to_add, to_remove = tag_changes(p["tags"], before_tags, p["purge_tags"])
                if to_add or to_remove:
                    changes.append("tags")
                    after_tags = {k: v for k, v in {**before_tags, **to_add}.items() if k not in to_remove}
                    if not check:
                        set_tags(client, current["ARN"], to_add, to_remove)
            arn = (after or {}).get("ARN")
            if p["logging"]:
                wanted = waf.desired_logging(
                    arn or "(new)", p["logging"]["destination_arn"], p["logging"]["redacted_headers"]
                )
                if not waf.logging_matches(before_logging, wanted):
                    changes.append("logging")
                    after_logging = wanted
                    if not check:
                        put = client.put_logging_configuration(LoggingConfiguration=wanted, aws_retry=True)
                        after_logging = put["LoggingConfiguration"]
            for resource in p["associations"]:
                protector = waf.associated_web_acl(client, resource)
                associated[resource] = protector
                if not arn or protector != arn:
                    changes.append(f"associated {resource}")
                    if not check:
                        client.associate_web_acl(WebACLArn=arn, ResourceArn=resource, aws_retry=True)
                        associated[resource] = waf.associated_web_acl(client, resource)
    exit_result(
        module,
        "web_acl",
        _result(current, before_tags, before_logging),
        _result(after, after_tags, after_logging),
        changes,
        associations=associated,
    )


if __name__ == "__main__":
    main()
