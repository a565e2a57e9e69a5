# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stack's CloudWatch Logs: the retentions CloudWatch accepts, the log metric filters on the container logs,
the saved Logs Insights queries and where the stack's log groups are."""

from __future__ import annotations

# The retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days: the one list.
RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
                  3653)  # fmt: skip

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


def wanted_retention(current: int | None, retention_days: int, max_days: int | None) -> int | None:
    """The retention a group should have, or None when it may keep its own."""
    if current is None:
        return retention_days
    if max_days and current > max_days:
        return max_days
    return None
