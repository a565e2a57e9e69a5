#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: backup_vault
short_description: Manage an AWS Backup vault encrypted with a customer-managed key
version_added: 0.1.0
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
  kms_key_arn:
    description: ARN of the KMS key that encrypts the recovery points. Only used on creation.
    type: str
extends_documentation_fragment:
  - techblogpro.wordpress_aws.attributes
  - techblogpro.wordpress_aws.attributes.state
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Create the stack's backup vault
  techblogpro.wordpress_aws.backup_vault:
    name: techblog-prod-vault
    kms_key_arn: "{{ key_arn }}"
    tags:
      wordpress_aws:stack: techblog-prod
"""

RETURN = r"""
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

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import backup_vault as bv
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule


def _result(vault):
    if not vault:
        return {}
    tags = vault.get("Tags", {})
    out = camel_dict_to_snake_dict({k: v for k, v in vault.items() if k != "Tags"})
    out["tags"] = tags
    return out


def ensure_present(module, client, current):
    params = module.params
    name = params["name"]
    if current is None:
        if not module.check_mode:
            bv.create_vault(client, name, params["kms_key_arn"], params["tags"] or {})
            return True, bv.describe_vault(client, name)
        return True, {"BackupVaultName": name, "EncryptionKeyArn": params["kms_key_arn"], "Tags": params["tags"] or {}}
    if bv.key_mismatch(current, params["kms_key_arn"]):
        module.fail_json(
            msg=(
                f"backup vault {name} is encrypted with {current.get('EncryptionKeyArn')}, "
                f"not {params['kms_key_arn']}; "
                "AWS Backup cannot re-key a vault: delete it (after moving its recovery points) or keep its key"
            )
        )
    to_add, to_remove = tagging.tag_changes(params["tags"], current.get("Tags", {}), params["purge_tags"])
    if not to_add and not to_remove:
        return False, current
    if module.check_mode:
        desired = dict(current)
        desired["Tags"] = {k: v for k, v in {**current["Tags"], **to_add}.items() if k not in to_remove}
        return True, desired
    tagging.set_tags(client, current["BackupVaultArn"], to_add, to_remove)
    return True, bv.describe_vault(client, name)


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            kms_key_arn=dict(type="str", no_log=False),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    client = module.client("backup")
    name = module.params["name"]
    try:
        current = bv.describe_vault(client, name)
        if module.params["state"] == "absent":
            changed, after = current is not None, None
            if changed and not module.check_mode:
                bv.delete_vault(client, name)
        else:
            changed, after = ensure_present(module, client, current)
    except is_boto3_error_code("InvalidRequestException") as err:
        module.fail_json_aws(
            err, msg=f"AWS Backup refused the change to vault {name} (does it still hold recovery points?)"
        )
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Unable to manage backup vault {name}")

    module.exit_json(
        changed=changed,
        backup_vault=_result(after),
        diff={"before": _result(current), "after": _result(after)},
    )


if __name__ == "__main__":
    main()
