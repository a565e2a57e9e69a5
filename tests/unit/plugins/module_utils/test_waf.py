"""The edge tier's modules: WAF rules from inputs, wafv2_web_acl and cloudfront_distribution against moto,
cloudfront_response_headers_policy against botocore's Stubber (the emulator has no such API)."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudfront
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudfront_api
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import waf
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cloudfront_distribution
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cloudfront_distribution_info
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cloudfront_response_headers_policy
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import wafv2_web_acl

GLOBAL = "us-east-1"
STACK_TAGS = {"wordpress_aws:stack": "s"}
SECRET_VALUE = "Kx4LtB8nHs3Fy6Jg1Ue5Zq7dpcR2mWv9"
RULE_INPUTS = {
    "metric_prefix": "s-edge",
    "rate_limit": 2000,
    "login_rate_limit": 100,
    "rate_window": 300,
    "allow_xmlrpc": False,
    "geo_block": [],
    "common_rules_to_count": ["SizeRestrictions_BODY"],
}


def rules_by_name(rules):
    return {rule["Name"]: rule for rule in rules}


def test_waf_rules_cover_managed_groups_rates_xmlrpc_and_metrics():
    rules = waf.web_acl_rules(RULE_INPUTS)
    named = rules_by_name(rules)
    managed = [r["Statement"]["ManagedRuleGroupStatement"]["Name"] for r in rules if "OverrideAction" in r]
    assert managed == [
        "AWSManagedRulesAmazonIpReputationList",
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesSQLiRuleSet",
        "AWSManagedRulesPHPRuleSet",
        "AWSManagedRulesWordPressRuleSet",
    ]
    common = named["AWS-AWSManagedRulesCommonRuleSet"]["Statement"]["ManagedRuleGroupStatement"]
    assert common["RuleActionOverrides"] == [{"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}]
    assert named["rate-limit"]["Statement"]["RateBasedStatement"] == {
        "Limit": 2000,
        "EvaluationWindowSec": 300,
        "AggregateKeyType": "IP",
    }
    login = named["login-rate-limit"]["Statement"]["RateBasedStatement"]
    assert login["Limit"] == 100
    assert login["ScopeDownStatement"]["RegexMatchStatement"]["RegexString"] == r"^/(wp-login|xmlrpc)\.php$"
    assert named["block-xmlrpc"]["Action"] == {"Block": {}}
    assert "admin-allow-list" not in named and "geo-block" not in named
    # Every rule reports metrics and samples, under a unique metric name; priorities are unique.
    assert all(r["VisibilityConfig"]["CloudWatchMetricsEnabled"] for r in rules)
    assert len({r["VisibilityConfig"]["MetricName"] for r in rules}) == len(rules)
    assert len({r["Priority"] for r in rules}) == len(rules)
    # Within WAF's default 1,500 capacity units (the managed groups' published WCU, plus the custom rules).
    assert sum(wcu for _name, wcu in waf.MANAGED_GROUPS) <= 1400


def test_waf_rules_options_xmlrpc_admins_and_countries():
    v4 = "arn:aws:wafv2:us-east-1:123456789012:global/ipset/s-admins-v4/1"
    v6 = "arn:aws:wafv2:us-east-1:123456789012:global/ipset/s-admins-v6/2"
    named = rules_by_name(
        waf.web_acl_rules(
            {**RULE_INPUTS, "allow_xmlrpc": True, "admin_ip_set_arns": [v4, v6], "geo_block": ["RU", "KP"]}
        )
    )
    assert "block-xmlrpc" not in named
    assert named["geo-block"]["Statement"] == {"GeoMatchStatement": {"CountryCodes": ["KP", "RU"]}}
    admin = named["admin-allow-list"]["Statement"]["AndStatement"]["Statements"]
    assert admin[0]["RegexMatchStatement"]["RegexString"] == "^/wp-admin/"
    # admin-ajax.php and admin-post.php serve visitors: never behind the allow-list.
    assert (
        admin[1]["NotStatement"]["Statement"]["RegexMatchStatement"]["RegexString"]
        == r"^/wp-admin/admin-(ajax|post)\.php$"
    )
    assert admin[2] == {
        "NotStatement": {
            "Statement": {
                "OrStatement": {
                    "Statements": [{"IPSetReferenceStatement": {"ARN": v4}}, {"IPSetReferenceStatement": {"ARN": v6}}]
                }
            }
        }
    }
    single = rules_by_name(waf.web_acl_rules({**RULE_INPUTS, "admin_ip_set_arns": [v4]}))["admin-allow-list"]
    assert single["Statement"]["AndStatement"]["Statements"][2] == {
        "NotStatement": {"Statement": {"IPSetReferenceStatement": {"ARN": v4}}}
    }


@pytest.fixture
def waf_env(aws):
    logs = aws("logs", GLOBAL)
    logs.create_log_group(logGroupName="aws-waf-logs-s-edge")
    return {
        "wafv2": aws("wafv2", GLOBAL),
        "log_arn": "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-s-edge",
    }


def acl_args(env, **extra):
    return {
        "name": "s-edge",
        "scope": "CLOUDFRONT",
        "region": GLOBAL,
        "rules": waf.web_acl_rules(RULE_INPUTS),
        "logging": {"destination_arn": env["log_arn"]},
        "tags": STACK_TAGS,
        **extra,
    }


def test_web_acl_converges_with_logging_redacted_and_is_removed(waf_env, run_module):
    check = run_module(wafv2_web_acl, acl_args(waf_env), check_mode=True)
    assert check["changed"] and waf_env["wafv2"].list_web_acls(Scope="CLOUDFRONT")["WebACLs"] == []
    first = run_module(wafv2_web_acl, acl_args(waf_env))
    assert first.get("changed"), first
    arn = first["web_acl"]["arn"]
    assert arn.startswith("arn:aws:wafv2:us-east-1:") and ":global/webacl/s-edge/" in arn
    logging = waf_env["wafv2"].get_logging_configuration(ResourceArn=arn)["LoggingConfiguration"]
    assert logging["LogDestinationConfigs"] == [waf_env["log_arn"]]
    assert logging["RedactedFields"] == [
        {"SingleHeader": {"Name": "cookie"}},
        {"SingleHeader": {"Name": "authorization"}},
    ]
    assert run_module(wafv2_web_acl, acl_args(waf_env))["changed"] is False
    assert run_module(wafv2_web_acl, acl_args(waf_env), check_mode=True)["changed"] is False

    looser = acl_args(waf_env, rules=waf.web_acl_rules({**RULE_INPUTS, "rate_limit": 5000}))
    assert run_module(wafv2_web_acl, looser)["changed"] is True
    described = waf_env["wafv2"].get_web_acl(Name="s-edge", Scope="CLOUDFRONT", Id=first["web_acl"]["id"])["WebACL"]
    assert rules_by_name(described["Rules"])["rate-limit"]["Statement"]["RateBasedStatement"]["Limit"] == 5000
    assert run_module(wafv2_web_acl, looser)["changed"] is False

    gone = run_module(wafv2_web_acl, {"name": "s-edge", "scope": "CLOUDFRONT", "region": GLOBAL, "state": "absent"})
    assert gone["changed"] and waf_env["wafv2"].list_web_acls(Scope="CLOUDFRONT")["WebACLs"] == []


def test_regional_web_acl_is_associated_with_the_load_balancer(aws, run_module):
    ec2, elb = aws("ec2"), aws("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.4.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.4.{i}.0/24", AvailabilityZone=f"eu-west-3{az}")["Subnet"][
            "SubnetId"
        ]
        for i, az in ((1, "a"), (2, "b"))
    ]
    alb = elb.create_load_balancer(Name="s-alb", Subnets=subnets, Type="application")["LoadBalancers"][0]
    args = {
        "name": "s-alb",
        "scope": "REGIONAL",
        "rules": waf.web_acl_rules({**RULE_INPUTS, "metric_prefix": "s-alb"}),
        "associations": [alb["LoadBalancerArn"]],
        "tags": STACK_TAGS,
    }
    first = run_module(wafv2_web_acl, args)
    assert first["changed"]
    acl = aws("wafv2").get_web_acl_for_resource(ResourceArn=alb["LoadBalancerArn"])["WebACL"]
    assert acl["ARN"] == first["web_acl"]["arn"]
    assert run_module(wafv2_web_acl, args)["changed"] is False
    refused = run_module(wafv2_web_acl, {**args, "scope": "CLOUDFRONT", "region": GLOBAL})
    assert refused["failed"] and "associations are for REGIONAL" in refused["msg"]
    assert run_module(wafv2_web_acl, {**args, "state": "absent"})["changed"]


@pytest.fixture
def edge(aws):
    sm = aws("secretsmanager")
    arn = sm.create_secret(Name="s/cloudfront/origin-verify", SecretString=json.dumps({"value": SECRET_VALUE}))["ARN"]
    return {"cloudfront": aws("cloudfront", GLOBAL), "secret_arn": arn}


def dist_args(secret="s/cloudfront/origin-verify", **inputs):
    cfg = cloudfront.distribution_config(
        {
            "comment": "wordpress_aws s: WordPress",
            "origin_domain": "s-alb-1.eu-west-3.elb.amazonaws.com",
            "origin_protocol": "http-only",
            "origin_header_name": "X-Origin-Verify",
            "price_class": "PriceClass_100",
            **inputs,
        }
    )
    return {
        "caller_reference": "wordpress-aws-s",
        "config": cfg,
        "origin_header_name": "X-Origin-Verify",
        "origin_header_secret_id": secret,
        "region": GLOBAL,
        "tags": STACK_TAGS,
        "wait": True,
    }


def test_distribution_converges_once_carries_the_secret_header_and_never_returns_it(edge, run_module, monkeypatch):
    monkeypatch.setattr(cloudfront_api, "POLL_SECONDS", 0)
    cf = edge["cloudfront"]
    check = run_module(cloudfront_distribution, dist_args(edge["secret_arn"]), check_mode=True)
    assert check.get("changed"), check
    assert cf.list_distributions()["DistributionList"].get("Items", []) == []
    first = run_module(cloudfront_distribution, dist_args(edge["secret_arn"]))
    assert first["changed"] and first["distribution"]["status"] == "Deployed"
    assert SECRET_VALUE not in json.dumps(first)
    stored = cf.get_distribution_config(Id=first["distribution"]["id"])["DistributionConfig"]
    header = stored["Origins"]["Items"][0]["CustomHeaders"]["Items"][0]
    assert header == {"HeaderName": "X-Origin-Verify", "HeaderValue": SECRET_VALUE}
    assert stored["CallerReference"] == "wordpress-aws-s"
    assert [b["PathPattern"] for b in stored["CacheBehaviors"]["Items"]] == [
        "wp-admin/*",
        "wp-login.php",
        "wp-json/*",
        "wp-cron.php",
        "xmlrpc.php",
        "wp-content/*",
        "wp-includes/*",
    ]

    again = run_module(cloudfront_distribution, dist_args(edge["secret_arn"]))
    assert again["changed"] is False, again["differences"]
    assert run_module(cloudfront_distribution, dist_args(edge["secret_arn"]), check_mode=True)["changed"] is False

    # A rotated origin secret is a change; so is a TTL; the same distribution is updated, never a second one.
    edge_sm = boto3.client("secretsmanager", region_name="eu-west-3")
    edge_sm.put_secret_value(SecretId="s/cloudfront/origin-verify", SecretString=json.dumps({"value": "rotated"}))
    rotated = run_module(cloudfront_distribution, dist_args(edge["secret_arn"], html_ttl=60))
    assert rotated["changed"] and set(rotated["differences"]) == {
        "Origins.Items",
        "DefaultCacheBehavior.DefaultTTL",
    }
    assert len(cf.list_distributions()["DistributionList"]["Items"]) == 1
    assert "rotated" not in json.dumps(rotated)

    info = run_module(cloudfront_distribution_info, {"caller_reference": "wordpress-aws-s", "region": GLOBAL})
    assert info["distribution"]["id"] == first["distribution"]["id"]
    assert info["distribution"]["tags"] == STACK_TAGS
    assert "rotated" not in json.dumps(info)

    gone = run_module(
        cloudfront_distribution, {"caller_reference": "wordpress-aws-s", "region": GLOBAL, "state": "absent"}
    )
    assert gone["changed"] and cf.list_distributions()["DistributionList"].get("Items", []) == []
    assert (
        run_module(
            cloudfront_distribution, {"caller_reference": "wordpress-aws-s", "region": GLOBAL, "state": "absent"}
        )["changed"]
        is False
    )


def test_a_distribution_with_another_comment_is_still_found_by_its_reference(edge, run_module):
    first = run_module(cloudfront_distribution, {**dist_args(edge["secret_arn"]), "wait": False})
    renamed = dist_args(edge["secret_arn"])
    renamed["config"]["Comment"] = "renamed by hand"
    second = run_module(cloudfront_distribution, {**renamed, "wait": False})
    assert second["changed"] and second["differences"] == ["Comment"]
    assert second["distribution"]["id"] == first["distribution"]["id"]
    assert len(edge["cloudfront"].list_distributions()["DistributionList"]["Items"]) == 1


def test_delete_disables_waits_until_deployed_then_deletes():
    """Stubber: the order CloudFront requires (the emulator deletes an enabled distribution without complaint)."""
    client = boto3.client("cloudfront", region_name=GLOBAL, aws_access_key_id="a", aws_secret_access_key="b")
    cfg = {**dist_args()["config"], "CallerReference": "wordpress-aws-s"}

    def distribution(status, enabled):
        return {
            "Distribution": {
                "Id": "E1",
                "ARN": "arn:aws:cloudfront::123456789012:distribution/E1",
                "Status": status,
                "LastModifiedTime": "2026-11-28T00:00:00Z",
                "InProgressInvalidationBatches": 0,
                "DomainName": "d1.cloudfront.net",
                "DistributionConfig": {**cfg, "Enabled": enabled},
            },
            "ETag": f"{status}-{enabled}",
        }

    with Stubber(client) as stub:
        stub.add_response("get_distribution", distribution("Deployed", True), {"Id": "E1"})
        stub.add_response(
            "update_distribution",
            distribution("InProgress", False),
            {"Id": "E1", "IfMatch": "Deployed-True", "DistributionConfig": {**cfg, "Enabled": False}},
        )
        stub.add_response("get_distribution", distribution("InProgress", False), {"Id": "E1"})
        stub.add_response("get_distribution", distribution("Deployed", False), {"Id": "E1"})
        stub.add_response("delete_distribution", {}, {"Id": "E1", "IfMatch": "Deployed-False"})
        original = cloudfront_api.POLL_SECONDS
        cloudfront_api.POLL_SECONDS = 0
        try:
            cloudfront_api.delete_distribution(client, "E1", timeout=60)
        finally:
            cloudfront_api.POLL_SECONDS = original
        stub.assert_no_pending_responses()


def _policy(config, etag="E1"):
    return {
        "ResponseHeadersPolicy": {
            "Id": "rhp-1",
            "LastModifiedTime": "2026-11-28T00:00:00Z",
            "ResponseHeadersPolicyConfig": config,
        },
        "ETag": etag,
    }


@pytest.mark.parametrize("existing_max_age", [None, 31536000, 600])
def test_response_headers_policy_create_keep_update(monkeypatch, run_module, existing_max_age):
    """Stubber: the emulator has no response headers policies (reported as not emulated locally)."""
    client = boto3.client("cloudfront", region_name=GLOBAL, aws_access_key_id="a", aws_secret_access_key="b")
    desired = cloudfront.security_headers_config("s-security-headers", 31536000)
    stub = Stubber(client)
    if existing_max_age is None:
        stub.add_response(
            "list_response_headers_policies",
            {"ResponseHeadersPolicyList": {"MaxItems": 100, "Quantity": 0}},
            {"Type": "custom"},
        )
        stub.add_response(
            "create_response_headers_policy",
            {**_policy(desired), "Location": "x"},
            {"ResponseHeadersPolicyConfig": desired},
        )
    else:
        current = cloudfront.security_headers_config("s-security-headers", existing_max_age)
        listed = {"Type": "custom", "ResponseHeadersPolicy": _policy(current)["ResponseHeadersPolicy"]}
        stub.add_response(
            "list_response_headers_policies",
            {"ResponseHeadersPolicyList": {"MaxItems": 100, "Quantity": 1, "Items": [listed]}},
            {"Type": "custom"},
        )
        stub.add_response("get_response_headers_policy", _policy(current), {"Id": "rhp-1"})
        if existing_max_age != 31536000:
            stub.add_response(
                "update_response_headers_policy",
                _policy(desired, "E2"),
                {"Id": "rhp-1", "IfMatch": "E1", "ResponseHeadersPolicyConfig": desired},
            )
    stub.activate()
    from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule

    monkeypatch.setattr(WordPressAWSModule, "client", lambda self, *a, **k: client)
    result = run_module(cloudfront_response_headers_policy, {"name": "s-security-headers", "region": GLOBAL})
    stub.assert_no_pending_responses()
    assert result["changed"] is (existing_max_age != 31536000)
    assert result["policy"]["id"] == "rhp-1"
    hsts = result["policy"]["config"]["SecurityHeadersConfig"]["StrictTransportSecurity"]
    assert hsts["AccessControlMaxAgeSec"] == 31536000


def test_certificate_is_requested_once_with_its_validation_records_then_issued(aws, run_module, monkeypatch):
    from moto import settings

    from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import acm
    from ansible_collections.techblogpro.wordpress_aws.plugins.modules import acm_certificate_request

    monkeypatch.setattr(acm, "POLL_SECONDS", 0)
    args = {
        "name": "s-edge",
        "domain_name": "www.example.test",
        "subject_alternative_names": ["example.test"],
        "region": GLOBAL,
        "tags": STACK_TAGS,
    }
    check = run_module(acm_certificate_request, args, check_mode=True)
    assert check["changed"] and aws("acm", GLOBAL).list_certificates()["CertificateSummaryList"] == []
    first = run_module(acm_certificate_request, args)
    assert first["changed"] and first["certificate"]["status"] == "PENDING_VALIDATION"
    assert first["certificate"]["names"] == ["example.test", "www.example.test"]
    records = first["certificate"]["validation_records"]
    assert records and all(r["type"] == "CNAME" and r["value"].endswith(".acm-validations.aws.") for r in records)
    assert {r["name"].split(".", 1)[1] for r in records} == {"example.test.", "www.example.test."}
    again = run_module(acm_certificate_request, args)
    assert again["changed"] is False and again["certificate"]["arn"] == first["certificate"]["arn"]
    assert len(aws("acm", GLOBAL).list_certificates()["CertificateSummaryList"]) == 1

    monkeypatch.setattr(settings, "ACM_VALIDATION_WAIT", -1)
    issued = run_module(acm_certificate_request, {**args, "wait": True})
    assert issued["changed"] is False and issued["certificate"]["status"] == "ISSUED"

    # Other names: a new certificate, the old one returned for deletion once unused.
    wider = run_module(
        acm_certificate_request, {**args, "subject_alternative_names": ["example.test", "cdn.example.test"]}
    )
    assert wider["changed"] and wider["superseded"] == [first["certificate"]["arn"]]
    gone = run_module(acm_certificate_request, {"name": "s-edge", "region": GLOBAL, "state": "absent"})
    assert gone["changed"] and aws("acm", GLOBAL).list_certificates()["CertificateSummaryList"] == []


def test_route53_record_values_and_aliases_converge_and_go(aws, run_module):
    from ansible_collections.techblogpro.wordpress_aws.plugins.modules import route53_record

    r53 = aws("route53")
    zone = r53.create_hosted_zone(Name="example.test", CallerReference="z")["HostedZone"]["Id"]
    cname = {
        "hosted_zone_id": zone,
        "name": "_abc.www.example.test",
        "type": "CNAME",
        "values": ["_def.acm-validations.aws."],
    }
    # The connection region module_defaults sets is only where the client connects (route53 is global).
    assert run_module(route53_record, cname, check_mode=True)["changed"] is True
    assert run_module(route53_record, cname)["changed"] is True
    assert run_module(route53_record, cname)["changed"] is False
    alias = {
        "hosted_zone_id": zone,
        "name": "www.example.test",
        "type": "A",
        "alias": {"dns_name": "d111.cloudfront.net", "hosted_zone_id": "Z2FDTNDATAQYW2"},
    }
    assert run_module(route53_record, alias)["changed"] is True
    assert run_module(route53_record, alias)["changed"] is False
    moved = {**alias, "alias": {"dns_name": "d222.cloudfront.net", "hosted_zone_id": "Z2FDTNDATAQYW2"}}
    assert run_module(route53_record, moved)["changed"] is True
    records = {
        (r["Name"], r["Type"]): r for r in r53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]
    }
    assert records[("www.example.test.", "A")]["AliasTarget"]["DNSName"] == "d222.cloudfront.net."
    assert records[("_abc.www.example.test.", "CNAME")]["ResourceRecords"] == [{"Value": "_def.acm-validations.aws."}]
    for args in (cname, moved):
        gone = {**{k: v for k, v in args.items() if k in ("hosted_zone_id", "name", "type")}, "state": "absent"}
        assert run_module(route53_record, gone)["changed"] is True
        assert run_module(route53_record, gone)["changed"] is False
    left = sorted(r["Type"] for r in r53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"])
    assert left == ["NS", "SOA"]
    refused = run_module(route53_record, {**cname, "values": []})
    assert refused["failed"] and "needs values or an alias" in refused["msg"]
