"""Unit tests of plugins/module_utils/backup_vault.py (split out of tests/unit/test_backup_modules.py)."""

import pytest
from botocore.stub import Stubber

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import backup_vault as bv


@pytest.mark.parametrize("code", ["ResourceNotFoundException", "AccessDeniedException"])
def test_missing_vault_answers_are_treated_as_absent(aws, code):
    client = aws("backup")
    with Stubber(client) as stub:
        stub.add_client_error(
            "describe_backup_vault", service_error_code=code, expected_params={"BackupVaultName": "x"}
        )
        assert bv.describe_vault(client, "x") is None
        stub.assert_no_pending_responses()
