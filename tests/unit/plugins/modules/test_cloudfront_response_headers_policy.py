"""Unit tests of the cloudfront_response_headers_policy module (split out of tests/unit/test_edge_modules.py)."""

from __future__ import annotations

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudfront
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cloudfront_response_headers_policy

GLOBAL = "us-east-1"


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
def test_response_headers_policy_create_keep_update(stubbed, run_module, existing_max_age):
    """Stubber: the emulator has no response headers policies (reported as not emulated locally)."""
    desired = cloudfront.security_headers_config("s-security-headers", 31536000)
    stub = stubbed("cloudfront", GLOBAL)
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
    result = run_module(cloudfront_response_headers_policy, {"name": "s-security-headers", "region": GLOBAL})
    stub.assert_no_pending_responses()
    assert result["changed"] is (existing_max_age != 31536000)
    assert result["policy"]["id"] == "rhp-1"
    hsts = result["policy"]["config"]["SecurityHeadersConfig"]["StrictTransportSecurity"]
    assert hsts["AccessControlMaxAgeSec"] == 31536000


def test_a_lost_create_answer_adopts_the_policy(stubbed, run_module, monkeypatch):
    """CreateResponseHeadersPolicy has no token: a 500 after CloudFront stored it, then the retry's
    ResponseHeadersPolicyAlreadyExists -> the policy is found by name and adopted."""
    monkeypatch.setattr("time.sleep", lambda _s: None)
    desired = cloudfront.security_headers_config("s-security-headers", 31536000)
    stub = stubbed("cloudfront", GLOBAL)
    empty = {"ResponseHeadersPolicyList": {"MaxItems": 100, "Quantity": 0}}
    stub.add_response("list_response_headers_policies", empty, {"Type": "custom"})
    stub.add_client_error("create_response_headers_policy", "InternalFailure", http_status_code=500)
    stub.add_client_error("create_response_headers_policy", "ResponseHeadersPolicyAlreadyExists", http_status_code=409)
    listed = {"Type": "custom", "ResponseHeadersPolicy": _policy(desired)["ResponseHeadersPolicy"]}
    stub.add_response(
        "list_response_headers_policies",
        {"ResponseHeadersPolicyList": {"MaxItems": 100, "Quantity": 1, "Items": [listed]}},
        {"Type": "custom"},
    )
    stub.add_response("get_response_headers_policy", _policy(desired), {"Id": "rhp-1"})
    result = run_module(cloudfront_response_headers_policy, {"name": "s-security-headers", "region": GLOBAL})
    assert result.get("failed") is not True, result
    stub.assert_no_pending_responses()
    assert result["changed"] is True and result["policy"]["id"] == "rhp-1"
