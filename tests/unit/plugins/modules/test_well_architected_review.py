"""The review module reading AWS (moto in-process): what it finds decides the verdicts; a read AWS refuses leaves
its checks unanswered, never passed; a lacking feature is not called."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import review
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import well_architected_review

# What moto in-process lacks too (it raises NotImplementedError, which no real endpoint does).
LACKS = ["cost_anomaly", "backup_selection", "composite_alarms"]
ARGS = {"stack_name": "s", "environment": "staging", "today": "2026-12-03", "target_lacks": LACKS}


def _by_id(result):
    return {c["id"]: c for c in result["checks"]}


def test_an_empty_account_passes_nothing(aws, run_module):
    result = run_module(well_architected_review, {**ARGS, "target_lacks": [*LACKS, "ecs_tasks"]})
    assert not result.get("failed"), result
    checks = _by_id(result)
    assert [k for k, c in checks.items() if c["status"] == "pass"] == []
    assert checks["SEC-01"]["detail"] == "no DB instance found"
    assert checks["REL-07"]["status"] == checks["COST-03"]["status"] == "not_emulated"
    assert set(result["failing"]) <= set(result["failed_checks"])
    assert result["changed"] is False
    assert len(result["score_lines"]) == 5 and result["markdown"].startswith("# Well-Architected review of s")


def test_a_public_db_on_the_stack_key_is_read_and_judged(aws, run_module):
    kms, rds = aws("kms"), aws("rds")
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/wordpress-aws/s", TargetKeyId=key["KeyId"])
    kms.enable_key_rotation(KeyId=key["KeyId"])
    rds.create_db_instance(
        DBInstanceIdentifier="s-db",
        DBInstanceClass="db.t4g.micro",
        Engine="mysql",
        EngineVersion="8.0.40",
        MasterUsername="admin",
        MasterUserPassword="not-a-real-one-1",
        AllocatedStorage=20,
        PubliclyAccessible=True,
        StorageEncrypted=True,
        KmsKeyId=key["Arn"],
        BackupRetentionPeriod=7,
    )
    result = run_module(well_architected_review, {**ARGS, "fail_on": "medium"})
    checks = _by_id(result)
    assert (checks["SEC-01"]["status"], checks["SEC-01"]["detail"]) == ("fail", "PubliclyAccessible is true")
    assert checks["SEC-02"]["status"] == "pass", checks["SEC-02"]
    assert checks["SEC-08"]["status"] == "pass", checks["SEC-08"]
    assert checks["REL-02"]["status"] == "pass"
    assert checks["COST-06"]["status"] == "fail" and "2026-07-31" in checks["COST-06"]["detail"]
    assert {"SEC-01", "COST-06"} <= set(result["failing"])
    allowed = _by_id(run_module(well_architected_review, {**ARGS, "allow_extended_support": True}))
    assert allowed["COST-06"]["status"] == "not_applicable"


def test_a_refused_read_leaves_its_checks_unanswered(aws, stubbed, run_module):
    cloudfront = stubbed("cloudfront", "us-east-1")
    cloudfront.add_client_error("list_distributions", "AccessDenied", "not allowed", 403)
    result = run_module(well_architected_review, ARGS)
    checks = _by_id(result)
    for check in ("SEC-11", "SEC-15", "SEC-16", "SEC-19", "PERF-01", "PERF-02", "PERF-03", "PERF-04"):
        assert checks[check]["status"] == "unanswered", check
        assert "AccessDenied" in checks[check]["detail"]
    assert result["scores"]["performance"]["unanswered"] == 4


def test_bad_input_is_refused(aws, run_module):
    result = run_module(well_architected_review, {**ARGS, "skip_checks": ["SEC-01", "NOPE-1"]})
    assert result["failed"] and "unknown check ids ['NOPE-1']" in result["msg"]
    result = run_module(well_architected_review, {**ARGS, "today": "3 Dec"})
    assert result["failed"] and "ISO date" in result["msg"]
    skipped = run_module(well_architected_review, {**ARGS, "skip_checks": ["SEC-01"]})
    assert "SEC-01" not in _by_id(skipped) and len(skipped["checks"]) == len(review.CHECKS) - 1
