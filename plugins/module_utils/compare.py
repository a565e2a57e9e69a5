# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Does what AWS describes hold what was asked? One comparison for every module, arguments (desired, actual).

The rule, applied recursively:

- dict: every key of ``desired`` is contained in ``actual``'s value for that key; keys only ``actual`` has
  (defaults the service adds: ``OriginShield``, a port mapping's ``hostPort``...) do not count;
- list: same length, element by element in order;
- empty: ``None`` and ``""`` in ``desired`` mean "empty" and match ``None``, ``""``, ``[]`` and ``{}``;
  an empty ``actual`` never matches a non-empty ``desired``;
- bool: only an equal bool (``True`` is not ``"true"`` nor ``1``);
- number: a number and its decimal string are equal (``80 == "80"``, ``1.5 == "1.50"``), because AWS
  returns some numbers as strings and module options arrive as either;
- anything else: ``==``.
"""

from __future__ import annotations

from decimal import Decimal
from decimal import InvalidOperation

EMPTY = (None, "", [], {})


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def scalar_equal(desired, actual) -> bool:
    """The scalar part of the rule (see the module docstring)."""
    if desired in (None, ""):
        return actual in EMPTY
    if isinstance(desired, bool) or isinstance(actual, bool):
        return isinstance(desired, bool) and isinstance(actual, bool) and desired == actual
    if desired == actual:
        return True
    if isinstance(desired, str) and isinstance(actual, str):
        return False
    left, right = _number(desired), _number(actual)
    return left is not None and right is not None and left == right


def contains(desired, actual) -> bool:
    """True when everything in ``desired`` is in ``actual`` under the rule above."""
    if isinstance(desired, dict):
        return isinstance(actual, dict) and all(contains(value, actual.get(key)) for key, value in desired.items())
    if isinstance(desired, list):
        return (
            isinstance(actual, list)
            and len(desired) == len(actual)
            and all(contains(d, a) for d, a in zip(desired, actual, strict=True))
        )
    return scalar_equal(desired, actual)


def differences(desired: dict, actual: dict | None, prefix: str = "") -> list[str]:
    """The dotted paths of ``desired`` that ``actual`` does not contain (nested dicts give nested paths)."""
    actual = actual or {}
    found = []
    for key, value in desired.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and isinstance(actual.get(key), dict):
            found.extend(differences(value, actual[key], f"{path}."))
        elif not contains(value, actual.get(key)):
            found.append(path)
    return found


def change_list(before: dict | None, after: dict | None, changed: bool) -> list[str]:
    """What changed between two views of one resource, as the sentences of a ``changes`` result.

    ``created`` or ``deleted`` when the resource appears or goes, else the dotted paths where ``after`` differs
    from ``before`` under the rule above, ``updated`` when the views show no path; nothing when not ``changed``.
    """
    if not changed:
        return []
    if before and not after:
        return ["deleted"]
    if after and not before:
        return ["created"]
    return (differences(after, before) if after else []) or ["updated"]
