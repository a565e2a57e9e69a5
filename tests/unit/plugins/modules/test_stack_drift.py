"""Unit tests of the stack_drift module: a stack converged by our modules shows no drift; each injected drift is
reported, and the converge module that owns the resource repairs it (the report then shows none again)."""

from __future__ import annotations

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import waf
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cloudwatch_alarms
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cloudwatch_log_groups
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cloudwatch_log_retention
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ec2_security_groups
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ecs_task_definition
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import rds_parameter_group
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import stack_drift
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import wafv2_web_acl

from ..module_utils.test_waf import RULE_INPUTS

GLOBAL = "us-east-1"
TAGS = {"wordpress_aws:stack": "s", "wordpress_aws:environment": "staging", "wordpress_aws:managed-by": "ansible"}

GROUPS = [
    {
        "name": "s-alb",
        "description": "ALB",
        "tags": {"Name": "s-alb"},
        "ingress": [{"ports": ["443"], "cidr_ipv4": ["10.9.0.0/16"], "description": "from the edge"}],
        "egress": [{"ports": ["80"], "groups": ["s-app"], "description": "to WordPress tasks"}],
    },
    {
        "name": "s-app",
        "description": "tasks",
        "tags": {"Name": "s-app"},
        "ingress": [{"ports": ["80"], "groups": ["s-alb"], "description": "from the ALB"}],
        "egress": [{"ports": ["443"], "cidr_ipv4": ["0.0.0.0/0"], "description": "HTTPS out"}],
    },
]
ALARMS = [
    {
        "AlarmName": "s/database/cpu-high",
        "AlarmDescription": "CPU above 80%",
        "ActionsEnabled": True,
        "AlarmActions": [],
        "OKActions": [],
        "TreatMissingData": "notBreaching",
        "EvaluationPeriods": 3,
        "DatapointsToAlarm": 3,
        "ComparisonOperator": "GreaterThanThreshold",
        "Threshold": 80.0,
        "Namespace": "AWS/RDS",
        "MetricName": "CPUUtilization",
        "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": "s-db"}],
        "Statistic": "Average",
        "Period": 300,
        "Tags": [{"Key": "wordpress_aws:tier", "Value": "database"}],
    }
]
LOG_GROUPS = [{"name": "/wordpress-aws/s/wordpress", "retention_days": 14}]
PARAMETERS = {"slow_query_log": 1, "long_query_time": "2"}
ENVIRONMENT = [{"name": "WORDPRESS_CONFIG_EXTRA", "value": "define('WP_HOME', 'https://s.example');"}]


def _task_definition_args():
    return {
        "family": "s-wordpress",
        "cpu": "512",
        "memory": "1024",
        "container_definitions": [
            {
                "name": "wordpress",
                "image": "wordpress:6.8.3-php8.3-apache",
                "essential": True,
                "portMappings": [{"containerPort": 80, "protocol": "tcp"}],
                "environment": ENVIRONMENT,
            }
        ],
        "tags": TAGS,
    }


def _web_acl_args():
    return {
        "name": "s-edge",
        "scope": "CLOUDFRONT",
        "region": GLOBAL,
        "description": "WordPress s: CloudFront",
        "rules": waf.web_acl_rules(RULE_INPUTS),
        "tags": TAGS,
    }


def converge(run_module, vpc_id):
    """Converge every family with the modules site.yml uses; each must succeed."""
    calls = [
        (ec2_security_groups, {"vpc_id": vpc_id, "groups": GROUPS, "tags": TAGS, "purge_rules": True}),
        (cloudwatch_alarms, {"prefix": "s/", "alarms": ALARMS, "tags": TAGS}),
        (cloudwatch_log_groups, {"log_groups": LOG_GROUPS, "tags": TAGS}),
        (cloudwatch_log_retention, {"prefixes": ["/aws/lambda/s-"], "retention_days": 30}),
        (
            rds_parameter_group,
            {
                "name": "s-mysql",
                "family": "mysql8.4",
                "description": "WordPress",
                "parameters": PARAMETERS,
                "tags": TAGS,
            },
        ),
        (wafv2_web_acl, _web_acl_args()),
        (ecs_task_definition, _task_definition_args()),
    ]
    for module, args in calls:
        result = run_module(module, args)
        assert not result.get("failed"), (module.__name__, result)


def drift_args():
    """What drift.yml hands stack_drift: the same desired state as the converge calls above."""
    td = _task_definition_args()
    return {
        "stack_name": "s",
        "tags": TAGS,
        "regions": [GLOBAL],
        "security_groups": GROUPS,
        "alarm_sets": [{"prefix": "s/", "alarms": ALARMS}],
        "log_groups": LOG_GROUPS,
        "log_retention": [{"prefixes": ["/aws/lambda/s-"], "retention_days": 30}],
        "parameter_groups": [{"name": "s-mysql", "parameters": PARAMETERS}],
        "web_acls": [
            {
                "name": "s-edge",
                "scope": "CLOUDFRONT",
                "region": GLOBAL,
                "description": "WordPress s: CloudFront",
                "rule_inputs": RULE_INPUTS,
            }
        ],
        "task_definitions": [
            {
                "family": td["family"],
                "cpu": td["cpu"],
                "memory": td["memory"],
                "container_definitions": [{"name": "wordpress", "environment": ENVIRONMENT}],
            }
        ],
    }


@pytest.fixture
def stack(aws, run_module):
    ec2 = aws("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": k, "Value": v} for k, v in TAGS.items()])
    aws("logs").create_log_group(logGroupName="/aws/lambda/s-bootstrap")  # as Lambda makes it: no retention
    converge(run_module, vpc_id)
    return {"vpc_id": vpc_id, "aws": aws}


def _report(run_module):
    result = run_module(stack_drift, drift_args(), check_mode=True)
    assert not result.get("failed"), result
    assert result["changed"] is False
    return result


def _group_id(ec2, vpc_id, name):
    found = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": [name]}]
    )
    return found["SecurityGroups"][0]["GroupId"]


def _sg_rule_added(env):
    ec2 = env["aws"]("ec2")
    ec2.authorize_security_group_ingress(
        GroupId=_group_id(ec2, env["vpc_id"], "s-app"),
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    return {"resource": "s-app", "type": "security group", "field": "ingress tcp 22 0.0.0.0/0",
            "wanted": "(absent)", "live": "present"}  # fmt: skip


def _alarm_threshold(env):
    env["aws"]("cloudwatch").put_metric_alarm(**{**ALARMS[0], "Threshold": 95.0, "Tags": []})
    return {"resource": "s/database/cpu-high", "type": "alarm", "field": "Threshold", "wanted": 80.0, "live": 95.0}


def _task_definition_variable(env):
    ecs = env["aws"]("ecs")
    current = ecs.describe_task_definition(taskDefinition="s-wordpress")["taskDefinition"]
    container = current["containerDefinitions"][0]
    container["environment"] = [*container["environment"], {"name": "WORDPRESS_DEBUG", "value": "1"}]
    ecs.register_task_definition(
        family="s-wordpress", containerDefinitions=[container], cpu=current["cpu"], memory=current["memory"]
    )
    return {"resource": "s-wordpress", "type": "task definition",
            "field": "container wordpress environment WORDPRESS_DEBUG", "wanted": "(absent)", "live": "1"}  # fmt: skip


def _waf_rule(env):
    wafv2 = env["aws"]("wafv2", GLOBAL)
    summary = wafv2.list_web_acls(Scope="CLOUDFRONT")["WebACLs"][0]
    got = wafv2.get_web_acl(Name="s-edge", Scope="CLOUDFRONT", Id=summary["Id"])
    acl = got["WebACL"]
    rules = [r for r in acl["Rules"] if r["Name"] != "rate-limit"]
    wafv2.update_web_acl(
        Name="s-edge",
        Scope="CLOUDFRONT",
        Id=acl["Id"],
        LockToken=got["LockToken"],
        DefaultAction=acl["DefaultAction"],
        Rules=rules,
        VisibilityConfig=acl["VisibilityConfig"],
        Description=acl.get("Description", ""),
    )
    return {"resource": "s-edge", "type": "web ACL", "field": "rule rate-limit", "wanted": "present",
            "live": "(absent)"}  # fmt: skip


def _db_parameter(env):
    env["aws"]("rds").modify_db_parameter_group(
        DBParameterGroupName="s-mysql",
        Parameters=[{"ParameterName": "long_query_time", "ParameterValue": "10", "ApplyMethod": "immediate"}],
    )
    return {"resource": "s-mysql", "type": "DB parameter group", "field": "long_query_time", "wanted": "2",
            "live": "10"}  # fmt: skip


def _tag_removed(env):
    rds = env["aws"]("rds")
    arn = rds.describe_db_parameter_groups(DBParameterGroupName="s-mysql")["DBParameterGroups"][0][
        "DBParameterGroupArn"
    ]
    rds.remove_tags_from_resource(ResourceName=arn, TagKeys=["wordpress_aws:environment"])
    return {"resource": "s-mysql", "type": "rds:pg", "field": "tag wordpress_aws:environment", "wanted": "staging",
            "live": "(absent)"}  # fmt: skip


def _log_retention(env):
    env["aws"]("logs").put_retention_policy(logGroupName="/wordpress-aws/s/wordpress", retentionInDays=3653)
    return {"resource": "/wordpress-aws/s/wordpress", "type": "log group", "field": "retention_days", "wanted": 14,
            "live": 3653}  # fmt: skip


def _lambda_log_retention_removed(env):
    env["aws"]("logs").delete_retention_policy(logGroupName="/aws/lambda/s-bootstrap")
    return {"resource": "/aws/lambda/s-bootstrap", "type": "log group", "field": "retention_days", "wanted": 30,
            "live": "(absent)"}  # fmt: skip


@pytest.mark.parametrize(
    "inject",
    [
        _sg_rule_added,
        _alarm_threshold,
        _task_definition_variable,
        _waf_rule,
        _db_parameter,
        _tag_removed,
        _log_retention,
        _lambda_log_retention_removed,
    ],
)
def test_an_injected_drift_is_reported_and_the_converge_repairs_it(stack, run_module, inject):
    before = _report(run_module)
    assert before["count"] == 0, before["text"]
    expected = inject(stack)
    after = _report(run_module)
    assert expected in after["drifts"], after["text"]
    assert after["count"] == 1, after["text"]
    assert expected["resource"] in after["text"]
    converge(run_module, stack["vpc_id"])
    repaired = _report(run_module)
    assert repaired["count"] == 0, repaired["text"]


def test_a_converged_stack_reports_no_drift_and_checks_every_family(stack, run_module):
    result = _report(run_module)
    assert result["count"] == 0, result["text"]
    assert result["text"].startswith("No drift")
    assert result["checked"]["tags"] >= 5  # the VPC, 2 groups, the alarm, the log group, the parameter group...
    assert {k: v for k, v in result["checked"].items() if k != "tags"} == {
        "security_groups": 2,
        "alarms": 1,
        "log_groups": 2,
        "parameter_groups": 1,
        "web_acls": 1,
        "task_definitions": 1,
    }


def test_a_missing_resource_is_reported_as_absent(aws, run_module):
    ec2 = aws("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": k, "Value": v} for k, v in TAGS.items()])
    result = _report(run_module)
    missing = {(d["type"], d["resource"]) for d in result["drifts"] if d["field"] == "exists"}
    assert missing == {
        ("security group", "s-alb"),
        ("security group", "s-app"),
        ("alarm", "s/database/cpu-high"),
        ("log group", "/wordpress-aws/s/wordpress"),
        ("DB parameter group", "s-mysql"),
        ("web ACL", "s-edge"),
        ("task definition", "s-wordpress"),
    }


def test_an_alarm_not_asked_for_under_the_prefix_is_reported(stack, run_module):
    stack["aws"]("cloudwatch").put_metric_alarm(**{**ALARMS[0], "AlarmName": "s/database/extra", "Tags": []})
    result = _report(run_module)
    assert {"resource": "s/database/extra", "type": "alarm", "field": "exists", "wanted": "(absent)",
            "live": "present"} in result["drifts"]  # fmt: skip


def test_web_acl_needs_rules_or_rule_inputs(aws, run_module):
    args = {**drift_args(), "web_acls": [{"name": "s-edge"}]}
    result = run_module(stack_drift, args)
    assert result["failed"] and "either rules or rule_inputs" in result["msg"]
