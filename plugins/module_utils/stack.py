# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stack conventions shared by every role and module: tags, names and input validation.

Pure functions, no AWS calls: the filter plugin ``techblogpro.wordpress_aws.stack`` exposes them to
roles, and the unit tests call them directly.
"""

from __future__ import annotations

import ipaddress
import re

STACK_TAG_KEY = "wordpress_aws:stack"
ENVIRONMENTS = ("local", "dev", "staging", "production")
NAT_MODES = ("single", "per_az")
# Stack names end up in resource names with tight limits (ALB/target group names: 32 characters).
STACK_NAME_RE = re.compile(r"^[a-z][a-z0-9-]{1,18}[a-z0-9]$")
REGION_RE = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
# AWS tag limits: keys 1-128 characters, values 0-256, and the aws: prefix is reserved.
TAG_KEY_MAX = 128
TAG_VALUE_MAX = 256
MAX_TAGS = 50

# Subnet slots per tier: indices stay stable when the AZ count grows, so adding an AZ never renumbers.
TIERS = ("public", "app", "data")
AZ_SLOTS = 4
MIN_AZS = 2  # an ALB and an RDS subnet group both need two AZs
SMALLEST_SUBNET_PREFIX = 26  # 59 usable addresses: room for Fargate task ENIs, NAT and endpoints


def stack_tags(
    stack_name: str,
    environment: str,
    project: str = "",
    cost_centre: str = "",
    extra: dict | None = None,
) -> dict:
    """The tags every resource of the stack carries: the basis of discovery, audit, teardown, cost."""
    tags = dict(extra or {})
    tags.update(
        {
            STACK_TAG_KEY: stack_name,
            "wordpress_aws:environment": environment,
            "wordpress_aws:managed-by": "ansible-techblogpro.wordpress_aws",
        }
    )
    if project:
        tags["wordpress_aws:project"] = project
    if cost_centre:
        tags["wordpress_aws:cost-centre"] = cost_centre
    return tags


def stack_input_errors(
    stack_name,
    environment,
    region,
    extra_tags=None,
) -> list[str]:
    """Errors in the shared ``wordpress_aws_*`` inputs, each naming the variable."""
    errors = []
    if not isinstance(stack_name, str) or not stack_name.strip():
        errors.append("wordpress_aws_stack_name must not be empty")
    elif not STACK_NAME_RE.match(stack_name):
        errors.append(
            f"wordpress_aws_stack_name {stack_name!r} must be 3-20 characters of lowercase letters, digits and "
            "hyphens, start with a letter and end with a letter or digit (it prefixes resource names with "
            "tight length limits)"
        )
    if environment not in ENVIRONMENTS:
        errors.append(f"wordpress_aws_environment {environment!r} is not one of {', '.join(ENVIRONMENTS)}")
    if not isinstance(region, str) or not REGION_RE.match(region):
        errors.append(f"wordpress_aws_region {region!r} is not an AWS region name such as eu-west-3")
    if extra_tags is not None:
        if not isinstance(extra_tags, dict):
            errors.append("wordpress_aws_extra_tags must be a mapping of tag keys to values")
        else:
            if len(extra_tags) + 5 > MAX_TAGS:
                errors.append(
                    f"wordpress_aws_extra_tags has {len(extra_tags)} tags; AWS allows {MAX_TAGS - 5} besides ours"
                )
            for key, value in extra_tags.items():
                key_s = str(key)
                if not key_s or len(key_s) > TAG_KEY_MAX:
                    errors.append(f"wordpress_aws_extra_tags key {key_s!r} must be 1-{TAG_KEY_MAX} characters")
                elif key_s.lower().startswith("aws:") or key_s.startswith("wordpress_aws:"):
                    errors.append(
                        f"wordpress_aws_extra_tags key {key_s!r} uses a reserved prefix (aws:, wordpress_aws:)"
                    )
                if len(str(value)) > TAG_VALUE_MAX:
                    errors.append(
                        f"wordpress_aws_extra_tags value of {key_s!r} is longer than {TAG_VALUE_MAX} characters"
                    )
    return errors


def _network(cidr):
    try:
        net = ipaddress.ip_network(str(cidr), strict=True)
    except ValueError:
        return None
    return net if net.version == 4 else None


def vpc_input_errors(
    cidr,
    az_count,
    environment,
    subnet_newbits=4,
    nat_mode="single",
    available_azs=None,
) -> list[str]:
    """Errors in the ``vpc_*`` inputs that argument specs cannot express, each naming the variable."""
    errors = []
    net = _network(cidr)
    if net is None:
        errors.append(
            f"vpc_cidr {cidr!r} is not an IPv4 network in CIDR notation with no host bits set (e.g. 10.40.0.0/16)"
        )
    elif not net.is_private:
        errors.append(f"vpc_cidr {cidr} is not a private (RFC 1918) range")
    elif not 16 <= net.prefixlen <= 28:
        errors.append(f"vpc_cidr {cidr}: AWS accepts VPC sizes from /16 to /28")
    try:
        az_count = int(az_count)
    except (TypeError, ValueError):
        errors.append(f"vpc_az_count {az_count!r} is not a number")
        az_count = None
    if az_count is not None:
        if az_count < MIN_AZS:
            where = " in production" if environment == "production" else ""
            errors.append(
                f"vpc_az_count {az_count}{where}: at least {MIN_AZS} AZs are needed (the ALB and the RDS subnet "
                "group each span two AZs; Multi-AZ needs a standby AZ)"
            )
        elif az_count > AZ_SLOTS:
            errors.append(f"vpc_az_count {az_count}: at most {AZ_SLOTS} AZs are supported")
        elif available_azs is not None and az_count > len(available_azs):
            errors.append(
                f"vpc_az_count {az_count}: the region offers only {len(available_azs)} available AZs "
                f"({', '.join(available_azs)})"
            )
    if nat_mode not in NAT_MODES:
        errors.append(f"vpc_nat_mode {nat_mode!r} is not one of {', '.join(NAT_MODES)}")
    try:
        newbits = int(subnet_newbits)
    except (TypeError, ValueError):
        errors.append(f"vpc_subnet_newbits {subnet_newbits!r} is not a number")
        newbits = None
    if net is not None and newbits is not None and not errors:
        slots_needed = len(TIERS) * AZ_SLOTS
        if 2**newbits < slots_needed:
            errors.append(
                f"vpc_subnet_newbits {newbits} gives {2**newbits} subnets; {slots_needed} slots are needed "
                f"({len(TIERS)} tiers x {AZ_SLOTS} AZ slots), so use at least 4"
            )
        elif net.prefixlen + newbits > SMALLEST_SUBNET_PREFIX:
            errors.append(
                f"vpc_cidr {cidr} is too small: with vpc_subnet_newbits {newbits} each subnet would be "
                f"/{net.prefixlen + newbits}, smaller than /{SMALLEST_SUBNET_PREFIX} "
                f"(use a /{SMALLEST_SUBNET_PREFIX - newbits} or larger VPC)"
            )
    return errors


def vpc_subnet_plan(cidr, azs, subnet_newbits=4) -> list[dict]:
    """The subnets of the stack: one per tier and AZ, at stable slot indices of the VPC range.

    Slot ``tier_index * 4 + az_index``: public 0-3, app 4-7, data 8-11. Raises ValueError on bad input.
    """
    net = ipaddress.ip_network(str(cidr), strict=True)
    blocks = list(net.subnets(new_prefix=net.prefixlen + int(subnet_newbits)))
    if len(blocks) < len(TIERS) * AZ_SLOTS:
        raise ValueError(f"{cidr} split by {subnet_newbits} bits has fewer than {len(TIERS) * AZ_SLOTS} subnets")
    if len(azs) > AZ_SLOTS:
        raise ValueError(f"at most {AZ_SLOTS} AZs are supported")
    plan = []
    for tier_index, tier in enumerate(TIERS):
        for az_index, az in enumerate(azs):
            plan.append(
                {
                    "tier": tier,
                    "az": az,
                    "az_index": az_index,
                    "cidr": str(blocks[tier_index * AZ_SLOTS + az_index]),
                }
            )
    return plan


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


def _int_between(value, low, high) -> bool:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return False
    return str(number) == str(value).strip() and low <= number <= high


def teardown_errors(stack_name, environment, confirm) -> list[str]:
    """Refuse to tear a production stack down unless the confirmation names it."""
    if environment == "production" and confirm != stack_name:
        return [
            f"wordpress_aws_confirm_teardown must equal the stack name ({stack_name}) to tear down the production "
            f"stack; it is {confirm!r}. Re-run with -e wordpress_aws_confirm_teardown={stack_name}"
        ]
    return []


# Instance class families offered for MySQL 8.0 on RDS (burstable, general purpose, memory optimised).
RDS_CLASS_FAMILIES = (
    "t3",
    "t4g",
    "m5",
    "m5d",
    "m6g",
    "m6gd",
    "m6i",
    "m6id",
    "m7g",
    "m7i",
    "r5",
    "r5b",
    "r5d",
    "r6g",
    "r6gd",
    "r6i",
    "r6id",
    "r7g",
    "r7i",
    "x2g",
)
RDS_CLASS_RE = re.compile(r"^db\.([a-z0-9]+)\.(micro|small|medium|large|xlarge|\d+xlarge)$")
RDS_MIN_STORAGE_GIB = 20  # gp3 for MySQL
RDS_ENGINE_VERSION_RE = re.compile(r"^8\.0\.\d+$")


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
    """Errors in the ``rds_*`` inputs that argument specs cannot express, each naming the variable."""
    errors = []
    match = RDS_CLASS_RE.match(str(instance_class))
    if not match:
        errors.append(f"rds_instance_class {instance_class!r} is not an instance class such as db.t4g.micro")
    elif match.group(1) not in RDS_CLASS_FAMILIES:
        errors.append(
            f"rds_instance_class {instance_class}: unknown family {match.group(1)!r} for MySQL 8.0 "
            f"(known: {', '.join(RDS_CLASS_FAMILIES)})"
        )
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
        errors.append(f"rds_engine_version {engine_version!r} is not a MySQL 8.0 version such as 8.0.39")
    return errors
