# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWS Backup vault calls and the vault's desired-state logic.

amazon.aws ``backup_vault`` treats only ``AccessDeniedException`` as "no such vault"; AWS Backup also
answers ``ResourceNotFoundException`` for a missing vault, which makes that module fail on first create.
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.backup_tags import list_tags

_MISSING = ("ResourceNotFoundException", "AccessDeniedException")


@AWSRetry.jittered_backoff()
def _describe(client, name):
    return client.describe_backup_vault(BackupVaultName=name)


def describe_vault(client, name: str) -> dict | None:
    """The vault with its tags, or None when it does not exist."""
    try:
        vault = _describe(client, name)
    except is_boto3_error_code(_MISSING):
        return None
    vault.pop("ResponseMetadata", None)
    vault["Tags"] = list_tags(client, vault["BackupVaultArn"])
    return vault


@AWSRetry.jittered_backoff()
def create_vault(client, name: str, kms_key_arn: str | None, tags: dict, creator_request_id: str) -> None:
    """``creator_request_id`` is made once by the caller (adopt.request_token) so the retries resend it."""
    params = {"BackupVaultName": name, "BackupVaultTags": tags, "CreatorRequestId": creator_request_id}
    if kms_key_arn:
        params["EncryptionKeyArn"] = kms_key_arn
    client.create_backup_vault(**params)


@AWSRetry.jittered_backoff()
def delete_vault(client, name: str) -> None:
    client.delete_backup_vault(BackupVaultName=name)


def key_mismatch(current: dict, kms_key_arn: str | None) -> bool:
    """True when the vault is encrypted with another key than asked (AWS cannot change it in place)."""
    if not kms_key_arn:
        return False
    return current.get("EncryptionKeyArn") not in (None, kms_key_arn)
