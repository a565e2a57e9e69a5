"""or_none: a describe call's response, or None when AWS says the resource does not exist."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.describe import or_none


def failing(code: str):
    def call(**_params):
        raise ClientError({"Error": {"Code": code, "Message": "m"}}, "DescribeThing")

    return call


def test_the_response_comes_back_with_the_parameters_passed_on():
    assert or_none(lambda **params: {"Thing": params}, "ThingNotFound", Name="a") == {"Thing": {"Name": "a"}}


def test_the_missing_code_answers_none():
    assert or_none(failing("ThingNotFound"), "ThingNotFound", Name="a") is None
    assert or_none(failing("GoneException"), ["ThingNotFound", "GoneException"], Name="a") is None


def test_any_other_error_is_raised():
    with pytest.raises(ClientError, match="AccessDenied"):
        or_none(failing("AccessDenied"), "ThingNotFound", Name="a")
