# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The data tier (role ``rds``): the one RDS instance class table, the per-environment profile, the input rules
and the derived values (the class's memory and ``max_connections``, whether it runs on CPU credits, its secrets
and Lambda functions).

The class table serves validation (a class it lacks is refused), monitoring (``max_connections`` for the
connections alarm, the CPU credits alarm of a burstable class) and cost (the price file must price the class).
"""

from __future__ import annotations

import re
from datetime import date

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.validation import int_between as _int_between

TIER = "rds"
LABEL = "the data tier (rds)"

# fmt: off
PROFILES = {
    # Non-production windows fall inside the hours the DB scheduler keeps the DB running (cost_guard_business_hours,
    # 07:00-20:00 Europe/Paris MON-FRI by default: 05:30-18:00 UTC all year); production runs around the clock.
    "local": {"instance_class": "db.t4g.micro", "multi_az": False, "backup_retention_days": 1, "max_storage_gib": 100,
              "backup_window": "12:00-12:30", "maintenance_window": "tue:13:00-tue:14:00"},
    "dev": {"instance_class": "db.t4g.micro", "multi_az": False, "backup_retention_days": 1, "max_storage_gib": 100,
            "backup_window": "12:00-12:30", "maintenance_window": "tue:13:00-tue:14:00"},
    "staging": {
        "instance_class": "db.t4g.medium",
        "multi_az": True,
        "backup_retention_days": 7,
        "max_storage_gib": 100,
        "backup_window": "12:00-12:30",
        "maintenance_window": "tue:13:00-tue:14:00",
    },
    "production": {
        "instance_class": "db.m7g.large",
        "multi_az": True,
        "backup_retention_days": 14,
        "max_storage_gib": 500,
        # production runs around the clock: backups and maintenance at night (UTC)
        "backup_window": "02:00-02:30",
        "maintenance_window": "sun:03:00-sun:04:00",
    },
}
# fmt: on

# ---- the instance class table -------------------------------------------------------------------------------
# Burstable sizes: size -> (vCPUs, memory GiB).
_BURSTABLE_SIZES = {"micro": (2, 1), "small": (2, 2), "medium": (2, 4), "large": (2, 8), "xlarge": (4, 16),
                    "2xlarge": (8, 32)}  # fmt: skip
# Fixed-performance sizes: size -> vCPUs, in order (a family offers every size up to its largest).
_SIZES = {"large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32, "12xlarge": 48, "16xlarge": 64,
          "24xlarge": 96, "32xlarge": 128, "48xlarge": 192}  # fmt: skip
# The families RDS offers for MySQL 8.0 and 8.4: family -> (GiB per vCPU, largest size); None = burstable.
FAMILIES = {
    "t3": None,
    "t4g": None,
    "m5": (4, "24xlarge"),
    "m5d": (4, "24xlarge"),
    "m6g": (4, "16xlarge"),
    "m6gd": (4, "16xlarge"),
    "m6i": (4, "32xlarge"),
    "m6id": (4, "32xlarge"),
    "m7g": (4, "16xlarge"),
    "m7i": (4, "48xlarge"),
    "r5": (8, "24xlarge"),
    "r5b": (8, "24xlarge"),
    "r5d": (8, "24xlarge"),
    "r6g": (8, "16xlarge"),
    "r6gd": (8, "16xlarge"),
    "r6i": (8, "32xlarge"),
    "r6id": (8, "32xlarge"),
    "r7g": (8, "16xlarge"),
    "r7i": (8, "48xlarge"),
    "x2g": (16, "16xlarge"),
}
RDS_CLASS_FAMILIES = tuple(FAMILIES)


def _table() -> dict:
    table = {}
    for family, shape in FAMILIES.items():
        if shape is None:
            for size, (vcpus, memory) in _BURSTABLE_SIZES.items():
                table[f"db.{family}.{size}"] = {"vcpus": vcpus, "memory_gib": memory, "burstable": True}
            continue
        per_vcpu, largest = shape
        for size, vcpus in _SIZES.items():
            table[f"db.{family}.{size}"] = {"vcpus": vcpus, "memory_gib": vcpus * per_vcpu, "burstable": False}
            if size == largest:
                break
    return table


# class -> {vcpus, memory_gib, burstable}: the ONE list of the classes the collection accepts.
CLASSES = _table()
RDS_CLASS_RE = re.compile(r"^db\.([a-z0-9]+)\.(micro|small|medium|large|xlarge|\d+xlarge)$")
RDS_MIN_STORAGE_GIB = 20  # gp3 for MySQL
# A MySQL major.minor.patch version of a major the collection supports (its parameters checked for that major).
RDS_ENGINE_VERSION_RE = re.compile(r"^(8\.0|8\.4)\.\d+$")
# The last day of RDS standard support of each major (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/
# MySQL.Concepts.VersionMgmt.html, "Release calendars for major engine versions", read 2026-12). After it, an
# instance runs in paid RDS Extended Support (per vCPU-hour) until upgraded. 5.7 (2024-02-29) is not offered.
STANDARD_SUPPORT_ENDS = {"8.0": date(2026, 7, 31), "8.4": date(2029, 7, 31)}
# Classes on which AWS recommends Performance Schema off (its memory on 1-2 GiB instances) and Performance
# Insights, hence Database Insights' advanced mode, is not offered.
SMALL_SIZES = ("micro", "small")
DATABASE_INSIGHTS_MODES = ("standard", "advanced")
# Advanced mode needs Performance Insights kept 15 months (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/
# USER_DatabaseInsights.Considerations.html).
ADVANCED_RETENTION_DAYS = 465
BACKUP_WINDOW_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")
MAINTENANCE_WINDOW_RE = re.compile(
    r"^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$"
)
# MySQL's default max_connections on RDS: {DBInstanceClassMemory/12582880}.
MAX_CONNECTIONS_DIVISOR = 12582880
APP_USERNAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,25}$")
ROTATION_SCHEDULE_RE = re.compile(r"^(rate\([1-9][0-9]* days?\)|cron\(.+\))$")


def max_connections(instance_class: str) -> int:
    """The default max_connections of ``instance_class`` (0 for a class the table does not know)."""
    spec = CLASSES.get(str(instance_class))
    return int(spec["memory_gib"] * 2**30 / MAX_CONNECTIONS_DIVISOR) if spec else 0


def is_burstable(instance_class: str) -> bool:
    spec = CLASSES.get(str(instance_class))
    return bool(spec and spec["burstable"])


def class_errors(instance_class, variable: str = "rds_instance_class") -> list[str]:
    match = RDS_CLASS_RE.match(str(instance_class))
    if not match:
        return [f"{variable} {instance_class!r} is not an instance class such as db.t4g.micro"]
    if match.group(1) not in FAMILIES:
        return [
            f"{variable} {instance_class}: unknown family {match.group(1)!r} for MySQL (known: {', '.join(FAMILIES)})"
        ]
    if instance_class not in CLASSES:
        sizes = [name.split(".")[2] for name in CLASSES if name.split(".")[1] == match.group(1)]
        return [f"{variable} {instance_class}: db.{match.group(1)} comes in {', '.join(sizes)}"]
    return []


def rds_input_errors(
    instance_class,
    retention_days,
    multi_az,
    az_count,
    storage_gib,
    max_storage_gib,
    engine_version,
    replica_enabled=False,
) -> list[str]:
    """Errors in the ``rds_*`` sizing inputs, each naming the variable (``az_count``: the network's, or None)."""
    errors = class_errors(instance_class)
    if not _int_between(retention_days, 0, 35):
        errors.append(f"rds_backup_retention_days {retention_days!r} must be between 0 and 35")
    elif replica_enabled and int(retention_days) < 1:
        errors.append(
            "rds_backup_retention_days must be at least 1 with rds_read_replica_enabled (replicas need backups)"
        )
    if multi_az and az_count is not None and int(az_count) < 2:
        errors.append(f"rds_multi_az needs data subnets in two AZs; the network tier has {az_count}")
    if not _int_between(storage_gib, RDS_MIN_STORAGE_GIB, 65536):
        errors.append(
            f"rds_allocated_storage {storage_gib!r} must be between {RDS_MIN_STORAGE_GIB} and 65536 GiB (gp3 minimum)"
        )
    elif not _int_between(max_storage_gib, int(storage_gib), 65536):
        errors.append(
            f"rds_max_allocated_storage {max_storage_gib!r} must be at least rds_allocated_storage ({storage_gib})"
        )
    if not RDS_ENGINE_VERSION_RE.match(str(engine_version)):
        errors.append(f"rds_engine_version {engine_version!r} is not a MySQL 8.4 (or 8.0) version such as 8.4.7")
    return errors


def engine_major(engine_version) -> str:
    """``8.4`` of ``8.4.7`` ('' when it is no version)."""
    parts = str(engine_version).split(".")
    return ".".join(parts[:2]) if len(parts) == 3 else ""


def parameter_family(engine_version) -> str:
    """The DB parameter group family of a MySQL version: ``mysql8.4``."""
    return f"mysql{engine_major(engine_version)}"


def in_extended_support(engine_version, today: date | None = None) -> bool:
    """Whether an instance of ``engine_version`` runs (and is billed) in RDS Extended Support on ``today``."""
    ends = STANDARD_SUPPORT_ENDS.get(engine_major(engine_version))
    return bool(ends) and (today or date.today()) > ends


def _today(inputs: dict) -> date:
    value = inputs.get("today")
    return date.fromisoformat(str(value)) if value else date.today()


def engine_errors(inputs: dict) -> list[str]:
    """The engine's support window, Database Insights and the windows' syntax, each naming its variable."""
    out = []
    version = inputs.get("engine_version")
    major = engine_major(version)
    supported = RDS_ENGINE_VERSION_RE.match(str(version))
    if supported and in_extended_support(version, _today(inputs)) and not inputs.get("allow_extended_support"):
        out.append(
            f"rds_engine_version {version}: MySQL {major} left RDS standard support on "
            f"{STANDARD_SUPPORT_ENDS[major].isoformat()}; a new or kept instance is billed RDS Extended Support "
            "per vCPU-hour. Upgrade to MySQL 8.4 (rds_engine_version 8.4.x) or set "
            "rds_allow_extended_support: true to accept the charge (the cost estimate prices it)"
        )
    if inputs.get("performance_insights_enabled") not in (None, ""):
        out.append(
            "rds_performance_insights_enabled is replaced by rds_database_insights_mode (standard or advanced): "
            "Performance Insights' own console ended on 2026-07-31; remove the old variable and set the new one"
        )
    mode = inputs.get("database_insights_mode", "standard")
    if mode not in DATABASE_INSIGHTS_MODES:
        out.append(f"rds_database_insights_mode {mode!r} must be standard or advanced")
    elif mode == "advanced" and is_small(inputs.get("instance_class", "")):
        out.append(
            f"rds_database_insights_mode advanced needs Performance Insights, which {inputs.get('instance_class')} "
            "(rds_instance_class) does not offer: choose a medium or larger class, or the standard mode"
        )
    backup = str(inputs.get("backup_window", "02:00-02:30"))
    if not BACKUP_WINDOW_RE.match(backup):
        out.append(f"rds_backup_window {backup!r} must be hh24:mi-hh24:mi in UTC, such as 12:00-12:30")
    maintenance = str(inputs.get("maintenance_window", "sun:03:00-sun:04:00"))
    if not MAINTENANCE_WINDOW_RE.match(maintenance):
        out.append(
            f"rds_maintenance_window {maintenance!r} must be ddd:hh24:mi-ddd:hh24:mi in UTC, "
            "such as tue:13:00-tue:14:00"
        )
    elif BACKUP_WINDOW_RE.match(backup) and windows_overlap(backup, maintenance):
        out.append(
            f"rds_backup_window {backup!r} and rds_maintenance_window {maintenance!r} overlap (or touch), which RDS "
            "refuses: leave a gap between them"
        )
    return out


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def windows_overlap(backup: str, maintenance: str) -> bool:
    """Whether the daily ``hh:mi-hh:mi`` backup window meets the weekly ``ddd:hh:mi-ddd:hh:mi`` maintenance window.

    Both are closed intervals (a window ending when the other starts counts: the emulator refuses it as RDS may).
    """
    b = BACKUP_WINDOW_RE.match(backup).groups()
    m = MAINTENANCE_WINDOW_RE.match(maintenance).groups()
    week = 7 * 1440
    b_start, b_end = int(b[0]) * 60 + int(b[1]), int(b[2]) * 60 + int(b[3])
    m_start = DAYS.index(m[0]) * 1440 + int(m[1]) * 60 + int(m[2])
    m_end = DAYS.index(m[3]) * 1440 + int(m[4]) * 60 + int(m[5])
    m_len = (m_end - m_start) % week
    b_len = (b_end - b_start) % 1440
    for day in range(7):
        start = day * 1440 + b_start
        # the two closed intervals on the weekly circle meet when either start lies within the other interval
        if (start - m_start) % week <= m_len or (m_start - start) % week <= b_len:
            return True
    return False


def is_small(instance_class) -> bool:
    """A micro or small class (``db.t4g.micro``): 1-2 GiB, no Performance Insights, Performance Schema off."""
    return str(instance_class).rsplit(".", maxsplit=1)[-1] in SMALL_SIZES


def performance_schema(instance_class) -> int:
    """Performance Schema on, except on micro and small classes where AWS recommends it off (memory)."""
    return 0 if is_small(instance_class) else 1


# DB states in which the bootstrap Lambda cannot reach MySQL. Outside production the cost tier's DB scheduler stops
# the instance out of business hours; a converge then reports and defers the bootstrap (idempotent, it runs on
# every converge) instead of starting the DB: starting takes minutes, and the DB would then run, billed, until the
# next scheduled stop at the end of the next business day.
STOPPED_STATES = ("stopped", "stopping", "starting")


def bootstrap_deferral(instance: dict | None) -> str:
    """Why the bootstrap Lambda must not run now ('' when it may): the DB is stopped, stopping or starting."""
    status = str((instance or {}).get("db_instance_status", ""))
    if status not in STOPPED_STATES:
        return ""
    return (
        f"the DB instance is {status} (outside production the DB scheduler stops it out of business hours): the "
        "bootstrap is deferred to the next converge while the DB runs; nothing else changes"
    )


def errors(inputs: dict) -> list[str]:
    """Errors in the data tier's inputs, each naming its variable.

    inputs: instance_class, backup_retention_days, multi_az, allocated_storage, max_allocated_storage,
    engine_version, read_replica_enabled, read_replica_instance_class, app_username, rotation_schedule, and
    ``network_az_count`` (the network tier's plan, None when it has none).
    """
    out = rds_input_errors(
        inputs.get("instance_class"),
        inputs.get("backup_retention_days"),
        bool(inputs.get("multi_az")),
        inputs.get("network_az_count"),
        inputs.get("allocated_storage"),
        inputs.get("max_allocated_storage"),
        inputs.get("engine_version"),
        bool(inputs.get("read_replica_enabled")),
    )
    replica_class = inputs.get("read_replica_instance_class")
    if inputs.get("read_replica_enabled") and replica_class and replica_class != inputs.get("instance_class"):
        out.extend(class_errors(replica_class, "rds_read_replica_instance_class"))
    username = str(inputs.get("app_username", ""))
    if not APP_USERNAME_RE.match(username) or username.endswith("_clone"):
        out.append(
            f"rds_app_username {username} must be 1-26 letters, digits or underscores, start with a letter and not "
            "end in _clone (rotation alternates it with <name>_clone, within the 32 characters MySQL allows)"
        )
    schedule = str(inputs.get("rotation_schedule", ""))
    if not ROTATION_SCHEDULE_RE.match(schedule):
        out.append(f"wordpress_aws_db_rotation_schedule {schedule} must be rate(N days) or cron(...)")
    out.extend(engine_errors(inputs))
    return out


def derive(inputs: dict) -> dict:
    """What the data tier builds for valid inputs."""
    instance_class = str(inputs["instance_class"])
    replica = bool(inputs.get("read_replica_enabled"))
    return {
        "instance_class": instance_class,
        "replica_instance_class": str(inputs.get("read_replica_instance_class") or instance_class),
        "multi_az": bool(inputs.get("multi_az")),
        "replica": replica,
        "storage_gib": int(inputs["allocated_storage"]),
        "backup_retention_days": int(inputs["backup_retention_days"]),
        "memory_gib": CLASSES[instance_class]["memory_gib"],
        "max_connections": max_connections(instance_class),
        "burstable": is_burstable(instance_class),
        # the application user's and the salts' secrets, and the master user's secret RDS manages
        "secrets": 3,
        # the DB bootstrap and the rotation Lambdas (monitoring alarms on each one's errors and throttles)
        "lambda_functions": 2,
        "engine_version": str(inputs["engine_version"]),
        "parameter_family": parameter_family(inputs["engine_version"]),
        # billed per vCPU-hour of every instance (primary, standby, replica) while the major is past standard support
        "extended_support": in_extended_support(inputs["engine_version"], _today(inputs)),
        "vcpus": CLASSES[instance_class]["vcpus"],
        "replica_vcpus": CLASSES.get(str(inputs.get("read_replica_instance_class") or instance_class), {}).get(
            "vcpus", CLASSES[instance_class]["vcpus"]
        ),
        "database_insights_mode": str(inputs.get("database_insights_mode", "standard")),
        "performance_insights_retention_days": ADVANCED_RETENTION_DAYS
        if inputs.get("database_insights_mode") == "advanced"
        else 7,
        "performance_schema": performance_schema(instance_class),
        # the hours the DB must be running for (the cost tier checks them against the DB scheduler's hours)
        "backup_window": str(inputs.get("backup_window", "02:00-02:30")),
        "maintenance_window": str(inputs.get("maintenance_window", "sun:03:00-sun:04:00")),
        "rotation_schedule": str(inputs.get("rotation_schedule", "")),
        "rotation_window": str(inputs.get("rotation_window", "")),
    }
