"""Unit tests of the cloudwatch_dashboard_info module (split out of tests/unit/test_monitoring_modules.py)."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cloudwatch_dashboard_info


def test_dashboard_info_reads_the_body_or_nothing(aws, run_module):
    aws("cloudwatch").put_dashboard(
        DashboardName="s", DashboardBody='{"widgets": [{"type": "text", "properties": {}}]}'
    )
    found = run_module(cloudwatch_dashboard_info, {"name": "s"})
    assert found["dashboard"]["widgets"] == 1 and found["dashboard"]["body"]["widgets"][0]["type"] == "text"
    assert run_module(cloudwatch_dashboard_info, {"name": "other"})["dashboard"] == {}
