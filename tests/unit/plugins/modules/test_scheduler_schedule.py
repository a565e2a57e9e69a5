"""scheduler_schedule against moto's EventBridge Scheduler."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import scheduler_schedule

ARGS = {
    "name": "s-db-stop",
    "expression": "cron(0 20 ? * MON-FRI *)",
    "timezone": "Europe/Paris",
    "target_arn": "arn:aws:lambda:eu-west-3:123456789012:function:s-db-scheduler",
    "role_arn": "arn:aws:iam::123456789012:role/s-scheduler",
    "input": {"action": "stop"},
}


def test_schedule_lifecycle(aws, run_module):
    client = aws("scheduler")
    check = run_module(scheduler_schedule, ARGS, check_mode=True)
    assert check["changes"] == ["created"] and client.list_schedules()["Schedules"] == []
    assert run_module(scheduler_schedule, ARGS)["changes"] == ["created"]
    stored = client.get_schedule(Name="s-db-stop")
    assert stored["ScheduleExpressionTimezone"] == "Europe/Paris" and stored["Target"]["Input"] == '{"action": "stop"}'
    assert run_module(scheduler_schedule, ARGS)["changed"] is False
    later = run_module(scheduler_schedule, {**ARGS, "expression": "cron(0 21 ? * MON-FRI *)"})
    assert later["changes"] == ["expression"]
    assert client.get_schedule(Name="s-db-stop")["ScheduleExpression"] == "cron(0 21 ? * MON-FRI *)"
    assert run_module(scheduler_schedule, {"name": "s-db-stop", "state": "absent"})["changes"] == ["deleted"]
    assert run_module(scheduler_schedule, {"name": "s-db-stop", "state": "absent"})["changed"] is False
