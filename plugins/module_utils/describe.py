# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Describe calls of a resource that may not exist: AWS answers with an error code, the wrappers want None."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code


def or_none(call, missing: str | list, **params) -> dict | None:
    """``call(**params)``'s response, or None when AWS answers ``missing`` (an error code, or a list of them).

    Call it from a function decorated with ``AWSRetry`` (``or_none(client.describe_x, "XNotFound", Name=name)``):
    the retry covers the call; the codes that mean "no such resource" are never retried.
    """
    try:
        return call(**params)
    except is_boto3_error_code(missing):
        return None
