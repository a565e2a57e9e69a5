"""Unit tests of the kms_key_deletion module (split out of tests/unit/test_foundation_modules.py)."""

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import kms_key_deletion


def test_key_deletion_is_scheduled_by_alias_once(aws, run_module):
    kms = aws("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/wordpress-aws/blog", TargetKeyId=key)
    args = {"alias": "wordpress-aws/blog", "pending_window_days": 7}
    assert run_module(kms_key_deletion, args, check_mode=True)["changed"] is True
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "Enabled"
    result = run_module(kms_key_deletion, args)
    assert result["changed"] is True
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    assert all(a["AliasName"] != "alias/wordpress-aws/blog" for a in kms.list_aliases()["Aliases"])
    assert run_module(kms_key_deletion, args)["changed"] is False


def test_key_deletion_window_is_checked(aws, run_module):
    result = run_module(kms_key_deletion, {"alias": "a", "pending_window_days": 3})
    assert result["failed"] and "between 7 and 30" in result["msg"]


def test_lost_delete_answers_are_not_failures(aws, run_module, lost_answer):
    """A lost DeleteAlias / ScheduleKeyDeletion answer: the retry answers NotFoundException /
    KMSInvalidStateException for what the first attempt did; the teardown goes on."""
    kms = aws("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/wordpress-aws/blog", TargetKeyId=key)
    lost_answer("DeleteAlias")
    result = run_module(kms_key_deletion, {"alias": "wordpress-aws/blog", "pending_window_days": 7})
    assert result.get("failed") is not True, result
    key2 = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/wordpress-aws/other", TargetKeyId=key2)
    calls = lost_answer("ScheduleKeyDeletion")
    result = run_module(kms_key_deletion, {"alias": "wordpress-aws/other", "pending_window_days": 7})
    assert result.get("failed") is not True, result
    assert len(calls) == 2 and kms.describe_key(KeyId=key2)["KeyMetadata"]["KeyState"] == "PendingDeletion"
