"""Unit tests of the ec2_ebs_default_encryption module: moto for the on/off switch, Stubber for the default key
(moto implements neither GetEbsDefaultKmsKeyId nor ResetEbsDefaultKmsKeyId)."""

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ec2_ebs_default_encryption as module

KEY = "arn:aws:kms:eu-west-3:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
MANAGED = "arn:aws:kms:eu-west-3:123456789012:key/0000aaaa-12ab-34cd-56ef-1234567890ab"


def test_encryption_by_default_is_turned_on_once_and_off_again(aws, run_module):
    ec2 = aws("ec2")
    assert ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is False
    planned = run_module(module, {"enabled": True}, check_mode=True)
    assert planned["changed"] is True and planned["changes"] == ["enabled"]
    assert ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is False
    result = run_module(module, {"enabled": True})
    assert result["changed"] is True
    assert result["ebs_default_encryption"] == {"enabled": True}
    assert result["diff"]["before"] == {"enabled": False}
    assert ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is True
    for check_mode in (True, False):
        assert run_module(module, {"enabled": True}, check_mode=check_mode)["changed"] is False
    assert run_module(module, {"enabled": False})["changed"] is True
    assert ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is False


def test_the_default_key_is_compared_by_arn_and_set_by_arn(stubbed, run_module):
    ec2, kms = stubbed("ec2"), stubbed("kms")
    ec2.add_response("get_ebs_encryption_by_default", {"EbsEncryptionByDefault": True}, {})
    ec2.add_response("get_ebs_default_kms_key_id", {"KmsKeyId": MANAGED}, {})
    kms.add_response("describe_key", {"KeyMetadata": {"KeyId": "0000aaaa", "Arn": MANAGED}}, {"KeyId": MANAGED})
    kms.add_response("describe_key", {"KeyMetadata": {"KeyId": "1234abcd", "Arn": KEY}}, {"KeyId": "alias/account-ebs"})
    ec2.add_response("modify_ebs_default_kms_key_id", {"KmsKeyId": KEY}, {"KmsKeyId": KEY})
    result = run_module(module, {"enabled": True, "kms_key_id": "alias/account-ebs"})
    assert result["changed"] is True and result["changes"] == ["kms_key_arn"]
    assert result["ebs_default_encryption"] == {"enabled": True, "kms_key_arn": KEY}


def test_an_alias_of_the_current_key_changes_nothing(stubbed, run_module):
    ec2, kms = stubbed("ec2"), stubbed("kms")
    ec2.add_response("get_ebs_encryption_by_default", {"EbsEncryptionByDefault": True}, {})
    ec2.add_response("get_ebs_default_kms_key_id", {"KmsKeyId": KEY}, {})
    kms.add_response("describe_key", {"KeyMetadata": {"KeyId": "1234abcd", "Arn": KEY}}, {"KeyId": KEY})
    kms.add_response("describe_key", {"KeyMetadata": {"KeyId": "1234abcd", "Arn": KEY}}, {"KeyId": "alias/account-ebs"})
    result = run_module(module, {"enabled": True, "kms_key_id": "alias/account-ebs"})
    assert result["changed"] is False  # a modify call would have found no answer queued and failed the run


def test_the_aws_managed_key_is_restored_with_reset_and_check_mode_writes_nothing(stubbed, run_module):
    ec2, kms = stubbed("ec2"), stubbed("kms")
    for check_mode in (True, False):
        ec2.add_response("get_ebs_encryption_by_default", {"EbsEncryptionByDefault": False}, {})
        ec2.add_response("get_ebs_default_kms_key_id", {"KmsKeyId": KEY}, {})
        kms.add_response("describe_key", {"KeyMetadata": {"KeyId": "1234abcd", "Arn": KEY}}, {"KeyId": KEY})
        kms.add_response(
            "describe_key", {"KeyMetadata": {"KeyId": "0000aaaa", "Arn": MANAGED}}, {"KeyId": "alias/aws/ebs"}
        )
        if not check_mode:
            ec2.add_response("enable_ebs_encryption_by_default", {"EbsEncryptionByDefault": True}, {})
            ec2.add_response("reset_ebs_default_kms_key_id", {"KmsKeyId": MANAGED}, {})
        result = run_module(module, {"enabled": True, "kms_key_id": "alias/aws/ebs"}, check_mode=check_mode)
        assert result["changed"] is True
        assert sorted(result["changes"]) == ["enabled", "kms_key_arn"]
        ec2.assert_no_pending_responses()


def test_an_empty_key_is_refused(aws, run_module):
    result = run_module(module, {"enabled": True, "kms_key_id": " "})
    assert result["failed"] and "kms_key_id must name a key" in result["msg"]
