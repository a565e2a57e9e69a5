"""The certificates tier's input rules and plan (plugins/module_utils/tiers/certificates.py)."""

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import certificates

GOOD = {"domain_name": "www.example.com", "hosted_zone_id": "Z0123456789ABCDEFGHIJ", "wait_timeout": 1800}


def test_a_domain_with_its_zone_has_no_error():
    assert certificates.errors(GOOD) == []


def test_no_domain_at_all_has_no_error():
    assert certificates.errors({"domain_name": "", "hosted_zone_id": "", "wait_timeout": 1800}) == []


@pytest.mark.parametrize(
    "change, message",
    [
        ({"domain_name": "www..example"}, "wordpress_aws_domain_name 'www..example' is not a DNS name"),
        ({"domain_name": "WWW.Example.com"}, "wordpress_aws_domain_name 'WWW.Example.com' is not a DNS name"),
        ({"hosted_zone_id": "z-123"}, "wordpress_aws_hosted_zone_id 'z-123' is not a Route 53 zone id"),
        ({"domain_name": ""}, "wordpress_aws_hosted_zone_id needs wordpress_aws_domain_name"),
        ({"wait_timeout": "soon"}, "certificates_wait_timeout 'soon' must be a whole number of seconds"),
        ({"wait_timeout": 10}, "certificates_wait_timeout 10 must be between 60 and 259200 seconds"),
        ({"wait_timeout": 300000}, "certificates_wait_timeout 300000 must be between 60 and 259200 seconds"),
    ],
)
def test_each_bad_input_is_refused_naming_its_variable(change, message):
    errors = certificates.errors({**GOOD, **change})
    assert any(e.startswith(message) for e in errors), errors


def test_an_input_set_under_its_old_name_is_refused_naming_the_new_name():
    errors = certificates.errors(
        {**GOOD, "renamed": ["cloudfront_waf_hosted_zone_id", "ecs_wordpress_origin_verify_header"]}
    )
    assert errors == [
        "cloudfront_waf_hosted_zone_id is no longer read: set wordpress_aws_hosted_zone_id instead "
        "(renamed in 0.7.0, see the changelog)",
        "ecs_wordpress_origin_verify_header is no longer read: set wordpress_aws_origin_verify_header instead "
        "(renamed in 0.7.0, see the changelog)",
    ]


def test_unrelated_names_are_not_taken_for_renamed_inputs():
    assert certificates.renamed_errors(["cloudfront_waf_certificate_arn", "wordpress_aws_domain_name"]) == []


def test_the_plan_requests_both_certificates_with_a_domain_and_its_zone():
    plan = certificates.derive({"stack_name": "wp-prod", "region": "eu-west-3", **GOOD})
    assert plan["requested"] is True
    assert plan["certificates"] == [
        {"name": "wp-prod-edge", "region": "us-east-1", "serves": "CloudFront"},
        {"name": "wp-prod-alb", "region": "eu-west-3", "serves": "the load balancer"},
    ]
    assert plan["monthly_usd"] == 0


@pytest.mark.parametrize(
    "domain, zone, reason",
    [
        ("", "", "no wordpress_aws_domain_name"),
        ("www.example.com", "", "set without wordpress_aws_hosted_zone_id"),
    ],
)
def test_the_plan_says_why_nothing_is_requested(domain, zone, reason):
    plan = certificates.derive(
        {"stack_name": "wp-dev", "region": "eu-west-3", "domain_name": domain, "hosted_zone_id": zone}
    )
    assert plan["requested"] is False
    assert plan["summary"].startswith("nothing requested")
    assert reason in plan["summary"]
    # the names are still known: the teardown finds certificates a former domain left
    assert [c["name"] for c in plan["certificates"]] == ["wp-dev-edge", "wp-dev-alb"]


def test_the_published_plan_with_wrong_inputs_still_names_the_certificates():
    from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tiers

    plan = tiers.plan(
        "certificates", {"stack_name": "wp-dev", "region": "eu-west-3", "hosted_zone_id": "Z1", "wait_timeout": 600}
    )
    assert plan["errors"] == [
        "wordpress_aws_hosted_zone_id needs wordpress_aws_domain_name (the name the certificates are for)"
    ]
    assert plan["requested"] is False
    assert [c["name"] for c in plan["certificates"]] == ["wp-dev-edge", "wp-dev-alb"]
