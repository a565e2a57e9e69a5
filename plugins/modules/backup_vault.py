#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: backup_vault
short_description: Manage an AWS Backup vault encrypted with a customer-managed key
version_added: 0.1.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Creates, tags and deletes an AWS Backup vault.
  - Unlike M(amazon.aws.backup_vault), a missing vault answered with C(ResourceNotFoundException) is
    treated as absent, so the first create succeeds.
  - The encryption key of a vault cannot change; asking for another key fails with a clear message.
options:
  name:
    description: The vault name.
    type: str
    required: true
  kms_key_id:
    aliases: [kms_key_arn]
    description: ARN of the KMS key that encrypts the recovery points. Only used on creation.
    type: str
"""

EXAMPLES = r"""
- name: Create the stack's backup vault
  techblogpro.wordpress_aws.backup_vault:
    name: techblog-prod-vault
    kms_key_id: "{{ key_arn }}"
    tags:
      wordpress_aws:stack: techblog-prod
"""

RETURN = r"""
changes:
  description: V(created), V(deleted) or V(tags) (the key of a vault never changes).
  returned: always
  type: list
  elements: str
  sample: [tags]
backup_vault:
  description: The vault as AWS describes it (empty when absent).
  returned: always
  type: dict
  contains:
    backup_vault_name:
      description: The vault name.
      type: str
      sample: techblog-prod-vault
    backup_vault_arn:
      description: The vault ARN.
      type: str
    encryption_key_arn:
      description: The key encrypting its recovery points.
      type: str
    number_of_recovery_points:
      description: How many recovery points it holds.
      type: int
    tags:
      description: The vault's tags.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import backup_vault as bv
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_or_adopt
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import request_token
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import converge
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import resource_view
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def _result(vault):
    return resource_view(vault)


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            kms_key_id=dict(type="str", no_log=False, aliases=["kms_key_arn"]),
            **common_options(),
        ),
        supports_check_mode=True,
    )
    p = module.params
    name = p["name"]
    client = aws_client(module, "backup")

    def tag_changes(current):
        return tagging.tag_changes(p["tags"], current.get("Tags", {}), p["purge_tags"])

    def differences(current):
        if bv.key_mismatch(current, p["kms_key_id"]):
            module.fail_json(
                msg=(
                    f"backup vault {name} is encrypted with {current.get('EncryptionKeyArn')}, not {p['kms_key_id']}; "
                    "AWS Backup cannot re-key a vault: delete it (after moving its recovery points) or keep its key"
                )
            )
        return ["tags"] if any(tag_changes(current)) else []

    def delete(current):
        try:
            bv.delete_vault(client, name)
        except is_boto3_error_code("InvalidRequestException") as err:
            module.fail_json_aws(
                err, msg=f"AWS Backup refused the change to vault {name} (does it still hold recovery points?)"
            )

    def planned(current):
        if current is None:
            return _result({"BackupVaultName": name, "EncryptionKeyArn": p["kms_key_id"], "Tags": p["tags"] or {}})
        to_set, to_remove = tag_changes(current)
        tags = {k: v for k, v in {**current.get("Tags", {}), **to_set}.items() if k not in to_remove}
        return _result({**current, "Tags": tags})

    converge(
        module,
        "backup_vault",
        find=lambda: bv.describe_vault(client, name),
        differences=differences,
        # CreatorRequestId made once, resent by every retry; a lost answer's retry that still meets the vault
        # (AlreadyExistsException) adopts it
        create=lambda: create_or_adopt(
            lambda: bv.create_vault(client, name, p["kms_key_id"], p["tags"] or {}, request_token()),
            lambda: bv.describe_vault(client, name),
            ("AlreadyExistsException",),
        )[0],
        update=lambda current, _changes: tagging.set_tags(client, current["BackupVaultArn"], *tag_changes(current)),
        delete=delete,
        result=_result,
        planned=planned,
        label=f"backup vault {name}",
    )


if __name__ == "__main__":
    main()
