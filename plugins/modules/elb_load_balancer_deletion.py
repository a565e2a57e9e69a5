#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: elb_load_balancer_deletion
short_description: Delete an application load balancer and target groups, safe against lost answers
version_added: 0.1.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Turns deletion protection off, deletes the load balancer (AWS deletes its listeners and rules with it), waits
    until it is gone, then deletes the target groups.
  - M(amazon.aws.elb_application_lb) deletes each listener first; when a C(DeleteListener) answer is lost and the
    call is resent, AWS answers C(ListenerNotFound) and the teardown fails. Here a load balancer or target group
    that is already gone (C(LoadBalancerNotFound), C(TargetGroupNotFound)) is a deletion done.
options:
  name:
    description: The load balancer's name.
    type: str
    required: true
  target_groups:
    description: Names of target groups to delete once the load balancer is gone.
    type: list
    elements: str
    default: []
  wait_timeout:
    description: Seconds to wait for the load balancer to be gone.
    type: int
    default: 600
"""

EXAMPLES = r"""
- name: Remove the load balancer and its target group
  techblogpro.wordpress_aws.elb_load_balancer_deletion:
    name: techblog-staging-alb
    target_groups: [techblog-staging-wordpress]
"""

RETURN = r"""
changes:
  description: The steps taken (or that check mode would take).
  returned: always
  type: list
  elements: str
  sample: ["turned deletion protection off", "deleted load balancer techblog-staging-alb"]
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors


@AWSRetry.jittered_backoff()
def find_balancer(client, name):
    try:
        return client.describe_load_balancers(Names=[name])["LoadBalancers"][0]
    except is_boto3_error_code("LoadBalancerNotFound"):
        return None


@AWSRetry.jittered_backoff()
def protected(client, arn):
    attributes = client.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]
    return any(a["Key"] == "deletion_protection.enabled" and a["Value"] == "true" for a in attributes)


@AWSRetry.jittered_backoff()
def unprotect(client, arn):
    client.modify_load_balancer_attributes(
        LoadBalancerArn=arn, Attributes=[{"Key": "deletion_protection.enabled", "Value": "false"}]
    )


@AWSRetry.jittered_backoff()
def delete_balancer(client, arn):
    try:
        client.delete_load_balancer(LoadBalancerArn=arn)
    except is_boto3_error_code("LoadBalancerNotFound"):
        pass  # gone: a resend after the first attempt's answer was lost


@AWSRetry.jittered_backoff()
def find_target_group(client, name):
    try:
        return client.describe_target_groups(Names=[name])["TargetGroups"][0]
    except is_boto3_error_code("TargetGroupNotFound"):
        return None


@AWSRetry.jittered_backoff(catch_extra_error_codes=["ResourceInUse"])
def delete_target_group(client, arn):
    # ResourceInUse: the deleted load balancer's listeners still hold it for a moment.
    try:
        client.delete_target_group(TargetGroupArn=arn)
    except is_boto3_error_code("TargetGroupNotFound"):
        pass  # gone: a resend after the first attempt's answer was lost


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            target_groups=dict(type="list", elements="str", default=[]),
            wait_timeout=dict(type="int", default=600),
        ),
        supports_check_mode=True,
    )
    p = module.params
    client = aws_client(module, "elbv2")
    changes = []
    with aws_errors(module, f"delete load balancer {p['name']}"):
        balancer = find_balancer(client, p["name"])
        if balancer:
            arn = balancer["LoadBalancerArn"]
            if protected(client, arn):
                changes.append("turned deletion protection off")
                if not module.check_mode:
                    unprotect(client, arn)
            changes.append(f"deleted load balancer {p['name']}")
            if not module.check_mode:
                delete_balancer(client, arn)
                delay = 5
                client.get_waiter("load_balancers_deleted").wait(
                    LoadBalancerArns=[arn],
                    WaiterConfig={"Delay": delay, "MaxAttempts": max(1, p["wait_timeout"] // delay)},
                )
        for name in p["target_groups"]:
            group = find_target_group(client, name)
            if group:
                changes.append(f"deleted target group {name}")
                if not module.check_mode:
                    delete_target_group(client, group["TargetGroupArn"])
    module.exit_json(changed=bool(changes), changes=changes)


if __name__ == "__main__":
    main()
