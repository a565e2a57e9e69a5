#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudwatch_dashboard
short_description: A CloudWatch dashboard, written only when its body differs
version_added: 0.4.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Creates, updates or deletes the dashboard O(name). O(body) is the dashboard body (a dict, or its JSON text);
    it is compared with the stored body as data, so key order and whitespace never cause a write.
  - CloudWatch's validation messages (a widget naming a metric wrongly) fail the task with the message.
  - No upstream module manages dashboards.
options:
  name:
    description: The dashboard's name (letters, digits, C(-) and C(_), up to 255 characters).
    type: str
    required: true
  body:
    description:
      - The dashboard body (C(widgets), optional C(start), C(periodOverride)...), a mapping or its JSON text.
      - Required with O(state=present).
    type: raw
"""

EXAMPLES = r"""
- name: The stack's dashboard
  techblogpro.wordpress_aws.cloudwatch_dashboard:
    name: techblog-prod
    body:
      widgets:
        - type: metric
          x: 0
          y: 0
          width: 12
          height: 6
          properties:
            title: ALB requests
            region: eu-west-3
            metrics: [[AWS/ApplicationELB, RequestCount, LoadBalancer, app/techblog-prod-alb/0123456789abcdef]]
            stat: Sum
            period: 60
"""

RETURN = r"""
changes:
  description: What changed (or would change in check mode), as sentences; empty when nothing did.
  returned: always
  type: list
  elements: str
  sample: [created]
dashboard:
  description: The dashboard (empty when absent).
  returned: always
  type: dict
  contains:
    name:
      description: The name.
      type: str
    arn:
      description: The ARN.
      type: str
    body:
      description: The body as stored.
      type: dict
    widgets:
      description: How many widgets the body holds.
      type: int
"""

import json
import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import converge
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.dashboard import get_dashboard
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.dashboard import with_count
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options

NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,255}$")


def desired_body(module):
    """O(body) as data (its JSON text parsed); fails on a body that is not a dashboard's."""
    p = module.params
    if not NAME_RE.match(p["name"]):
        module.fail_json(msg=f"dashboard name {p['name']!r} may hold only letters, digits, - and _ (up to 255)")
    body = p["body"]
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError as err:
            module.fail_json(msg=f"body is not JSON: {err}")
    if p["state"] == "present" and (not isinstance(body, dict) or not isinstance(body.get("widgets"), list)):
        module.fail_json(msg="body must be a dashboard body: a mapping with a list of widgets")
    return body


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            body=dict(type="raw"),
            **common_options(tags=False),
        ),
        required_if=[("state", "present", ["body"])],
        supports_check_mode=True,
    )
    name, body = module.params["name"], desired_body(module)
    client = aws_client(module, "cloudwatch")

    def put(*_ignored):
        try:
            response = client.put_dashboard(DashboardName=name, DashboardBody=json.dumps(body), aws_retry=True)
        except is_boto3_error_code("InvalidParameterInput") as err:
            module.fail_json_aws(err, msg=f"CloudWatch refused the body of dashboard {name}")
        problems = response.get("DashboardValidationMessages", [])
        if problems:
            module.warn(f"CloudWatch accepted the dashboard with remarks: {problems}")

    converge(
        module,
        "dashboard",
        find=lambda: get_dashboard(client, name),
        differences=lambda current: ["body"] if current["body"] != body else [],
        create=put,
        update=put,
        delete=lambda current: client.delete_dashboards(DashboardNames=[name], aws_retry=True),
        planned=lambda current: with_count({"name": name, "arn": (current or {}).get("arn", ""), "body": body}),
        label=f"the dashboard {name}",
    )


if __name__ == "__main__":
    main()
