"""Inject the drift report's seven drift kinds into a converged local stack (benchmarks/README.md, drift report).

    .venv/bin/python benchmarks/inject_drifts.py --port 4711 [--stack techblog-local]

Each change is made behind Ansible's back with boto3, as a console user would: a security group rule added, an
alarm threshold, a task definition variable (a new revision), a WAF rule removed, a DB parameter, a stack tag removed,
a log retention. Prints, as JSON, the drift ``playbooks/drift.yml`` must then report for each.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import boto3

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / ".collections"))
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.names import names as stack_names

REGION, GLOBAL = "eu-west-3", "us-east-1"


def inject(port: int, stack: str) -> list[dict]:
    def client(service: str, region: str = REGION):
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=f"http://127.0.0.1:{port}",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106 (the emulator's dummy credentials)
        )

    names = stack_names(stack)
    expected = []

    ec2 = client("ec2")
    app = names["security_groups"]["app"]
    group = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [app]}])["SecurityGroups"][0]
    ec2.authorize_security_group_ingress(
        GroupId=group["GroupId"],
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    expected.append({"resource": app, "field": "ingress tcp 22 0.0.0.0/0"})

    cloudwatch = client("cloudwatch")
    alarm = cloudwatch.describe_alarms(AlarmNamePrefix=names["alarm_prefix"], AlarmTypes=["MetricAlarm"])
    alarm = alarm["MetricAlarms"][0]
    request = {
        k: alarm[k]
        for k in (
            "AlarmName", "AlarmDescription", "ActionsEnabled", "AlarmActions", "OKActions", "TreatMissingData",
            "EvaluationPeriods", "DatapointsToAlarm", "ComparisonOperator", "Namespace", "MetricName", "Dimensions",
            "Statistic", "ExtendedStatistic", "Period", "Metrics",
        )
        if alarm.get(k) not in (None, [])
    }  # fmt: skip
    cloudwatch.put_metric_alarm(**request, Threshold=float(alarm["Threshold"]) + 1000)
    expected.append({"resource": alarm["AlarmName"], "field": "Threshold"})

    ecs = client("ecs")
    current = ecs.describe_task_definition(taskDefinition=names["service"])["taskDefinition"]
    container = current["containerDefinitions"][0]
    container["environment"] = [*container.get("environment", []), {"name": "WORDPRESS_DEBUG", "value": "1"}]
    keep = ("family", "taskRoleArn", "executionRoleArn", "networkMode", "volumes", "requiresCompatibilities", "cpu",
            "memory", "runtimePlatform")  # fmt: skip
    ecs.register_task_definition(**{k: current[k] for k in keep if current.get(k)}, containerDefinitions=[container])
    expected.append({"resource": names["service"], "field": "container wordpress environment WORDPRESS_DEBUG"})

    wafv2 = client("wafv2", GLOBAL)
    summary = next(a for a in wafv2.list_web_acls(Scope="CLOUDFRONT")["WebACLs"] if a["Name"] == names["edge_acl"])
    got = wafv2.get_web_acl(Name=summary["Name"], Scope="CLOUDFRONT", Id=summary["Id"])
    acl, removed = got["WebACL"], got["WebACL"]["Rules"][-1]["Name"]
    wafv2.update_web_acl(
        Name=acl["Name"],
        Scope="CLOUDFRONT",
        Id=acl["Id"],
        LockToken=got["LockToken"],
        DefaultAction=acl["DefaultAction"],
        Rules=acl["Rules"][:-1],
        VisibilityConfig=acl["VisibilityConfig"],
        Description=acl.get("Description", ""),
    )
    expected.append({"resource": names["edge_acl"], "field": f"rule {removed}"})

    rds = client("rds")
    rds.modify_db_parameter_group(
        DBParameterGroupName=names["db_parameter_group"],
        Parameters=[{"ParameterName": "long_query_time", "ParameterValue": "30", "ApplyMethod": "immediate"}],
    )
    expected.append({"resource": names["db_parameter_group"], "field": "long_query_time"})

    logs = client("logs")
    group_arn = logs.describe_log_groups(logGroupNamePrefix=names["app_log_group"])["logGroups"][0]["arn"]
    logs.untag_resource(resourceArn=group_arn.removesuffix(":*"), tagKeys=["wordpress_aws:environment"])
    expected.append({"resource": names["app_log_group"], "field": "tag wordpress_aws:environment"})

    logs.put_retention_policy(logGroupName=names["app_log_group"], retentionInDays=3653)
    expected.append({"resource": names["app_log_group"], "field": "retention_days"})
    return expected


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--stack", default="techblog-local")
    args = parser.parse_args()
    print(json.dumps(inject(args.port, args.stack), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
