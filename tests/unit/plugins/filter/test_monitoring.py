"""The monitoring tier's pure parts: ids from the inventory, the dashboard, the filters on the container logs,
the saved queries, the log group prefixes and the input checks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.filter.monitoring import FilterModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import monitoring

FILTERS = FilterModule().filters()
ROOT = Path(__file__).resolve().parents[4]
ACCOUNT = "123456789012"


def res(service, rtype, rid, region="eu-west-3", arn="", tags=None):
    return {"service": service, "resource_type": rtype, "id": rid, "region": region, "arn": arn, "tags": tags or {}}


INVENTORY = [
    res("elasticloadbalancing", "loadbalancer", "app/s-alb/0123"),
    res("elasticloadbalancing", "loadbalancer", "app/s-staging-alb/9999"),  # another stack's, same prefix
    res("elasticloadbalancing", "targetgroup", "s-wordpress/4567"),
    res("ecs", "service", "s/s-wordpress", arn=f"arn:aws:ecs:eu-west-3:{ACCOUNT}:service/s/s-wordpress"),
    res("rds", "db", "s-db"),
    res("rds", "db", "s-db-replica"),
    res("elasticfilesystem", "file-system", "fs-1", tags={"Name": "s-uploads"}),
    res("cloudfront", "distribution", "E123", region=""),
    res("wafv2", "webacl", "global/s-edge", region="us-east-1"),
    res("wafv2", "webacl", "regional/s-alb"),
    res("lambda", "function", "s-db-bootstrap"),
    res("logs", "log-group", "/wordpress-aws/s/wordpress"),
    res("logs", "log-group", "/wordpress-aws/s/vpc-flow-logs"),
    res("sns", "topic", "s-alerts", arn=f"arn:aws:sns:eu-west-3:{ACCOUNT}:s-alerts"),
    res("sns", "topic", "s-alerts", region="us-east-1", arn=f"arn:aws:sns:us-east-1:{ACCOUNT}:s-alerts"),
]


def test_resource_ids_take_the_stacks_own_names_only():
    ids = FILTERS["monitoring_resource_ids"](INVENTORY, "s")
    assert ids == {
        "alb": "app/s-alb/0123",
        "target_group": "targetgroup/s-wordpress/4567",
        "cluster": "s",
        "service": "s-wordpress",
        "service_arn": f"arn:aws:ecs:eu-west-3:{ACCOUNT}:service/s/s-wordpress",
        "db_instance": "s-db",
        "db_replica": "s-db-replica",
        "efs_id": "fs-1",
        "distribution_id": "E123",
        "web_acl": "s-edge",
        "functions": ["s-db-bootstrap"],
        "log_group": "/wordpress-aws/s/wordpress",
        "topic_arn": f"arn:aws:sns:eu-west-3:{ACCOUNT}:s-alerts",
    }
    assert FILTERS["monitoring_resource_ids"]([], "s")["alb"] == ""


def test_dashboard_has_a_row_per_tier_built_from_the_ids():
    ids = FILTERS["monitoring_resource_ids"](INVENTORY, "s")
    body = FILTERS["monitoring_dashboard"]({**ids, "stack": "s", "region": "eu-west-3"})
    headers = [w["properties"]["markdown"] for w in body["widgets"] if w["type"] == "text" and w["width"] == 24]
    assert [h.split("\n")[0] for h in headers] == [
        "## Edge: CloudFront and WAF (us-east-1)",
        "## Load balancer",
        "## Service: WordPress on Fargate",
        "## Database: RDS MySQL",
        "## Storage: EFS uploads",
        "## Cost",
    ]
    text = json.dumps(body)
    for value in (
        "E123",
        "s-edge",
        "app/s-alb/0123",
        "targetgroup/s-wordpress/4567",
        "s-wordpress",
        "s-db-replica",
        "fs-1",
        "WordPressAWS/s",
        "EstimatedCharges",
    ):
        assert value in text, value
    metric_widgets = [w for w in body["widgets"] if w["type"] == "metric"]
    assert all(w["properties"]["region"] in ("eu-west-3", "us-east-1") for w in metric_widgets)
    edge_regions = {w["properties"]["region"] for w in metric_widgets if "AWS/CloudFront" in json.dumps(w)}
    assert edge_regions == {"us-east-1"}


def test_dashboard_of_a_stack_without_tiers_says_what_is_missing():
    body = FILTERS["monitoring_dashboard"]({"stack": "s", "region": "eu-west-3"})
    texts = [w["properties"]["markdown"] for w in body["widgets"] if w["type"] == "text"]
    assert any("edge tier (cloudfront_waf) is not deployed" in t for t in texts)
    assert any("data tier (rds) is not deployed" in t for t in texts)
    assert next(w for w in body["widgets"] if w["type"] == "metric")["properties"]["title"].startswith("Estimated")


def test_the_logs_the_filters_and_queries_read_are_the_ones_wp_config_writes():
    """The metric filter and the queries match the lines the application tier's wp-config extra writes."""
    template = (ROOT / "roles/ecs_wordpress/templates/config_extra.php.j2").read_text()
    assert "error_log('wordpress_aws_request ' . json_encode(" in template
    assert "error_log('wordpress_aws_db_unreachable:" in template
    filters = {f["metric_transformation"]["metric_name"]: f for f in FILTERS["monitoring_metric_filters"]("s")}
    assert set(filters) == {"php-fatal", "db-connection"}
    assert "wordpress_aws_db_unreachable" in filters["db-connection"]["filter_pattern"]
    assert all(f["metric_transformation"]["metric_namespace"] == "WordPressAWS/s" for f in filters.values())
    queries = {q["name"]: q for q in FILTERS["monitoring_query_definitions"]("s", "/wordpress-aws/s/wordpress")}
    slowest = queries["wordpress-aws/s/slowest-pages"]["query"]
    assert 'like "wordpress_aws_request"' in slowest
    # The line PHP writes (JSON_UNESCAPED_SLASHES), behind Apache's error log prefix.
    line = (
        "[Sat Nov 28 20:00:00.123456 2026] [php:notice] [pid 42] [client 10.0.1.5:5555] wordpress_aws_request "
        '{"method":"GET","path":"/2026/11/a-post/","status":200,"ms":734,"db":"up"}'
    )
    regex = slowest.split("| parse @message /", 1)[1].split("/\n", 1)[0].replace("(?<", "(?P<")
    assert re.search(regex, line).groupdict() == {"path": "/2026/11/a-post/", "status": "200", "ms": "734"}
    assert "wordpress_aws_db_unreachable" in queries["wordpress-aws/s/db-errors"]["query"]


def test_log_group_prefixes_never_reach_another_stack():
    prefixes = FILTERS["monitoring_log_group_prefixes"]("blog", ["blog-db-bootstrap"])
    others = [
        "/wordpress-aws/blog-staging/wordpress",
        "/aws/lambda/blog-staging-db-bootstrap",
        "/aws/rds/instance/blog-staging-db/error",
        "aws-waf-logs-blog-staging-edge",
        "/aws/ecs/containerinsights/blog-staging/performance",
    ]
    ours = [
        "/wordpress-aws/blog/wordpress",
        "/aws/lambda/blog-db-bootstrap",
        "/aws/rds/instance/blog-db/error",
        "aws-waf-logs-blog-edge",
        "/aws/ecs/containerinsights/blog/performance",
    ]
    assert not [o for o in others if any(o.startswith(p) for p in prefixes)]
    assert all(any(o.startswith(p) for p in prefixes) for o in ours)


def test_alarm_requests_split_by_region_and_the_composite_sees_the_regional_ones():
    ids = FILTERS["monitoring_resource_ids"](INVENTORY, "s")
    thresholds = {name: high for name, (_tier, _low, high, _meaning) in monitoring.THRESHOLDS.items()}
    inputs = {**ids, "stack": "s", "actions": ["arn:t"], "thresholds": thresholds, "db_max_connections": 85,
              "additional_metrics": True}  # fmt: skip
    alarms = FILTERS["monitoring_alarms"](inputs)
    regional = FILTERS["monitoring_alarm_requests"](alarms, "eu-west-3")
    edge = FILTERS["monitoring_alarm_requests"](alarms, "us-east-1")
    assert len(regional) + len(edge) == len(alarms) and len(edge) == 3
    assert all("region" not in a for a in regional + edge)
    assert {a["AlarmName"].split("/")[1] for a in edge} == {"edge"}
    rule = FILTERS["monitoring_composite_rule"](alarms, "s")
    assert "s/load_balancer/alb-5xx" in rule and "cloudfront" not in rule
    counts = FILTERS["monitoring_alarm_counts"](alarms)
    assert set(counts) == set(monitoring.TIERS)
    only_db = FILTERS["monitoring_alarms"]({**inputs, "tiers": ["database"]})
    assert {a["Tags"][0]["Value"] for a in only_db} == {"database"}


GOOD = {
    "thresholds": {"db_cpu_percent": 80},
    "emails": ["ops@example.com"],
    "https_endpoints": ["https://hooks.example/x"],
    "tiers": ["edge", "database"],
    "retention_days": 30,
}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"emails": ["ops@"]}, "monitoring_alert_emails entry 'ops@' is not an email address"),
        ({"thresholds": {"db_cpu_percent": 150}}, "monitoring_thresholds.db_cpu_percent 150 is out of range 1..100"),
        ({"thresholds": {"db_cpu": 80}}, "unknown entry 'db_cpu'"),
        ({"tiers": ["databse"]}, "monitoring_tiers entry 'databse' is not a tier"),
        ({"https_endpoints": ["http://x"]}, "must be an https:// URL"),
        ({"retention_days": 10}, "monitoring_log_retention_days 10 is not a retention"),
    ],
)
def test_input_errors_name_the_variable(change, message):
    assert FILTERS["monitoring_input_errors"](GOOD) == []
    errors = FILTERS["monitoring_input_errors"]({**GOOD, **change})
    assert len(errors) == 1 and message in errors[0], errors


def test_every_environment_default_passes_its_own_checks():
    import yaml

    defaults = yaml.safe_load((ROOT / "roles/monitoring/defaults/main.yml").read_text())
    for environment, thresholds in defaults["monitoring_thresholds_by_environment"].items():
        assert set(thresholds) == set(monitoring.THRESHOLDS), environment
        assert FILTERS["monitoring_input_errors"]({"thresholds": thresholds}) == [], environment
