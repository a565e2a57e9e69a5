"""Unit tests of module_utils/propagation.py: which answers count as IAM propagation, and that only those retry."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from ansible_collections.amazon.aws.plugins.module_utils import cloud
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.propagation import PROPAGATING
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.propagation import PropagationRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.propagation import is_propagating
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.propagation import propagation_retry


def error(code, message):
    return ClientError({"Error": {"Code": code, "Message": message}}, "Call")


# What the services answer while a role created seconds ago propagates (wording as AWS returns it).
STILL_PROPAGATING = [
    ("InvalidParameterValueException", "The role defined for the function cannot be assumed by Lambda."),
    (
        "InvalidParameterValueException",
        "The provided execution role does not have permissions to call CreateNetworkInterface on EC2",
    ),
    (
        "InvalidParameterValue",
        "IAM role ARN value is invalid or does not include the required permissions for: ENHANCED_MONITORING",
    ),
    (
        "InvalidParameterException",
        "Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role "
        "being passed has the proper permissions.",
    ),
    (
        "InvalidParameterException",
        "Unable to assume the service linked role. Please verify that the ECS service linked role exists.",
    ),
    (
        "ValidationException",
        "The execution role you provide must allow AWS EventBridge Scheduler to assume the role.",
    ),
]

# Same codes, real input errors: retrying them would only delay the failure.
GENUINE = [
    ("InvalidParameterValueException", "The runtime parameter of python2.7 is not supported"),
    ("InvalidParameterValue", "Invalid DB instance class: db.x9.huge"),
    ("InvalidParameterException", "The target group does not have an associated load balancer."),
    ("ValidationException", "Invalid schedule expression"),
    ("AccessDeniedException", "The role defined for the function cannot be assumed by Lambda."),
]


@pytest.mark.parametrize(("code", "message"), STILL_PROPAGATING)
def test_propagation_answers_are_recognised(code, message):
    assert is_propagating(code, message)
    assert PropagationRetry.status_code_from_exception(error(code, message)) == PROPAGATING
    assert PropagationRetry.found(PROPAGATING)


@pytest.mark.parametrize(("code", "message"), GENUINE)
def test_genuine_errors_are_not(code, message):
    assert not is_propagating(code, message)
    assert not PropagationRetry.found(PropagationRetry.status_code_from_exception(error(code, message)))


def test_throttling_still_retries():
    assert PropagationRetry.found("Throttling") and PropagationRetry.found("RequestLimitExceeded")


def test_the_decorator_retries_propagation_then_returns(monkeypatch):
    slept = []
    monkeypatch.setattr(cloud.time, "sleep", slept.append)
    answers = [error(*STILL_PROPAGATING[2]), error(*STILL_PROPAGATING[2]), "created"]

    @propagation_retry()
    def call():
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert call() == "created"
    assert slept == [2, 3]


def test_the_decorator_raises_a_genuine_error_at_once(monkeypatch):
    slept = []
    monkeypatch.setattr(cloud.time, "sleep", slept.append)

    @propagation_retry()
    def call():
        raise error(*GENUINE[1])

    with pytest.raises(ClientError):
        call()
    assert slept == []
