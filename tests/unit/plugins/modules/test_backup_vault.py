"""Unit tests of the backup_vault module (split out of tests/unit/test_backup_modules.py)."""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import backup_vault as bv
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import backup_vault

TAGS = {"wordpress_aws:stack": "blog", "owner": "ops"}


def test_vault_create_is_idempotent_and_check_mode_writes_nothing(aws, run_module):
    client = aws("backup")
    key = aws("kms").create_key()["KeyMetadata"]["Arn"]
    args = {"name": "blog-vault", "kms_key_arn": key, "tags": TAGS}

    planned = run_module(backup_vault, args, check_mode=True)
    assert planned["changed"] is True
    assert bv.describe_vault(client, "blog-vault") is None

    created = run_module(backup_vault, args)
    assert created["changed"] is True
    assert created["backup_vault"]["encryption_key_arn"] == key
    assert bv.describe_vault(client, "blog-vault")["Tags"] == TAGS

    again = run_module(backup_vault, args)
    assert again["changed"] is False
    assert run_module(backup_vault, args, check_mode=True)["changed"] is False


def test_vault_tags_are_converged_and_diffed(aws, run_module):
    client = aws("backup")
    run_module(backup_vault, {"name": "v", "tags": TAGS})
    result = run_module(backup_vault, {"name": "v", "tags": {"wordpress_aws:stack": "blog", "team": "web"}})
    assert result["changed"] is True
    assert result["diff"]["before"]["tags"] == TAGS
    assert bv.describe_vault(client, "v")["Tags"] == {"wordpress_aws:stack": "blog", "team": "web"}


def test_vault_refuses_a_different_key(aws, run_module):
    kms = aws("kms")
    first, second = (kms.create_key()["KeyMetadata"]["Arn"] for _key in range(2))
    run_module(backup_vault, {"name": "v", "kms_key_arn": first})
    result = run_module(backup_vault, {"name": "v", "kms_key_arn": second})
    assert result["failed"] is True
    assert "cannot re-key" in result["msg"]


def test_vault_absent(aws, run_module):
    run_module(backup_vault, {"name": "v"})
    assert run_module(backup_vault, {"name": "v", "state": "absent"}, check_mode=True)["changed"] is True
    assert bv.describe_vault(aws("backup"), "v") is not None
    assert run_module(backup_vault, {"name": "v", "state": "absent"})["changed"] is True
    assert bv.describe_vault(aws("backup"), "v") is None
    assert run_module(backup_vault, {"name": "v", "state": "absent"})["changed"] is False


def test_a_lost_create_answer_resends_one_token_and_adopts_the_vault(run_module, stubbed, monkeypatch):
    """500 (applied) -> AWSRetry resends with the SAME CreatorRequestId -> AlreadyExistsException -> adopted."""
    monkeypatch.setattr("time.sleep", lambda _s: None)
    stub = stubbed("backup")
    sent = []
    stub.client.meta.events.register(
        "before-parameter-build.backup.CreateBackupVault", lambda params, **_kw: sent.append(dict(params))
    )
    arn = "arn:aws:backup:eu-west-3:123456789012:backup-vault:blog"
    vault = {"BackupVaultName": "blog", "BackupVaultArn": arn}
    stub.add_client_error("describe_backup_vault", "ResourceNotFoundException", http_status_code=404)
    stub.add_client_error("create_backup_vault", "InternalFailure", http_status_code=500)
    stub.add_client_error("create_backup_vault", "AlreadyExistsException")
    stub.add_response("describe_backup_vault", vault, {"BackupVaultName": "blog"})
    stub.add_response("list_tags", {"Tags": TAGS}, {"ResourceArn": arn})
    result = run_module(backup_vault, {"name": "blog", "tags": TAGS})
    assert result.get("failed") is not True, result
    stub.assert_no_pending_responses()
    assert result["changed"] is True and result["changes"] == ["created"]
    assert result["backup_vault"]["backup_vault_arn"] == arn
    assert len(sent) == 2 and sent[0]["CreatorRequestId"] == sent[1]["CreatorRequestId"]
