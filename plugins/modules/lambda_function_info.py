#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: lambda_function_info
short_description: Read one Lambda function, or learn that it does not exist
version_added: 0.7.0
description:
  - Returns the function's configuration and tags under RV(function), V({}) when there is no such function.
  - M(amazon.aws.lambda_info) fails with C(KeyError 'function_name') on a function that does not exist, which
    breaks a teardown after an interrupted converge; this module answers V({}) instead.
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes.info, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
options:
  name:
    description: The function name.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Find the rotation Lambda
  techblogpro.wordpress_aws.lambda_function_info:
    name: techblog-prod-db-rotation
  register: rotation
"""

RETURN = r"""
function:
  description: The function as M(techblogpro.wordpress_aws.lambda_function) returns it; V({}) when absent.
  returned: always
  type: dict
  sample:
    function_name: techblog-prod-db-rotation
    function_arn: arn:aws:lambda:eu-west-3:123456789012:function:techblog-prod-db-rotation
changes:
  description: Always empty (the module only reads).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import report
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.lambdas import find
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.lambdas import view


def main():
    module = WordPressAWSModule(argument_spec=dict(name=dict(type="str", required=True)), supports_check_mode=True)
    client = aws_client(module, "lambda")
    report(module, "function", find=lambda: find(client, module.params["name"]), result=view)


if __name__ == "__main__":
    main()
