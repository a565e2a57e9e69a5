# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CloudFront API calls for cloudfront_distribution: find by caller reference, create, update, delete, tags."""

from __future__ import annotations

import time

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.cloudfront import redacted
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.describe import or_none

POLL_SECONDS = 20


def result(distribution: dict | None, tag_map: dict | None) -> dict:
    """A distribution as the modules return it: CloudFront's key spelling (snake-casing would mangle header and
    cookie names inside the config), origin header values redacted."""
    if not distribution:
        return {}
    return {
        "id": distribution.get("Id", ""),
        "arn": distribution.get("ARN", ""),
        "domain_name": distribution.get("DomainName", ""),
        "status": distribution.get("Status", ""),
        "distribution_config": redacted(distribution.get("DistributionConfig", {})),
        "tags": tag_map or {},
    }


@AWSRetry.jittered_backoff()
def _summaries(client) -> list:
    found = client.get_paginator("list_distributions").paginate().build_full_result()
    return found.get("DistributionList", {}).get("Items", [])


@AWSRetry.jittered_backoff()
def get_distribution(client, distribution_id: str) -> dict | None:
    """The distribution with its config and ETag, or None when it is gone."""
    response = or_none(client.get_distribution, "NoSuchDistribution", Id=distribution_id)
    return {**response["Distribution"], "ETag": response["ETag"]} if response else None


def find_distribution(client, caller_reference: str, config: dict | None = None) -> dict | None:
    """The distribution whose CallerReference is ``caller_reference``.

    Distributions whose comment is the desired one are read first (one GetDistribution each); the rest only
    when none of them matches, so a renamed comment cannot make the module create a second distribution.
    """
    summaries = _summaries(client)
    comment = (config or {}).get("Comment")
    likely = [s for s in summaries if comment and s.get("Comment") == comment]
    for group in (likely, [s for s in summaries if s not in likely]):
        for summary in group:
            distribution = get_distribution(client, summary["Id"])
            if distribution and distribution["DistributionConfig"].get("CallerReference") == caller_reference:
                return distribution
    return None


@AWSRetry.jittered_backoff()
def tags(client, arn: str) -> dict:
    items = client.list_tags_for_resource(Resource=arn).get("Tags", {}).get("Items", [])
    return {item["Key"]: item.get("Value", "") for item in items}


@AWSRetry.jittered_backoff()
def _create(client, config_with_tags: dict) -> dict:
    return client.create_distribution_with_tags(DistributionConfigWithTags=config_with_tags)


@AWSRetry.jittered_backoff()
def _update(client, distribution_id: str, etag: str, config: dict) -> dict:
    return client.update_distribution(Id=distribution_id, IfMatch=etag, DistributionConfig=config)


@AWSRetry.jittered_backoff()
def _delete(client, distribution_id: str, etag: str) -> None:
    try:
        client.delete_distribution(Id=distribution_id, IfMatch=etag)
    except is_boto3_error_code("NoSuchDistribution"):
        pass


def create_distribution(client, config: dict, tag_map: dict) -> dict:
    """Create it; CloudFront answers an existing distribution for a repeated caller reference and config."""
    tag_items = [{"Key": k, "Value": v} for k, v in tag_map.items()]
    response = _create(client, {"DistributionConfig": config, "Tags": {"Items": tag_items}})
    return {**response["Distribution"], "ETag": response.get("ETag", "")}


def update_distribution(client, distribution_id: str, config: dict) -> dict:
    current = get_distribution(client, distribution_id)
    if current is None:
        raise ValueError(f"distribution {distribution_id} disappeared during the update")
    response = _update(client, distribution_id, current["ETag"], config)
    return {**response["Distribution"], "ETag": response.get("ETag", "")}


def wait_deployed(client, distribution_id: str, timeout: int) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        distribution = get_distribution(client, distribution_id)
        if distribution is None:
            raise ValueError(f"distribution {distribution_id} disappeared while waiting for it")
        if distribution.get("Status") == "Deployed":
            return distribution
        if time.monotonic() > deadline:
            raise TimeoutError(f"distribution {distribution_id} still {distribution.get('Status')} after {timeout} s")
        time.sleep(POLL_SECONDS)


def delete_distribution(client, distribution_id: str, timeout: int) -> None:
    """Disable (CloudFront deletes only disabled, deployed distributions), wait, delete."""
    current = get_distribution(client, distribution_id)
    if current is None:
        return
    if current["DistributionConfig"].get("Enabled"):
        config = {**current["DistributionConfig"], "Enabled": False}
        _update(client, distribution_id, current["ETag"], config)
    deployed = wait_deployed(client, distribution_id, timeout)
    _delete(client, distribution_id, deployed["ETag"])


@AWSRetry.jittered_backoff()
def find_response_headers_policy(client, name: str) -> dict | None:
    """The custom response headers policy named ``name`` with its config and ETag, or None."""
    marker = None
    while True:
        kwargs = {"Type": "custom"}
        if marker:
            kwargs["Marker"] = marker
        page = client.list_response_headers_policies(**kwargs).get("ResponseHeadersPolicyList", {})
        for item in page.get("Items", []):
            policy = item["ResponseHeadersPolicy"]
            if policy["ResponseHeadersPolicyConfig"].get("Name") == name:
                response = client.get_response_headers_policy(Id=policy["Id"])
                return {**response["ResponseHeadersPolicy"], "ETag": response["ETag"]}
        marker = page.get("NextMarker")
        if not marker:
            return None


# ---- the distribution's additional metrics (a monitoring subscription) -----------------------------------------
# CacheHitRate, OriginLatency and the error rates by code exist only while the distribution has a monitoring
# subscription with RealtimeMetricsSubscriptionStatus Enabled (cloudfront.ADDITIONAL_METRICS says what they cost).


def subscription_view(distribution_id: str, response: dict | None) -> dict | None:
    """``{"distribution_id", "status"}`` of a GetMonitoringSubscription answer (None without a subscription)."""
    if response is None:
        return None
    config = (response.get("MonitoringSubscription") or {}).get("RealtimeMetricsSubscriptionConfig") or {}
    return {"distribution_id": distribution_id, "status": config.get("RealtimeMetricsSubscriptionStatus", "Disabled")}


@AWSRetry.jittered_backoff()
def get_monitoring_subscription(client, distribution_id: str, gone_is_none: bool = False) -> dict | None:
    """The distribution's monitoring subscription, or None when it has none (and, with ``gone_is_none``, when
    the distribution itself is gone)."""
    missing = ["NoSuchMonitoringSubscription"] + (["NoSuchDistribution"] if gone_is_none else [])
    return subscription_view(
        distribution_id, or_none(client.get_monitoring_subscription, missing, DistributionId=distribution_id)
    )


@AWSRetry.jittered_backoff()
def put_monitoring_subscription(client, distribution_id: str, status: str = "Enabled") -> dict | None:
    """Create the subscription, or set its status (CreateMonitoringSubscription writes either)."""
    response = client.create_monitoring_subscription(
        DistributionId=distribution_id,
        MonitoringSubscription={"RealtimeMetricsSubscriptionConfig": {"RealtimeMetricsSubscriptionStatus": status}},
    )
    return subscription_view(distribution_id, response)


@AWSRetry.jittered_backoff()
def delete_monitoring_subscription(client, distribution_id: str) -> None:
    """Remove the subscription (gone already, or with its distribution, is done)."""
    or_none(
        client.delete_monitoring_subscription,
        ["NoSuchMonitoringSubscription", "NoSuchDistribution"],
        DistributionId=distribution_id,
    )
