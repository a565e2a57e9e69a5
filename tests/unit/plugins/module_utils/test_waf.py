"""Unit tests of plugins/module_utils/waf.py (split out of tests/unit/test_edge_modules.py)."""

from __future__ import annotations

import json

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import waf

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


def test_the_albs_acl_behind_cloudfront_judges_the_viewer_not_the_edge_server():
    """Behind CloudFront the source address is an edge server's: the ALB's ACL reads the viewer's from the last
    X-Forwarded-For entry for the allow-list and leaves the address-based rules to the edge ACL."""
    v4, v6 = (
        "arn:aws:wafv2:eu-west-3:1:regional/ipset/s-admins-v4/a",
        "arn:aws:wafv2:eu-west-3:1:regional/ipset/s-admins-v6/b",
    )
    inputs = {**RULE_INPUTS, "metric_prefix": "s-alb", "admin_ip_set_arns": [v4, v6], "geo_block": ["KP"]}
    regional = rules_by_name(waf.web_acl_rules({**inputs, "behind_cloudfront": True}))
    edge = rules_by_name(waf.web_acl_rules(inputs))
    # no rule of the ALB's ACL reads the source address: no rate limit, geo block or IP reputation group there
    assert {"login-rate-limit", "rate-limit", "geo-block", "AWS-AWSManagedRulesAmazonIpReputationList"} <= set(edge)
    assert not {"login-rate-limit", "rate-limit", "geo-block", "AWS-AWSManagedRulesAmazonIpReputationList"} & set(
        regional
    )
    assert {
        "admin-allow-list",
        "block-xmlrpc",
        "AWS-AWSManagedRulesCommonRuleSet",
        "AWS-AWSManagedRulesSQLiRuleSet",
    } <= (set(regional))
    refs = regional["admin-allow-list"]["Statement"]["AndStatement"]["Statements"][2]["NotStatement"]["Statement"]
    configs = [s["IPSetReferenceStatement"]["IPSetForwardedIPConfig"] for s in refs["OrStatement"]["Statements"]]
    # the last entry is the one CloudFront appended; without the header the request is no admin's (blocked)
    assert configs == [{"HeaderName": "X-Forwarded-For", "FallbackBehavior": "NO_MATCH", "Position": "LAST"}] * 2
    # the edge ACL sees the viewer itself and keeps reading the source address
    assert "IPSetForwardedIPConfig" not in json.dumps(edge)
    assert "ForwardedIPConfig" not in json.dumps(regional).replace("IPSetForwardedIPConfig", "")
