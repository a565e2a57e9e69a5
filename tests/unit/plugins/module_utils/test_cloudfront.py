"""The distribution config built from role inputs: every behaviour, and personal pages never shared."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.filter.edge import FilterModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudfront
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import compare

FILTERS = FilterModule().filters()
INPUTS = {
    "comment": "wordpress_aws s: WordPress",
    "origin_domain": "s-alb-1.eu-west-3.elb.amazonaws.com",
    "origin_protocol": "http-only",
    "origin_header_name": "X-Origin-Verify",
    "aliases": [],
    "certificate_arn": "",
    "price_class": "PriceClass_100",
    "web_acl_arn": "arn:aws:wafv2:us-east-1:123456789012:global/webacl/s-edge/1",
    "html_ttl": "300",
    "html_max_ttl": "900",
    "static_ttl": "604800",
    "static_max_ttl": "31536000",
    "error_caching_ttl": "10",
    "geo_block": [],
    "response_headers_policy_id": "",
}


def config(**extra):
    return FILTERS["cloudfront_distribution_config"]({**INPUTS, **extra})


def behaviours(cfg):
    return {b["PathPattern"]: b for b in cfg["CacheBehaviors"]["Items"]}


def methods(behaviour):
    return set(behaviour["AllowedMethods"]["Items"])


@pytest.mark.parametrize("path", ["wp-admin/*", "wp-login.php", "wp-json/*", "wp-cron.php", "xmlrpc.php"])
def test_dynamic_paths_are_never_cached_and_get_everything(path):
    behaviour = behaviours(config())[path]
    assert (behaviour["MinTTL"], behaviour["DefaultTTL"], behaviour["MaxTTL"]) == (0, 0, 0)
    assert methods(behaviour) == {"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"}
    forwarded = behaviour["ForwardedValues"]
    assert forwarded["Cookies"] == {"Forward": "all"}
    assert forwarded["QueryString"] is True
    headers = set(forwarded["Headers"]["Items"])
    assert {"Host", "Authorization", "X-WP-Nonce", "CloudFront-Forwarded-Proto", "Origin", "Referer"} <= headers
    assert len(headers) <= 10  # CloudFront's limit for a header allow-list
    assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"


@pytest.mark.parametrize("path", ["wp-content/*", "wp-includes/*"])
def test_static_paths_are_cached_long_compressed_without_cookies(path):
    behaviour = behaviours(config())[path]
    assert behaviour["DefaultTTL"] == 604800 and behaviour["MaxTTL"] == 31536000
    assert behaviour["Compress"] is True
    assert behaviour["ForwardedValues"]["Cookies"] == {"Forward": "none"}
    # ?ver= versions the asset: the query string is part of the key.
    assert behaviour["ForwardedValues"]["QueryString"] is True
    assert methods(behaviour) == {"GET", "HEAD"}


def test_anonymous_html_is_cached_briefly_with_the_query_string_and_personal_cookies_in_the_key():
    default = config()["DefaultCacheBehavior"]
    assert (default["MinTTL"], default["DefaultTTL"], default["MaxTTL"]) == (0, 300, 900)
    forwarded = default["ForwardedValues"]
    assert forwarded["QueryString"] is True  # search, previews and pagination stay correct
    assert forwarded["QueryStringCacheKeys"] == {"Quantity": 0}  # every parameter is in the key
    assert forwarded["Cookies"]["Forward"] == "whitelist"
    assert forwarded["Cookies"]["WhitelistedNames"]["Items"] == [
        "wordpress_logged_in_*",
        "wp-postpass_*",
        "comment_author_*",
    ]
    # Comments are posted to wp-comments-post.php, which the default behaviour serves.
    assert "POST" in methods(default)
    assert set(default["AllowedMethods"]["CachedMethods"]["Items"]) == {"GET", "HEAD"}


def test_every_behaviour_targets_the_alb_over_https_for_viewers():
    cfg = config()
    for behaviour in [cfg["DefaultCacheBehavior"], *cfg["CacheBehaviors"]["Items"]]:
        assert behaviour["TargetOriginId"] == "alb"
        assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
        # Host is forwarded everywhere: over HTTPS CloudFront checks the ALB certificate against it.
        assert "Host" in behaviour["ForwardedValues"]["Headers"]["Items"]


def test_no_behaviour_lets_a_personal_page_share_an_entry_with_anonymous_traffic():
    assert cloudfront.personal_cookie_violations(config()) == []


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda c: c["DefaultCacheBehavior"]["ForwardedValues"]["Cookies"]["WhitelistedNames"].update(
                {"Quantity": 1, "Items": ["wordpress_logged_in_*"]}
            ),
            "keys the cache without wp-postpass_*, comment_author_*",
        ),
        (lambda c: c["DefaultCacheBehavior"].update({"CachePolicyId": "658327ea"}), "a cache policy"),
    ],
)
def test_the_personal_cookie_check_catches_a_leaky_config(mutate, message):
    cfg = copy.deepcopy(config())
    mutate(cfg)
    found = cloudfront.personal_cookie_violations(cfg)
    assert len(found) == 1 and message in found[0]


def test_the_filter_refuses_a_config_that_would_leak(monkeypatch):
    from ansible.errors import AnsibleFilterError

    build = cloudfront.distribution_config

    def leaky(inputs):
        cfg = build(inputs)
        cfg["DefaultCacheBehavior"]["ForwardedValues"]["Cookies"] = {"Forward": "whitelist", "WhitelistedNames": {}}
        return cfg

    monkeypatch.setattr(cloudfront, "distribution_config", leaky)
    with pytest.raises(AnsibleFilterError, match="default: forwards cookies to the origin but keys the cache without"):
        config()


def test_origin_carries_the_verify_header_and_its_protocol():
    origin = config(origin_protocol="https-only")["Origins"]["Items"][0]
    assert origin["DomainName"] == INPUTS["origin_domain"]
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert origin["CustomOriginConfig"]["OriginSslProtocols"]["Items"] == ["TLSv1.2"]
    assert origin["CustomHeaders"]["Items"] == [{"HeaderName": "X-Origin-Verify", "HeaderValue": ""}]
    filled = cloudfront.with_origin_header(config(), "x-origin-verify", "s3cret")
    assert filled["Origins"]["Items"][0]["CustomHeaders"]["Items"][0]["HeaderValue"] == "s3cret"
    assert "s3cret" not in str(cloudfront.redacted(filled))


def test_viewer_side_http2_http3_ipv6_price_class_waf_and_certificates():
    cfg = config()
    assert cfg["HttpVersion"] == "http2and3" and cfg["IsIPV6Enabled"] is True
    assert cfg["PriceClass"] == "PriceClass_100"
    assert cfg["WebACLId"] == INPUTS["web_acl_arn"]
    assert cfg["ViewerCertificate"] == {"CloudFrontDefaultCertificate": True, "MinimumProtocolVersion": "TLSv1"}
    assert cfg["Aliases"] == {"Quantity": 0}
    cert = "arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"
    with_domain = config(aliases=["www.example.com"], certificate_arn=cert)
    assert with_domain["Aliases"] == {"Quantity": 1, "Items": ["www.example.com"]}
    assert with_domain["ViewerCertificate"] == {
        "ACMCertificateArn": cert,
        "SSLSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021",
    }


def test_server_errors_are_cached_briefly_and_geo_restriction_follows_the_block_list():
    cfg = config(geo_block=["RU", "KP"])
    errors = cfg["CustomErrorResponses"]["Items"]
    assert {e["ErrorCode"] for e in errors} == {500, 502, 503, 504}
    assert {e["ErrorCachingMinTTL"] for e in errors} == {10}
    assert cfg["Restrictions"]["GeoRestriction"] == {
        "RestrictionType": "blacklist",
        "Quantity": 2,
        "Items": ["KP", "RU"],
    }
    assert config()["Restrictions"]["GeoRestriction"] == {"RestrictionType": "none", "Quantity": 0}


def test_security_headers_policy_is_attached_to_every_behaviour_when_given():
    cfg = config(response_headers_policy_id="67f7725c-6f97-4210-82d7-5512b31e9d03")
    for behaviour in [cfg["DefaultCacheBehavior"], *cfg["CacheBehaviors"]["Items"]]:
        assert behaviour["ResponseHeadersPolicyId"] == "67f7725c-6f97-4210-82d7-5512b31e9d03"
    assert "ResponseHeadersPolicyId" not in config()["DefaultCacheBehavior"]
    policy = cloudfront.security_headers_config("s-security-headers", 63072000)["SecurityHeadersConfig"]
    assert policy["StrictTransportSecurity"]["AccessControlMaxAgeSec"] == 63072000
    assert policy["ContentTypeOptions"] == {"Override": True}
    assert policy["FrameOptions"]["FrameOption"] == "SAMEORIGIN"
    assert policy["ReferrerPolicy"]["ReferrerPolicy"] == "strict-origin-when-cross-origin"


def test_contains_ignores_what_the_service_adds_but_not_what_differs():
    desired = config()
    actual = copy.deepcopy(desired)
    actual["Origins"]["Items"][0]["OriginShield"] = {"Enabled": False}
    actual["DefaultCacheBehavior"]["CachePolicyId"] = ""
    actual["OriginGroups"] = {"Quantity": 0}
    assert compare.differences(desired, actual) == []
    actual["DefaultCacheBehavior"]["DefaultTTL"] = 86400
    actual["CacheBehaviors"]["Items"].pop()
    assert compare.differences(desired, actual) == [
        "DefaultCacheBehavior.DefaultTTL",
        "CacheBehaviors.Items",
    ]


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"price_class": "PriceClass_300"}, "cloudfront_waf_price_class 'PriceClass_300' must be one of"),
        ({"domain": "Not A Domain"}, "cloudfront_waf_domain 'Not A Domain' is not a DNS name"),
        ({"admin_cidrs": ["10.0.0.300/24"]}, "cloudfront_waf_admin_cidrs entry '10.0.0.300/24'"),
        ({"admin_cidrs": ["203.0.113.7/24"]}, "cloudfront_waf_admin_cidrs entry '203.0.113.7/24'"),
        ({"admin_cidrs": ["0.0.0.0/0"]}, "admits the whole internet"),
        ({"rate_limit": 5}, "cloudfront_waf_rate_limit 5 is outside what WAF accepts"),
        ({"login_rate_limit": "many"}, "cloudfront_waf_login_rate_limit 'many' must be a whole number"),
        ({"rate_window": 30}, "cloudfront_waf_rate_window 30 must be one of 60, 120, 300, 600"),
        ({"geo_block": ["North Korea"]}, "cloudfront_waf_geo_block entry 'North Korea'"),
        ({"html_ttl": 1000, "html_max_ttl": 900}, "cloudfront_waf_html_ttl (1000 s) must not exceed"),
        ({"hosted_zone_id": "Z123"}, "cloudfront_waf_hosted_zone_id needs cloudfront_waf_domain"),
        ({"domain": "www.example.com", "hosted_zone_id": "/hostedzone/z1"}, "is not a Route 53 zone id"),
    ],
)
def test_input_errors_name_the_variable(override, message):
    inputs = {
        "price_class": "PriceClass_100",
        "domain": "",
        "html_ttl": 300,
        "html_max_ttl": 900,
        "static_ttl": 604800,
        "static_max_ttl": 31536000,
        "error_caching_ttl": 10,
        "admin_cidrs": ["203.0.113.0/24", "2001:db8::/56"],
        "rate_limit": 2000,
        "login_rate_limit": 100,
        "rate_window": 300,
        "geo_block": ["KP"],
    }
    assert FILTERS["cloudfront_waf_input_errors"](inputs) == []
    errors = FILTERS["cloudfront_waf_input_errors"]({**inputs, **override})
    assert len(errors) == 1 and message in errors[0], errors


def test_ip_networks_splits_admin_cidrs_by_version():
    cidrs = ["2001:db8::/56", "203.0.113.0/24", "198.51.100.10/32"]
    assert FILTERS["ip_networks"](cidrs, 4) == ["198.51.100.10/32", "203.0.113.0/24"]
    assert FILTERS["ip_networks"](cidrs, "6") == ["2001:db8::/56"]


def test_the_origin_marks_every_personal_cookie_response_uncacheable():
    """The application tier's wp-config answers requests with a personal cookie `no-store`: same cookie list."""
    from pathlib import Path

    template = (Path(__file__).parents[4] / "roles/ecs_wordpress/templates/config_extra.php.j2").read_text()
    pattern = template.split("preg_match('/^(", 1)[1].split(")/'", 1)[0]
    assert sorted(pattern.split("|")) == sorted(cookie.rstrip("*") for cookie in cloudfront.PERSONAL_COOKIES)
    assert "header('Cache-Control: private, no-store, max-age=0');" in template
