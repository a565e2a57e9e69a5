"""Fixtures shared by several module test files: AWS networks, an ALB and an ECS cluster built in moto."""

from __future__ import annotations

import json

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ecs_cluster
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ecs_task_definition

from .test_ecs_cluster import cluster_args
from .test_ecs_task_definition import td_args
from .test_elb_header_rule import VALUE


def vpc_with_subnets(ec2, prefix: str, azs: str) -> tuple[str, list[str]]:
    """A VPC ``<prefix>.0.0/16`` with a /24 subnet in each of ``azs`` (letters of eu-west-3's zones)."""
    vpc = ec2.create_vpc(CidrBlock=f"{prefix}.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"{prefix}.{i}.0/24", AvailabilityZone=f"eu-west-3{az}")["Subnet"][
            "SubnetId"
        ]
        for i, az in enumerate(azs, start=1)
    ]
    return vpc, subnets


@pytest.fixture
def service_env(aws, run_module):
    ec2 = aws("ec2")
    vpc, subnets = vpc_with_subnets(ec2, "10.2", "ab")
    sg = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]
    run_module(ecs_cluster, cluster_args())
    td = run_module(ecs_task_definition, td_args())["task_definition"]["task_definition_arn"]
    return {"subnets": subnets, "sg": sg, "td": td, "ecs": aws("ecs")}


@pytest.fixture
def net(aws):
    ec2 = aws("ec2")
    vpc, subnets = vpc_with_subnets(ec2, "10.1", "abc")
    groups = [ec2.create_security_group(GroupName=f"efs{i}", Description="efs", VpcId=vpc)["GroupId"] for i in (1, 2)]
    key = aws("kms").create_key()["KeyMetadata"]["Arn"]
    return {"subnets": subnets, "groups": groups, "key": key, "efs": aws("efs")}


@pytest.fixture
def alb(aws):
    ec2, elb, sm = aws("ec2"), aws("elbv2"), aws("secretsmanager")
    vpc, subnets = vpc_with_subnets(ec2, "10.3", "ab")
    lb = elb.create_load_balancer(Name="s-alb", Subnets=subnets, Type="application")["LoadBalancers"][0]
    tg = elb.create_target_group(Name="s-tg", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="ip")["TargetGroups"][0]
    forbidden = {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "403", "ContentType": "text/plain"}}
    listener = elb.create_listener(
        LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80, DefaultActions=[forbidden]
    )
    secret = sm.create_secret(
        Name="s/cloudfront/origin-verify",
        SecretString=json.dumps({"value": VALUE}),
        Tags=[{"Key": "wordpress_aws:stack", "Value": "s"}],
    )
    return {
        "elb": elb,
        "sm": sm,
        "lb": lb["LoadBalancerArn"],
        "listener": listener["Listeners"][0]["ListenerArn"],
        "tg": tg["TargetGroupArn"],
        "secret": secret,
    }


LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


@pytest.fixture
def role(aws):
    """The ARN of a Lambda execution role in moto (Lambda refuses a role that does not exist)."""
    return aws("iam").create_role(RoleName="s-fn", AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))["Role"]["Arn"]


@pytest.fixture
def lost_answer(monkeypatch):
    """``lost_answer("CreateRule")``: the first call of that operation is applied (moto does it), then its answer
    is lost - the client sees a 500 ``InternalFailure``, as through ``scripts/fault_front.py``. Returns the list of
    the operation's calls (their parameters); retry sleeps are instant. Where the emulator accepts a duplicate
    that AWS refuses, ``conflict="Code"`` answers the retry after the lost call with AWS's error instead."""
    from botocore.client import BaseClient
    from botocore.exceptions import ClientError

    real = BaseClient._make_api_call

    def lose(operation: str, times: int = 1, conflict: str | None = None) -> list:
        calls: list = []

        def call(self, name, params):
            if name != operation:
                return real(self, name, params)
            calls.append(params)
            if conflict and len(calls) == times + 1:
                error = {"Error": {"Code": conflict, "Message": "exists"}, "ResponseMetadata": {"HTTPStatusCode": 409}}
                raise ClientError(error, name)
            answer = real(self, name, params)
            if len(calls) <= times:
                error = {
                    "Error": {"Code": "InternalFailure", "Message": "lost"},
                    "ResponseMetadata": {"HTTPStatusCode": 500},
                }
                raise ClientError(error, name)
            return answer

        monkeypatch.setattr(BaseClient, "_make_api_call", call)
        return calls

    monkeypatch.setattr("time.sleep", lambda _s: None)
    return lose
