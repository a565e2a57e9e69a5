"""Unit tests of plugins/module_utils/inventory.py (split out of tests/unit/test_foundation_modules.py)."""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import inventory


def test_parse_arn():
    assert inventory.parse_arn("arn:aws:sns:eu-west-3:1:blog-alerts")["id"] == "blog-alerts"
    secret = inventory.parse_arn("arn:aws:secretsmanager:eu-west-3:1:secret:blog/db/app-AbCdEf")
    assert (secret["resource_type"], secret["id"]) == ("secret", "blog/db/app-AbCdEf")
    snapshot = inventory.parse_arn("arn:aws:rds:eu-west-3:1:snapshot:rds:blog-db-2026-11-28-01-00")
    assert (snapshot["resource_type"], snapshot["id"]) == ("snapshot", "rds:blog-db-2026-11-28-01-00")
    log = inventory.parse_arn("arn:aws:logs:eu-west-3:1:log-group:/wordpress-aws/blog/x")
    assert (log["resource_type"], log["id"]) == ("log-group", "/wordpress-aws/blog/x")
    role = inventory.parse_arn("arn:aws:iam::1:role/wordpress-aws/blog/blog-backup")
    assert (role["service"], role["resource_type"], role["id"]) == ("iam", "role", "blog-backup")
    vault = inventory.parse_arn("arn:aws:backup:eu-west-3:1:backup-vault:blog-vault")
    assert (vault["resource_type"], vault["id"]) == ("backup-vault", "blog-vault")
