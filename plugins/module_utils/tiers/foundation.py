# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The foundation tier: its per-environment profile, input rules and derived values (the stack's KMS key, the
alert topic, the backup vault and plan)."""

from __future__ import annotations

import re

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.validation import REGION_RE
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.validation import int_between as _int_between

TIER = "foundation"
LABEL = "the foundation tier (foundation)"

PROFILES = {
    "local": {"backup_retention_days": 7},
    "dev": {"backup_retention_days": 7},
    "staging": {"backup_retention_days": 14},
    "production": {"backup_retention_days": 35},
}

SCHEDULE_RE = re.compile(r"^(cron\(\S+( \S+){5}\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$")


def foundation_input_errors(deletion_window_days, retention_days, schedule, copy_region, region) -> list[str]:
    """Errors in the ``foundation_*`` inputs that argument specs cannot express."""
    errors = []
    if not _int_between(deletion_window_days, 7, 30):
        errors.append(f"foundation_kms_deletion_window_days {deletion_window_days!r} must be between 7 and 30")
    if not _int_between(retention_days, 1, 36500):
        errors.append(f"foundation_backup_retention_days {retention_days!r} must be between 1 and 36500")
    if not isinstance(schedule, str) or not SCHEDULE_RE.match(schedule):
        errors.append(
            f"foundation_backup_schedule {schedule!r} is not a schedule expression "
            "such as cron(0 3 * * ? *) or rate(12 hours)"
        )
    if copy_region:
        if not isinstance(copy_region, str) or not REGION_RE.match(copy_region):
            errors.append(f"foundation_backup_copy_region {copy_region!r} is not an AWS region name")
        elif copy_region == region:
            errors.append(f"foundation_backup_copy_region {copy_region} must differ from the stack region")
    return errors


def errors(inputs: dict) -> list[str]:
    """inputs: kms_deletion_window_days, backup_retention_days, backup_schedule, backup_copy_region, region."""
    return foundation_input_errors(
        inputs.get("kms_deletion_window_days"),
        inputs.get("backup_retention_days"),
        inputs.get("backup_schedule"),
        inputs.get("backup_copy_region"),
        inputs.get("region"),
    )


def derive(inputs: dict) -> dict:
    return {
        # the stack's customer managed key (the edge tier has its own in us-east-1)
        "kms_keys": 1,
        "backup_copy_region": inputs.get("backup_copy_region") or "",
        "backup_retention_days": int(inputs["backup_retention_days"]),
    }
