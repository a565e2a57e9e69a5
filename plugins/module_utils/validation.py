# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small generic input checks every tier's rules (``tiers/<tier>.py``) and some modules share.

Pure functions, no AWS calls. A rule that knows a tier's meaning lives in that tier's file; here live only the
checks that mean the same thing everywhere (a whole number in a range, an email address, a region name).
"""

from __future__ import annotations

import ipaddress
import re

EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
REGION_RE = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
# A positive decimal number as a string ("12", "12.5"), the form budget amounts and thresholds take.
DECIMAL_RE = re.compile(r"^[0-9]+(\.[0-9]+)?$")


def whole_number(value) -> int | None:
    """``value`` as an int when it is written as one (``7``, ``"7"``, ``" 7 "``; not ``7.5``, ``"07"``, ``True``)."""
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if str(number) == str(value).strip() else None


def int_between(value, low: int, high: int) -> bool:
    """True when ``value`` is a whole number from ``low`` to ``high``."""
    number = whole_number(value)
    return number is not None and low <= number <= high


def number(value) -> float | None:
    """``value`` as a float when it is a number, else None."""
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def positive_decimal(value) -> bool:
    """True when ``value`` is written as a decimal number above 0 (``"25"``, ``12.5``; not ``-1`` or ``"1e3"``)."""
    return bool(DECIMAL_RE.match(str(value))) and float(value) > 0


def is_email(value) -> bool:
    return bool(EMAIL_RE.match(str(value)))


def is_region(value) -> bool:
    return isinstance(value, str) and bool(REGION_RE.match(value))


def ipv4_network(cidr):
    """``cidr`` as an IPv4 network with no host bits set, or None."""
    try:
        net = ipaddress.ip_network(str(cidr), strict=True)
    except ValueError:
        return None
    return net if net.version == 4 else None


def as_bool(value) -> bool:
    """Ansible's truthiness for strings too (``"false"``, ``"no"``, ``"0"`` and ``""`` are False)."""
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "no", "off", "none")
    return bool(value)
