#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: managed_prefix_list_info
short_description: Look up EC2 managed prefix lists by name
version_added: 0.1.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes.info, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Returns the managed prefix lists with the given names, such as AWS's
    C(com.amazonaws.global.cloudfront.origin-facing) list that lets a security group admit CloudFront only.
  - amazon.aws has no module for managed prefix lists.
options:
  names:
    description: The prefix list names to look up.
    type: list
    elements: str
    required: true
  fail_on_missing:
    description: Fail when a name is not found.
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Find CloudFront's origin-facing prefix list
  techblogpro.wordpress_aws.managed_prefix_list_info:
    names: [com.amazonaws.global.cloudfront.origin-facing]
  register: prefix_lists
"""

RETURN = r"""
prefix_lists:
  description: The prefix lists found, in the order of O(names).
  returned: always
  type: list
  elements: dict
  contains:
    prefix_list_id:
      description: The id to use in security group rules.
      type: str
      sample: pl-3b927c52
    prefix_list_name:
      description: The name.
      type: str
    max_entries:
      description: How many entries it may hold (each counts against a security group's rule quota).
      type: int
by_name:
  description: Prefix list ids by name.
  returned: always
  type: dict
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors


@AWSRetry.jittered_backoff()
def describe_prefix_lists(client, names):
    paginator = client.get_paginator("describe_managed_prefix_lists")
    found = []
    for page in paginator.paginate(Filters=[{"Name": "prefix-list-name", "Values": names}]):
        found.extend(page.get("PrefixLists", []))
    return found


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            names=dict(type="list", elements="str", required=True),
            fail_on_missing=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    names = module.params["names"]
    with aws_errors(module, "describe managed prefix lists"):
        found = describe_prefix_lists(module.client("ec2"), names)
    by_name = {pl["PrefixListName"]: pl for pl in found if pl["PrefixListName"] in names}
    missing = [name for name in names if name not in by_name]
    if missing and module.params["fail_on_missing"]:
        module.fail_json(msg=f"managed prefix list not found in {module.region}: {', '.join(missing)}")
    lists = [camel_dict_to_snake_dict(by_name[name]) for name in names if name in by_name]
    module.exit_json(
        changed=False,
        prefix_lists=lists,
        by_name={name: pl["PrefixListId"] for name, pl in by_name.items()},
    )


if __name__ == "__main__":
    main()
