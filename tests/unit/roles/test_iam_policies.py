"""The VPC Lambdas' and the flow logs' roles, rendered from the role templates: each has what its service calls."""

from __future__ import annotations

import pytest

from .conftest import ACCOUNT
from .conftest import REGION
from .conftest import statements

# What AWS's AWSLambdaVPCAccessExecutionRole grants a function attached to a VPC.
LAMBDA_VPC_ACCESS = {
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
}


def actions(policy) -> set:
    found = set()
    for statement in policy["Statement"]:
        found.update(statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]])
    return found


@pytest.mark.parametrize("template", ["bootstrap_policy.json.j2", "rotation_policy.json.j2"])
def test_the_vpc_lambdas_may_do_what_lambda_does_for_a_vpc_function(render, template):
    policy = render(
        "rds",
        template,
        __rds_account_id=ACCOUNT,
        __rds_partition="aws",
        __rds_key_arn=f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k",
        __rds_master_secret_arn=f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:rds!db-1",
        __rds_app_secret_result={"secret": {"arn": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:blog/db/app-x"}},
    )
    assert set(statements(policy)["AttachToTheVpc"]["Action"]) == LAMBDA_VPC_ACCESS
    assert actions(policy) >= LAMBDA_VPC_ACCESS


def test_the_flow_logs_role_may_find_its_log_group_and_write_only_there(render):
    policy = render("vpc", "flow_logs_policy.json.j2", __vpc_account_id=ACCOUNT, __vpc_partition="aws")
    assert "logs:DescribeLogGroups" in actions(policy)
    write = statements(policy)["WriteTheStackFlowLogGroupOnly"]
    assert all(":log-group:/wordpress-aws/blog/vpc-flow-logs" in arn for arn in write["Resource"])
