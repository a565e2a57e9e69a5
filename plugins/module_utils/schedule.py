# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Business hours as Application Auto Scaling scheduled actions, and which of them holds right now.

The schedules are the restricted cron form ``cron(M H ? * DAYS *)`` (minute, hour, days of week), evaluated in an
IANA time zone, the form this collection writes. A scheduled action sets a capacity when it fires and AWS never
applies it afterwards; knowing the latest one that fired lets a converge put the target in the state the schedule
says holds now, instead of fighting it at night.
"""

from __future__ import annotations

import re
from datetime import datetime
from datetime import timedelta

try:
    from zoneinfo import ZoneInfo
    from zoneinfo import ZoneInfoNotFoundError
except ImportError:  # Python < 3.9 on the controller
    ZoneInfo = None
    ZoneInfoNotFoundError = Exception

DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
CRON_RE = re.compile(r"^cron\((\d{1,2}) (\d{1,2}) \? \* ([A-Z,-]+|\*) \*\)$")
HHMM_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_days(text: str) -> set[int]:
    """``MON-FRI``, ``SAT,SUN``, ``*`` -> weekday numbers (Monday 0). Raises ValueError."""
    if text == "*":
        return set(range(7))
    days = set()
    for part in text.split(","):
        if "-" in part:
            first, last = part.split("-", 1)
            if first not in DAYS or last not in DAYS:
                raise ValueError(f"{part!r} is not a range of days (MON-FRI)")
            a, b = DAYS.index(first), DAYS.index(last)
            if a > b:
                raise ValueError(f"{part!r} runs backwards")
            days.update(range(a, b + 1))
        elif part in DAYS:
            days.add(DAYS.index(part))
        else:
            raise ValueError(f"{part!r} is not a day (MON..SUN)")
    return days


def parse_cron(expression: str) -> tuple[int, int, set[int]]:
    """(minute, hour, weekdays) of ``cron(M H ? * DAYS *)``. Raises ValueError."""
    match = CRON_RE.match(expression or "")
    if not match:
        raise ValueError(f"{expression!r} is not of the form cron(M H ? * DAYS *)")
    minute, hour = int(match.group(1)), int(match.group(2))
    if minute > 59 or hour > 23:
        raise ValueError(f"{expression!r} names no valid time of day")
    return minute, hour, parse_days(match.group(3))


def zone(name: str):
    if ZoneInfo is None:
        raise ValueError("time zones need Python 3.9 or later on the controller")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ValueError(f"{name!r} is not an IANA time zone (Europe/Paris, UTC...)") from err


def last_fire(expression: str, timezone: str, now: datetime) -> datetime:
    """When ``expression`` last fired at or before ``now`` (an aware datetime), in its time zone."""
    minute, hour, days = parse_cron(expression)
    local = now.astimezone(zone(timezone))
    for back in range(8):
        day = (local - timedelta(days=back)).date()
        if day.weekday() not in days:
            continue
        fire = datetime(day.year, day.month, day.day, hour, minute, tzinfo=local.tzinfo)
        if fire <= local:
            return fire
    raise ValueError(f"{expression!r} never fires")


def business_hours(start: str, end: str, days: str) -> dict:
    """The two cron expressions of business hours: up at ``start`` and down at ``end`` on ``days``.

    Outside those days the last "down" holds (Friday evening until Monday morning)."""
    errors = business_hours_errors(start, end, days)
    if errors:
        raise ValueError("; ".join(errors))
    (h1, m1), (h2, m2) = (map(int, HHMM_RE.match(t).groups()) for t in (start, end))
    return {"up": f"cron({m1} {h1} ? * {days} *)", "down": f"cron({m2} {h2} ? * {days} *)"}


def business_hours_errors(start: str, end: str, days: str, var: str = "cost_guard_business_hours") -> list[str]:
    errors = []
    for key, value in (("start", start), ("end", end)):
        if not HHMM_RE.match(str(value)):
            errors.append(f"{var}.{key} {value!r} is not a time of day (HH:MM)")
    if not errors:
        first, last = (tuple(map(int, HHMM_RE.match(str(t)).groups())) for t in (start, end))
        if first >= last:
            errors.append(f"{var}: start {start} must be before end {end}")
    try:
        parse_days(str(days))
    except ValueError as err:
        errors.append(f"{var}.days {days!r}: {err}")
    return errors


def effective(actions: list[dict], now: datetime) -> dict | None:
    """The action (``schedule``, ``timezone``, ``min_capacity``, ``max_capacity``) that fired last, or None when
    none can be evaluated (another form of schedule, an unknown zone)."""
    latest, when = None, None
    for action in actions:
        try:
            fired = last_fire(action["schedule"], action.get("timezone") or "UTC", now)
        except ValueError:
            return None
        if when is None or fired > when:
            latest, when = action, fired
    return latest
