# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retry what AWS answers while a new IAM role (or a policy just put on it) is still propagating.

IAM is eventually consistent: "changes that you make in IAM ... might not be immediately visible" to the services
that use them (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).
For some seconds after CreateRole / PutRolePolicy, the services that assume the role refuse it with a 4xx whose code
is shared with real input errors. amazon.aws's ``AWSRetry`` retries throttling and 5xx only, so a first deploy fails
there. :class:`PropagationRetry` retries those answers too, recognised by code *and* message, with a backoff of
about two minutes in all (:func:`propagation_retry`); any other error still fails at once.
"""

from __future__ import annotations

import re

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# The status code PropagationRetry gives an answer it recognises as IAM propagation.
PROPAGATING = "IAMRoleStillPropagating"

# (error code, message pattern) of the answers a service gives while the role it is handed is not yet usable.
PROPAGATION_ERRORS = (
    # Lambda CreateFunction / UpdateFunctionConfiguration with a role created seconds ago.
    ("InvalidParameterValueException", r"role defined for the function cannot be assumed by Lambda"),
    # ... and the VPC variant, while the role's ENI permissions (AWSLambdaVPCAccessExecutionRole) propagate.
    (
        "InvalidParameterValueException",
        r"execution role does not have permissions to call \w+NetworkInterface\w* on EC2",
    ),
    # RDS CreateDBInstance / ModifyDBInstance with a new enhanced-monitoring role.
    ("InvalidParameterValue", r"IAM role ARN value is invalid or (it )?does not include the required permissions"),
    # ECS CreateService / UpdateService while its role or the service-linked role propagates.
    ("InvalidParameterException", r"[Uu]nable to assume (the service linked )?role"),
    # EventBridge Scheduler CreateSchedule with a new execution role.
    ("ValidationException", r"execution role you provide must allow AWS EventBridge Scheduler to assume the role"),
)


def is_propagating(code: str, message: str) -> bool:
    """Whether an answer with ``code`` and ``message`` is one of :data:`PROPAGATION_ERRORS`."""
    return any(code == known and re.search(pattern, message or "") for known, pattern in PROPAGATION_ERRORS)


class PropagationRetry(AWSRetry):
    """``AWSRetry`` that also retries the answers of :data:`PROPAGATION_ERRORS`."""

    @staticmethod
    def status_code_from_exception(error):
        code = AWSRetry.status_code_from_exception(error)
        message = error.response.get("Error", {}).get("Message", "")
        return PROPAGATING if is_propagating(code, message) else code

    @staticmethod
    def found(response_code, catch_extra_error_codes=None):
        return response_code == PROPAGATING or AWSRetry.found(response_code, catch_extra_error_codes)


def propagation_retry(catch_extra_error_codes=None):
    """A decorator retrying throttling, 5xx and IAM propagation (and ``catch_extra_error_codes``) for about two minutes.

    Sleeps 2, 3, 4.5, ... seconds, at most 15 at a time: about 117 s over 12 attempts, which covers the
    propagation delays AWS documents (usually seconds, rarely a minute or two).
    """
    return PropagationRetry.exponential_backoff(
        retries=12, delay=2, backoff=1.5, max_delay=15, catch_extra_error_codes=catch_extra_error_codes
    )
