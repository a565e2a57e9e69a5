# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters for the monitoring tier: input checks, resource ids, alarms, metric filters, queries, the dashboard."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import alarms
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import dashboard
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import logs
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.resource_ids import resource_ids
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import monitoring


def _monitoring_input_errors(inputs):
    return monitoring.errors(dict(inputs))


def _monitoring_resource_ids(resources, stack):
    return resource_ids(list(resources or []), str(stack))


def _monitoring_alarms(inputs):
    inputs = dict(inputs)
    missing = sorted(set(monitoring.THRESHOLDS) - set(inputs.get("thresholds") or {}))
    if missing:
        raise AnsibleFilterError(f"monitoring_alarms: thresholds missing: {', '.join(missing)}")
    tiers = set(inputs.get("tiers") or monitoring.TIERS)
    return [a for a in alarms.alarm_definitions(inputs) if a["Tags"][0]["Value"] in tiers]


def _monitoring_alarm_requests(alarm_list, region):
    """The alarms of one region (``us-east-1`` holds CloudFront's and WAF's), as PutMetricAlarm requests."""
    wanted = "us-east-1" if region == "us-east-1" else None
    return [{k: v for k, v in a.items() if k != "region"} for a in alarm_list if a.get("region") == wanted]


def _monitoring_composite_rule(alarm_list, stack):
    return alarms.composite_rule(str(stack), [a for a in alarm_list if "region" not in a])


def _monitoring_alarm_counts(alarm_list):
    counts = {}
    for alarm in alarm_list:
        tier = alarm["Tags"][0]["Value"]
        counts[tier] = counts.get(tier, 0) + 1
    return counts


def _monitoring_metric_filters(stack):
    return logs.metric_filters(str(stack))


def _monitoring_query_definitions(stack, log_group):
    return logs.query_definitions(str(stack), str(log_group))


def _monitoring_log_group_prefixes(stack, functions=None):
    return logs.log_group_prefixes(str(stack), list(functions or []))


def _monitoring_dashboard(inputs):
    return dashboard.dashboard_body(dict(inputs))


class FilterModule:
    def filters(self):
        return {
            "monitoring_input_errors": _monitoring_input_errors,
            "monitoring_resource_ids": _monitoring_resource_ids,
            "monitoring_alarms": _monitoring_alarms,
            "monitoring_alarm_requests": _monitoring_alarm_requests,
            "monitoring_composite_rule": _monitoring_composite_rule,
            "monitoring_alarm_counts": _monitoring_alarm_counts,
            "monitoring_metric_filters": _monitoring_metric_filters,
            "monitoring_query_definitions": _monitoring_query_definitions,
            "monitoring_log_group_prefixes": _monitoring_log_group_prefixes,
            "monitoring_dashboard": _monitoring_dashboard,
        }
