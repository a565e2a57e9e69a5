# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Creates that survive a lost answer: the write was applied, the client saw a 5xx or a dropped connection.

botocore and ``AWSRetry`` retry such an answer. Where the API takes an idempotency token (``ClientToken``,
``CreationToken``, ``CallerReference``, ...) AWS answers the repeat with the first answer, and a token derived
from the resource's identity (:func:`token`) keeps that true across ``AWSRetry``'s re-invocations too (botocore
generates a fresh token for each call when none is given). Where the API has none, the retry meets the resource
the first attempt made:

- :func:`create_or_adopt` is for APIs that refuse a second resource of the same identity with a conflict code
  (``DBParameterGroupAlreadyExists``, ``WAFDuplicateItemException``, ...): the create keeps its retries, and the
  conflict (or a lost answer that survived every retry) is answered by finding the resource and adopting it.
- :func:`create_once` is for APIs that would make a second resource (``AllocateAddress``, KMS ``CreateKey``,
  Cost Explorer ``CreateAnomalyMonitor``): the create is sent once per attempt, botocore's own retry of a lost
  answer is vetoed (:func:`no_blind_retry`), and after a lost answer the resource is looked up by what the create
  marked it with (a tag, a name) before the create is tried again.

Both return ``(resource, adopted)``; ``resource`` is whatever ``create`` returned, or ``find()``'s answer.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from collections.abc import Collection
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
    from botocore.exceptions import ConnectionClosedError
    from botocore.exceptions import ConnectTimeoutError
    from botocore.exceptions import EndpointConnectionError
    from botocore.exceptions import ReadTimeoutError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

THROTTLING = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "RequestThrottled",
        "RequestThrottledException",
        "SlowDown",
        "PriorRequestNotComplete",
    }
)


class LostAnswer(Exception):
    """A write's answer was lost (5xx or a dropped connection): it may or may not have been applied."""

    def __init__(self, operation: str, cause: Any) -> None:
        super().__init__(f"the answer to {operation} was lost ({cause})")
        self.operation = operation
        self.cause = cause


def token(*parts: Any) -> str:
    """A stable idempotency token (64 hex characters) from the resource's identity."""
    return hashlib.sha256("/".join(str(part) for part in parts).encode()).hexdigest()[:64]


def request_token() -> str:
    """A token for one write, made before the call so every retry of it (botocore's and ``AWSRetry``'s) sends it.

    botocore fills an idempotency token the caller leaves out with a new value per API call, so without this an
    ``AWSRetry`` re-invocation after a lost answer is a new request to AWS.
    """
    return str(uuid.uuid4())  # 36 characters: ECS and CloudWatch Logs want 36, others take up to 64


def error_code(err: BaseException) -> str:
    return (getattr(err, "response", None) or {}).get("Error", {}).get("Code", "")


def is_lost_answer(err: BaseException) -> bool:
    """True for an error after which the write may have been applied: a 5xx answer or a broken connection.

    A connection that could not be opened (``EndpointConnectionError``, ``ConnectTimeoutError``) sent nothing,
    but it is counted too: looking up once more costs one read.
    """
    if isinstance(err, LostAnswer):
        return True
    if isinstance(err, ClientError):
        if error_code(err) in THROTTLING:  # EC2 throttles with a 503: refused, not applied
            return False
        status = err.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return status >= 500 or error_code(err) in ("InternalError", "InternalFailure", "ServiceUnavailable")
    return isinstance(err, (ConnectionClosedError, ReadTimeoutError, EndpointConnectionError, ConnectTimeoutError))


def create_or_adopt(
    create: Callable[[], Any],
    find: Callable[[], Any],
    conflict_codes: Collection[str] = (),
) -> tuple[Any, bool]:
    """Run ``create()``; on one of ``conflict_codes``, or a lost answer that survived its retries, adopt ``find()``.

    ``find()`` returns the resource by its identity (name, ARN, priority and conditions), or ``None``. When it finds
    nothing the original error is raised: the conflict was with something else, or the create was not applied.
    """
    try:
        return create(), False
    except (ClientError, BotoCoreError, LostAnswer) as err:
        if error_code(err) not in conflict_codes and not is_lost_answer(err):
            raise
        found = find()
        if found is None:
            raise
        return found, True


def create_once(
    create: Callable[[], Any],
    find: Callable[[], Any],
    conflict_codes: Collection[str] = (),
    *,
    attempts: int = 5,
    delay: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[Any, bool]:
    """Run a create that has no token and no conflict code, never twice for one applied write.

    ``create()`` must not retry lost answers itself (no ``AWSRetry`` on it; wrap its call in :func:`no_blind_retry`).
    After a lost answer ``find()`` looks the resource up by what the create marked it with; found, it is adopted,
    else the create is tried again. Throttling is retried with backoff (a throttled call was not applied). One of
    ``conflict_codes`` (someone else's create, or a resend this code did not make) adopts ``find()`` or raises.
    """
    for attempt in range(1, attempts + 1):
        try:
            return create(), False
        except (ClientError, BotoCoreError, LostAnswer) as err:
            lost = is_lost_answer(err)
            if error_code(err) in conflict_codes:
                found = find()
                if found is None:
                    raise
                return found, True
            if not lost and error_code(err) not in THROTTLING:
                raise
            if lost:
                found = find()
                if found is not None:
                    return found, True
            if attempt == attempts:
                raise
            sleep(min(delay * 2 ** (attempt - 1), 30.0))
    raise AssertionError("unreachable")  # pragma: no cover


def _veto(operation: str) -> Callable[..., None]:
    def handler(response=None, caught_exception=None, **_kwargs) -> None:
        if caught_exception is not None and is_lost_answer(caught_exception):
            raise LostAnswer(operation, caught_exception)
        code = ((response[1] or {}).get("Error") or {}).get("Code") if response is not None else None
        if response is not None and (response[0].status_code or 0) >= 500 and code not in THROTTLING:
            raise LostAnswer(operation, f"HTTP {response[0].status_code}")

    return handler


@contextmanager
def no_blind_retry(client: Any, operation: str) -> Iterator[None]:
    """Within the block, botocore does not resend ``operation`` (CamelCase) after a 5xx or a broken connection.

    It raises :class:`LostAnswer` instead, so the caller looks before it creates again. Throttling is still
    retried by botocore. ``client`` may be amazon.aws's retrying wrapper.
    """
    raw = getattr(client, "client", client)
    events = raw.meta.events
    event = f"needs-retry.{raw.meta.service_model.service_id.hyphenize()}.{operation}"
    handler = _veto(operation)
    events.register_first(event, handler, unique_id=f"wordpress-aws-no-blind-retry-{operation}")
    try:
        yield
    finally:
        events.unregister(event, handler, unique_id=f"wordpress-aws-no-blind-retry-{operation}")
