# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alarms for every tier of a WordPress stack, built from discovered resource ids and per-environment thresholds.

One pure function renders them so unit tests can assert that every tier is covered, that every alarm has an
action and a description saying what to do, and that thresholds follow the inputs. Alarms are CloudWatch
PutMetricAlarm requests (CloudWatch's own key spelling); rates use metric math so a quiet night is not an outage.
"""

from __future__ import annotations

import json
import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.stack import LOG_RETENTION_DAYS

TIERS = ("edge", "load_balancer", "service", "database", "storage", "functions", "logs")
# The retention periods CloudWatch Logs accepts (PutRetentionPolicy): the one list, in stack.py.
RETENTION_DAYS = LOG_RETENTION_DAYS
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")

# threshold name -> (tier, lowest accepted, highest accepted, what it means)
THRESHOLDS = {
    "alb_5xx_percent": ("load_balancer", 0.1, 100, "percent of requests the ALB itself answers 5xx"),
    "target_5xx_percent": ("load_balancer", 0.1, 100, "percent of requests WordPress answers 5xx"),
    "target_p95_seconds": ("load_balancer", 0.05, 60, "p95 target response time, seconds"),
    "service_cpu_percent": ("service", 1, 100, "average task CPU, percent"),
    "service_memory_percent": ("service", 1, 100, "average task memory, percent"),
    "db_cpu_percent": ("database", 1, 100, "database CPU, percent"),
    "db_free_storage_gib": ("database", 1, 65536, "free database storage, GiB"),
    "db_freeable_memory_mib": ("database", 16, 1048576, "freeable database memory, MiB"),
    "db_connections_percent": ("database", 1, 100, "connections, percent of max_connections"),
    "db_replica_lag_seconds": ("database", 1, 86400, "replica lag, seconds"),
    "db_cpu_credits": ("database", 1, 10000, "CPU credit balance of a burstable (db.t*) class"),
    "efs_io_limit_percent": ("storage", 1, 100, "EFS percent of the I/O limit"),
    "cloudfront_5xx_percent": ("edge", 0.1, 100, "percent of viewer requests answered 5xx"),
    "cloudfront_origin_latency_ms": ("edge", 10, 60000, "origin latency, milliseconds"),
    "waf_blocked_per_5min": ("edge", 1, 100000000, "requests WAF blocks in 5 minutes"),
}


def input_errors(thresholds: dict, emails: list, tiers: list, var_prefix: str = "monitoring_") -> list[str]:
    """Errors in the monitoring inputs, each naming its variable."""
    errors = []
    for name, value in (thresholds or {}).items():
        if name not in THRESHOLDS:
            errors.append(
                f"{var_prefix}thresholds has an unknown entry {name!r} (known: {', '.join(sorted(THRESHOLDS))})"
            )
            continue
        _tier, low, high, meaning = THRESHOLDS[name]
        try:
            number = float(value)
        except (TypeError, ValueError):
            errors.append(f"{var_prefix}thresholds.{name} {value!r} must be a number ({meaning})")
            continue
        if not low <= number <= high:
            errors.append(f"{var_prefix}thresholds.{name} {value} is out of range {low}..{high} ({meaning})")
    for email in emails or []:
        if not EMAIL_RE.match(str(email)):
            errors.append(f"{var_prefix}alert_emails entry {email!r} is not an email address")
    for tier in tiers or []:
        if tier not in TIERS:
            errors.append(f"{var_prefix}tiers entry {tier!r} is not a tier (choose from {', '.join(TIERS)})")
    return errors


def _alarm(stack: str, tier: str, key: str, description: str, actions: list, **request) -> dict:
    alarm = {
        "AlarmName": f"{stack}/{tier}/{key}",
        "AlarmDescription": description,
        "ActionsEnabled": True,
        "AlarmActions": list(actions),
        "OKActions": list(actions),
        "TreatMissingData": request.pop("TreatMissingData", "notBreaching"),
        "EvaluationPeriods": request.pop("EvaluationPeriods", 3),
        "DatapointsToAlarm": request.pop("DatapointsToAlarm", 3),
        **request,
    }
    alarm["Tags"] = [{"Key": "wordpress_aws:tier", "Value": tier}]
    return alarm


def _simple(namespace, metric, dimensions, statistic, period=60):
    stat = {"ExtendedStatistic": statistic} if statistic.startswith("p") else {"Statistic": statistic}
    return {
        "Namespace": namespace,
        "MetricName": metric,
        "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()],
        "Period": period,
        **stat,
    }


def _rate(numerator, denominator, namespace, dimensions, label, period=60):
    """errors / requests * 100 as metric math (0 when there were no requests)."""

    def query(qid, metric):
        return {
            "Id": qid,
            "ReturnData": False,
            "MetricStat": {
                "Metric": {
                    "Namespace": namespace,
                    "MetricName": metric,
                    "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()],
                },
                "Period": period,
                "Stat": "Sum",
            },
        }

    return {
        "Metrics": [
            query("errors", numerator),
            query("requests", denominator),
            {
                "Id": "rate",
                "Expression": "IF(requests > 0, 100 * errors / requests, 0)",
                "Label": label,
                "ReturnData": True,
            },
        ]
    }


def alarm_definitions(inputs: dict) -> list[dict]:
    """The stack's alarms.

    inputs: stack, region, actions (SNS topic ARNs), thresholds (see THRESHOLDS), and the discovered ids:
    alb (``app/<name>/<id>``), target_group (``targetgroup/<name>/<id>``), cluster, service, db_instance,
    db_replica (or empty), efs_id, distribution_id, web_acl (name), functions (names), log_group (container logs).
    A tier whose resource is not given gets no alarms.
    """
    s, acts, t = inputs["stack"], inputs["actions"], inputs["thresholds"]
    alarms = []
    if inputs.get("alb"):
        lb = {"LoadBalancer": inputs["alb"]}
        alarms.append(
            _alarm(
                s,
                "load_balancer",
                "alb-5xx",
                f"The ALB answers 5xx to more than {t['alb_5xx_percent']}% of requests (no healthy target, or "
                "WordPress too slow). Check unhealthy hosts and the service's events; scale out if CPU-bound.",
                acts,
                ComparisonOperator="GreaterThanThreshold",
                Threshold=float(t["alb_5xx_percent"]),
                **_rate("HTTPCode_ELB_5XX_Count", "RequestCount", "AWS/ApplicationELB", lb, "ALB 5xx %"),
            )
        )
        tg = {"TargetGroup": inputs["target_group"], **lb}
        alarms.append(
            _alarm(
                s,
                "load_balancer",
                "target-5xx",
                f"WordPress answers 5xx to more than {t['target_5xx_percent']}% of requests. Read the container "
                "logs (PHP fatal errors, database connection errors) and the last deployment.",
                acts,
                ComparisonOperator="GreaterThanThreshold",
                Threshold=float(t["target_5xx_percent"]),
                **_rate("HTTPCode_Target_5XX_Count", "RequestCount", "AWS/ApplicationELB", tg, "target 5xx %"),
            )
        )
        alarms.append(
            _alarm(
                s,
                "load_balancer",
                "p95-latency",
                f"p95 response time above {t['target_p95_seconds']} s. Check database CPU and slow queries, "
                "the cache hit rate, and task CPU.",
                acts,
                ComparisonOperator="GreaterThanThreshold",
                Threshold=float(t["target_p95_seconds"]),
                **_simple("AWS/ApplicationELB", "TargetResponseTime", tg, "p95"),
            )
        )
        alarms.append(
            _alarm(
                s,
                "load_balancer",
                "unhealthy-hosts",
                "A WordPress task fails its health check. Read its logs; the circuit breaker rolls back a bad "
                "deployment by itself.",
                acts,
                ComparisonOperator="GreaterThanThreshold",
                Threshold=0.0,
                **_simple("AWS/ApplicationELB", "UnHealthyHostCount", tg, "Maximum"),
            )
        )
        alarms.append(
            _alarm(
                s,
                "load_balancer",
                "rejected-connections",
                "The ALB rejects connections (it reached its connection limit). Contact AWS support to pre-warm "
                "or check for a flood the WAF did not stop.",
                acts,
                ComparisonOperator="GreaterThanThreshold",
                Threshold=0.0,
                EvaluationPeriods=1,
                DatapointsToAlarm=1,
                **_simple("AWS/ApplicationELB", "RejectedConnectionCount", lb, "Sum"),
            )
        )
    if inputs.get("service"):
        svc = {"ClusterName": inputs["cluster"], "ServiceName": inputs["service"]}
        for key, metric, name in (
            ("cpu", "CPUUtilization", "service_cpu_percent"),
            ("memory", "MemoryUtilization", "service_memory_percent"),
        ):
            alarms.append(
                _alarm(
                    s,
                    "service",
                    f"{key}-high",
                    f"Tasks average {metric} above {t[name]}% although autoscaling should add tasks: the service "
                    "may be at its maximum count. Raise ecs_wordpress_max_count or the task size.",
                    acts,
                    ComparisonOperator="GreaterThanThreshold",
                    Threshold=float(t[name]),
                    EvaluationPeriods=5,
                    DatapointsToAlarm=5,
                    **_simple("AWS/ECS", metric, svc, "Average"),
                )
            )
        alarms.append(
            _alarm(
                s,
                "service",
                "tasks-below-desired",
                "Fewer WordPress tasks run than desired for 5 minutes (Spot reclaimed, image pull or secret "
                "errors). Read the service's events and stopped tasks' reasons.",
                acts,
                ComparisonOperator="LessThanThreshold",
                Threshold=0.0,
                EvaluationPeriods=5,
                DatapointsToAlarm=5,
                TreatMissingData="breaching",
                Metrics=[
                    {
                        "Id": "running",
                        "ReturnData": False,
                        "MetricStat": {
                            "Metric": {
                                "Namespace": "ECS/ContainerInsights",
                                "MetricName": "RunningTaskCount",
                                "Dimensions": [{"Name": k, "Value": v} for k, v in svc.items()],
                            },
                            "Period": 60,
                            "Stat": "Average",
                        },
                    },
                    {
                        "Id": "desired",
                        "ReturnData": False,
                        "MetricStat": {
                            "Metric": {
                                "Namespace": "ECS/ContainerInsights",
                                "MetricName": "DesiredTaskCount",
                                "Dimensions": [{"Name": k, "Value": v} for k, v in svc.items()],
                            },
                            "Period": 60,
                            "Stat": "Average",
                        },
                    },
                    {
                        "Id": "missing",
                        "Expression": "running - desired",
                        "Label": "running - desired",
                        "ReturnData": True,
                    },
                ],
            )
        )
    if inputs.get("db_instance"):
        db = {"DBInstanceIdentifier": inputs["db_instance"]}
        rows = (
            (
                "cpu",
                "CPUUtilization",
                "GreaterThanThreshold",
                float(t["db_cpu_percent"]),
                "Average",
                f"Database CPU above {t['db_cpu_percent']}%: find the slow queries (slow query log, Performance "
                "Insights); consider a larger class or the read replica.",
            ),
            (
                "free-storage",
                "FreeStorageSpace",
                "LessThanThreshold",
                float(t["db_free_storage_gib"]) * 2**30,
                "Minimum",
                f"Less than {t['db_free_storage_gib']} GiB free: storage autoscaling may be at its maximum "
                "(rds_max_allocated_storage_gib).",
            ),
            (
                "freeable-memory",
                "FreeableMemory",
                "LessThanThreshold",
                float(t["db_freeable_memory_mib"]) * 2**20,
                "Minimum",
                f"Less than {t['db_freeable_memory_mib']} MiB freeable memory: the class is too small for "
                "the buffer pool and connections.",
            ),
        )
        for key, metric, op, threshold, stat, text in rows:
            alarms.append(
                _alarm(
                    s,
                    "database",
                    key,
                    text,
                    acts,
                    ComparisonOperator=op,
                    Threshold=threshold,
                    **_simple("AWS/RDS", metric, db, stat),
                )
            )
        max_connections = int(inputs.get("db_max_connections") or 0)
        if max_connections:
            limit = max_connections * float(t["db_connections_percent"]) / 100
            alarms.append(
                _alarm(
                    s,
                    "database",
                    "connections",
                    f"Connections above {t['db_connections_percent']}% of max_connections ({max_connections}): "
                    "tasks may leak connections or the service scaled beyond what the class holds.",
                    acts,
                    ComparisonOperator="GreaterThanThreshold",
                    Threshold=round(limit, 1),
                    **_simple("AWS/RDS", "DatabaseConnections", db, "Maximum"),
                )
            )
        if str(inputs.get("db_class", "")).startswith("db.t"):
            alarms.append(
                _alarm(
                    s,
                    "database",
                    "cpu-credits",
                    f"The burstable database has fewer than {t['db_cpu_credits']} CPU credits left: it now bills "
                    "surplus credits (unlimited mode) or slows to its baseline. Move to a db.m* class if it stays low.",
                    acts,
                    ComparisonOperator="LessThanThreshold",
                    Threshold=float(t["db_cpu_credits"]),
                    **_simple("AWS/RDS", "CPUCreditBalance", db, "Minimum", period=300),
                )
            )
        if inputs.get("db_replica"):
            alarms.append(
                _alarm(
                    s,
                    "database",
                    "replica-lag",
                    f"The read replica lags more than {t['db_replica_lag_seconds']} s behind: readers see old "
                    "data. Check write load and the replica's class.",
                    acts,
                    ComparisonOperator="GreaterThanThreshold",
                    Threshold=float(t["db_replica_lag_seconds"]),
                    **_simple("AWS/RDS", "ReplicaLag", {"DBInstanceIdentifier": inputs["db_replica"]}, "Maximum"),
                )
            )
    if inputs.get("efs_id"):
        fs = {"FileSystemId": inputs["efs_id"]}
        alarms.append(
            _alarm(
                s,
                "storage",
                "io-limit",
                f"EFS above {t['efs_io_limit_percent']}% of its I/O limit: uploads and plugin reads slow down. "
                "Consider elastic throughput or fewer files per request (object cache).",
                acts,
                ComparisonOperator="GreaterThanThreshold",
                Threshold=float(t["efs_io_limit_percent"]),
                **_simple("AWS/EFS", "PercentIOLimit", fs, "Maximum"),
            )
        )
        alarms.append(
            _alarm(
                s,
                "storage",
                "burst-credits",
                "EFS burst credits are nearly spent (bursting throughput): throughput drops to the baseline. "
                "Switch to elastic throughput.",
                acts,
                ComparisonOperator="LessThanThreshold",
                Threshold=float(2**30),
                **_simple("AWS/EFS", "BurstCreditBalance", fs, "Minimum", period=300),
            )
        )
    if inputs.get("distribution_id"):
        cf = {"DistributionId": inputs["distribution_id"], "Region": "Global"}
        alarms.append(
            _alarm(
                s,
                "edge",
                "cloudfront-5xx",
                f"CloudFront answers 5xx to more than {t['cloudfront_5xx_percent']}% of viewers. Check the ALB "
                "alarms first; a 502 alone points at the origin's TLS or the origin-verify header.",
                acts,
                ComparisonOperator="GreaterThanThreshold",
                Threshold=float(t["cloudfront_5xx_percent"]),
                region="us-east-1",
                **_simple("AWS/CloudFront", "5xxErrorRate", cf, "Average"),
            )
        )
        alarms.append(
            _alarm(
                s,
                "edge",
                "origin-latency",
                f"Origin latency above {t['cloudfront_origin_latency_ms']} ms (needs CloudFront's additional "
                "metrics): the ALB or WordPress is slow; see the load balancer alarms.",
                acts,
                ComparisonOperator="GreaterThanThreshold",
                Threshold=float(t["cloudfront_origin_latency_ms"]),
                region="us-east-1",
                **_simple("AWS/CloudFront", "OriginLatency", cf, "p95"),
            )
        )
    if inputs.get("web_acl"):
        acl = {"WebACL": inputs["web_acl"], "Rule": "ALL"}
        alarms.append(
            _alarm(
                s,
                "edge",
                "waf-blocked-surge",
                f"WAF blocked more than {t['waf_blocked_per_5min']} requests in 5 minutes: an attack or a rule "
                "blocking real users. Read the WAF logs (aws-waf-logs-*) by rule.",
                acts,
                ComparisonOperator="GreaterThanThreshold",
                Threshold=float(t["waf_blocked_per_5min"]),
                EvaluationPeriods=1,
                DatapointsToAlarm=1,
                region="us-east-1",
                **_simple("AWS/WAFV2", "BlockedRequests", acl, "Sum", period=300),
            )
        )
    for function in inputs.get("functions") or []:
        fn = {"FunctionName": function}
        for key, metric in (("errors", "Errors"), ("throttles", "Throttles")):
            alarms.append(
                _alarm(
                    s,
                    "functions",
                    f"{function}-{key}",
                    f"{function} reports {metric.lower()}. Read /aws/lambda/{function}; throttles mean the "
                    "account's concurrency is exhausted.",
                    acts,
                    ComparisonOperator="GreaterThanThreshold",
                    Threshold=0.0,
                    EvaluationPeriods=1,
                    DatapointsToAlarm=1,
                    **_simple("AWS/Lambda", metric, fn, "Sum", period=300),
                )
            )
    if inputs.get("log_group"):
        for key, text in (
            (
                "php-fatal",
                "PHP fatal errors in the container logs: a plugin or theme broke. Find "
                "the file in the log line; deactivate the plugin or roll back the image.",
            ),
            (
                "db-connection",
                "WordPress cannot reach its database: check the database alarms, the "
                "app secret (rotation) and the security groups.",
            ),
        ):
            alarms.append(
                _alarm(
                    s,
                    "logs",
                    key,
                    text,
                    acts,
                    ComparisonOperator="GreaterThanThreshold",
                    Threshold=0.0,
                    EvaluationPeriods=1,
                    DatapointsToAlarm=1,
                    **_simple(f"WordPressAWS/{s}", key, {}, "Sum", period=300),
                )
            )
    return alarms


# The alarms whose ALARM means the site is down for viewers; the composite "site down" watches them.
CRITICAL = ("load_balancer/alb-5xx", "load_balancer/target-5xx", "service/tasks-below-desired", "edge/cloudfront-5xx")


def alarm_prefix(stack: str) -> str:
    """The prefix of every alarm of the stack (a stack name holds no "/", so no stack's prefix is another's)."""
    return f"{stack}/"


def composite_rule(stack: str, alarms: list[dict]) -> str:
    """The "site down" rule: any critical alarm of the given ones (a composite alarm sees its own region only)."""
    names = [a["AlarmName"] for a in alarms if a["AlarmName"][len(alarm_prefix(stack)) :] in CRITICAL]
    return " OR ".join(f'ALARM("{name}")' for name in names)


def resource_ids(resources: list[dict], stack: str) -> dict:
    """The ids the alarms and the dashboard need, from the stack's inventory (stack_inventory's resources).

    Only the stack's own names count (``<stack>-alb``, ``<stack>-wordpress``, ``<stack>-db``...): a resource of
    another tool that carries the stack tag does not get our alarms. Missing tiers give empty values.
    """
    ids = {
        "alb": "",
        "target_group": "",
        "cluster": "",
        "service": "",
        "db_instance": "",
        "db_replica": "",
        "efs_id": "",
        "distribution_id": "",
        "web_acl": "",
        "functions": [],
        "log_group": "",
        "service_arn": "",
        "topic_arn": "",
    }
    for r in resources or []:
        kind, rid = f"{r.get('service')}:{r.get('resource_type')}", str(r.get("id", ""))
        if kind == "elasticloadbalancing:loadbalancer" and rid.startswith(f"app/{stack}-alb/"):
            ids["alb"] = rid
        elif kind == "elasticloadbalancing:targetgroup" and rid.startswith(f"{stack}-wordpress/"):
            ids["target_group"] = f"targetgroup/{rid}"
        elif kind == "ecs:service" and rid == f"{stack}/{stack}-wordpress":
            ids["cluster"], ids["service"] = rid.split("/", 1)
            ids["service_arn"] = r.get("arn", "")
        elif kind == "rds:db" and rid in (f"{stack}-db", f"{stack}-db-replica"):
            ids["db_replica" if rid.endswith("-replica") else "db_instance"] = rid
        elif kind == "elasticfilesystem:file-system" and (r.get("tags") or {}).get("Name") == f"{stack}-uploads":
            ids["efs_id"] = rid
        elif kind == "cloudfront:distribution":
            ids["distribution_id"] = rid
        elif kind == "wafv2:webacl" and rid == f"global/{stack}-edge":
            ids["web_acl"] = f"{stack}-edge"
        elif kind == "lambda:function" and rid.startswith(f"{stack}-"):
            ids["functions"].append(rid.split(":", 1)[0])
        elif kind == "logs:log-group" and rid == f"/wordpress-aws/{stack}/wordpress":
            ids["log_group"] = rid
        elif kind == "sns:topic" and rid == f"{stack}-alerts" and r.get("region") != "us-east-1":
            ids["topic_arn"] = r.get("arn", "")
    ids["functions"] = sorted(set(ids["functions"]))
    return ids


# The log metric filters on the container logs: metric name -> (filter pattern, what it counts).
# WordPress hides its own connection failures (it calls mysqli with @ unless WP_DEBUG); the application tier's
# wp-config extra logs "wordpress_aws_db_unreachable" when a request ends without a database connection.
LOG_METRIC_FILTERS = {
    "php-fatal": ('?"PHP Fatal error" ?"PHP Parse error"', "PHP fatal and parse errors"),
    "db-connection": (
        '?wordpress_aws_db_unreachable ?"Error establishing a database connection" ?"MySQL server has gone away"',
        "requests that could not reach the database",
    ),
}


def metric_filters(stack: str) -> list[dict]:
    """The metric filters, as cloudwatchlogs_log_group_metric_filter arguments."""
    return [
        {
            "filter_name": f"{stack}-{name}",
            "filter_pattern": pattern,
            "metric_transformation": {
                "metric_namespace": f"WordPressAWS/{stack}",
                "metric_name": name,
                "metric_value": "1",
                "default_value": 0.0,
            },
        }
        for name, (pattern, _meaning) in LOG_METRIC_FILTERS.items()
    ]


def query_definitions(stack: str, log_group: str) -> list[dict]:
    """The saved Logs Insights queries on the container logs (the request lines come from wp-config extra)."""
    folder = f"wordpress-aws/{stack}"
    return [
        {
            "name": f"{folder}/slowest-pages",
            "log_groups": [log_group],
            "query": (
                "fields @timestamp, @message\n"
                '| filter @message like "wordpress_aws_request"\n'
                '| parse @message /"path":"(?<path>[^"]*)".*"status":(?<status>\\d+).*"ms":(?<ms>\\d+)/\n'
                "| stats count(*) as requests, avg(ms) as avg_ms, pct(ms, 95) as p95_ms, max(ms) as max_ms by path\n"
                "| sort p95_ms desc\n"
                "| limit 25"
            ),
        },
        {
            "name": f"{folder}/db-errors",
            "log_groups": [log_group],
            "query": (
                "fields @timestamp, @message\n"
                "| filter @message like /wordpress_aws_db_unreachable|Error establishing a database connection|"
                "MySQL server has gone away|WordPress database error/\n"
                "| sort @timestamp desc\n"
                "| limit 100"
            ),
        },
        {
            "name": f"{folder}/php-fatal-errors",
            "log_groups": [log_group],
            "query": (
                "fields @timestamp, @message\n"
                "| filter @message like /PHP Fatal error|PHP Parse error/\n"
                "| sort @timestamp desc\n"
                "| limit 100"
            ),
        },
    ]


def log_group_prefixes(stack: str, functions: list[str]) -> list[str]:
    """Where the stack's log groups are, by name: ours, and those AWS services create on their own
    (Lambda on first run, RDS log exports, Container Insights) without a retention. Each prefix ends where the
    stack's name does, so stack "blog" never reaches the groups of stack "blog-staging"."""
    return [
        f"/wordpress-aws/{stack}/",
        f"aws-waf-logs-{stack}-edge",
        f"aws-waf-logs-{stack}-alb",
        f"/aws/rds/instance/{stack}-db/",
        f"/aws/rds/instance/{stack}-db-replica/",
        f"/aws/ecs/containerinsights/{stack}/",
        *(f"/aws/lambda/{name}" for name in sorted(functions or [])),
    ]


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
    try:
        response = client.get_dashboard(DashboardName=name)
    except is_boto3_error_code("ResourceNotFound"):
        return None
    return with_count(
        {
            "name": response["DashboardName"],
            "arn": response.get("DashboardArn", ""),
            "body": json.loads(response["DashboardBody"]),
        }
    )
