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


def test_teardown_waits_for_lambda_to_release_its_interfaces_before_deleting_groups_and_subnets():
    """AWS keeps a deleted VPC Lambda's interfaces up to 45 minutes: the groups and subnets wait for them."""
    tasks = yaml.safe_load((ROOT / "roles/vpc/tasks/teardown.yml").read_text())
    modules = [next(key for key in task if "." in key and key != "ansible.builtin.import_role") for task in tasks[1:]]
    wait = modules.index("techblogpro.wordpress_aws.lambda_eni_wait")
    assert wait < modules.index("amazon.aws.ec2_security_group")
    assert wait < modules.index("amazon.aws.ec2_vpc_subnet")
    task = tasks[1 + wait]
    # Progress shown (one retry line per round), for 45 minutes in all.
    assert task["until"] == "__vpc_teardown_lambda_enis.release.released"
    assert task["retries"] * task["techblogpro.wordpress_aws.lambda_eni_wait"]["timeout"] >= 45 * 60
