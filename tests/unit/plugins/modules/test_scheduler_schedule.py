"""scheduler_schedule against moto's EventBridge Scheduler."""

from __future__ import annotations

from botocore.exceptions import ClientError

from ansible_collections.amazon.aws.plugins.module_utils import cloud
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper
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


def test_a_role_still_propagating_is_retried(aws, run_module, monkeypatch):
    """CreateSchedule seconds after CreateRole: Scheduler refuses the role until IAM has propagated (fault front B)."""
    slept, refusals = [], []
    monkeypatch.setattr(cloud.time, "sleep", slept.append)
    real = scheduler_schedule.WordPressAWSModule.client

    def client(self, service, retry_decorator=None, **kwargs):
        conn = real(self, service, **kwargs)
        create = conn.create_schedule

        def create_schedule(**params):
            if len(refusals) < 2:
                message = "The execution role you provide must allow AWS EventBridge Scheduler to assume the role."
                refusals.append(message)
                raise ClientError({"Error": {"Code": "ValidationException", "Message": message}}, "CreateSchedule")
            return create(**params)

        conn.create_schedule = create_schedule
        return conn if retry_decorator is None else RetryingBotoClientWrapper(conn, retry_decorator)

    monkeypatch.setattr(scheduler_schedule.WordPressAWSModule, "client", client)
    result = run_module(scheduler_schedule, ARGS)
    assert result.get("failed") is not True, result
    assert result["changes"] == ["created"] and len(refusals) == 2 and slept == [2, 3]
    assert aws("scheduler").get_schedule(Name="s-db-stop")["Name"] == "s-db-stop"


def test_a_lost_create_answer_resends_one_token_and_adopts_the_schedule(aws, run_module, lost_answer):
    """CreateSchedule after a lost answer: the retry carries the same ClientToken (botocore makes a new one per call;
    AWS then answers the first answer again), and a ConflictException against the stored schedule adopts it."""
    calls = lost_answer("CreateSchedule")
    result = run_module(scheduler_schedule, ARGS)
    assert result.get("failed") is not True, result
    assert result["changes"] == ["created"] and len(calls) == 2
    assert calls[0]["ClientToken"] == calls[1]["ClientToken"]
    assert [s["Name"] for s in aws("scheduler").list_schedules()["Schedules"]] == ["s-db-stop"]
