# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""EBS encryption by default: an account-wide setting, per region (the calls of ec2_ebs_default_encryption).

Every new EBS volume and snapshot copy in the account and region is then encrypted, with the account's default EBS
key (the AWS managed ``alias/aws/ebs`` unless ``ModifyEbsDefaultKmsKeyId`` names another). Every function retries and
never sees ``module``.
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

AWS_MANAGED_KEY = "alias/aws/ebs"


@AWSRetry.jittered_backoff()
def enabled(client) -> bool:
    return bool(client.get_ebs_encryption_by_default()["EbsEncryptionByDefault"])


@AWSRetry.jittered_backoff()
def set_enabled(client, enable: bool) -> bool:
    call = client.enable_ebs_encryption_by_default if enable else client.disable_ebs_encryption_by_default
    return bool(call()["EbsEncryptionByDefault"])


@AWSRetry.jittered_backoff()
def default_key(client) -> str:
    """The ARN of the account's default EBS key."""
    return client.get_ebs_default_kms_key_id()["KmsKeyId"]


@AWSRetry.jittered_backoff()
def set_default_key(client, key_id: str) -> str:
    return client.modify_ebs_default_kms_key_id(KmsKeyId=key_id)["KmsKeyId"]


@AWSRetry.jittered_backoff()
def reset_default_key(client) -> str:
    return client.reset_ebs_default_kms_key_id()["KmsKeyId"]


@AWSRetry.jittered_backoff()
def key_arn(kms_client, key_ref: str) -> str:
    """The ARN of the key an id, ARN, alias name or alias ARN names (how EC2 reports the default key)."""
    return kms_client.describe_key(KeyId=key_ref)["KeyMetadata"]["Arn"]
