#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: elb_header_rule
short_description: Forward ALB requests to a target group only when a secret header matches
version_added: 0.2.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Manages one rule of an Application Load Balancer listener - at O(priority), forward to
    O(target_group_arn) when the request header O(header_name) equals the value kept in Secrets Manager.
  - Used to lock an ALB to its CloudFront distribution - CloudFront adds the header to every origin
    request; requests that reach the ALB without it fall through to the listener's default action (a 403).
  - The header value is read from Secrets Manager inside the module, compared with the rule, and never
    returned or shown in a diff (M(amazon.aws.elb_application_lb) would take it as a task argument and
    print it back with the listener's rules).
options:
  listener_arn:
    description: The listener. Or O(load_balancer_name) and O(listener_port).
    type: str
  load_balancer_name:
    description: The load balancer whose listener holds the rule (instead of O(listener_arn)).
    type: str
  listener_port:
    description: The port of that listener; 443 when the load balancer has one, else 80, when omitted.
    type: int
  priority:
    description: The rule's priority (1-50000); the module owns the rule at this priority.
    type: int
    required: true
  header_name:
    description: The request header to match.
    type: str
    default: X-Origin-Verify
  secret_id:
    description: The Secrets Manager secret (name or ARN) holding the header value.
    type: str
  secret_field:
    description: The field of the JSON secret holding the value; empty for a plain string secret.
    type: str
    default: value
  secret_stages:
    description:
      - The secret's versions whose values the rule accepts, by staging label; labels no version carries are
        skipped. C([AWSCURRENT, AWSPENDING]) while the header value rotates, so requests with either value pass.
    type: list
    elements: str
    default: [AWSCURRENT]
  target_group_arn:
    description: Where matching requests go. Or O(target_group_name).
    type: str
  target_group_name:
    description: Where matching requests go, by name (instead of O(target_group_arn)).
    type: str
"""

EXAMPLES = r"""
- name: Only CloudFront (which sends the secret header) reaches WordPress
  techblogpro.wordpress_aws.elb_header_rule:
    listener_arn: "{{ https_listener_arn }}"
    priority: 10
    header_name: X-Origin-Verify
    secret_id: techblog-prod/cloudfront/origin-verify
    target_group_arn: "{{ target_group_arn }}"
    tags:
      wordpress_aws:stack: techblog-prod
"""

RETURN = r"""
changes:
  description: V(created) or V(deleted) for the listener rule, else the changed paths of RV(rule) (header values
    never shown).
  returned: always
  type: list
  elements: str
  sample: [conditions]
rule:
  description: The rule as the load balancer describes it, header values replaced (empty when absent).
  returned: always
  type: dict
  contains:
    rule_arn:
      description: The ARN.
      type: str
    priority:
      description: The priority.
      type: str
    conditions:
      description: The conditions, values redacted.
      type: list
      elements: dict
    actions:
      description: The actions.
      type: list
      elements: dict
    tags:
      description: The tags.
      type: dict
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import elb_rule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import secretsmanager as sm_api
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_or_adopt
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.compare import change_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def _result(rule, tags):
    if not rule:
        return {}
    out = camel_dict_to_snake_dict(elb_rule.redact(rule))
    out["tags"] = tags or {}
    return out


def _ours_at(elb, listener_arn, priority, conditions, actions):
    """The rule at ``priority`` if it is the one we create (our conditions and actions), else None.

    CreateRule has no token: after a lost answer its retry answers PriorityInUse, against our own rule. Another
    rule at the priority is a real conflict and stays an error.
    """
    found = elb_rule.rule_at(elb_rule.rules(elb, listener_arn), priority)
    return found if found and elb_rule.rule_matches(found, conditions, actions) else None


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            listener_arn=dict(type="str"),
            load_balancer_name=dict(type="str"),
            listener_port=dict(type="int"),
            priority=dict(type="int", required=True),
            header_name=dict(type="str", default="X-Origin-Verify"),
            secret_id=dict(type="str"),
            secret_field=dict(type="str", default="value", no_log=False),
            secret_stages=dict(type="list", elements="str", default=["AWSCURRENT"], no_log=False),
            target_group_arn=dict(type="str"),
            target_group_name=dict(type="str"),
            **common_options(name=False),
        ),
        required_if=[
            ("state", "present", ["secret_id"]),
            ("state", "present", ["target_group_arn", "target_group_name"], True),
        ],
        required_one_of=[("listener_arn", "load_balancer_name")],
        mutually_exclusive=[("listener_arn", "load_balancer_name"), ("target_group_arn", "target_group_name")],
        supports_check_mode=True,
    )
    p = module.params
    if not 1 <= p["priority"] <= 50000:
        module.fail_json(msg=f"priority {p['priority']} must be between 1 and 50000")
    elb = module.client("elbv2")
    changed = False
    with aws_errors(module, f"manage the rule at priority {p['priority']} of {p['listener_arn']}"):
        try:
            if p["load_balancer_name"]:
                p["listener_arn"] = elb_rule.listener_by_name(elb, p["load_balancer_name"], p["listener_port"])
            if p["target_group_name"]:
                p["target_group_arn"] = elb_rule.target_group_by_name(elb, p["target_group_name"])
            current = elb_rule.rule_at(elb_rule.rules(elb, p["listener_arn"]), p["priority"])
            before_tags = elb_rule.rule_tags(elb, current["RuleArn"]) if current else {}
            after, after_tags = current, before_tags
            if p["state"] == "absent":
                if current:
                    changed, after, after_tags = True, None, {}
                    if not module.check_mode:
                        elb_rule.delete_rule(elb, current["RuleArn"])
            else:
                sm = module.client("secretsmanager")
                values = sm_api.stage_values(sm, p["secret_id"], p["secret_field"], p["secret_stages"])
                module.no_log_values.update(values)
                conditions, actions = elb_rule.desired(p["header_name"], values, p["target_group_arn"])
                if current is None:
                    changed = True
                    after = {
                        "Priority": str(p["priority"]),
                        "Conditions": conditions,
                        "Actions": actions,
                        "IsDefault": False,
                    }
                    after_tags = p["tags"] or {}
                    if not module.check_mode:
                        after, _adopted = create_or_adopt(
                            lambda: elb_rule.create_rule(
                                elb, p["listener_arn"], p["priority"], conditions, actions, after_tags
                            ),
                            lambda: _ours_at(elb, p["listener_arn"], p["priority"], conditions, actions),
                            ("PriorityInUse",),
                        )
                else:
                    if not elb_rule.rule_matches(current, conditions, actions):
                        changed = True
                        after = {**current, "Conditions": conditions, "Actions": actions}
                        if not module.check_mode:
                            after = elb_rule.modify_rule(elb, current["RuleArn"], conditions, actions)
                    to_add, to_remove = tagging.tag_changes(p["tags"], before_tags, p["purge_tags"])
                    if to_add or to_remove:
                        changed = True
                        after_tags = {k: v for k, v in {**before_tags, **to_add}.items() if k not in to_remove}
                        if not module.check_mode:
                            tagging.set_tags(elb, current["RuleArn"], to_add, to_remove)
        except ValueError as err:
            module.fail_json(msg=str(err))
    view_before, view_after = _result(current, before_tags), _result(after, after_tags)
    exit_result(module, "rule", view_before, view_after, change_list(view_before, view_after, changed))


if __name__ == "__main__":
    main()
