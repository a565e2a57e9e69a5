#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: kms_key_deletion
short_description: Schedule the deletion of a KMS key found by alias
version_added: 0.1.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Schedules the deletion of the customer-managed key an alias points to, after a waiting period
    of 7 to 30 days (AWS never deletes a key at once). A key already pending deletion is left alone.
  - The alias is deleted with it (O(delete_alias)), so a stack deployed again under the same name gets a
    new key; the old one stays recoverable with C(CancelKeyDeletion) until the window ends.
  - The key is addressed by its key id. M(amazon.aws.kms_key) passes the key ARN, which some
    AWS-compatible endpoints reject for C(ScheduleKeyDeletion).
options:
  alias:
    description: The key's alias, with or without the C(alias/) prefix.
    type: str
    required: true
  pending_window_days:
    description: Days AWS waits before deleting the key.
    type: int
    default: 30
  delete_alias:
    description: Delete the alias too.
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Retire the stack's key
  techblogpro.wordpress_aws.kms_key_deletion:
    alias: alias/wordpress-aws/techblog-staging
    pending_window_days: 7
"""

RETURN = r"""
changes:
  description: The steps taken (or that check mode would take) - the alias deleted, the key deletion scheduled.
  returned: always
  type: list
  elements: str
  sample: ["deleted alias alias/wordpress-aws/techblog-prod"]
key:
  description: The key after the call (empty when the alias points nowhere).
  returned: always
  type: dict
  contains:
    key_id:
      description: The key id.
      type: str
    key_state:
      description: The key state, C(PendingDeletion) after a deletion was scheduled.
      type: str
    deletion_date:
      description: When AWS deletes the key.
      type: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result


@AWSRetry.jittered_backoff()
def describe_key(client, key_ref):
    try:
        return client.describe_key(KeyId=key_ref)["KeyMetadata"]
    except is_boto3_error_code("NotFoundException"):
        return None


@AWSRetry.jittered_backoff()
def delete_alias(client, alias):
    """Delete the alias; ``NotFoundException`` on a retry means the lost first attempt deleted it."""
    try:
        client.delete_alias(AliasName=alias)
    except is_boto3_error_code("NotFoundException"):
        pass


@AWSRetry.jittered_backoff()
def schedule_deletion(client, key_id, days):
    """Schedule the deletion; ``KMSInvalidStateException`` on a retry is fine when the key is pending deletion
    (the lost first attempt scheduled it)."""
    try:
        client.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=days)
    except is_boto3_error_code("KMSInvalidStateException"):
        if (describe_key(client, key_id) or {}).get("KeyState") != "PendingDeletion":
            raise


def _result(meta):
    if not meta:
        return {}
    deletion = meta.get("DeletionDate")
    return {
        "key_id": meta["KeyId"],
        "key_arn": meta.get("Arn"),
        "key_state": meta.get("KeyState"),
        "deletion_date": deletion.isoformat() if hasattr(deletion, "isoformat") else deletion,
    }


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            alias=dict(type="str", required=True),
            pending_window_days=dict(type="int", default=30),
            delete_alias=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    alias = module.params["alias"]
    alias = alias if alias.startswith("alias/") else f"alias/{alias}"
    days = module.params["pending_window_days"]
    if not 7 <= days <= 30:
        module.fail_json(msg=f"pending_window_days {days} must be between 7 and 30")
    client = aws_client(module, "kms")
    pending = ("PendingDeletion", "PendingReplicaDeletion")
    changes = []
    with aws_errors(module, f"schedule the deletion of KMS key {alias}"):
        before = describe_key(client, alias)
        after = before
        if before and module.params["delete_alias"]:
            changes.append(f"deleted alias {alias}")
            if not module.check_mode:
                delete_alias(client, alias)
        if before and before.get("KeyState") not in pending:
            changes.append(f"scheduled the deletion of key {before['KeyId']} in {days} days")
            if not module.check_mode:
                schedule_deletion(client, before["KeyId"], days)
        if changes:
            after = (
                {**before, "KeyState": "PendingDeletion"}
                if module.check_mode
                else describe_key(client, before["KeyId"])
            )
    exit_result(module, "key", _result(before), _result(after), changes)


if __name__ == "__main__":
    main()
