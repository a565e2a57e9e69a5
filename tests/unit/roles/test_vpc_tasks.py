"""The VPC tier's subnets as its tasks declare them (the scan's "public IP on launch" finding)."""

from __future__ import annotations

import yaml

from .conftest import ROOT


def test_no_subnet_assigns_public_addresses_on_launch():
    """The ALB and the NAT gateways get their addresses from AWS; nothing launched in a subnet needs one."""
    tasks = yaml.safe_load((ROOT / "roles/vpc/tasks/network.yml").read_text())
    subnets = [task["amazon.aws.ec2_vpc_subnet"] for task in tasks if "amazon.aws.ec2_vpc_subnet" in task]
    assert subnets, "the VPC tier declares its subnets in network.yml"
    assert all(subnet.get("map_public") is False for subnet in subnets)
