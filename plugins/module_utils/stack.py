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


# ---- application tier ---------------------------------------------------------------------------

# The retention periods CloudWatch Logs accepts, in days.
LOG_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)

# Fargate's CPU units and the memory (MiB) each allows: (low, high, step).
FARGATE_MEMORY = {
    256: [(512, 512, 1), (1024, 2048, 1024)],
    512: [(1024, 4096, 1024)],
    1024: [(2048, 8192, 1024)],
    2048: [(4096, 16384, 1024)],
    4096: [(8192, 30720, 1024)],
    8192: [(16384, 61440, 4096)],
    16384: [(32768, 122880, 8192)],
}
# name[:tag][@digest] with an optional registry host; lower-case repository path as Docker requires.
IMAGE_RE = re.compile(
    r"^(?:(?P<registry>[a-zA-Z0-9.-]+(?::[0-9]+)?)/)?"
    r"(?P<repository>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
    r"(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?"
    r"(?:@(?P<digest>sha256:[a-f0-9]{64}))?$"
)
ACM_ARN_RE = re.compile(r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]{36}$")
SITE_URL_RE = re.compile(r"^https?://[a-z0-9.-]+(?::\d+)?$")


def fargate_memory_choices(cpu: int) -> list[int]:
    return [m for low, high, step in FARGATE_MEMORY.get(cpu, []) for m in range(low, high + 1, step)]


def image_errors(image) -> list[str]:
    match = IMAGE_RE.match(str(image))
    if not match or len(str(image)) > 255:
        return [
            f"ecs_wordpress_image {image!r} is not an image reference such as wordpress:6.8.3-php8.3-apache "
            "(lower-case repository, optional registry, :tag or @sha256:digest)"
        ]
    if not match.group("tag") and not match.group("digest"):
        return [f"ecs_wordpress_image {image!r} has no tag: pin a version (e.g. wordpress:6.8.3-php8.3-apache)"]
    if match.group("tag") == "latest" and not match.group("digest"):
        return [
            f"ecs_wordpress_image {image!r}: 'latest' is not a pin; name a version so every task runs the same code"
        ]
    return []


def ecs_input_errors(inputs: dict, resource_prefix: str = "") -> list[str]:
    """Errors in the ``ecs_wordpress_*`` inputs that argument specs cannot express, each naming the variable."""
    errors = []
    ints = {}
    for name in (
        "cpu",
        "memory",
        "desired_count",
        "min_count",
        "max_count",
        "ondemand_base",
        "ondemand_weight",
        "spot_weight",
        "scale_in_cooldown",
        "scale_out_cooldown",
        "log_retention_days",
        "health_check_grace_period",
        "deregistration_delay",
    ):
        value = inputs.get(name)
        try:
            ints[name] = int(str(value).strip())
        except (TypeError, ValueError):
            errors.append(f"ecs_wordpress_{name} {value!r} must be a whole number")
    errors.extend(image_errors(inputs.get("image", "")))
    if errors:
        return errors
    cpu, memory = ints["cpu"], ints["memory"]
    if cpu not in FARGATE_MEMORY:
        errors.append(
            f"ecs_wordpress_cpu {cpu} is not a Fargate size (choose from {', '.join(map(str, FARGATE_MEMORY))})"
        )
    elif memory not in fargate_memory_choices(cpu):
        low, high = fargate_memory_choices(cpu)[0], fargate_memory_choices(cpu)[-1]
        errors.append(
            f"ecs_wordpress_memory {memory} MiB is not offered by Fargate with ecs_wordpress_cpu {cpu} "
            f"(from {low} to {high} MiB in steps of {FARGATE_MEMORY[cpu][-1][2]})"
        )
    for name in ("min_count", "max_count", "desired_count", "ondemand_base", "ondemand_weight", "spot_weight"):
        if ints[name] < 0:
            errors.append(f"ecs_wordpress_{name} {ints[name]} must not be negative")
    if ints["ondemand_weight"] > 1000 or ints["spot_weight"] > 1000:
        errors.append("ecs_wordpress_ondemand_weight and ecs_wordpress_spot_weight must be at most 1000")
    if ints["ondemand_base"] > 100000:
        errors.append("ecs_wordpress_ondemand_base must be at most 100000")
    if ints["max_count"] < 1 or ints["max_count"] < ints["min_count"]:
        errors.append(
            f"ecs_wordpress_max_count {ints['max_count']} must be at least 1 and at least "
            f"ecs_wordpress_min_count ({ints['min_count']})"
        )
    if not ints["min_count"] <= ints["desired_count"] <= ints["max_count"]:
        errors.append(
            f"ecs_wordpress_desired_count {ints['desired_count']} must be between ecs_wordpress_min_count "
            f"({ints['min_count']}) and ecs_wordpress_max_count ({ints['max_count']})"
        )
    if ints["ondemand_weight"] == 0 and ints["spot_weight"] == 0:
        errors.append("one of ecs_wordpress_ondemand_weight and ecs_wordpress_spot_weight must be above 0")
    arch = str(inputs.get("cpu_architecture", "X86_64"))
    if arch not in ("X86_64", "ARM64"):
        errors.append(f"ecs_wordpress_cpu_architecture {arch!r} must be X86_64 or ARM64")
    elif arch == "ARM64" and ints["spot_weight"] > 0:
        errors.append(
            f"ecs_wordpress_cpu_architecture ARM64 with ecs_wordpress_spot_weight {ints['spot_weight']}: "
            "Fargate Spot runs only X86_64 tasks. Set ecs_wordpress_spot_weight: 0 and "
            "ecs_wordpress_ondemand_weight: 1 for Graviton on-demand (cheaper than x86 on-demand, dearer than "
            "Spot), or keep X86_64 to use Spot"
        )
    if ints["scale_in_cooldown"] <= ints["scale_out_cooldown"]:
        errors.append(
            f"ecs_wordpress_scale_in_cooldown ({ints['scale_in_cooldown']} s) must be longer than "
            f"ecs_wordpress_scale_out_cooldown ({ints['scale_out_cooldown']} s): scale out fast, scale in slowly"
        )
    for name in ("scale_in_cooldown", "scale_out_cooldown"):
        if not 0 <= ints[name] <= 3600:
            errors.append(f"ecs_wordpress_{name} {ints[name]} must be between 0 and 3600 seconds")
    if ints["log_retention_days"] not in LOG_RETENTION_DAYS:
        errors.append(
            f"ecs_wordpress_log_retention_days {ints['log_retention_days']} is not a CloudWatch Logs retention "
            f"({', '.join(map(str, LOG_RETENTION_DAYS))})"
        )
    if not 0 <= ints["health_check_grace_period"] <= 2147483647:
        errors.append("ecs_wordpress_health_check_grace_period must not be negative")
    if not 0 <= ints["deregistration_delay"] <= 3600:
        errors.append(f"ecs_wordpress_deregistration_delay {ints['deregistration_delay']} must be 0-3600 seconds")
    cert = inputs.get("certificate_arn") or ""
    if cert and not ACM_ARN_RE.match(str(cert)):
        errors.append(f"ecs_wordpress_certificate_arn {cert!r} is not an ACM certificate ARN")
    url = inputs.get("site_url") or ""
    if url and not SITE_URL_RE.match(str(url)):
        errors.append(f"ecs_wordpress_site_url {url!r} must be a scheme and host such as https://www.example.com")
    if resource_prefix and len(resource_prefix) + len("-wordpress") > 32:
        errors.append(
            f"wordpress_aws_stack_name {resource_prefix!r} is too long for the load balancer and target group names "
            "(at most 22 characters)"
        )
    return errors
