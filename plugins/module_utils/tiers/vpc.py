# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The network tier (role ``vpc``): its per-environment profile, input rules, subnet plan and derived values."""

from __future__ import annotations

import ipaddress

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.validation import ipv4_network as _network
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.validation import whole_number

TIER = "vpc"
LABEL = "the network tier (vpc)"
NAT_MODES = ("single", "per_az")
# Subnet slots per tier: indices stay stable when the AZ count grows, so adding an AZ never renumbers.
TIERS = ("public", "app", "data")
AZ_SLOTS = 4
MIN_AZS = 2  # an ALB and an RDS subnet group both need two AZs
SMALLEST_SUBNET_PREFIX = 26  # 59 usable addresses: room for Fargate task ENIs, NAT and endpoints

# The defaults that differ by environment (roles/vpc/defaults/main.yml reads them through tier_profile).
PROFILES = {
    "local": {"az_count": 2, "nat_mode": "single", "flow_logs_retention_days": 30, "alb_ingress_ports": [80]},
    "dev": {"az_count": 2, "nat_mode": "single", "flow_logs_retention_days": 30, "alb_ingress_ports": [80]},
    "staging": {"az_count": 2, "nat_mode": "single", "flow_logs_retention_days": 30, "alb_ingress_ports": [443]},
    "production": {"az_count": 3, "nat_mode": "per_az", "flow_logs_retention_days": 365, "alb_ingress_ports": [443]},
}


def _int(value, variable: str, errors: list) -> int | None:
    """``value`` as an int, or None after adding the error naming ``variable`` to ``errors``."""
    try:
        return int(value)
    except (TypeError, ValueError):
        errors.append(f"{variable} {value!r} is not a number")
        return None


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
    az_count = _int(az_count, "vpc_az_count", errors)
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
    newbits = _int(subnet_newbits, "vpc_subnet_newbits", errors)
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


def vpc_subnets(cidr, azs, subnet_newbits, stack_name: str) -> list[dict]:
    """The stack's subnets as ``ec2_subnets`` takes them: :func:`vpc_subnet_plan` with each subnet's name and tier tags.

    No subnet assigns public addresses on launch (the ALB and NAT gateways get theirs from AWS).
    """
    return [
        {
            "cidr": subnet["cidr"],
            "az": subnet["az"],
            "map_public": False,
            "tags": {"Name": f"{stack_name}-{subnet['tier']}-{subnet['az']}", "wordpress_aws:tier": subnet["tier"]},
        }
        for subnet in vpc_subnet_plan(cidr, azs, subnet_newbits)
    ]


def errors(inputs: dict) -> list[str]:
    """Errors in the network inputs, each naming its variable.

    inputs: environment, cidr, az_count, subnet_newbits, nat_mode, interface_endpoints_enabled,
    interface_endpoint_services, and ``available_azs`` once the region's AZs are known.
    """
    return vpc_input_errors(
        inputs.get("cidr"),
        inputs.get("az_count"),
        inputs.get("environment"),
        inputs.get("subnet_newbits", 4),
        inputs.get("nat_mode", "single"),
        inputs.get("available_azs"),
    )


def partial(inputs: dict) -> dict:
    """What other tiers may read even when the inputs are wrong (the data tier checks Multi-AZ against it)."""
    return {"az_count": whole_number(inputs.get("az_count"))}


def derive(inputs: dict) -> dict:
    """What the network tier builds for valid inputs: AZs, NAT gateways, interface endpoint ENIs."""
    az_count = int(inputs["az_count"])
    nat_mode = inputs.get("nat_mode", "single")
    services = list(inputs.get("interface_endpoint_services") or [])
    enabled = bool(inputs.get("interface_endpoints_enabled"))
    return {
        "az_count": az_count,
        "nat_mode": nat_mode,
        "nat_gateways": az_count if nat_mode == "per_az" else 1,
        "interface_endpoint_services": services if enabled else [],
        # one ENI per service and AZ, each billed by the hour
        "interface_endpoints": len(services) * az_count if enabled else 0,
    }
