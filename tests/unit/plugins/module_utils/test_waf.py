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
    "common_rules_to_count": [],
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
    # the body rules code samples trip are counted in the group, and blocked by the editor-scoped rule after it
    assert [o["Name"] for o in common["RuleActionOverrides"]] == [
        "SizeRestrictions_BODY",
        "EC2MetaDataSSRF_BODY",
        "GenericLFI_BODY",
        "GenericRFI_BODY",
        "CrossSiteScripting_BODY",
    ]
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


# The editor exception every scoped rule carries: an editor path AND a WordPress login cookie, matched as sent.
EDITOR_REQUEST = {
    "AndStatement": {
        "Statements": [
            {
                "RegexMatchStatement": {
                    "RegexString": r"^/wp-admin/(post|admin-ajax|async-upload)\.php$"
                    r"|^/wp-json/wp/v2/(posts|pages|blocks|media)(/.*)?$",
                    "FieldToMatch": {"UriPath": {}},
                    "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
                }
            },
            {
                "RegexMatchStatement": {
                    "RegexString": r"(^|;\s*)wordpress_logged_in_[0-9a-f]+=",
                    "FieldToMatch": {"SingleHeader": {"Name": "cookie"}},
                    "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
                }
            },
        ]
    }
}


def _labels(namespace, *names):
    return [{"LabelMatchStatement": {"Scope": "LABEL", "Key": f"awswaf:managed:aws:{namespace}:{n}"}} for n in names]


def test_code_samples_in_posts_are_blocked_everywhere_but_on_editor_paths_with_a_login_cookie():
    """Each managed group's body rules that code samples trip are counted in the group (they still label the
    request) and the rule right after the group blocks the label unless the request is an editor's."""
    rules = waf.web_acl_rules(RULE_INPUTS)
    order = [r["Name"] for r in sorted(rules, key=lambda r: r["Priority"])]
    for group in (
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesSQLiRuleSet",
        "AWSManagedRulesPHPRuleSet",
    ):
        assert order[order.index(f"AWS-{group}") + 1] == f"AWS-{group}-body-except-editors"
    named = rules_by_name(rules)
    expected = {
        "AWSManagedRulesCommonRuleSet": _labels(
            "core-rule-set",
            "SizeRestrictions_Body",
            "EC2MetaDataSSRF_Body",
            "GenericLFI_Body",
            "GenericRFI_Body",
            "CrossSiteScripting_Body",
        ),
        "AWSManagedRulesKnownBadInputsRuleSet": _labels(
            "known-bad-inputs", "JavaDeserializationRCE_Body", "Log4JRCE_Body"
        ),
        "AWSManagedRulesSQLiRuleSet": _labels("sql-database", "SQLi_Body", "SQLiExtendedPatterns_Body"),
    }
    for group, labels in expected.items():
        scoped = named[f"AWS-{group}-body-except-editors"]
        assert scoped["Action"] == {"Block": {}}
        assert scoped["Statement"] == {
            "AndStatement": {
                "Statements": [{"OrStatement": {"Statements": labels}}, {"NotStatement": {"Statement": EDITOR_REQUEST}}]
            }
        }
    # one label: no OrStatement around it
    assert (
        named["AWS-AWSManagedRulesPHPRuleSet-body-except-editors"]["Statement"]["AndStatement"]["Statements"][0]
        == (_labels("php-app", "PHPHighRiskMethodsVariables_Body")[0])
    )
    sqli = named["AWS-AWSManagedRulesSQLiRuleSet"]["Statement"]["ManagedRuleGroupStatement"]
    assert sqli["RuleActionOverrides"] == [
        {"Name": "SQLi_BODY", "ActionToUse": {"Count": {}}},
        {"Name": "SQLiExtendedPatterns_BODY", "ActionToUse": {"Count": {}}},
    ]
    # the groups without body rules of that kind are untouched, and nothing else is counted
    assert (
        "RuleActionOverrides"
        not in named["AWS-AWSManagedRulesWordPressRuleSet"]["Statement"]["ManagedRuleGroupStatement"]
    )
    assert (
        "RuleActionOverrides"
        not in named["AWS-AWSManagedRulesAmazonIpReputationList"]["Statement"]["ManagedRuleGroupStatement"]
    )
    assert len({r["Priority"] for r in rules}) == len(rules)


def test_the_editor_exception_matches_editor_saves_only():
    """The path and cookie patterns, run as WAF runs them on the raw path and Cookie header."""
    import re

    path, cookie = (s["RegexMatchStatement"]["RegexString"] for s in waf.editor_request()["AndStatement"]["Statements"])
    for editor in (
        "/wp-admin/post.php",
        "/wp-admin/admin-ajax.php",
        "/wp-admin/async-upload.php",
        "/wp-json/wp/v2/posts",
        "/wp-json/wp/v2/posts/42/autosaves",
        "/wp-json/wp/v2/pages/7",
        "/wp-json/wp/v2/media",
    ):
        assert re.search(path, editor), editor
    for other in (
        "/wp-comments-post.php",
        "/wp-login.php",
        "/wp-admin/options.php",
        "/wp-admin/POST.php",
        "/wp-admin/%70ost.php",
        "/wp-admin/post.php/../../wp-login.php",
        "/wp-json/wp/v2/users",
        "/wp-json/contact-form-7/v1/contact-forms/1/feedback",
        "/blog/wp-admin/post.php",
    ):
        assert not re.search(path, other), other
    assert re.search(cookie, "wp-settings-1=x; wordpress_logged_in_0123456789abcdef0123456789abcdef=editor%7C1")
    assert re.search(cookie, "wordpress_logged_in_abc=v")
    assert not re.search(cookie, "comment_author_abc=x; wordpress_test_cookie=WP+Cookie+check")
    assert not re.search(cookie, "xwordpress_logged_in_abc=v")


def test_editor_scoping_can_be_narrowed_or_turned_off_and_counting_wins():
    # no scoped rules: the managed rules block everyone, as AWS ships them
    strict = rules_by_name(waf.web_acl_rules({**RULE_INPUTS, "editor_body_rules": []}))
    assert not [name for name in strict if name.endswith("-body-except-editors")]
    assert (
        "RuleActionOverrides" not in strict["AWS-AWSManagedRulesSQLiRuleSet"]["Statement"]["ManagedRuleGroupStatement"]
    )
    # a rule counted for everyone is not also scoped; only the listed rules are scoped
    named = rules_by_name(
        waf.web_acl_rules(
            {
                **RULE_INPUTS,
                "common_rules_to_count": ["SizeRestrictions_BODY"],
                "editor_body_rules": ["SizeRestrictions_BODY", "CrossSiteScripting_BODY"],
            }
        )
    )
    common = named["AWS-AWSManagedRulesCommonRuleSet"]["Statement"]["ManagedRuleGroupStatement"]
    assert [o["Name"] for o in common["RuleActionOverrides"]] == ["SizeRestrictions_BODY", "CrossSiteScripting_BODY"]
    scoped = named["AWS-AWSManagedRulesCommonRuleSet-body-except-editors"]["Statement"]["AndStatement"]["Statements"]
    assert scoped[0] == _labels("core-rule-set", "CrossSiteScripting_Body")[0]
    assert set(named) & {"AWS-AWSManagedRulesSQLiRuleSet-body-except-editors"} == set()
    assert waf.input_errors({**RULE_INPUTS, "editor_body_rules": ["SQLi_QUERYARGUMENTS"]}) == [
        "cloudfront_waf_editor_body_rules entry 'SQLi_QUERYARGUMENTS' is not one of the managed body rules the stack "
        "can scope to editors (" + ", ".join(waf.EDITOR_BODY_RULE_NAMES) + ")"
    ]


def test_the_albs_acl_scopes_the_same_body_rules_to_editors():
    regional = rules_by_name(waf.web_acl_rules({**RULE_INPUTS, "behind_cloudfront": True}))
    edge = rules_by_name(waf.web_acl_rules(RULE_INPUTS))
    scoped = [name for name in edge if name.endswith("-body-except-editors")]
    assert len(scoped) == 4
    for name in scoped:
        assert regional[name]["Statement"] == edge[name]["Statement"]
        assert regional[name]["Priority"] == edge[name]["Priority"]
