#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudwatch_dashboard
short_description: A CloudWatch dashboard, written only when its body differs
version_added: 0.4.0
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
extends_documentation_fragment:
  - techblogpro.wordpress_aws.attributes
  - techblogpro.wordpress_aws.attributes.state
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - techblogpro platform team (@techblogpro)
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

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.dashboard import get_dashboard
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.dashboard import with_count

NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,255}$")


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            body=dict(type="raw"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        required_if=[("state", "present", ["body"])],
        supports_check_mode=True,
    )
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
    client = module.client("cloudwatch")
    changed = False
    try:
        current = get_dashboard(client, p["name"])
        after = current
        if p["state"] == "absent":
            if current:
                changed, after = True, None
                if not module.check_mode:
                    client.delete_dashboards(DashboardNames=[p["name"]])
        elif current is None or current["body"] != body:
            changed = True
            after = {"name": p["name"], "arn": (current or {}).get("arn", ""), "body": body}
            if not module.check_mode:
                response = client.put_dashboard(DashboardName=p["name"], DashboardBody=json.dumps(body))
                problems = response.get("DashboardValidationMessages", [])
                if problems:
                    module.warn(f"CloudWatch accepted the dashboard with remarks: {problems}")
                after = get_dashboard(client, p["name"])
    except is_boto3_error_code("InvalidParameterInput") as err:
        module.fail_json_aws(err, msg=f"CloudWatch refused the body of dashboard {p['name']}")
    except (BotoCoreError, ClientError) as err:  # pylint: disable=duplicate-except
        module.fail_json_aws(err, msg=f"Unable to manage the dashboard {p['name']}")
    module.exit_json(
        changed=changed,
        dashboard=with_count(after) or {},
        diff={"before": current or {}, "after": with_count(after) or {}},
    )


if __name__ == "__main__":
    main()
