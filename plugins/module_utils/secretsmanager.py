# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets Manager calls: describe, read a version's value (whole or one JSON field), write, move stages.

Every function retries (``AWSRetry``) and never sees ``module``; values read here are for the caller to
use inside the module, never to return.
"""

from __future__ import annotations

import json

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_or_adopt
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import request_token
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.describe import or_none

CURRENT = "AWSCURRENT"
PENDING = "AWSPENDING"


@AWSRetry.jittered_backoff()
def describe(client, secret_id: str) -> dict | None:
    """The secret's description (``PendingDeletion`` set when it is scheduled for deletion), or None."""
    secret = or_none(client.describe_secret, "ResourceNotFoundException", SecretId=secret_id)
    if secret is None:
        return None
    secret.pop("ResponseMetadata", None)
    if secret.get("DeletedDate"):
        return {**secret, "PendingDeletion": True}
    return secret


def versions(secret: dict | None) -> dict:
    """``{version id: [stages]}`` of a described secret."""
    return dict((secret or {}).get("VersionIdsToStages") or {})


def labelled(secret: dict | None, stage: str) -> str:
    """The id of the version carrying ``stage`` ("" when none does)."""
    return next((version for version, stages in versions(secret).items() if stage in stages), "")


@AWSRetry.jittered_backoff()
def get_value(client, secret_id: str, stage: str = CURRENT, version_id: str | None = None) -> str | None:
    """The SecretString of the version labelled ``stage`` (and ``version_id`` when given), None if it has none."""
    params = {"SecretId": secret_id, "VersionStage": stage}
    if version_id:
        params["VersionId"] = version_id
    return (or_none(client.get_secret_value, "ResourceNotFoundException", **params) or {}).get("SecretString")


def read_json(client, secret_id: str, stage: str = CURRENT) -> dict | None:
    """The version's value as a JSON object, None when the secret, the version or an object is missing."""
    raw = get_value(client, secret_id, stage)
    if raw is None:
        return None
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def field(client, secret_id: str, name: str, stage: str = CURRENT) -> str:
    """One field of a JSON secret's version ``stage`` (the whole string when ``name`` is empty). Raises ValueError."""
    raw = get_value(client, secret_id, stage)
    if raw is None:
        raise ValueError(f"secret {secret_id} has no version labelled {stage}")
    if not name:
        return raw
    try:
        value = json.loads(raw)[name]
    except (ValueError, KeyError, TypeError):
        raise ValueError(f"secret {secret_id} has no JSON field {name}") from None
    return str(value)


def stage_values(client, secret_id: str, name: str, stages: list) -> list:
    """The field's value in each version labelled with one of ``stages`` that exists, deduplicated, in order.

    During a rotation a reader accepts the current and the pending value, so either passes.
    """
    labels = {stage for stages_of in versions(describe(client, secret_id)).values() for stage in stages_of}
    values = []
    for stage in stages:
        if stage in labels:
            value = field(client, secret_id, name, stage)
            if value not in values:
                values.append(value)
    if not values:
        raise ValueError(f"secret {secret_id} has no version labelled {', '.join(stages)}")
    return values


def create(client, name: str, description: str | None, kms_key_id: str | None, value: dict, tags: dict) -> dict:
    """Create the secret with one ``ClientRequestToken`` for every retry (botocore makes a new one per call).

    A lost answer's retry that still answers ``ResourceExistsException`` adopts the secret the first attempt made.
    """
    params = {"Name": name, "SecretString": json.dumps(value), "Tags": ansible_dict_to_boto3_tag_list(tags)}
    params["ClientRequestToken"] = request_token()
    if description is not None:
        params["Description"] = description
    if kms_key_id:
        params["KmsKeyId"] = kms_key_id

    def ours():
        found = describe(client, name)
        return found if found and not found.get("PendingDeletion") else None

    created, _adopted = create_or_adopt(lambda: _create(client, params), ours, ("ResourceExistsException",))
    return created


@AWSRetry.jittered_backoff()
def _create(client, params: dict) -> dict:
    return client.create_secret(**params)


@AWSRetry.jittered_backoff()
def restore(client, secret_id: str) -> None:
    client.restore_secret(SecretId=secret_id)


@AWSRetry.jittered_backoff()
def update(client, secret_id: str, description: str | None = None, kms_key_id: str | None = None) -> None:
    params = {"SecretId": secret_id}
    if description is not None:
        params["Description"] = description
    if kms_key_id is not None:
        params["KmsKeyId"] = kms_key_id
    client.update_secret(**params)


def put_value(client, secret_id: str, value: dict, stages: list | None = None) -> str:
    """Write ``value`` as a new version (labelled ``stages``, AWSCURRENT by default); returns its id.

    One ``ClientRequestToken`` (the version id) for every retry: AWS ignores a repeat with the same token and
    value, so a lost answer does not make a second version.
    """
    params = {"SecretId": secret_id, "SecretString": json.dumps(value), "ClientRequestToken": request_token()}
    if stages:
        params["VersionStages"] = list(stages)
    return _put_value(client, params).get("VersionId", "")


@AWSRetry.jittered_backoff()
def _put_value(client, params: dict) -> dict:
    return client.put_secret_value(**params)


@AWSRetry.jittered_backoff()
def move_stage(client, secret_id: str, stage: str, to_version: str | None = None, from_version: str | None = None):
    """Put ``stage`` on ``to_version`` and/or take it off ``from_version``."""
    params = {"SecretId": secret_id, "VersionStage": stage}
    if to_version:
        params["MoveToVersionId"] = to_version
    if from_version:
        params["RemoveFromVersionId"] = from_version
    client.update_secret_version_stage(**params)


@AWSRetry.jittered_backoff()
def rotate(client, secret_id: str) -> str:
    """Start a rotation by the secret's rotation Lambda; returns the new version's id."""
    return client.rotate_secret(SecretId=secret_id)["VersionId"]


@AWSRetry.jittered_backoff()
def delete(client, secret_id: str, recovery_window_days: int) -> None:
    if recovery_window_days == 0:
        client.delete_secret(SecretId=secret_id, ForceDeleteWithoutRecovery=True)
    else:
        client.delete_secret(SecretId=secret_id, RecoveryWindowInDays=recovery_window_days)


@AWSRetry.jittered_backoff()
def get_policy(client, secret_id: str) -> dict | None:
    """The secret's resource policy as a dict, None when it has none."""
    raw = client.get_resource_policy(SecretId=secret_id).get("ResourcePolicy")
    return json.loads(raw) if raw else None


@AWSRetry.jittered_backoff()
def put_policy(client, secret_id: str, policy: dict) -> None:
    """Attach ``policy``; Secrets Manager refuses it if it would grant public access (``BlockPublicPolicy``)."""
    client.put_resource_policy(SecretId=secret_id, ResourcePolicy=json.dumps(policy), BlockPublicPolicy=True)
