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
