"""Stack conventions: tags, input validation and the subnet plan."""

import ipaddress

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import stack
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import ecs_wordpress
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import foundation
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import rds
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import vpc as network

from .tiers.test_tiers import INPUTS


def test_stack_tags_carry_stack_environment_and_cost_allocation():
    tags = stack.stack_tags("techblog-prod", "production", "techblogpro", "web", {"owner": "ops"})
    assert tags["wordpress_aws:stack"] == "techblog-prod"
    assert tags["wordpress_aws:environment"] == "production"
    assert tags["wordpress_aws:project"] == "techblogpro"
    assert tags["wordpress_aws:cost-centre"] == "web"
    assert tags["wordpress_aws:managed-by"].startswith("ansible")
    assert tags["owner"] == "ops"


def test_extra_tags_cannot_override_the_stack_tag():
    tags = stack.stack_tags("a-stack", "dev", extra={"wordpress_aws:stack": "other"})
    assert tags["wordpress_aws:stack"] == "a-stack"


def test_valid_shared_inputs_have_no_errors():
    assert stack.stack_input_errors("techblog-local", "local", "eu-west-3", {"owner": "ops"}) == []


@pytest.mark.parametrize(
    ("args", "variable"),
    [
        (("", "local", "eu-west-3"), "wordpress_aws_stack_name must not be empty"),
        (("  ", "local", "eu-west-3"), "wordpress_aws_stack_name must not be empty"),
        (("Tech_Blog", "local", "eu-west-3"), "wordpress_aws_stack_name 'Tech_Blog'"),
        (("a" * 21, "local", "eu-west-3"), "wordpress_aws_stack_name"),
        (("blog-", "local", "eu-west-3"), "wordpress_aws_stack_name"),
        (("blog", "prod", "eu-west-3"), "wordpress_aws_environment 'prod' is not one of"),
        (("blog", "local", "europe"), "wordpress_aws_region 'europe'"),
    ],
)
def test_bad_shared_inputs_name_the_variable(args, variable):
    errors = stack.stack_input_errors(*args)
    assert any(variable in e for e in errors), errors


def test_reserved_extra_tag_prefixes_are_refused():
    errors = stack.stack_input_errors("blog", "dev", "eu-west-3", {"aws:foo": "x", "wordpress_aws:stack": "y"})
    assert len(errors) == 2
    assert all("reserved prefix" in e for e in errors)


def test_extra_tags_must_be_a_mapping():
    assert stack.stack_input_errors("blog", "dev", "eu-west-3", ["a"]) == [
        "wordpress_aws_extra_tags must be a mapping of tag keys to values"
    ]


def test_valid_vpc_inputs_have_no_errors():
    assert network.vpc_input_errors("10.40.0.0/16", 3, "production", 4, "per_az", ["a", "b", "c"]) == []


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"cidr": "10.40.0.300/16"}, "vpc_cidr '10.40.0.300/16' is not an IPv4 network"),
        ({"cidr": "10.40.1.0/16"}, "no host bits set"),
        ({"cidr": "not-a-cidr"}, "vpc_cidr 'not-a-cidr'"),
        ({"cidr": "8.8.0.0/16"}, "not a private"),
        ({"cidr": "10.0.0.0/8"}, "from /16 to /28"),
        ({"cidr": "10.40.0.0/24"}, "vpc_cidr 10.40.0.0/24 is too small"),
        ({"az_count": 1, "environment": "production"}, "vpc_az_count 1 in production: at least 2 AZs"),
        ({"az_count": 1}, "vpc_az_count 1: at least 2 AZs"),
        ({"az_count": 5}, "at most 4 AZs"),
        ({"az_count": 3, "available_azs": ["a", "b"]}, "the region offers only 2 available AZs"),
        ({"az_count": "three"}, "vpc_az_count 'three' is not a number"),
        ({"nat_mode": "both"}, "vpc_nat_mode 'both' is not one of"),
        ({"subnet_newbits": 3}, "vpc_subnet_newbits 3 gives 8 subnets"),
    ],
)
def test_bad_vpc_inputs_name_the_variable(kwargs, expected):
    args = {"cidr": "10.40.0.0/16", "az_count": 2, "environment": "local", "subnet_newbits": 4, "nat_mode": "single"}
    args.update(kwargs)
    errors = network.vpc_input_errors(**args)
    assert any(expected in e for e in errors), errors


def test_smallest_accepted_vpc_gives_26_subnets():
    assert network.vpc_input_errors("10.40.0.0/22", 2, "dev") == []
    plan = network.vpc_subnet_plan("10.40.0.0/22", ["a", "b"])
    assert {ipaddress.ip_network(s["cidr"]).prefixlen for s in plan} == {26}


def test_subnet_plan_is_disjoint_inside_the_vpc_and_one_per_tier_and_az():
    vpc = ipaddress.ip_network("10.40.0.0/16")
    plan = network.vpc_subnet_plan(str(vpc), ["eu-west-3a", "eu-west-3b", "eu-west-3c"])
    nets = [ipaddress.ip_network(s["cidr"]) for s in plan]
    assert len(plan) == 9
    assert all(n.subnet_of(vpc) for n in nets)
    assert all(not a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1 :])
    assert {(s["tier"], s["az"]) for s in plan} == {
        (t, az) for t in ("public", "app", "data") for az in ("eu-west-3a", "eu-west-3b", "eu-west-3c")
    }


def test_adding_an_az_never_renumbers_existing_subnets():
    two = network.vpc_subnet_plan("10.40.0.0/16", ["a", "b"])
    three = network.vpc_subnet_plan("10.40.0.0/16", ["a", "b", "c"])
    as_set = {(s["tier"], s["az"], s["cidr"]) for s in three}
    assert all((s["tier"], s["az"], s["cidr"]) in as_set for s in two)


def test_subnet_plan_known_cidrs():
    plan = network.vpc_subnet_plan("10.40.0.0/16", ["a", "b"])
    by_key = {(s["tier"], s["az"]): s["cidr"] for s in plan}
    assert by_key[("public", "a")] == "10.40.0.0/20"
    assert by_key[("app", "a")] == "10.40.64.0/20"
    assert by_key[("data", "b")] == "10.40.144.0/20"


def test_subnet_plan_refuses_too_many_azs():
    with pytest.raises(ValueError, match="at most 4"):
        network.vpc_subnet_plan("10.40.0.0/16", list("abcde"))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((6, 7, "cron(0 3 * * ? *)", "", "eu-west-3"), "foundation_kms_deletion_window_days 6"),
        ((7, 0, "cron(0 3 * * ? *)", "", "eu-west-3"), "foundation_backup_retention_days 0"),
        ((7, "7x", "cron(0 3 * * ? *)", "", "eu-west-3"), "foundation_backup_retention_days '7x'"),
        ((7, 7, "daily", "", "eu-west-3"), "foundation_backup_schedule 'daily'"),
        ((7, 7, "cron(0 3 * *)", "", "eu-west-3"), "foundation_backup_schedule"),
        ((7, 7, "rate(12 hours)", "eu-west-3", "eu-west-3"), "must differ from the stack region"),
        ((7, 7, "rate(12 hours)", "mars-1", "eu-west-3"), "foundation_backup_copy_region 'mars-1'"),
    ],
)
def test_bad_foundation_inputs_name_the_variable(args, expected):
    errors = foundation.foundation_input_errors(*args)
    assert any(expected in e for e in errors), errors


def test_good_foundation_inputs():
    assert foundation.foundation_input_errors(30, 35, "cron(0 3 * * ? *)", "eu-west-1", "eu-west-3") == []
    assert foundation.foundation_input_errors("7", "7", "rate(1 day)", "", "eu-west-3") == []


def test_production_teardown_needs_the_stack_name_as_confirmation():
    assert stack.teardown_errors("blog", "production", "") != []
    assert stack.teardown_errors("blog", "production", "other") != []
    assert stack.teardown_errors("blog", "production", "blog") == []
    assert stack.teardown_errors("blog", "staging", "") == []


def test_valid_rds_inputs():
    assert rds.rds_input_errors("db.t4g.micro", 1, False, 2, 20, 100, "8.0.39") == []
    assert rds.rds_input_errors("db.m7g.2xlarge", 35, True, 3, 100, 1000, "8.0.40", replica_enabled=True) == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("db.z9.large", 7, False, 2, 20, 100, "8.0.39"), "rds_instance_class db.z9.large: unknown family 'z9'"),
        (("t4g.micro", 7, False, 2, 20, 100, "8.0.39"), "rds_instance_class 't4g.micro' is not an instance class"),
        (("db.t4g.micro", 36, False, 2, 20, 100, "8.0.39"), "rds_backup_retention_days 36 must be between 0 and 35"),
        (("db.t4g.micro", -1, False, 2, 20, 100, "8.0.39"), "rds_backup_retention_days -1"),
        (
            ("db.t4g.micro", 7, True, 1, 20, 100, "8.0.39"),
            "rds_multi_az needs data subnets in two AZs; the network tier has 1",
        ),
        (("db.t4g.micro", 7, False, 2, 10, 100, "8.0.39"), "rds_allocated_storage 10 must be between 20 and 65536"),
        (("db.t4g.micro", 7, False, 2, 50, 30, "8.0.39"), "rds_max_allocated_storage 30 must be at least"),
        (("db.t4g.micro", 7, False, 2, 20, 100, "5.7.44"), "rds_engine_version '5.7.44'"),
    ],
)
def test_bad_rds_inputs_name_the_variable(args, expected):
    errors = rds.rds_input_errors(*args)
    assert any(expected in e for e in errors), errors


def test_replicas_need_backups():
    errors = rds.rds_input_errors("db.t4g.micro", 0, False, 2, 20, 100, "8.0.39", replica_enabled=True)
    assert errors == [
        "rds_backup_retention_days must be at least 1 with rds_read_replica_enabled (replicas need backups)"
    ]


# The local inventory's application inputs (ecs_input_errors takes the stack name as its second argument).
ECS_OK = INPUTS["ecs_wordpress"]


def test_ecs_inputs_of_every_inventory_shape_pass():
    assert ecs_wordpress.ecs_input_errors(ECS_OK, "techblog-local") == []
    graviton = {**ECS_OK, "cpu_architecture": "ARM64", "spot_weight": 0, "ondemand_weight": 1}
    assert ecs_wordpress.ecs_input_errors(graviton) == []
    # an image of the account's own ECR is pulled as written (ECR Public's cache cannot serve it)
    own = {"image": "123456789012.dkr.ecr.eu-west-3.amazonaws.com/wordpress@sha256:" + "a" * 64, "image_cache": False}
    assert ecs_wordpress.ecs_input_errors({**ECS_OK, **own}) == []
    assert "is not on ECR Public" in " ".join(ecs_wordpress.ecs_input_errors({**ECS_OK, **own, "image_cache": True}))


def test_ecs_stack_name_too_long_for_alb_names():
    assert "too long" in " ".join(ecs_wordpress.ecs_input_errors(ECS_OK, "a" * 23))
    assert ecs_wordpress.ecs_input_errors(ECS_OK, "a" * 22) == []
