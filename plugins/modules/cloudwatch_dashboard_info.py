#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudwatch_dashboard_info
short_description: Read a CloudWatch dashboard
version_added: 0.4.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes.info, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Returns the dashboard O(name) with its body, or an empty RV(dashboard) when there is none.
options:
  name:
    description: The dashboard's name.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Read the stack's dashboard
  techblogpro.wordpress_aws.cloudwatch_dashboard_info:
    name: techblog-prod
  register: dashboard
"""

RETURN = r"""
dashboard:
  description:
    - The dashboard (empty when there is none), in the shape M(techblogpro.wordpress_aws.cloudwatch_dashboard) returns
      it - C(name), C(arn), C(body) (as stored) and C(widgets) (how many the body holds).
  returned: always
  type: dict
  sample: {name: techblog-prod, widgets: 12}
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import report
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.dashboard import get_dashboard
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def main():
    module = WordPressAWSModule(argument_spec=common_options(state=False, tags=False), supports_check_mode=True)
    client = aws_client(module, "cloudwatch")
    report(
        module,
        "dashboard",
        find=lambda: get_dashboard(client, module.params["name"]),
        label=f"the dashboard {module.params['name']}",
    )


if __name__ == "__main__":
    main()
