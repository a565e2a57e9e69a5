"""Unit tests of plugins/module_utils/cloudfront_api.py (split out of tests/unit/test_edge_modules.py)."""

from __future__ import annotations

import boto3
from botocore.stub import Stubber

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudfront_api

from ..modules.test_cloudfront_distribution import dist_args

GLOBAL = "us-east-1"


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
