"""Unit tests of the cloudfront_distribution module (split out of tests/unit/test_edge_modules.py)."""

from __future__ import annotations

import json

import boto3
import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudfront
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudfront_api
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cloudfront_distribution
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cloudfront_distribution_info

GLOBAL = "us-east-1"


STACK_TAGS = {"wordpress_aws:stack": "s"}


SECRET_VALUE = "Kx4LtB8nHs3Fy6Jg1Ue5Zq7dpcR2mWv9"


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
    assert again["changed"] is False, again["changes"]
    assert run_module(cloudfront_distribution, dist_args(edge["secret_arn"]), check_mode=True)["changed"] is False

    # A rotated origin secret is a change; so is a TTL; the same distribution is updated, never a second one.
    edge_sm = boto3.client("secretsmanager", region_name="eu-west-3")
    edge_sm.put_secret_value(SecretId="s/cloudfront/origin-verify", SecretString=json.dumps({"value": "rotated"}))
    rotated = run_module(cloudfront_distribution, dist_args(edge["secret_arn"], html_ttl=60))
    assert rotated["changed"] and set(rotated["changes"]) == {
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
    assert second["changed"] and second["changes"] == ["Comment"]
    assert second["distribution"]["id"] == first["distribution"]["id"]
    assert len(edge["cloudfront"].list_distributions()["DistributionList"]["Items"]) == 1
