# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one skeleton of this collection's resource modules.

- :func:`aws_client` gives a boto3 client whose calls retry when they pass ``aws_retry=True``.
- :func:`exit_result` is the ONE result shape: ``changed`` (``bool(changes)``), the resource under a singular
  snake_case key, ``changes`` as a list of strings and ``diff`` (``before``/``after``) always.
- :func:`converge` owns ``state`` dispatch (present/absent), check mode (no write when ``module.check_mode``),
  the describe before and after, error reporting through ``fail_json_aws`` and the exit.
- :func:`aws_errors` reports the boto3 errors of a block through ``fail_json_aws``.
- :func:`report` is the same exit for info modules (nothing changes).
- :func:`reconcile` brings a keyed collection (alarms, query definitions, subscriptions, ...) in line with the
  desired one and says what it changed.

A module supplies small callables that never see ``module`` unless they need its parameters::

    converge(
        module, "subscription",
        find=lambda: describe(client, name),
        differences=lambda current: differences(wanted, current),
        create=lambda: create(client, wanted),
        update=lambda current, changes: update(client, current, wanted),
        delete=lambda current: delete(client, name),
        result=view,
    )
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import contextmanager
from typing import Any

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
    from botocore.exceptions import WaiterError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tagging import tags_of

Resource = Mapping[str, Any]


def aws_client(module: Any, service: str, region: str | None = None) -> RetryingBotoClientWrapper:
    """A client of ``service`` whose every call retries throttling and transient errors with ``aws_retry=True``.

    ``region`` overrides the module's region (global services such as Budgets or WAF for CloudFront live in
    us-east-1); ``None`` keeps the module's own. Whatever ``module.client`` returns is wrapped, so a test that
    replaces ``module.client`` by a plain (stubbed) client still gets the retrying wrapper.
    """
    extra = {} if region is None else {"region": region}
    client = module.client(service, retry_decorator=AWSRetry.jittered_backoff(), **extra)
    if isinstance(client, RetryingBotoClientWrapper):
        return client
    return RetryingBotoClientWrapper(client, AWSRetry.jittered_backoff())


@contextmanager
def aws_errors(module: Any, label: str) -> Iterator[None]:
    """Report a boto3 error raised in the block through ``fail_json_aws`` as "Unable to <label>"."""
    try:
        yield
    except (BotoCoreError, ClientError, WaiterError) as err:
        module.fail_json_aws(err, msg=f"Unable to {label}")


def exit_result(
    module: Any,
    key: str,
    before: Resource | None,
    after: Resource | None,
    changes: Iterable[str],
    **extra: Any,
) -> None:
    """Exit with the one result shape of this collection.

    ``changed`` is ``bool(changes)``; the resource is returned under ``key`` (``{}`` when it does not exist);
    ``changes`` is the list of what changed (or would change in check mode), as sentences; ``diff`` is always
    returned so ``--diff`` shows it. ``extra`` holds the module's own additional keys.
    """
    changes = [str(change) for change in changes]
    result = {
        "changed": bool(changes),
        key: dict(after or {}),
        "changes": changes,
        "diff": {"before": dict(before or {}), "after": dict(after or {})},
    }
    result.update(extra)
    module.exit_json(**result)


def resource_view(
    resource: Resource | None,
    tag_key: str = "Tags",
    *,
    keep: Iterable[str] | None = None,
    drop: Iterable[str] = (),
) -> dict:
    """A described resource as a module returns it: snake_cased, its tags as a dict under ``tags``.

    ``tag_key`` is where AWS keeps the tags (``Tags``, ``TagList``, ``tags``; a dict or a list of ``Key``/``Value``
    items); ``keep`` names the only keys to return, ``drop`` the keys to leave out. ``{}`` when there is no resource.
    """
    if not resource:
        return {}
    kept = None if keep is None else set(keep)
    skip = {tag_key, *drop}
    out = camel_dict_to_snake_dict({k: v for k, v in resource.items() if k not in skip and (kept is None or k in kept)})
    out["tags"] = tags_of(resource, tag_key)
    return out


def _identity(resource: Resource | None) -> dict:
    return dict(resource or {})


def converge(
    module: Any,
    key: str,
    *,
    find: Callable[[], Any],
    differences: Callable[[Any], Iterable[str]],
    create: Callable[[], Any],
    update: Callable[[Any, list[str]], Any],
    delete: Callable[[Any], None],
    result: Callable[[Any], dict] = _identity,
    planned: Callable[[Any], dict] | None = None,
    label: str | None = None,
    extra: Callable[[dict], dict] | None = None,
) -> None:
    """Bring one resource to ``module.params['state']`` and exit with :func:`exit_result`.

    - ``find()`` returns the resource as AWS describes it, or ``None`` when it does not exist.
    - ``differences(found)`` lists, as sentences, what must change for the found resource to match the
      parameters; an empty list means it is already right.
    - ``create()``, ``update(found, changes)`` and ``delete(found)`` write; ``create``/``update`` may return the
      new resource, else ``find()`` is called again. None of them runs in check mode.
    - ``result(found)`` turns a described resource into the returned snake_case dict (default: as is).
    - ``planned(found)`` is what check mode reports as ``after`` (``found`` is ``None`` for a creation);
      default: ``{}`` for a creation, the unchanged view for an update.
    - ``label`` names the resource in error messages (default: ``<key> <name>``).
    - ``extra(after)`` returns the module's additional result keys, from the returned resource.

    A change is reported as ``created``, ``deleted`` or the sentences of ``differences``. Errors of boto3
    reach the user through ``fail_json_aws``.
    """
    state = module.params.get("state") or "present"
    label = label or f"{key.replace('_', ' ')} {module.params.get('name') or ''}".strip()
    before: dict = {}
    after: dict = {}
    changes: list[str] = []
    with aws_errors(module, f"manage {label}"):
        found = find()
        before = result(found) if found is not None else {}
        after = before
        if state == "absent":
            if found is not None:
                changes = ["deleted"]
                after = {}
                if not module.check_mode:
                    delete(found)
        elif found is None:
            changes = ["created"]
            if module.check_mode:
                after = dict(planned(None)) if planned else {}
            else:
                created = create()
                created = created if created is not None else find()
                after = result(created) if created is not None else {}
        else:
            changes = [str(change) for change in differences(found)]
            if changes:
                if module.check_mode:
                    after = dict(planned(found)) if planned else before
                else:
                    updated = update(found, changes)
                    updated = updated if updated is not None else find()
                    after = result(updated) if updated is not None else {}
    exit_result(module, key, before, after, changes, **(extra(after) if extra else {}))


def report(
    module: Any,
    key: str,
    *,
    find: Callable[[], Any],
    result: Callable[[Any], dict] = _identity,
    label: str | None = None,
    extra: Callable[[dict], dict] | None = None,
) -> None:
    """Exit an info module with the one result shape: ``find()`` described under ``key``, nothing changed.

    ``diff`` holds the same resource before and after; ``label`` names it in the error message (default:
    ``<key> <name>``), ``extra(found)`` returns additional result keys.
    """
    label = label or f"{key.replace('_', ' ')} {module.params.get('name') or ''}".strip()
    found: dict = {}
    with aws_errors(module, f"read {label}"):
        raw = find()
        found = result(raw) if raw is not None else {}
    exit_result(module, key, found, found, [], **(extra(found) if extra else {}))


def reconcile(
    module: Any,
    desired: Mapping[str, Any],
    actual: Mapping[str, Any],
    *,
    differences: Callable[[Any, Any], Iterable[str]],
    put: Callable[[str, Any, Any], None],
    remove: Callable[[str, Any], None] | None = None,
    purge: bool = True,
    noun: str = "",
) -> list[str]:
    """Bring a keyed collection in line with ``desired`` and return what changed, as sentences.

    Each name of ``desired`` missing from ``actual`` is put (``put(name, wanted, None)``: "created <noun> <name>"),
    each for which ``differences(wanted, have)`` lists something is put again (``put(name, wanted, have)``:
    "updated <noun> <name> (<differences>)"), and with ``purge`` each name of ``actual`` that is not desired is
    removed (``remove(name, have)``: "deleted <noun> <name>"). Check mode writes nothing and returns the same
    sentences. Names are handled in sorted order.
    """
    prefix = f"{noun} " if noun else ""
    changes: list[str] = []
    for name in sorted(desired):
        wanted, have = desired[name], actual.get(name)
        if have is None:
            changes.append(f"created {prefix}{name}")
        else:
            found = [str(item) for item in differences(wanted, have)]
            if not found:
                continue
            changes.append(f"updated {prefix}{name} ({', '.join(found)})")
        if not module.check_mode:
            put(name, wanted, have)
    if purge:
        for name in sorted(set(actual) - set(desired)):
            changes.append(f"deleted {prefix}{name}")
            if not module.check_mode and remove is not None:
                remove(name, actual[name])
    return changes


def converge_set(
    module: Any,
    key: str,
    desired: Mapping[str, Any],
    *,
    find: Callable[[], Mapping[str, Any]],
    differences: Callable[[Any, Any], Iterable[str]],
    put: Callable[[str, Any, Any], None],
    remove: Callable[[str, Any], None],
    label: str,
    purge: bool = True,
    extra: Callable[[dict], dict] | None = None,
) -> None:
    """Converge a keyed collection owned by one prefix (O(prefix), O(state)) and exit.

    ``find()`` returns the collection as it is, by name; O(state=absent) empties it; ``purge`` (the module's
    O(purge_<things>)) removes the names not desired. The result holds
    ``{"prefix": ..., "names": [...]}`` under ``key``, before and after, and :func:`reconcile`'s sentences.
    """
    p = module.params
    state = p.get("state") or "present"
    desired = {} if state == "absent" else desired
    purge = purge or state == "absent"
    actual: Mapping[str, Any] = {}
    changes: list[str] = []
    with aws_errors(module, f"manage {label}"):
        actual = find()
        changes = reconcile(module, desired, actual, differences=differences, put=put, remove=remove, purge=purge)
    gone = set(named(changes, "deleted"))
    before = {"prefix": p.get("prefix", ""), "names": sorted(actual)}
    after = {"prefix": p.get("prefix", ""), "names": sorted({*actual, *desired} - gone)}
    exit_result(module, key, before, after, changes, **(extra(after) if extra else {}))


def named(changes: Iterable[str], verb: str, noun: str = "") -> list[str]:
    """The names in the :func:`reconcile` sentences of ``verb`` ("created", "updated", "deleted") and ``noun``."""
    start = f"{verb} {noun} " if noun else f"{verb} "
    names = [change[len(start) :] for change in changes if change.startswith(start)]
    return [name.split(" (")[0] if verb == "updated" else name for name in names]
