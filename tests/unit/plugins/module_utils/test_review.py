"""The Well-Architected checks judged on the facts of a healthy stack (built from what our own code asks AWS for:
the distribution config, the web ACL rules) and on the same facts weakened one at a time."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudfront
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import review
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import waf
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.names import names

from .test_waf import RULE_INPUTS

KEY = "arn:aws:kms:eu-west-3:111122223333:key/0000-stack"
EDGE_KEY = "arn:aws:kms:us-east-1:111122223333:key/0000-edge"
ACL_ARN = "arn:aws:wafv2:us-east-1:111122223333:global/webacl/s-edge/1234"
PREFIX_LIST = "pl-cloudfront"
N = names("s")


def ctx(environment="production", lacks=(), **extra):
    return {
        "environment": environment,
        "region": "eu-west-3",
        "edge_region": "us-east-1",
        "names": N,
        "target_lacks": list(lacks),
        "origin_header": "X-Origin-Verify",
        "regional_acl": False,
        "allow_extended_support": False,
        "today": "2026-12-03",
        **extra,
    }


def healthy() -> dict:
    distribution = cloudfront.distribution_config(
        {
            "origin_domain": "s-alb.eu-west-3.elb.amazonaws.com",
            "origin_header_name": "X-Origin-Verify",
            "certificate_arn": "arn:aws:acm:us-east-1:111122223333:certificate/c",
            "web_acl_arn": ACL_ARN,
            "response_headers_policy_id": "rhp-1",
        }
    )
    alarm_spaces = ["AWS/CloudFront", "AWS/ApplicationELB", "AWS/ECS", "AWS/RDS", "AWS/EFS", "AWS/Lambda"]
    return {
        "_errors": {},
        "stack_key": KEY,
        "edge_key": EDGE_KEY,
        "key_rotation": {KEY: True, EDGE_KEY: True},
        "db": {
            "Engine": "mysql",
            "EngineVersion": "8.4.7",
            "PubliclyAccessible": False,
            "StorageEncrypted": True,
            "KmsKeyId": KEY,
            "MasterUserSecret": {"SecretArn": "arn:secret:rds!db", "KmsKeyId": KEY},
            "MultiAZ": True,
            "BackupRetentionPeriod": 14,
            "DeletionProtection": True,
            "DatabaseInsightsMode": "advanced",
        },
        "secrets": [
            {"Name": N["app_secret"], "KmsKeyId": KEY, "RotationEnabled": True, "RotationLambdaARN": "arn:fn"},
            {"Name": N["salts_secret"], "KmsKeyId": KEY},
        ],
        "efs": {"FileSystemId": "fs-1", "Encrypted": True, "KmsKeyId": KEY},
        "efs_mount_azs": ["eu-west-3a", "eu-west-3b"],
        "log_groups": [
            {"logGroupName": N["app_log_group"], "region": "eu-west-3", "kmsKeyId": KEY, "retentionInDays": 30},
            {
                "logGroupName": N["edge_waf_log_group"],
                "region": "us-east-1",
                "kmsKeyId": EDGE_KEY,
                "retentionInDays": 14,
            },
        ],
        "topics": [
            {"name": N["alert_topic"], "region": "eu-west-3", "KmsMasterKeyId": KEY},
            {"name": N["edge_alert_topic"], "region": "us-east-1", "KmsMasterKeyId": EDGE_KEY},
        ],
        "backup_vault": {"BackupVaultName": N["backup_vault"], "EncryptionKeyArn": KEY},
        "backup_plan": {"BackupPlanId": "p", "Rules": [{"RuleName": "daily", "Lifecycle": {"DeleteAfterDays": 35}}]},
        "backup_selections": [{"ListOfTags": [{"ConditionKey": "wordpress_aws:backup", "ConditionValue": "daily"}]}],
        "service": {
            "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": True, "rollback": True}},
            "capacityProviderStrategy": [
                {"capacityProvider": "FARGATE", "base": 1, "weight": 1},
                {"capacityProvider": "FARGATE_SPOT", "base": 0, "weight": 3},
            ],
        },
        "service_azs": ["eu-west-3a", "eu-west-3b"],
        "running_task_azs": ["eu-west-3a", "eu-west-3b"],
        "task_definition": {
            "containerDefinitions": [
                {
                    "name": "wordpress",
                    "environment": [{"name": "WORDPRESS_DB_HOST", "value": "db:3306"}],
                    "secrets": [{"name": "WORDPRESS_DB_PASSWORD", "valueFrom": "arn:secret:app:password::"}],
                }
            ]
        },
        "alb": {"LoadBalancerArn": "arn:alb", "SecurityGroups": ["sg-alb"]},
        "alb_attributes": {"deletion_protection.enabled": "true"},
        "listeners": [
            {
                "ListenerArn": "arn:l",
                "Port": 443,
                "Protocol": "HTTPS",
                "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
                "DefaultActions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "403"}}],
            }
        ],
        "listener_rules": {
            "arn:l": [
                {
                    "IsDefault": False,
                    "Conditions": [{"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Origin-Verify"}}],
                }
            ]
        },
        "target_group": {"HealthCheckEnabled": True, "HealthCheckPath": "/wp-includes/images/blank.gif"},
        "alb_web_acl": None,
        "security_groups": [
            {
                "GroupId": "sg-alb",
                "GroupName": "s-alb",
                "IpPermissions": [
                    {"IpProtocol": "tcp", "FromPort": 443, "PrefixListIds": [{"PrefixListId": PREFIX_LIST}]}
                ],
            },
            {
                "GroupId": "sg-app",
                "GroupName": "s-app",
                "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 80, "UserIdGroupPairs": [{"GroupId": "sg-alb"}]}],
            },
        ],
        "cloudfront_prefix_list": PREFIX_LIST,
        "iam_roles": [
            {
                "RoleName": "s-ecs-task",
                "policies": {
                    "efs": {
                        "Statement": [
                            {"Effect": "Allow", "Action": ["elasticfilesystem:ClientMount"], "Resource": "arn:fs"}
                        ]
                    }
                },
                "managed_policies": [],
            }
        ],
        "distribution": distribution,
        "edge_web_acl": {"Name": "s-edge", "Rules": waf.web_acl_rules(RULE_INPUTS)},
        "alarms": [
            {"AlarmName": f"s/{i}", "Namespace": space, "AlarmActions": ["arn:sns"]}
            for i, space in enumerate(alarm_spaces)
        ],
        "composite_alarms": [{"AlarmName": N["site_down_alarm"], "AlarmActions": ["arn:sns"]}],
        "dashboards": [N["dashboard"]],
        "budget": {"BudgetName": "s", "notifications": 3},
        "anomaly_monitors": [{"MonitorName": "s"}],
        "schedules": [],
        "scalable_target": {"MinCapacity": 2, "MaxCapacity": 6},
        "scaling_policies": [{"PolicyType": "TargetTrackingScaling"}],
        "db_event_subscription": {"CustSubscriptionId": N["db_events"]},
        "deploy_rule": {"State": "ENABLED"},
        "tag_drifts": [],
        "tagged_count": 90,
        "drift": {"count": 0, "drifts": []},
    }


def verdicts(facts, context=None) -> dict:
    return {r["id"]: r for r in review.evaluate(facts, context or ctx())}


def test_a_healthy_production_stack_passes_every_check_that_applies():
    results = verdicts(healthy())
    assert {r["status"] for r in results.values()} <= {"pass", "not_applicable"}, {
        k: r["detail"] for k, r in results.items() if r["status"] not in ("pass", "not_applicable")
    }
    assert [k for k, r in results.items() if r["status"] == "not_applicable"] == ["SEC-12", "COST-04"]
    assert review.scores(list(results.values()))["security"]["score"] == 100.0
    assert len(results) == len(review.CHECKS)


def test_every_check_names_its_pillar_severity_and_best_practice():
    for check in review.CHECKS:
        assert check["pillar"] in review.PILLARS
        assert review.severity(check, "production") in review.SEVERITIES
        assert check["best_practice"].split("-")[0][:3] in ("SEC", "REL", "PER", "COS", "OPS")
        assert check["rationale"] and check["remediation"] and check["title"]
    assert len(review.CHECK_IDS) == len(set(review.CHECK_IDS))


def _weaken(path, value):
    facts = healthy()
    target = facts
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return facts


@pytest.mark.parametrize(
    ("path", "value", "check", "words"),
    [
        (("db", "PubliclyAccessible"), True, "SEC-01", "PubliclyAccessible is true"),
        (("db", "KmsKeyId"), "arn:aws:kms:eu-west-3:111122223333:key/aws-rds", "SEC-02", "storage: not the stack key"),
        (("efs", "Encrypted"), False, "SEC-03", "not encrypted"),
        (("key_rotation",), {KEY: False}, "SEC-08", "rotation off"),
        (("distribution", "WebACLId"), "", "SEC-11", "no web ACL"),
        (("cloudfront_prefix_list",), "pl-other", "SEC-13", "not CloudFront's"),
        (("db", "MultiAZ"), False, "REL-01", "single-AZ"),
        (("db", "BackupRetentionPeriod"), 3, "REL-02", "wanted 7+"),
        (("backup_selections",), [], "REL-04", "does not select ['efs', 'rds']"),
        (("service", "deploymentConfiguration"), {}, "REL-05", "circuit breaker unset"),
        (("service_azs",), ["eu-west-3a"], "REL-06", "in 1 AZ"),
        (("db", "DeletionProtection"), False, "REL-09", "DB instance has no deletion protection"),
        (("distribution", "HttpVersion"), "http2", "PERF-04", "HttpVersion http2"),
        (("db", "DatabaseInsightsMode"), "standard", "PERF-05", "standard mode"),
        (("scaling_policies",), [], "PERF-06", "no target-tracking policy"),
        (
            ("service", "capacityProviderStrategy"),
            [{"capacityProvider": "FARGATE", "weight": 1}],
            "COST-01",
            "no Fargate Spot",
        ),
        (("budget",), None, "COST-02", "no budget"),
        (("anomaly_monitors",), [], "COST-03", "no anomaly monitor"),
        (("db", "EngineVersion"), "8.0.40", "COST-06", "left standard support on 2026-07-31"),
        (("composite_alarms",), [], "OPS-02", "no s/site-down alarm"),
        (("dashboards",), [], "OPS-03", "no dashboard s"),
        (
            ("drift",),
            {"count": 1, "drifts": [{"type": "alarm", "resource": "s/db", "field": "Threshold"}]},
            "OPS-05",
            "alarm s/db: Threshold",
        ),
        (("deploy_rule",), None, "OPS-06", "no enabled EventBridge rule"),
    ],
)
def test_one_weakness_fails_its_check_and_only_it(path, value, check, words):
    results = verdicts(_weaken(path, value))
    failed = {k: r["detail"] for k, r in results.items() if r["status"] == "fail"}
    assert list(failed) == [check], failed
    assert words in failed[check]


def test_the_weakenings_of_the_pipeline_test_name_each_check():
    """What tests/integration/test_audit.py does to a live stack, here on the facts."""
    facts = healthy()
    facts["db"]["PubliclyAccessible"] = True
    facts["distribution"]["WebACLId"] = ""
    facts["security_groups"][1]["IpPermissions"].append(
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    )
    facts["secrets"][0]["RotationEnabled"] = False
    results = review.evaluate(facts, ctx())
    assert [r["id"] for r in review.failing(results, "high")] == ["SEC-01", "SEC-09", "SEC-11", "SEC-17"]
    assert "s-app (sg-app): ingress from the world, port 22" in verdicts(facts)["SEC-17"]["detail"]


def test_plaintext_secret_star_policy_and_cached_dynamic_paths_fail():
    facts = healthy()
    facts["task_definition"]["containerDefinitions"][0]["environment"].append(
        {"name": "WORDPRESS_DB_PASSWORD", "value": "hunter2"}
    )
    facts["iam_roles"][0]["policies"]["admin"] = json.dumps(
        {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}
    )
    behaviours = facts["distribution"]["CacheBehaviors"]["Items"]
    admin = next(b for b in behaviours if b["PathPattern"] == "wp-admin/*")
    admin.update(DefaultTTL=300, MaxTTL=900)
    default = facts["distribution"]["DefaultCacheBehavior"]
    default["ForwardedValues"]["Cookies"] = {
        "Forward": "whitelist",
        "WhitelistedNames": {"Quantity": 1, "Items": ["x"]},
    }
    results = verdicts(facts)
    assert "WORDPRESS_DB_PASSWORD is a plain environment variable" in results["SEC-10"]["detail"]
    assert "s-ecs-task: policy admin allows * on *" in results["SEC-18"]["detail"]
    assert "wp-admin/* is cached" in results["PERF-01"]["detail"]
    assert "keys the cache without wordpress_logged_in_*" in results["PERF-01"]["detail"]
    assert {k for k, r in results.items() if r["status"] == "fail"} == {"SEC-10", "SEC-18", "PERF-01"}


def test_the_alb_open_to_addresses_or_without_the_header_rule_fails():
    facts = healthy()
    facts["security_groups"][0]["IpPermissions"][0]["IpRanges"] = [{"CidrIp": "203.0.113.0/24"}]
    facts["listener_rules"] = {"arn:l": []}
    facts["listeners"][0]["DefaultActions"] = [{"Type": "forward"}]
    results = verdicts(facts)
    assert "admits address ranges besides CloudFront's prefix list" in results["SEC-13"]["detail"]
    assert "no rule matches the X-Origin-Verify header" in results["SEC-14"]["detail"]
    assert "the default action is forward, not a 403" in results["SEC-14"]["detail"]


def test_severity_and_applicability_follow_the_environment():
    facts = healthy()
    facts["db"].update(MultiAZ=False, DeletionProtection=False, DatabaseInsightsMode=None)
    local = verdicts(facts, ctx("local"))
    assert (local["REL-01"]["status"], local["REL-01"]["severity"]) == ("fail", "low")
    assert local["REL-09"]["status"] == "not_applicable"
    assert local["PERF-05"]["status"] == "not_applicable"
    assert local["COST-04"]["status"] == "fail"  # no schedule outside production
    production = verdicts(facts, ctx("production"))
    assert (production["REL-01"]["status"], production["REL-01"]["severity"]) == ("fail", "high")
    assert production["PERF-05"]["status"] == "fail"


def test_extended_support_allowed_is_not_applicable_and_an_unknown_engine_fails():
    facts = _weaken(("db", "EngineVersion"), "8.0.40")
    assert verdicts(facts, ctx(allow_extended_support=True))["COST-06"]["status"] == "not_applicable"
    facts["db"]["EngineVersion"] = "9.1.0"
    assert "no known standard support date" in verdicts(facts)["COST-06"]["detail"]


def test_a_lacking_feature_is_not_emulated_and_a_failed_read_unanswered_never_passed():
    facts = healthy()
    facts["_errors"]["distribution"] = "AccessDenied: no cloudfront:GetDistribution"
    results = verdicts(facts, ctx(lacks=["backup_selection", "lambda_invoke"]))
    assert results["REL-04"]["status"] == "not_emulated"
    assert results["REL-04"]["detail"] == "not emulated locally (the target lacks backup_selection)"
    assert results["SEC-09"]["status"] == "not_emulated"
    for check in ("SEC-11", "SEC-15", "PERF-01", "PERF-02", "PERF-03", "PERF-04"):
        assert results[check]["status"] == "unanswered"
        assert "AccessDenied" in results[check]["detail"]
    scores = review.scores(list(results.values()))
    assert scores["performance"]["pass"] == 2  # insights and autoscaling
    assert scores["performance"]["score"] == round(100 * 2 / 6, 1)


def test_an_empty_account_passes_no_check():
    facts = dict.fromkeys(healthy())
    facts.update(_errors={}, security_groups=None, listeners=[], listener_rules={}, tagged_count=0)
    results = review.evaluate(facts, ctx("staging"))
    assert [r["id"] for r in results if r["status"] == "pass"] == []


def test_fail_on_thresholds():
    facts = healthy()
    facts["db"]["PubliclyAccessible"] = True  # high
    facts["dashboards"] = []  # low
    facts["budget"] = None  # medium
    results = review.evaluate(facts, ctx())
    assert [r["id"] for r in review.failing(results, "high")] == ["SEC-01"]
    assert {r["id"] for r in review.failing(results, "medium")} == {"SEC-01", "COST-02"}
    assert {r["id"] for r in review.failing(results, "low")} == {"SEC-01", "COST-02", "OPS-03"}
    assert review.failing(results, "none") == []
    assert review.failed_lines(results)[0].startswith("FAIL SEC-01 (high, SEC05-BP02)")


def test_reports_put_failed_checks_first_and_the_html_stands_alone():
    facts = healthy()
    facts["dashboards"] = []
    results = review.evaluate(facts, ctx(lacks=["composite_alarms"]))
    report = {
        "stack": "s",
        "environment": "production",
        "region": "eu-west-3",
        "edge_region": "us-east-1",
        "generated": "2026-12-03",
        "checks": results,
        "scores": review.scores(results),
    }
    md = review.markdown(report)
    rows = [line for line in md.splitlines() if line.startswith("| FAIL") or line.startswith("| not emulated")]
    assert rows[0].startswith("| FAIL | low | OPS-03 |")
    assert rows[1].startswith("| not emulated locally | medium | OPS-02 |")
    assert "| Operational excellence | 67 % | 4 | 1 | 1 | 0 |" in md
    page = review.html_report(report)
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert "http://" not in page and "https://" not in page and "<link" not in page
    assert page.index("OPS-03") < page.index("SEC-01")


def test_catalogue_functions_do_not_change_the_facts():
    facts = healthy()
    before = copy.deepcopy(facts)
    review.evaluate(facts, ctx())
    assert facts == before


def test_the_docs_list_every_check_as_the_catalogue_has_it():
    doc = (Path(__file__).resolve().parents[4] / "docs" / "well-architected.md").read_text()
    rows = {line.split(" | ")[0][2:]: line for line in doc.splitlines() if line.startswith("| ") and "-" in line[:9]}
    for check in review.CHECKS:
        row = rows.get(check["id"])
        assert row, f"{check['id']} is not in docs/well-architected.md"
        assert f"| {check['best_practice']} | {check['title']} |" in row, row
        assert ("not emulated" in row) == bool(check["feature"]), row
    assert len([r for r in rows if r[:3] in ("SEC", "REL", "PER", "COS", "OPS")]) == len(review.CHECKS)
