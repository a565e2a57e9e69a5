"""Unit tests of the secret_info module (split out of tests/unit/test_elb_header_rule.py)."""

from __future__ import annotations

import json

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import secret_info

VALUE = "Zq7dpcR2mWv9Kx4LtB8nHs3Fy6Jg1Ue5"


def test_secret_info_returns_arns_never_values(alb, run_module):
    result = run_module(secret_info, {"names": ["s/cloudfront/origin-verify", "s/db/app"]})
    assert result["changed"] is False
    assert [s["arn"] for s in result["secrets"]] == [alb["secret"]["ARN"]]
    assert result["secrets"][0]["tags"] == {"wordpress_aws:stack": "s"}
    assert result["missing"] == ["s/db/app"]
    assert VALUE not in json.dumps(result)
