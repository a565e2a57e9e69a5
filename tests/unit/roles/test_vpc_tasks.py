"""The VPC tier's subnets as its tasks declare them (the scan's "public IP on launch" finding)."""

from __future__ import annotations

import yaml

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import vpc

from .conftest import ROOT


def test_no_subnet_assigns_public_addresses_on_launch():
    """The ALB and the NAT gateways get their addresses from AWS; nothing launched in a subnet needs one."""
    tasks = yaml.safe_load((ROOT / "roles/vpc/tasks/network.yml").read_text())
    subnets = [
        task["techblogpro.wordpress_aws.ec2_subnets"]
        for task in tasks
        if "techblogpro.wordpress_aws.ec2_subnets" in task
    ]
    assert len(subnets) == 1, "the VPC tier declares its subnets in one task of network.yml"
    assert "techblogpro.wordpress_aws.vpc_subnets(" in subnets[0]["subnets"]
    plan = vpc.vpc_subnets("10.40.0.0/16", ["eu-west-3a", "eu-west-3b"], 4, "blog")
    assert len(plan) == 6
    assert all(subnet["map_public"] is False for subnet in plan)
    assert plan[0] == {
        "cidr": "10.40.0.0/20",
        "az": "eu-west-3a",
        "map_public": False,
        "tags": {"Name": "blog-public-eu-west-3a", "wordpress_aws:tier": "public"},
    }


def test_teardown_waits_for_lambda_to_release_its_interfaces_before_deleting_groups_and_subnets():
    """AWS keeps a deleted VPC Lambda's interfaces up to 45 minutes: the groups and subnets wait for them."""
    tasks = yaml.safe_load((ROOT / "roles/vpc/tasks/teardown.yml").read_text())
    modules = [next(key for key in task if "." in key and key != "ansible.builtin.import_role") for task in tasks[1:]]
    wait = modules.index("techblogpro.wordpress_aws.lambda_eni_wait")
    assert wait < modules.index("techblogpro.wordpress_aws.ec2_security_groups")
    assert wait < modules.index("techblogpro.wordpress_aws.ec2_subnets")
    assert "amazon.aws.ec2_security_group" not in modules and "amazon.aws.ec2_vpc_subnet" not in modules
    task = tasks[1 + wait]
    # Progress shown (one retry line per round), for 45 minutes in all.
    assert task["until"] == "__vpc_teardown_lambda_enis.release.released"
    assert task["retries"] * task["techblogpro.wordpress_aws.lambda_eni_wait"]["timeout"] >= 45 * 60


def test_the_network_tier_creates_nothing_through_upstream_modules_that_duplicate_after_a_lost_answer():
    """CreateVpc, CreateInternetGateway, CreateSubnet, CreateSecurityGroup and the rule calls have no token."""
    replaced = {
        "amazon.aws.ec2_vpc_net": "techblogpro.wordpress_aws.ec2_vpc",
        "amazon.aws.ec2_vpc_igw": "techblogpro.wordpress_aws.ec2_vpc",
        "amazon.aws.ec2_vpc_subnet": "techblogpro.wordpress_aws.ec2_subnets",
        "amazon.aws.ec2_security_group": "techblogpro.wordpress_aws.ec2_security_groups",
    }
    used = set()
    for name in ("network.yml", "security_groups.yml"):
        for task in yaml.safe_load((ROOT / "roles/vpc/tasks" / name).read_text()):
            used.update(key for key in task if "." in key)
    assert not used & set(replaced)
    assert set(replaced.values()) <= used
