#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: secret_info
short_description: Describe Secrets Manager secrets by name, never reading their values
version_added: 0.2.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes.info, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Returns the full ARN, KMS key, tags and rotation settings of each named secret, for wiring secrets into
    task definitions and IAM policies. The secret values are never read.
  - amazon.aws has no secret info module; its C(secretsmanager_secret) lookup returns values.
options:
  names:
    description: Secret names or ARNs.
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Find the ARNs of the stack's secrets
  techblogpro.wordpress_aws.secret_info:
    names: [techblog-prod/db/app, techblog-prod/wordpress/salts]
  register: found
"""

RETURN = r"""
secrets:
  description: One entry per name found (secrets pending deletion are left out), in the order asked.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The name.
      type: str
    arn:
      description: The full ARN (with its random suffix).
      type: str
    kms_key_id:
      description: The encrypting key, when not the AWS managed one.
      type: str
    rotation_enabled:
      description: Whether rotation is on.
      type: bool
    tags:
      description: The tags.
      type: dict
missing:
  description: The names not found (or pending deletion).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import secretsmanager as sm_api
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors


def main():
    module = WordPressAWSModule(
        argument_spec=dict(names=dict(type="list", elements="str", required=True)), supports_check_mode=True
    )
    client = module.client("secretsmanager")
    found, missing = [], []
    with aws_errors(module, "describe the secrets"):
        for name in module.params["names"]:
            secret = sm_api.describe(client, name)
            if secret is None or secret.get("PendingDeletion"):
                missing.append(name)
                continue
            found.append(
                {
                    "name": secret["Name"],
                    "arn": secret["ARN"],
                    "kms_key_id": secret.get("KmsKeyId"),
                    "rotation_enabled": bool(secret.get("RotationEnabled")),
                    "tags": boto3_tag_list_to_ansible_dict(secret.get("Tags", [])),
                }
            )
    module.exit_json(changed=False, secrets=found, missing=missing)


if __name__ == "__main__":
    main()
