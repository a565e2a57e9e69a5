# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""EC2 writes that carry no idempotency token: how to tell a lost answer, and how to wait out a slow release.

CreateSubnet, CreateSecurityGroup, Authorize*/Revoke*SecurityGroup* take no ``ClientToken``. When AWS applies
one but its answer is lost (a 5xx or a closed connection), botocore resends it and the resend fails on the
duplicate (``InvalidSubnet.Conflict``, ``InvalidGroup.Duplicate``, ``InvalidPermission.Duplicate``) or, when
every resend is lost too, the call raises a connection error or a 5xx. :func:`error_code` and
:func:`answer_lost` name those cases; the caller then reads again and adopts what it finds, never writes twice.

:func:`retry_dependency` deletes with a backoff while AWS answers ``DependencyViolation`` (a deleted VPC Lambda's
network interfaces hold its groups and subnets for up to 45 minutes) and counts the attempts and the seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import tags_of

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
    from botocore.exceptions import ConnectionError as BotoConnectionError
    from botocore.exceptions import HTTPClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

DEPENDENCY_VIOLATION = "DependencyViolation"


def error_code(err: Exception) -> str:
    """The AWS error code of a ``ClientError`` (``""`` for anything else)."""
    if isinstance(err, ClientError):
        return err.response.get("Error", {}).get("Code", "")
    return ""


def answer_lost(err: Exception) -> bool:
    """Whether ``err`` leaves it open that AWS applied the write: a connection error, or a 5xx answer."""
    if isinstance(err, (BotoConnectionError, HTTPClientError)):
        return True
    if isinstance(err, ClientError):
        status = err.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return status >= 500
    return False


class Progress:
    """Attempts made and seconds waited by :func:`retry_dependency` calls, for the module's result."""

    def __init__(self) -> None:
        self.attempts = 0
        self.waited = 0
        self.retried: list[str] = []

    def view(self) -> dict:
        return {"attempts": self.attempts, "waited": self.waited, "retried": sorted(set(self.retried))}


def retry_dependency(
    delete: Callable[[], Any],
    label: str,
    progress: Progress,
    timeout: int,
    *,
    delay: int = 5,
    max_delay: int = 30,
) -> None:
    """Run ``delete()``; while it raises ``DependencyViolation``, sleep (5, 10, 20, 30, 30 ... s) and try again.

    Stops when ``timeout`` seconds have been waited in all and raises the last ``DependencyViolation``; any other
    error is raised at once. ``progress`` counts every attempt and every second slept.
    """
    while True:
        progress.attempts += 1
        try:
            delete()
            return
        except ClientError as err:
            if error_code(err) != DEPENDENCY_VIOLATION or progress.waited >= timeout:
                raise
            progress.retried.append(label)
            pause = min(delay, max_delay, max(1, timeout - progress.waited))
            time.sleep(pause)
            progress.waited += pause
            delay = min(delay * 2, max_delay)


THROTTLING = ("RequestLimitExceeded", "Throttling", "ThrottlingException")


def create_once(
    create: Callable[[], Any],
    find: Callable[[], Any],
    *,
    attempts: int = 4,
    settle: tuple = (1, 2, 4),
) -> tuple[Any, bool]:
    """Create a resource whose API has no idempotency token, never twice: ``(resource, adopted)``.

    ``create`` must run on a client whose botocore retries are off (``no_retry_config``): botocore's own resend of
    a CreateVpc whose answer was lost creates a second VPC. Here a lost answer (5xx, connection error) is followed by
    ``find()`` (the resource looked up by the tags it was created with), tried at once and again after each pause of
    ``settle`` (EC2's reads can lag its writes); if it finds the resource, it is adopted, else the create is tried
    again. Throttling is retried after a pause (a throttled request was not applied); other errors are raised.
    """
    last: Exception | None = None
    for attempt in range(attempts):
        try:
            return create(), False
        except Exception as err:  # only lost and throttled answers are retried; anything else is raised
            if not answer_lost(err) and error_code(err) not in THROTTLING:
                raise
            last = err
            if error_code(err) in THROTTLING:
                time.sleep(2**attempt)
                continue
        for pause in (0, *settle):
            if pause:
                time.sleep(pause)
            found = find()
            if found:
                return found, True
    raise last  # type: ignore[misc]


def no_retry_config():
    """A botocore ``Config`` with one attempt per call, for the creates :func:`create_once` guards."""
    from botocore.config import Config

    return Config(retries={"total_max_attempts": 1, "mode": "standard"})


def selected(found: dict, keys: list | None, selector: dict | None, skip: tuple = ()) -> list:
    """What a ``state=absent`` run deletes, from ``found`` (key -> resource): the resources ``keys`` names, or,
    without keys, every one carrying all of ``selector``'s tags; never those keyed in ``skip``."""
    if keys:
        return [found[key] for key in keys if key in found and key not in skip]
    wanted = selector or {}
    return [
        item
        for key, item in sorted(found.items())
        if key not in skip and all(tags_of(item).get(k) == v for k, v in wanted.items())
    ]


def run_family(module: Any, noun: str, items: str, result_key: str, present: Callable, absent: Callable) -> None:
    """The run of an EC2 family module (``ec2_subnets``, ``ec2_security_groups``) of one VPC, and its exit.

    ``items`` names the list option; ``absent(progress)`` returns ``(before, after, changes)`` and reports the
    ``DependencyViolation`` waits in ``release`` (also when it gives up); ``present()`` returns
    ``(before, after, changes, extra)``.
    """
    from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
    from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result

    p = module.params
    if p["state"] == "absent" and p[items] is None and not p["tags"]:
        module.fail_json(msg=f"state=absent without {items} needs tags: it deletes the {noun} carrying them")
    if p["timeout"] < 0:
        module.fail_json(msg="timeout must be 0 or more seconds")
    progress = Progress()
    if p["state"] == "absent":
        try:
            before, after, changes = absent(progress)
        except (BotoCoreError, ClientError) as err:
            module.fail_json_aws(err, msg=f"Unable to delete the {noun} of {p['vpc_id']}", release=progress.view())
        extra = {"release": progress.view()}
    else:
        with aws_errors(module, f"manage the {noun} of {p['vpc_id']}"):
            before, after, changes, extra = present()
    exit_result(
        module,
        result_key,
        {"vpc_id": p["vpc_id"], items: before},
        {"vpc_id": p["vpc_id"], items: after},
        changes,
        **extra,
    )
