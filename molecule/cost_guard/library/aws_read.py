# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only (next to the scenario's playbooks, which load it): one read call, so verify reads the real resource."""

DOCUMENTATION = r"""
module: aws_read
short_description: Test-only - make one Describe, Get or List call and return its answer
description:
  - Used by molecule verify playbooks to read resources that no info module describes (budgets, scheduled
    actions, EventBridge Scheduler schedules). Refuses any operation that is not a read.
options:
  service:
    description: The boto3 service name.
    type: str
    required: true
  operation:
    description: The boto3 method, describe_*, get_* or list_*.
    type: str
    required: true
  params:
    description: The call's parameters.
    type: dict
    default: {}
  region:
    description: The region.
    type: str
    required: true
  endpoint_url:
    description: The endpoint.
    type: str
  access_key:
    description: The access key.
    type: str
  secret_key:
    description: The secret key.
    type: str
author:
  - techblogpro platform team (@techblogpro)
"""

import json

from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(
        argument_spec=dict(
            service=dict(type="str", required=True),
            operation=dict(type="str", required=True),
            params=dict(type="dict", default={}),
            region=dict(type="str", required=True),
            endpoint_url=dict(type="str"),
            access_key=dict(type="str", no_log=True),
            secret_key=dict(type="str", no_log=True),
        ),
        supports_check_mode=True,
    )
    p = module.params
    if not p["operation"].startswith(("describe_", "get_", "list_")):
        module.fail_json(msg=f"aws_read makes read calls only, not {p['operation']}")
    import boto3  # the controller's, as the collection's modules use

    client = boto3.client(
        p["service"],
        region_name=p["region"],
        endpoint_url=p["endpoint_url"],
        aws_access_key_id=p["access_key"],
        aws_secret_access_key=p["secret_key"],
    )
    answer = getattr(client, p["operation"])(**p["params"])
    answer.pop("ResponseMetadata", None)
    module.exit_json(changed=False, answer=json.loads(json.dumps(answer, default=str)))


if __name__ == "__main__":
    main()
