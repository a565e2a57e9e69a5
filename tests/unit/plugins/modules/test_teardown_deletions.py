"""ec2_route_table_deletion and elb_load_balancer_deletion: the teardown survives lost delete answers."""

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ec2_route_table_deletion
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import elb_load_balancer_deletion

from .conftest import vpc_with_subnets


def _route_table(ec2):
    vpc, subnets = vpc_with_subnets(ec2, "10.7", "ab")
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    for subnet in subnets:
        ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
    main = next(
        t["RouteTableId"]
        for t in ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"]
        if any(a.get("Main") for a in t.get("Associations", []))
    )
    return table, main


def _tables(ec2, table):
    return [t["RouteTableId"] for t in ec2.describe_route_tables()["RouteTables"] if t["RouteTableId"] == table]


def test_route_tables_are_disassociated_and_deleted_once_and_the_main_one_is_left(aws, run_module):
    ec2 = aws("ec2")
    table, main = _route_table(ec2)
    args = {"route_table_ids": [table, main, "rtb-0000000000000000f"]}
    planned = run_module(ec2_route_table_deletion, args, check_mode=True)
    assert planned["changed"] and planned["changes"][-1] == f"deleted {table}" and len(planned["changes"]) == 3
    assert _tables(ec2, table) == [table]
    result = run_module(ec2_route_table_deletion, args)
    assert result["changed"] and [t["id"] for t in result["route_tables"]] == [table]
    assert _tables(ec2, table) == [] and _tables(ec2, main) == [main]
    assert run_module(ec2_route_table_deletion, args)["changed"] is False


def test_lost_disassociate_and_delete_answers_are_deletions_done(aws, run_module, lost_answer):
    """amazon.aws.ec2_vpc_route_table fails here on InvalidAssociationID.NotFound (seen through the fault front)."""
    ec2 = aws("ec2")
    table, _main = _route_table(ec2)
    calls = lost_answer("DisassociateRouteTable")
    result = run_module(ec2_route_table_deletion, {"route_table_ids": [table]})
    assert result.get("failed") is not True, result
    assert len(calls) == 3  # the lost one, its resend (NotFound), the second association
    assert _tables(ec2, table) == []
    table, _main = _route_table(aws("ec2"))
    calls = lost_answer("DeleteRouteTable")
    result = run_module(ec2_route_table_deletion, {"route_table_ids": [table]})
    assert result.get("failed") is not True, result
    assert len(calls) == 2 and _tables(ec2, table) == []


def test_the_load_balancer_goes_with_its_listeners_then_the_target_group(aws, run_module, alb):
    elb = alb["elb"]
    elb.modify_load_balancer_attributes(
        LoadBalancerArn=alb["lb"], Attributes=[{"Key": "deletion_protection.enabled", "Value": "true"}]
    )
    args = {"name": "s-alb", "target_groups": ["s-tg"], "wait_timeout": 30}
    planned = run_module(elb_load_balancer_deletion, args, check_mode=True)
    assert planned["changes"] == [
        "turned deletion protection off",
        "deleted load balancer s-alb",
        "deleted target group s-tg",
    ]
    assert len(elb.describe_load_balancers()["LoadBalancers"]) == 1
    result = run_module(elb_load_balancer_deletion, args)
    assert result["changed"] and result["changes"] == planned["changes"]
    assert elb.describe_load_balancers()["LoadBalancers"] == []
    assert elb.describe_target_groups()["TargetGroups"] == []
    assert run_module(elb_load_balancer_deletion, args)["changed"] is False


def test_lost_load_balancer_and_target_group_delete_answers_are_deletions_done(aws, run_module, alb, lost_answer):
    elb = alb["elb"]
    calls = lost_answer("DeleteLoadBalancer")
    result = run_module(elb_load_balancer_deletion, {"name": "s-alb", "wait_timeout": 30})
    assert result.get("failed") is not True, result
    assert len(calls) == 2 and elb.describe_load_balancers()["LoadBalancers"] == []
    calls = lost_answer("DeleteTargetGroup")
    result = run_module(elb_load_balancer_deletion, {"name": "s-alb", "target_groups": ["s-tg"]})
    assert result.get("failed") is not True, result
    assert len(calls) == 2 and elb.describe_target_groups()["TargetGroups"] == []
