# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stack's alarms: one table of alarm specs, rendered for discovered resource ids and thresholds.

Each spec says which tier it watches, which discovered resource it needs, what it measures and what to do when
it fires. ``alarm_definitions`` renders the specs whose resources exist as CloudWatch PutMetricAlarm requests
(CloudWatch's own key spelling); rates use metric math so a quiet night is not an outage. ``alarm_count`` counts
the alarms a planned stack will have, with the same table, so the cost estimate prices what monitoring builds.
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# The alarms whose ALARM means the site is down for viewers; the composite "site down" watches them.
CRITICAL = ("load_balancer/alb-5xx", "load_balancer/target-5xx", "service/tasks-below-desired", "edge/cloudfront-5xx")
GLOBAL_REGION = "us-east-1"


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


def _dimensions(dimensions: dict) -> list[dict]:
    return [{"Name": k, "Value": v} for k, v in dimensions.items()]


def _simple(namespace, metric, dimensions, statistic, period=60):
    stat = {"ExtendedStatistic": statistic} if statistic.startswith("p") else {"Statistic": statistic}
    return {
        "Namespace": namespace,
        "MetricName": metric,
        "Dimensions": _dimensions(dimensions),
        "Period": period,
        **stat,
    }


def _query(qid, namespace, metric, dimensions, stat, period=60):
    return {
        "Id": qid,
        "ReturnData": False,
        "MetricStat": {
            "Metric": {"Namespace": namespace, "MetricName": metric, "Dimensions": _dimensions(dimensions)},
            "Period": period,
            "Stat": stat,
        },
    }


def _rate(numerator, denominator, namespace, dimensions, label, period=60):
    """errors / requests * 100 as metric math (0 when there were no requests)."""
    return {
        "Metrics": [
            _query("errors", namespace, numerator, dimensions, "Sum", period),
            _query("requests", namespace, denominator, dimensions, "Sum", period),
            {
                "Id": "rate",
                "Expression": "IF(requests > 0, 100 * errors / requests, 0)",
                "Label": label,
                "ReturnData": True,
            },
        ]
    }


def _missing_tasks(dims):
    return {
        "Metrics": [
            _query("running", "ECS/ContainerInsights", "RunningTaskCount", dims["svc"], "Average"),
            _query("desired", "ECS/ContainerInsights", "DesiredTaskCount", dims["svc"], "Average"),
            {"Id": "missing", "Expression": "running - desired", "Label": "running - desired", "ReturnData": True},
        ]
    }


GT, LT = "GreaterThanThreshold", "LessThanThreshold"
ELB = "AWS/ApplicationELB"
ONCE = {"EvaluationPeriods": 1, "DatapointsToAlarm": 1}
FIVE = {"EvaluationPeriods": 5, "DatapointsToAlarm": 5}


def _threshold(name, scale=1.0):
    return lambda t, _i: float(t[name]) * scale


def _fixed(value):
    return lambda _t, _i: float(value)


# One spec per alarm, in rendering order. needs: the discovered id without which the alarm is not built;
# when: a further condition on the inputs; text: the description (str.format with t=thresholds, i=inputs);
# threshold(t, inputs); metric(dims): the metric or metric math; extra: evaluation, missing data, region.
ALARMS = (
    {"tier": "load_balancer", "key": "alb-5xx", "needs": "alb", "op": GT, "threshold": _threshold("alb_5xx_percent"),
     "text": "The ALB answers 5xx to more than {t[alb_5xx_percent]}% of requests (no healthy target, or WordPress "
             "too slow). Check unhealthy hosts and the service's events; scale out if CPU-bound.",
     "metric": lambda d: _rate("HTTPCode_ELB_5XX_Count", "RequestCount", ELB, d["lb"], "ALB 5xx %")},
    {"tier": "load_balancer", "key": "target-5xx", "needs": "alb", "op": GT,
     "threshold": _threshold("target_5xx_percent"),
     "text": "WordPress answers 5xx to more than {t[target_5xx_percent]}% of requests. Read the container logs "
             "(PHP fatal errors, database connection errors) and the last deployment.",
     "metric": lambda d: _rate("HTTPCode_Target_5XX_Count", "RequestCount", ELB, d["tg"], "target 5xx %")},
    {"tier": "load_balancer", "key": "p95-latency", "needs": "alb", "op": GT,
     "threshold": _threshold("target_p95_seconds"),
     "text": "p95 response time above {t[target_p95_seconds]} s. Check database CPU and slow queries, the cache "
             "hit rate, and task CPU.",
     "metric": lambda d: _simple(ELB, "TargetResponseTime", d["tg"], "p95")},
    {"tier": "load_balancer", "key": "unhealthy-hosts", "needs": "alb", "op": GT, "threshold": _fixed(0),
     "text": "A WordPress task fails its health check. Read its logs; the circuit breaker rolls back a bad "
             "deployment by itself.",
     "metric": lambda d: _simple(ELB, "UnHealthyHostCount", d["tg"], "Maximum")},
    {"tier": "load_balancer", "key": "rejected-connections", "needs": "alb", "op": GT, "threshold": _fixed(0),
     "extra": ONCE,
     "text": "The ALB rejects connections (it reached its connection limit). Contact AWS support to pre-warm or "
             "check for a flood the WAF did not stop.",
     "metric": lambda d: _simple(ELB, "RejectedConnectionCount", d["lb"], "Sum")},
    {"tier": "service", "key": "cpu-high", "needs": "service", "op": GT,
     "threshold": _threshold("service_cpu_percent"), "extra": FIVE,
     "text": "Tasks average CPUUtilization above {t[service_cpu_percent]}% although autoscaling should add tasks: "
             "the service may be at its maximum count. Raise ecs_wordpress_max_count or the task size.",
     "metric": lambda d: _simple("AWS/ECS", "CPUUtilization", d["svc"], "Average")},
    {"tier": "service", "key": "memory-high", "needs": "service", "op": GT,
     "threshold": _threshold("service_memory_percent"), "extra": FIVE,
     "text": "Tasks average MemoryUtilization above {t[service_memory_percent]}% although autoscaling should add "
             "tasks: the service may be at its maximum count. Raise ecs_wordpress_max_count or the task size.",
     "metric": lambda d: _simple("AWS/ECS", "MemoryUtilization", d["svc"], "Average")},
    {"tier": "service", "key": "tasks-below-desired", "needs": "service", "op": LT, "threshold": _fixed(0),
     "extra": {**FIVE, "TreatMissingData": "breaching"},
     "text": "Fewer WordPress tasks run than desired for 5 minutes (Spot reclaimed, image pull or secret errors). "
             "Read the service's events and stopped tasks' reasons.",
     "metric": _missing_tasks},
    {"tier": "database", "key": "cpu", "needs": "db_instance", "op": GT, "threshold": _threshold("db_cpu_percent"),
     "text": "Database CPU above {t[db_cpu_percent]}%: find the slow queries (slow query log, Performance "
             "Insights); consider a larger class or the read replica.",
     "metric": lambda d: _simple("AWS/RDS", "CPUUtilization", d["db"], "Average")},
    {"tier": "database", "key": "free-storage", "needs": "db_instance", "op": LT,
     "threshold": _threshold("db_free_storage_gib", 2**30),
     "text": "Less than {t[db_free_storage_gib]} GiB free: storage autoscaling may be at its maximum "
             "(rds_max_allocated_storage_gib).",
     "metric": lambda d: _simple("AWS/RDS", "FreeStorageSpace", d["db"], "Minimum")},
    {"tier": "database", "key": "freeable-memory", "needs": "db_instance", "op": LT,
     "threshold": _threshold("db_freeable_memory_mib", 2**20),
     "text": "Less than {t[db_freeable_memory_mib]} MiB freeable memory: the class is too small for the buffer "
             "pool and connections.",
     "metric": lambda d: _simple("AWS/RDS", "FreeableMemory", d["db"], "Minimum")},
    {"tier": "database", "key": "connections", "needs": "db_instance",
     "when": lambda i: int(i.get("db_max_connections") or 0) > 0, "op": GT,
     "threshold": lambda t, i: round(int(i["db_max_connections"]) * float(t["db_connections_percent"]) / 100, 1),
     "text": "Connections above {t[db_connections_percent]}% of max_connections ({max_connections}): tasks may "
             "leak connections or the service scaled beyond what the class holds.",
     "metric": lambda d: _simple("AWS/RDS", "DatabaseConnections", d["db"], "Maximum")},
    {"tier": "database", "key": "cpu-credits", "needs": "db_instance",
     "when": lambda i: str(i.get("db_class", "")).startswith("db.t"), "op": LT,
     "threshold": _threshold("db_cpu_credits"),
     "text": "The burstable database has fewer than {t[db_cpu_credits]} CPU credits left: it now bills surplus "
             "credits (unlimited mode) or slows to its baseline. Move to a db.m* class if it stays low.",
     "metric": lambda d: _simple("AWS/RDS", "CPUCreditBalance", d["db"], "Minimum", period=300)},
    {"tier": "database", "key": "replica-lag", "needs": "db_replica", "op": GT,
     "threshold": _threshold("db_replica_lag_seconds"),
     "text": "The read replica lags more than {t[db_replica_lag_seconds]} s behind: readers see old data. Check "
             "write load and the replica's class.",
     "metric": lambda d: _simple("AWS/RDS", "ReplicaLag", d["replica"], "Maximum")},
    {"tier": "storage", "key": "io-limit", "needs": "efs_id", "op": GT, "threshold": _threshold("efs_io_limit_percent"),
     "text": "EFS above {t[efs_io_limit_percent]}% of its I/O limit: uploads and plugin reads slow down. Consider "
             "elastic throughput or fewer files per request (object cache).",
     "metric": lambda d: _simple("AWS/EFS", "PercentIOLimit", d["fs"], "Maximum")},
    {"tier": "storage", "key": "burst-credits", "needs": "efs_id", "op": LT, "threshold": _fixed(2**30),
     "text": "EFS burst credits are nearly spent (bursting throughput): throughput drops to the baseline. Switch "
             "to elastic throughput.",
     "metric": lambda d: _simple("AWS/EFS", "BurstCreditBalance", d["fs"], "Minimum", period=300)},
    {"tier": "edge", "key": "cloudfront-5xx", "needs": "distribution_id", "op": GT,
     "threshold": _threshold("cloudfront_5xx_percent"), "extra": {"region": GLOBAL_REGION},
     "text": "CloudFront answers 5xx to more than {t[cloudfront_5xx_percent]}% of viewers. Check the ALB alarms "
             "first; a 502 alone points at the origin's TLS or the origin-verify header.",
     "metric": lambda d: _simple("AWS/CloudFront", "5xxErrorRate", d["cf"], "Average")},
    # OriginLatency exists only with the distribution's additional metrics (a paid monitoring subscription): without
    # it the alarm would sit in INSUFFICIENT_DATA forever, so it is built only where the subscription is on.
    {"tier": "edge", "key": "origin-latency", "needs": "distribution_id",
     "when": lambda i: bool(i.get("additional_metrics")), "op": GT,
     "threshold": _threshold("cloudfront_origin_latency_ms"), "extra": {"region": GLOBAL_REGION},
     "text": "Origin latency above {t[cloudfront_origin_latency_ms]} ms (CloudFront's additional metrics): "
             "the ALB or WordPress is slow; see the load balancer alarms.",
     "metric": lambda d: _simple("AWS/CloudFront", "OriginLatency", d["cf"], "p95")},
    {"tier": "edge", "key": "waf-blocked-surge", "needs": "web_acl", "op": GT,
     "threshold": _threshold("waf_blocked_per_5min"), "extra": {**ONCE, "region": GLOBAL_REGION},
     "text": "WAF blocked more than {t[waf_blocked_per_5min]} requests in 5 minutes: an attack or a rule blocking "
             "real users. Read the WAF logs (aws-waf-logs-*) by rule.",
     "metric": lambda d: _simple("AWS/WAFV2", "BlockedRequests", d["acl"], "Sum", period=300)},
    # one pair per Lambda function ({function} is its name)
    {"tier": "functions", "key": "{function}-errors", "needs": "functions", "op": GT, "threshold": _fixed(0),
     "extra": ONCE,
     "text": "{function} reports errors. Read /aws/lambda/{function}; throttles mean the account's concurrency is "
             "exhausted.",
     "metric": lambda d: _simple("AWS/Lambda", "Errors", d["fn"], "Sum", period=300)},
    {"tier": "functions", "key": "{function}-throttles", "needs": "functions", "op": GT, "threshold": _fixed(0),
     "extra": ONCE,
     "text": "{function} reports throttles. Read /aws/lambda/{function}; throttles mean the account's concurrency "
             "is exhausted.",
     "metric": lambda d: _simple("AWS/Lambda", "Throttles", d["fn"], "Sum", period=300)},
    {"tier": "logs", "key": "php-fatal", "needs": "log_group", "op": GT, "threshold": _fixed(0), "extra": ONCE,
     "text": "PHP fatal errors in the container logs: a plugin or theme broke. Find the file in the log line; "
             "deactivate the plugin or roll back the image.",
     "metric": lambda d: _simple(f"WordPressAWS/{d['stack']}", "php-fatal", {}, "Sum", period=300)},
    {"tier": "logs", "key": "db-connection", "needs": "log_group", "op": GT, "threshold": _fixed(0), "extra": ONCE,
     "text": "WordPress cannot reach its database: check the database alarms, the app secret (rotation) and the "
             "security groups.",
     "metric": lambda d: _simple(f"WordPressAWS/{d['stack']}", "db-connection", {}, "Sum", period=300)},
)  # fmt: skip
# The tiers in rendering order.
_ORDER = tuple(dict.fromkeys(spec["tier"] for spec in ALARMS))


def _dims(inputs: dict, function: str = "") -> dict:
    lb = {"LoadBalancer": inputs.get("alb")}
    return {
        "stack": inputs["stack"],
        "lb": lb,
        "tg": {"TargetGroup": inputs.get("target_group"), **lb},
        "svc": {"ClusterName": inputs.get("cluster"), "ServiceName": inputs.get("service")},
        "db": {"DBInstanceIdentifier": inputs.get("db_instance")},
        "replica": {"DBInstanceIdentifier": inputs.get("db_replica")},
        "fs": {"FileSystemId": inputs.get("efs_id")},
        "cf": {"DistributionId": inputs.get("distribution_id"), "Region": "Global"},
        "acl": {"WebACL": inputs.get("web_acl"), "Rule": "ALL"},
        "fn": {"FunctionName": function},
    }


def _render(spec: dict, inputs: dict, function: str = "") -> dict:
    t = inputs["thresholds"]
    fields = {"t": t, "i": inputs, "function": function, "max_connections": int(inputs.get("db_max_connections") or 0)}
    return _alarm(
        inputs["stack"],
        spec["tier"],
        spec["key"].format(**fields),
        spec["text"].format(**fields),
        inputs["actions"],
        ComparisonOperator=spec["op"],
        Threshold=spec["threshold"](t, inputs),
        **dict(spec.get("extra") or {}),
        **spec["metric"](_dims(inputs, function)),
    )


def alarm_definitions(inputs: dict) -> list[dict]:
    """The stack's alarms.

    inputs: stack, region, actions (SNS topic ARNs), thresholds (see tiers/monitoring.py THRESHOLDS), and the
    discovered ids: alb (``app/<name>/<id>``), target_group (``targetgroup/<name>/<id>``), cluster, service,
    db_instance, db_replica (or empty), db_class, db_max_connections, efs_id, distribution_id, web_acl (name),
    functions (names), log_group (container logs), additional_metrics (the distribution's monitoring subscription
    is on). A tier whose resource is not given gets no alarms.
    """
    alarms = []
    functions = list(inputs.get("functions") or [])
    for tier in _ORDER:
        specs = [spec for spec in ALARMS if spec["tier"] == tier]
        if tier == "functions":
            # each function's pair together, in the functions' order
            alarms.extend(_render(spec, inputs, function) for function in functions for spec in specs)
            continue
        for spec in specs:
            if inputs.get(spec["needs"]) and spec.get("when", lambda _i: True)(inputs):
                alarms.append(_render(spec, inputs))
    return alarms


def alarm_count(watched: dict, tiers=None) -> int:
    """How many alarms a stack will have, from what it will build (no discovery needed).

    watched: load_balancer, service, database, replica, storage, distribution, additional_metrics, web_acl, logs
    (booleans),
    db_class, db_max_connections, functions (how many Lambda functions). tiers: the tiers monitored (all if None).
    """
    stand_in = {
        "stack": "count",
        "actions": [],
        "thresholds": _AnyThreshold(),
        "alb": "x" if watched.get("load_balancer") else "",
        "target_group": "x",
        "cluster": "x",
        "service": "x" if watched.get("service") else "",
        "db_instance": "x" if watched.get("database") else "",
        "db_replica": "x" if watched.get("database") and watched.get("replica") else "",
        "db_class": watched.get("db_class", ""),
        "db_max_connections": int(watched.get("db_max_connections") or 0),
        "efs_id": "x" if watched.get("storage") else "",
        "distribution_id": "x" if watched.get("distribution") else "",
        "additional_metrics": bool(watched.get("additional_metrics")),
        "web_acl": "x" if watched.get("web_acl") else "",
        "functions": [f"f{n}" for n in range(int(watched.get("functions") or 0))],
        "log_group": "x" if watched.get("logs") else "",
    }
    selected = set(tiers or _ORDER)
    return sum(1 for alarm in alarm_definitions(stand_in) if alarm["Tags"][0]["Value"] in selected)


class _AnyThreshold(dict):
    """Every threshold is 1 (counting needs no real values)."""

    def __missing__(self, key):
        return 1


def alarm_prefix(stack: str) -> str:
    """The prefix of every alarm of the stack (a stack name holds no "/", so no stack's prefix is another's)."""
    return f"{stack}/"


def composite_rule(stack: str, alarms: list[dict]) -> str:
    """The "site down" rule: any critical alarm of the given ones (a composite alarm sees its own region only)."""
    names = [a["AlarmName"] for a in alarms if a["AlarmName"][len(alarm_prefix(stack)) :] in CRITICAL]
    return " OR ".join(f'ALARM("{name}")' for name in names)


# The PutMetricAlarm fields cloudwatch_alarms converges and stack_drift compares: the one list.
COMPARED = (
    "AlarmDescription",
    "ActionsEnabled",
    "AlarmActions",
    "OKActions",
    "TreatMissingData",
    "EvaluationPeriods",
    "DatapointsToAlarm",
    "ComparisonOperator",
    "Threshold",
    "Namespace",
    "MetricName",
    "Dimensions",
    "Statistic",
    "ExtendedStatistic",
    "Period",
    "Metrics",
)


@AWSRetry.jittered_backoff()
def existing(client, prefix: str) -> tuple[dict, dict]:
    """The metric and the composite alarms under ``prefix``, by name."""
    metric, composite = {}, {}
    for page in client.get_paginator("describe_alarms").paginate(
        AlarmNamePrefix=prefix, AlarmTypes=["MetricAlarm", "CompositeAlarm"]
    ):
        metric.update({a["AlarmName"]: a for a in page.get("MetricAlarms", [])})
        composite.update({a["AlarmName"]: a for a in page.get("CompositeAlarms", [])})
    return metric, composite


def normalised(alarm: dict) -> dict:
    """The compared fields, dimensions in name order (CloudWatch does not keep the order)."""
    out = {k: alarm[k] for k in COMPARED if k in alarm}
    if "Dimensions" in out:
        out["Dimensions"] = sorted(out["Dimensions"], key=lambda d: d["Name"])
    for query in out.get("Metrics", []):
        metric = query.get("MetricStat", {}).get("Metric", {})
        if "Dimensions" in metric:
            metric["Dimensions"] = sorted(metric["Dimensions"], key=lambda d: d["Name"])
    if "Threshold" in out:
        out["Threshold"] = float(out["Threshold"])
    return out
