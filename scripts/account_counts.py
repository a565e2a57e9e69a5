"""Count what an emulator's account holds, per resource type, whatever its tags: the duplicate finder.

A lost answer to a create without an idempotency token (CreateVpc, CreateKey, AllocateAddress, ...) that is
retried blindly leaves a second resource, often untagged, which the stack's tag-based inventory never sees. This
counts every resource the stack's tiers create, by listing each API, in the stack region and in us-east-1 (the
edge tier), leaving out what the account has before any deploy (the default VPC, its subnets, group and gateway,
AWS-managed keys). Two runs that built the same stack give equal counts; a teardown leaves zeros.

    account_counts.py [--port P] [--region R]        print {type: count} as JSON (counts of zero included)

Test tool (scripts/ and benchmarks/fault_front.py use it); never product code.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from collections.abc import Iterable

import boto3
from botocore.config import Config

EDGE_REGION = "us-east-1"


# The emulator accepts any key; these are the ones the local inventory uses.
EMULATOR_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def _client(service: str, endpoint: str, region: str):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        **EMULATOR_KEYS,
        config=Config(retries={"mode": "standard", "max_attempts": 3}),
    )


def _pages(client, operation: str, key: str, **kwargs) -> list:
    out: list = []
    for page in client.get_paginator(operation).paginate(**kwargs):
        out.extend(page.get(key, []))
    return out


def _ec2(ec2) -> dict[str, int]:
    vpcs = [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")]
    in_stack = [{"Name": "vpc-id", "Values": vpcs}] if vpcs else None

    def scoped(operation: str, key: str) -> list:
        return _pages(ec2, operation, key, Filters=in_stack) if in_stack else []

    default_vpcs = {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v.get("IsDefault")}
    gateways = [
        g
        for g in ec2.describe_internet_gateways()["InternetGateways"]
        if not any(a["VpcId"] in default_vpcs for a in g.get("Attachments", []))
    ]
    return {
        "ec2:vpc": len(vpcs),
        "ec2:subnet": len(scoped("describe_subnets", "Subnets")),
        "ec2:security-group": len(
            [g for g in scoped("describe_security_groups", "SecurityGroups") if g["GroupName"] != "default"]
        ),
        "ec2:route-table": len(
            [
                t
                for t in scoped("describe_route_tables", "RouteTables")
                if not any(a.get("Main") for a in t.get("Associations", []))
            ]
        ),
        "ec2:internet-gateway": len(gateways),
        "ec2:elastic-ip": len(ec2.describe_addresses()["Addresses"]),
        "ec2:natgateway": len(
            [
                n
                for n in _pages(ec2, "describe_nat_gateways", "NatGateways")
                if n["State"] not in ("deleted", "deleting", "failed")
            ]
        ),
        "ec2:vpc-endpoint": len(
            [
                e
                for e in _pages(ec2, "describe_vpc_endpoints", "VpcEndpoints")
                if e["State"].lower() not in ("deleted", "deleting")
            ]
        ),
        "ec2:flow-log": len(_pages(ec2, "describe_flow_logs", "FlowLogs")),
    }


def _keys(kms) -> int:
    count = 0
    for key in _pages(kms, "list_keys", "Keys"):
        meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
        if meta.get("KeyManager") == "CUSTOMER" and meta.get("KeyState") not in (
            "PendingDeletion",
            "PendingReplicaDeletion",
        ):
            count += 1
    return count


def _safe(count: Callable[[], int]) -> int | None:
    """None where the emulator does not answer the list call (not every service is emulated)."""
    try:
        return count()
    except Exception:  # noqa: BLE001 - a test tool: an unanswered list is reported, not fatal
        return None


def _regional(endpoint: str, region: str) -> dict[str, int | None]:
    def c(service: str):
        return _client(service, endpoint, region)

    counts: dict[str, int | None] = {}
    counts["kms:key"] = _safe(lambda: _keys(c("kms")))
    counts["sns:topic"] = _safe(lambda: len(_pages(c("sns"), "list_topics", "Topics")))
    counts["logs:log-group"] = _safe(lambda: len(_pages(c("logs"), "describe_log_groups", "logGroups")))
    alarms = _safe(lambda: [a["AlarmName"] for a in _pages(c("cloudwatch"), "describe_alarms", "MetricAlarms")])
    # Application Auto Scaling owns its target-tracking alarms (it deletes them with their policy; the emulator
    # keeps a deregistered target's policies and so their alarms: docs/not-emulated.md): counted apart.
    owned = [name for name in alarms or [] if name.startswith("TargetTracking-")]
    counts["cloudwatch:alarm"] = None if alarms is None else len(alarms) - len(owned)
    counts["cloudwatch:alarm:target-tracking"] = None if alarms is None else len(owned)
    counts["events:rule"] = _safe(lambda: len(c("events").list_rules()["Rules"]))
    counts["secretsmanager:secret"] = _safe(lambda: len(_pages(c("secretsmanager"), "list_secrets", "SecretList")))
    counts["acm:certificate"] = _safe(lambda: len(_pages(c("acm"), "list_certificates", "CertificateSummaryList")))
    counts["lambda:function"] = _safe(lambda: len(_pages(c("lambda"), "list_functions", "Functions")))
    counts["wafv2:ip-set"] = _safe(lambda: len(c("wafv2").list_ip_sets(Scope="REGIONAL")["IPSets"]))
    counts["wafv2:webacl"] = _safe(lambda: len(c("wafv2").list_web_acls(Scope="REGIONAL")["WebACLs"]))
    counts["sns:subscription"] = _safe(lambda: len(_pages(c("sns"), "list_subscriptions", "Subscriptions")))
    counts["cloudwatch:dashboard"] = _safe(lambda: len(_pages(c("cloudwatch"), "list_dashboards", "DashboardEntries")))
    if region == EDGE_REGION:
        # Budgets answers in us-east-1 only, for the whole account.
        account = c("sts").get_caller_identity()["Account"]
        counts["budgets:budget"] = _safe(
            lambda: len(c("budgets").describe_budgets(AccountId=account).get("Budgets", []))
        )
        counts["wafv2:ip-set:cloudfront"] = _safe(lambda: len(c("wafv2").list_ip_sets(Scope="CLOUDFRONT")["IPSets"]))
        counts["wafv2:webacl:cloudfront"] = _safe(lambda: len(c("wafv2").list_web_acls(Scope="CLOUDFRONT")["WebACLs"]))
        return counts
    counts.update(_ec2(c("ec2")))
    rds = c("rds")
    counts["rds:db"] = _safe(lambda: len(_pages(rds, "describe_db_instances", "DBInstances")))
    counts["rds:pg"] = _safe(
        lambda: len(
            [
                g
                for g in _pages(rds, "describe_db_parameter_groups", "DBParameterGroups")
                if not g["DBParameterGroupName"].startswith("default.")
            ]
        )
    )
    counts["rds:snapshot"] = _safe(
        lambda: len(_pages(rds, "describe_db_snapshots", "DBSnapshots", SnapshotType="manual"))
    )
    counts["rds:subgrp"] = _safe(lambda: len(_pages(rds, "describe_db_subnet_groups", "DBSubnetGroups")))
    counts["rds:es"] = _safe(lambda: len(_pages(rds, "describe_event_subscriptions", "EventSubscriptionsList")))
    efs = c("efs")
    counts["elasticfilesystem:file-system"] = _safe(lambda: len(_pages(efs, "describe_file_systems", "FileSystems")))
    counts["elasticfilesystem:access-point"] = _safe(lambda: len(efs.describe_access_points()["AccessPoints"]))
    ecs = c("ecs")
    # Deleted clusters and services stay listed as INACTIVE for a while, on AWS as on the emulator.
    arns = _safe(lambda: ecs.list_clusters()["clusterArns"]) or []
    described = ecs.describe_clusters(clusters=arns)["clusters"] if arns else []
    clusters = [d["clusterArn"] for d in described if d["status"] == "ACTIVE"]
    counts["ecs:cluster"] = len(clusters)
    counts["ecs:service"] = 0
    for arn in clusters:
        services = ecs.list_services(cluster=arn)["serviceArns"]
        if services:
            found = ecs.describe_services(cluster=arn, services=services)["services"]
            counts["ecs:service"] += len([d for d in found if d["status"] != "INACTIVE"])
    counts["ecs:task-definition"] = _safe(
        lambda: len(_pages(ecs, "list_task_definitions", "taskDefinitionArns", status="ACTIVE"))
    )
    elb = c("elbv2")
    balancers = _safe(lambda: _pages(elb, "describe_load_balancers", "LoadBalancers")) or []
    counts["elasticloadbalancing:loadbalancer"] = len(balancers)
    counts["elasticloadbalancing:targetgroup"] = _safe(
        lambda: len(_pages(elb, "describe_target_groups", "TargetGroups"))
    )
    counts["elasticloadbalancing:rule"] = sum(
        len(elb.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"])
        for lb in balancers
        for listener in elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]
    )
    counts["backup:backup-vault"] = _safe(lambda: len(c("backup").list_backup_vaults()["BackupVaultList"]))
    counts["backup:backup-plan"] = _safe(lambda: len(c("backup").list_backup_plans()["BackupPlansList"]))
    counts["scheduler:schedule"] = _safe(lambda: len(c("scheduler").list_schedules()["Schedules"]))
    counts["cloudfront:distribution"] = _safe(
        lambda: len(c("cloudfront").list_distributions()["DistributionList"].get("Items", []))
    )
    counts["iam:role"] = _safe(lambda: len(_pages(c("iam"), "list_roles", "Roles")))
    counts["iam:policy"] = _safe(lambda: len(_pages(c("iam"), "list_policies", "Policies", Scope="Local")))
    scaling = c("application-autoscaling")
    counts["application-autoscaling:scalable-target"] = _safe(
        lambda: len(_pages(scaling, "describe_scalable_targets", "ScalableTargets", ServiceNamespace="ecs"))
    )
    counts["application-autoscaling:scaling-policy"] = _safe(
        lambda: len(_pages(scaling, "describe_scaling_policies", "ScalingPolicies", ServiceNamespace="ecs"))
    )
    return counts


def account_counts(port: int, region: str) -> dict[str, int | None]:
    """Every counted type in ``region`` and the edge types in us-east-1 (``<type>@us-east-1``)."""
    endpoint = f"http://127.0.0.1:{port}"
    counts = _regional(endpoint, region)
    if region != EDGE_REGION:
        counts.update({f"{name}@{EDGE_REGION}": value for name, value in _regional(endpoint, EDGE_REGION).items()})
    return dict(sorted(counts.items()))


def differences(expected: dict, actual: dict, ignore: Iterable[str] = ()) -> dict[str, tuple]:
    """{type: (expected, actual)} where the two differ (types missing on one side count as 0)."""
    skip = set(ignore)
    names = (set(expected) | set(actual)) - skip
    return {n: (expected.get(n, 0), actual.get(n, 0)) for n in sorted(names) if expected.get(n, 0) != actual.get(n, 0)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("WORDPRESS_AWS_EMULATOR_PORT", "4566")))
    parser.add_argument("--region", default="eu-west-3")
    args = parser.parse_args(argv)
    print(json.dumps(account_counts(args.port, args.region), indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
