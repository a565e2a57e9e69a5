"""Unit tests of the wafv2_web_acl module (split out of tests/unit/test_edge_modules.py)."""

from __future__ import annotations

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import waf
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import wafv2_web_acl

from ..module_utils.test_waf import RULE_INPUTS
from ..module_utils.test_waf import rules_by_name

GLOBAL = "us-east-1"


STACK_TAGS = {"wordpress_aws:stack": "s"}


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


def test_regional_web_acl_is_associated_with_the_load_balancer(aws, alb, run_module):
    args = {
        "name": "s-alb",
        "scope": "REGIONAL",
        "rules": waf.web_acl_rules({**RULE_INPUTS, "metric_prefix": "s-alb"}),
        "associations": [alb["lb"]],
        "tags": STACK_TAGS,
    }
    first = run_module(wafv2_web_acl, args)
    assert first["changed"]
    acl = aws("wafv2").get_web_acl_for_resource(ResourceArn=alb["lb"])["WebACL"]
    assert acl["ARN"] == first["web_acl"]["arn"]
    assert run_module(wafv2_web_acl, args)["changed"] is False
    refused = run_module(wafv2_web_acl, {**args, "scope": "CLOUDFRONT", "region": GLOBAL})
    assert refused["failed"] and "associations are for REGIONAL" in refused["msg"]
    assert run_module(wafv2_web_acl, {**args, "state": "absent"})["changed"]


@pytest.mark.parametrize(
    "answer",
    [("WAFInternalErrorException", 500), ("WAFDuplicateItemException", 400)],
    ids=["the-500-itself", "the-conflict-botocore's-resend-meets"],
)
def test_a_lost_create_answer_adopts_the_web_acl_the_first_attempt_made(run_module, stubbed, monkeypatch, answer):
    """CreateWebACL has no token. botocore resends a 500 on its own (Stubber does not), and the resend meets
    WAFDuplicateItemException; AWSRetry does not retry WAF's 500 code, which then reaches the module: either way
    the ACL the first attempt made is found and adopted, and CreateWebACL is not sent again."""
    monkeypatch.setattr("time.sleep", lambda _s: None)
    stub = stubbed("wafv2", GLOBAL)
    arn = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/s-edge/1"
    summary = {"Name": "s-edge", "Id": "1", "ARN": arn, "LockToken": "t"}
    visibility = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "s-edge"}
    acl = {"Name": "s-edge", "Id": "1", "ARN": arn, "DefaultAction": {"Allow": {}}, "VisibilityConfig": visibility}
    listing = {"Scope": "CLOUDFRONT", "Limit": 100}
    by_id = {"Name": "s-edge", "Scope": "CLOUDFRONT", "Id": "1"}
    stub.add_response("list_web_acls", {"WebACLs": []}, listing)
    stub.add_client_error("create_web_acl", answer[0], http_status_code=answer[1])
    for _attempt in range(2):  # the adoption's find, then the describe after the create
        stub.add_response("list_web_acls", {"WebACLs": [summary]}, listing)
        stub.add_response("get_web_acl", {"WebACL": acl, "LockToken": "t"}, by_id)
    args = {"name": "s-edge", "scope": "CLOUDFRONT", "region": GLOBAL, "default_action": "allow", "rules": []}
    result = run_module(wafv2_web_acl, args)
    assert result.get("failed") is not True, result
    stub.assert_no_pending_responses()
    assert result["changed"] is True and result["changes"] == ["created"]
    assert result["web_acl"]["arn"] == arn
