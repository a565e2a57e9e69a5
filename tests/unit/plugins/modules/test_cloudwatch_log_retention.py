"""Unit tests of the cloudwatch_log_retention module (split out of tests/unit/test_monitoring_modules.py)."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cloudwatch_log_retention


def test_log_retention_reaches_groups_without_one_and_leaves_chosen_ones(aws, run_module):
    logs = aws("logs")
    for name in ("/aws/lambda/s-db-bootstrap", "/wordpress-aws/s/wordpress", "/aws/lambda/s-other-stack-fn"):
        logs.create_log_group(logGroupName=name)
    logs.put_retention_policy(logGroupName="/wordpress-aws/s/wordpress", retentionInDays=14)
    args = {"prefixes": ["/wordpress-aws/s/", "/aws/lambda/s-db-bootstrap"], "retention_days": 7}
    check = run_module(cloudwatch_log_retention, args, check_mode=True)
    assert check["changes"] == ["retention of /aws/lambda/s-db-bootstrap: never -> 7 days"]
    first = run_module(cloudwatch_log_retention, args)
    assert first["changed"] and first["log_retention"] == {
        "/aws/lambda/s-db-bootstrap": 7,
        "/wordpress-aws/s/wordpress": 14,
    }
    kept = {g["logGroupName"]: g.get("retentionInDays") for g in logs.describe_log_groups()["logGroups"]}
    assert kept == {
        "/aws/lambda/s-db-bootstrap": 7,
        "/wordpress-aws/s/wordpress": 14,
        "/aws/lambda/s-other-stack-fn": None,
    }
    assert run_module(cloudwatch_log_retention, args)["changed"] is False
    capped = run_module(cloudwatch_log_retention, {**args, "max_days": 7})
    assert capped["changes"] == ["retention of /wordpress-aws/s/wordpress: 14 -> 7 days"]
    for bad, message in (({"retention_days": 10}, "not a retention"), ({"prefixes": [""]}, "empty prefix")):
        result = run_module(cloudwatch_log_retention, {**args, **bad})
        assert result["failed"] and message in result["msg"]
