"""cloudwatch_dashboard against moto: written only when the body differs as data, removed on absent."""

from __future__ import annotations

import json

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cloudwatch_dashboard

WIDGET = {
    "type": "metric",
    "x": 0,
    "y": 0,
    "width": 12,
    "height": 6,
    "properties": {
        "title": "ALB requests",
        "region": "eu-west-3",
        "metrics": [["AWS/ApplicationELB", "RequestCount", "LoadBalancer", "app/s-alb/1"]],
        "stat": "Sum",
        "period": 60,
    },
}


def test_dashboard_converges_on_the_body_as_data(aws, run_module):
    cw = aws("cloudwatch")
    args = {"name": "s", "body": {"widgets": [WIDGET]}}
    check = run_module(cloudwatch_dashboard, args, check_mode=True)
    assert check["changed"] and cw.list_dashboards()["DashboardEntries"] == []
    first = run_module(cloudwatch_dashboard, args)
    assert first["changed"] and first["dashboard"]["widgets"] == 1
    assert json.loads(cw.get_dashboard(DashboardName="s")["DashboardBody"]) == {"widgets": [WIDGET]}
    assert run_module(cloudwatch_dashboard, args)["changed"] is False
    # The same body as JSON text, keys in another order, is the same dashboard.
    text = json.dumps({"widgets": [dict(reversed(list(WIDGET.items())))]}, indent=2)
    assert run_module(cloudwatch_dashboard, {"name": "s", "body": text})["changed"] is False

    wider = {"widgets": [{**WIDGET, "width": 24}]}
    changed = run_module(cloudwatch_dashboard, {"name": "s", "body": wider})
    assert changed["changed"] and changed["diff"]["before"]["body"]["widgets"][0]["width"] == 12
    assert json.loads(cw.get_dashboard(DashboardName="s")["DashboardBody"])["widgets"][0]["width"] == 24

    assert run_module(cloudwatch_dashboard, {"name": "s", "state": "absent"})["changed"] is True
    assert cw.list_dashboards()["DashboardEntries"] == []
    assert run_module(cloudwatch_dashboard, {"name": "s", "state": "absent"})["changed"] is False


def test_dashboard_input_errors(aws, run_module):
    bad_name = run_module(cloudwatch_dashboard, {"name": "my dashboard", "body": {"widgets": []}})
    assert bad_name["failed"] and "may hold only letters" in bad_name["msg"]
    bad_json = run_module(cloudwatch_dashboard, {"name": "s", "body": "{widgets: ["})
    assert bad_json["failed"] and "body is not JSON" in bad_json["msg"]
    no_widgets = run_module(cloudwatch_dashboard, {"name": "s", "body": {"start": "-PT3H"}})
    assert no_widgets["failed"] and "list of widgets" in no_widgets["msg"]
