# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stack's CloudWatch dashboard: its body built from the discovered resource ids, and reading it back."""

from __future__ import annotations

import json

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.describe import or_none
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.logs import LOG_METRIC_FILTERS


def _widget(title, metrics, region, stat="Average", period=300, width=8, **extra):
    return {
        "type": "metric",
        "width": width,
        "height": 6,
        "properties": {
            "title": title,
            "metrics": metrics,
            "region": region,
            "stat": stat,
            "period": period,
            "view": "timeSeries",
            **extra,
        },
    }


def _header(text):
    return {"type": "text", "width": 24, "height": 1, "properties": {"markdown": text}}


DASHBOARD_ROWS = ("edge", "load_balancer", "service", "database", "storage", "cost")


def dashboard_body(inputs: dict) -> dict:
    """The stack's dashboard: a header and a row of widgets per tier, from the discovered ids.

    inputs: stack, region and the ids of resource_ids(). A tier that does not exist shows a line saying so.
    Widgets are laid out by CloudWatch from left to right, top to bottom, in list order.
    """
    s, region = inputs["stack"], inputs["region"]
    rows = []

    def row(title, widgets, missing):
        rows.append(_header(f"## {title}" if widgets else f"## {title}\n{missing}"))
        if not widgets:
            rows[-1]["height"] = 2
        rows.extend(widgets)

    dist, acl = inputs.get("distribution_id"), inputs.get("web_acl")
    edge = []
    if dist:
        cf = ["DistributionId", dist, "Region", "Global"]
        edge.append(
            _widget(
                "CloudFront requests",
                [["AWS/CloudFront", "Requests", *cf]],
                "us-east-1",
                stat="Sum",
            )
        )
        edge.append(
            _widget(
                "CloudFront error rates (%)",
                [["AWS/CloudFront", "4xxErrorRate", *cf], ["AWS/CloudFront", "5xxErrorRate", *cf]],
                "us-east-1",
            )
        )
    if acl:
        waf = ["WebACL", acl, "Rule", "ALL"]
        edge.append(
            _widget(
                "WAF allowed and blocked",
                [["AWS/WAFV2", "AllowedRequests", *waf], ["AWS/WAFV2", "BlockedRequests", *waf]],
                "us-east-1",
                stat="Sum",
            )
        )
    row("Edge: CloudFront and WAF (us-east-1)", edge, "The edge tier (cloudfront_waf) is not deployed.")

    lb = []
    if inputs.get("alb"):
        elb = "AWS/ApplicationELB"
        alb = ["LoadBalancer", inputs["alb"]]
        tg = ["TargetGroup", inputs["target_group"], *alb]
        lb.append(
            _widget(
                "Requests and 5xx",
                [
                    [elb, "RequestCount", *alb],
                    [elb, "HTTPCode_ELB_5XX_Count", *alb],
                    [elb, "HTTPCode_Target_5XX_Count", *alb],
                ],
                region,
                stat="Sum",
            )
        )
        lb.append(
            _widget(
                "Target response time (s)",
                [
                    [elb, "TargetResponseTime", *tg, {"stat": "p50"}],
                    [elb, "TargetResponseTime", *tg, {"stat": "p95"}],
                    [elb, "TargetResponseTime", *tg, {"stat": "p99"}],
                ],
                region,
            )
        )
        lb.append(
            _widget(
                "Healthy and unhealthy targets",
                [[elb, "HealthyHostCount", *tg], [elb, "UnHealthyHostCount", *tg]],
                region,
                stat="Maximum",
            )
        )
    row("Load balancer", lb, "The application tier (ecs_wordpress) has no load balancer yet.")

    svc = []
    if inputs.get("service"):
        dims = ["ClusterName", inputs["cluster"], "ServiceName", inputs["service"]]
        svc.append(
            _widget(
                "Task CPU and memory (%)",
                [["AWS/ECS", "CPUUtilization", *dims], ["AWS/ECS", "MemoryUtilization", *dims]],
                region,
            )
        )
        svc.append(
            _widget(
                "Running and desired tasks",
                [
                    ["ECS/ContainerInsights", "RunningTaskCount", *dims],
                    ["ECS/ContainerInsights", "DesiredTaskCount", *dims],
                ],
                region,
            )
        )
    if inputs.get("log_group"):
        svc.append(
            _widget(
                "PHP fatal and database connection errors",
                [[f"WordPressAWS/{s}", name] for name in LOG_METRIC_FILTERS],
                region,
                stat="Sum",
            )
        )
    row("Service: WordPress on Fargate", svc, "The application tier (ecs_wordpress) is not deployed.")

    db = []
    if inputs.get("db_instance"):
        ids = [inputs["db_instance"], *([inputs["db_replica"]] if inputs.get("db_replica") else [])]
        db.append(
            _widget(
                "Database CPU (%)",
                [["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", i] for i in ids],
                region,
            )
        )
        db.append(
            _widget(
                "Connections",
                [["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", i] for i in ids],
                region,
                stat="Maximum",
            )
        )
        db.append(
            _widget(
                "Free storage and freeable memory (bytes)",
                [
                    ["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", ids[0]],
                    ["AWS/RDS", "FreeableMemory", "DBInstanceIdentifier", ids[0]],
                ],
                region,
                stat="Minimum",
            )
        )
    row("Database: RDS MySQL", db, "The data tier (rds) is not deployed.")

    storage = []
    if inputs.get("efs_id"):
        fs = ["FileSystemId", inputs["efs_id"]]
        storage.append(
            _widget("EFS percent of I/O limit", [["AWS/EFS", "PercentIOLimit", *fs]], region, stat="Maximum")
        )
        storage.append(_widget("EFS burst credits", [["AWS/EFS", "BurstCreditBalance", *fs]], region, stat="Minimum"))
        storage.append(
            _widget(
                "EFS throughput (bytes)",
                [["AWS/EFS", "DataReadIOBytes", *fs], ["AWS/EFS", "DataWriteIOBytes", *fs]],
                region,
                stat="Sum",
            )
        )
    row("Storage: EFS uploads", storage, "The application tier (ecs_wordpress) has no file system yet.")

    cost = [
        _widget(
            "Estimated charges this month (account, USD)",
            [["AWS/Billing", "EstimatedCharges", "Currency", "USD"]],
            "us-east-1",
            stat="Maximum",
            period=21600,
            width=12,
        ),
        {
            "type": "text",
            "width": 12,
            "height": 6,
            "properties": {
                "markdown": (
                    "Billing metrics cover the whole account and need *Receive Billing Alerts* on. "
                    f"The stack's own costs: Cost Explorer filtered by the tag `wordpress_aws:stack = {s}`."
                )
            },
        },
    ]
    row("Cost", cost, "")
    return {"start": "-PT6H", "periodOverride": "inherit", "widgets": rows}


def with_count(dashboard: dict | None) -> dict | None:
    """The dashboard with its widget count (None stays None)."""
    if not dashboard:
        return dashboard
    return {**dashboard, "widgets": len(dashboard["body"].get("widgets", []))}


@AWSRetry.jittered_backoff()
def get_dashboard(client, name: str) -> dict | None:
    """A dashboard with its body as data, or None."""
    response = or_none(client.get_dashboard, "ResourceNotFound", DashboardName=name)
    if response is None:
        return None
    return with_count(
        {
            "name": response["DashboardName"],
            "arn": response.get("DashboardArn", ""),
            "body": json.loads(response["DashboardBody"]),
        }
    )
