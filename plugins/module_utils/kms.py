# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A customer-managed KMS key found by its alias, and by a tag when a lost answer left it without one.

``CreateKey`` has no idempotency token: amazon.aws ``kms_key`` (found by alias only) lets botocore resend a create
whose answer was lost, which makes a second key, and the first stays behind without an alias (billed, and only
deletable after a 7 to 30 day window). Here the key carries the tag ``wordpress_aws:kms-alias`` = its alias from
its creation on; the create is sent once per attempt, and when the alias is missing (after a lost answer, or on
the run after one that failed between ``CreateKey`` and ``CreateAlias``) the key is looked up by that tag and
adopted. ``CreateAlias`` has no token either: its retry answers ``AlreadyExistsException``, adopted when the alias
points at our key.
"""

from __future__ import annotations

import json

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_once
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_or_adopt
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import no_blind_retry

ALIAS_TAG = "wordpress_aws:kms-alias"
LIVE_STATES = ("Enabled", "Disabled", "Creating")


def alias_name(alias: str) -> str:
    return alias if alias.startswith("alias/") else f"alias/{alias}"


@AWSRetry.jittered_backoff()
def describe(client, key_ref: str) -> dict | None:
    """The key's metadata (by id, ARN or ``alias/...``), or None."""
    try:
        return client.describe_key(KeyId=key_ref)["KeyMetadata"]
    except is_boto3_error_code("NotFoundException"):
        return None


@AWSRetry.jittered_backoff()
def tags(client, key_id: str) -> dict:
    found = {}
    for page in client.get_paginator("list_resource_tags").paginate(KeyId=key_id):
        found.update({t["TagKey"]: t["TagValue"] for t in page.get("Tags", [])})
    return found


@AWSRetry.jittered_backoff()
def _key_ids(client) -> list:
    return [k["KeyId"] for page in client.get_paginator("list_keys").paginate() for k in page.get("Keys", [])]


def find_by_tag(client, alias: str) -> dict | None:
    """The live customer-managed key tagged ``ALIAS_TAG`` = ``alias`` (the oldest if several), or None.

    One DescribeKey and one ListResourceTags per key of the region: called only when the alias is missing.
    """
    found = []
    for key_id in _key_ids(client):
        meta = describe(client, key_id)
        if not meta or meta.get("KeyManager") != "CUSTOMER" or meta.get("KeyState") not in LIVE_STATES:
            continue
        if tags(client, key_id).get(ALIAS_TAG) == alias:
            found.append(meta)
    return min(found, key=lambda m: str(m.get("CreationDate") or "")) if found else None


def create_key(client, alias: str, description: str, policy: str | None, key_tags: dict) -> dict:
    """CreateKey tagged with its alias, sent once per attempt; after a lost answer the tagged key is adopted."""
    params = {
        "Description": description,
        "KeyUsage": "ENCRYPT_DECRYPT",
        "KeySpec": "SYMMETRIC_DEFAULT",
        "Tags": [{"TagKey": k, "TagValue": v} for k, v in sorted({**key_tags, ALIAS_TAG: alias}.items())],
    }
    if policy:
        params["Policy"] = policy

    def create() -> dict:
        with no_blind_retry(client, "CreateKey"):
            return client.create_key(**params)["KeyMetadata"]

    meta, _adopted = create_once(create, lambda: find_by_tag(client, alias))
    return meta


@AWSRetry.jittered_backoff()
def _create_alias(client, alias: str, key_id: str) -> None:
    client.create_alias(AliasName=alias, TargetKeyId=key_id)


def create_alias(client, alias: str, key_id: str) -> None:
    """CreateAlias; ``AlreadyExistsException`` (the retry of a lost answer) is fine when the alias is on our key."""

    def ours():
        meta = describe(client, alias)
        return meta if meta and meta["KeyId"] == key_id else None

    create_or_adopt(lambda: _create_alias(client, alias, key_id), ours, ("AlreadyExistsException",))


@AWSRetry.jittered_backoff()
def policy(client, key_id: str) -> dict:
    return json.loads(client.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])


@AWSRetry.jittered_backoff()
def put_policy(client, key_id: str, document: str) -> None:
    client.put_key_policy(KeyId=key_id, PolicyName="default", Policy=document)


def policy_differs(current: dict, wanted: str | None) -> bool:
    return wanted is not None and compare_policies(current, json.loads(wanted))


@AWSRetry.jittered_backoff()
def rotation_enabled(client, key_id: str) -> bool:
    return bool(client.get_key_rotation_status(KeyId=key_id).get("KeyRotationEnabled"))


@AWSRetry.jittered_backoff()
def set_rotation(client, key_id: str, enabled: bool) -> None:
    if enabled:
        client.enable_key_rotation(KeyId=key_id)
    else:
        client.disable_key_rotation(KeyId=key_id)


@AWSRetry.jittered_backoff()
def set_description(client, key_id: str, description: str) -> None:
    client.update_key_description(KeyId=key_id, Description=description)


@AWSRetry.jittered_backoff()
def set_tags(client, key_id: str, to_set: dict, to_remove: list) -> None:
    if to_remove:
        client.untag_resource(KeyId=key_id, TagKeys=list(to_remove))
    if to_set:
        client.tag_resource(KeyId=key_id, Tags=[{"TagKey": k, "TagValue": v} for k, v in sorted(to_set.items())])
