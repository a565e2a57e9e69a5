#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: ec2_ebs_default_encryption
short_description: EBS encryption by default, and its default key, for the account in one region
version_added: 0.7.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Turns EBS encryption by default on or off for the whole account in the region
    (C(EnableEbsEncryptionByDefault), C(DisableEbsEncryptionByDefault)). With it on, every new volume and snapshot
    copy is encrypted, whoever creates it.
  - Optionally sets the key those volumes use (C(ModifyEbsDefaultKmsKeyId), or C(ResetEbsDefaultKmsKeyId) back to
    the AWS managed key C(alias/aws/ebs)); keys are compared by ARN, so an alias and its key's ARN are the same key.
  - This is an account setting, not a resource of a stack (a stack's teardown leaves it as it is).
options:
  enabled:
    description: Whether new EBS volumes in the account and region are encrypted by default.
    type: bool
    required: true
  kms_key_id:
    description:
      - The default key for those volumes (id, ARN, alias name or alias ARN); C(alias/aws/ebs) resets it to the AWS
        managed key. Omitted, the default key is left as it is.
      - A customer-managed key must let every principal that creates volumes use it, and must outlive them.
    type: str
"""

EXAMPLES = r"""
- name: Encrypt every new EBS volume of the account in this region (AWS managed key)
  techblogpro.wordpress_aws.ec2_ebs_default_encryption:
    enabled: true

- name: Encrypt them with a customer-managed key of the account
  techblogpro.wordpress_aws.ec2_ebs_default_encryption:
    enabled: true
    kms_key_id: alias/account-ebs

- name: Turn it off again (existing volumes stay encrypted)
  techblogpro.wordpress_aws.ec2_ebs_default_encryption:
    enabled: false
"""

RETURN = r"""
changes:
  description: What changed (or would change in check mode), such as V(enabled) or V(kms_key_arn).
  returned: always
  type: list
  elements: str
  sample: [enabled]
ebs_default_encryption:
  description: The account's setting in the region after the call.
  returned: always
  type: dict
  contains:
    enabled:
      description: Whether new volumes are encrypted by default.
      type: bool
      sample: true
    kms_key_arn:
      description: The default key's ARN (only when O(kms_key_id) is given).
      type: str
      sample: arn:aws:kms:eu-west-3:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ebs_encryption as ebs
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.compare import change_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            enabled=dict(type="bool", required=True),
            kms_key_id=dict(type="str"),
        ),
        supports_check_mode=True,
    )
    want, key_ref = module.params["enabled"], module.params["kms_key_id"]
    if key_ref is not None and not key_ref.strip():
        module.fail_json(msg="kms_key_id must name a key (alias/aws/ebs for the AWS managed key) or be omitted")
    client = aws_client(module, "ec2")
    with aws_errors(module, "manage EBS encryption by default"):
        before = {"enabled": ebs.enabled(client)}
        after = {"enabled": want}
        if key_ref is not None:
            before["kms_key_arn"] = ebs.key_arn(aws_client(module, "kms"), ebs.default_key(client))
            after["kms_key_arn"] = ebs.key_arn(aws_client(module, "kms"), key_ref)
        changed = before != after
        if changed and not module.check_mode:
            if before["enabled"] != want:
                after["enabled"] = ebs.set_enabled(client, want)
            if key_ref is not None and before["kms_key_arn"] != after["kms_key_arn"]:
                if key_ref == ebs.AWS_MANAGED_KEY:
                    ebs.reset_default_key(client)
                else:
                    ebs.set_default_key(client, after["kms_key_arn"])
    exit_result(module, "ebs_default_encryption", before, after, change_list(before, after, changed))


if __name__ == "__main__":
    main()
