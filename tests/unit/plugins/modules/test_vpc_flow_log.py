"""Unit tests of the vpc_flow_log module (split out of tests/unit/test_network_modules.py)."""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import flow_log as fl
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import nat_gateway
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import vpc_flow_log

from .test_nat_gateway import _subnet

TAGS = {"wordpress_aws:stack": "blog"}


def _flow_args(vpc, role="arn:aws:iam::123456789012:role/wordpress-aws/blog/flow"):
    return {
        "resource_id": vpc,
        "log_group_name": "/wordpress-aws/blog/vpc-flow-logs",
        "deliver_logs_permission_arn": role,
        "tags": TAGS,
    }


def test_flow_log_converges(aws, run_module):
    ec2 = aws("ec2")
    vpc, _subnet_id = _subnet(ec2)
    assert run_module(vpc_flow_log, _flow_args(vpc), check_mode=True)["changed"] is True
    assert fl.find_flow_logs(ec2, vpc, "/wordpress-aws/blog/vpc-flow-logs") == []
    created = run_module(vpc_flow_log, _flow_args(vpc))
    assert created["changed"] is True
    assert created["flow_log"]["traffic_type"] == "ALL"
    assert created["flow_log"]["tags"] == TAGS
    assert run_module(vpc_flow_log, _flow_args(vpc))["changed"] is False
    assert run_module(vpc_flow_log, _flow_args(vpc), check_mode=True)["changed"] is False


def test_flow_log_is_replaced_when_an_immutable_attribute_changes(aws, run_module):
    ec2 = aws("ec2")
    vpc, _subnet_id = _subnet(ec2)
    first = run_module(vpc_flow_log, _flow_args(vpc))["flow_log"]["flow_log_id"]
    args = {**_flow_args(vpc), "traffic_type": "REJECT"}
    result = run_module(vpc_flow_log, args)
    assert result["changed"] is True
    logs = fl.find_flow_logs(ec2, vpc, "/wordpress-aws/blog/vpc-flow-logs")
    assert [f["TrafficType"] for f in logs] == ["REJECT"]
    assert logs[0]["FlowLogId"] != first


def test_flow_log_absent(aws, run_module):
    ec2 = aws("ec2")
    vpc, _subnet_id = _subnet(ec2)
    run_module(vpc_flow_log, _flow_args(vpc))
    assert run_module(vpc_flow_log, {**_flow_args(vpc), "state": "absent"})["changed"] is True
    assert fl.find_flow_logs(ec2, vpc, "/wordpress-aws/blog/vpc-flow-logs") == []
    assert run_module(vpc_flow_log, {**_flow_args(vpc), "state": "absent"})["changed"] is False


def test_flow_log_needs_a_role(aws, run_module):
    vpc, _subnet_id = _subnet(aws("ec2"))
    result = run_module(vpc_flow_log, {"resource_id": vpc, "log_group_name": "g"})
    assert result["failed"] and "deliver_logs_permission_arn is required" in result["msg"]


def test_flow_log_and_nat_gateway_tags_are_converged(aws, run_module):
    ec2 = aws("ec2")
    vpc, subnet = _subnet(ec2)
    run_module(vpc_flow_log, _flow_args(vpc))
    retagged = run_module(vpc_flow_log, {**_flow_args(vpc), "tags": {"team": "web"}})
    assert retagged["changed"] is True and retagged["flow_log"]["tags"] == {"team": "web"}
    run_module(nat_gateway, {"name": "n", "subnet_id": subnet, "tags": TAGS})
    gateway = run_module(nat_gateway, {"name": "n", "subnet_id": subnet, "tags": {"team": "web"}})
    assert gateway["changed"] is True
    assert gateway["nat_gateway"]["tags"] == {"team": "web", "Name": "n"}


def test_a_lost_create_answer_is_retried_with_the_same_client_token(run_module, stubbed, monkeypatch):
    """CreateFlowLogs takes a ClientToken botocore does not fill: the module passes one, and the retry after a lost
    answer (500) resends it, so AWS answers the first answer again (Stubber: the emulator ignores tokens)."""
    monkeypatch.setattr("time.sleep", lambda _s: None)
    stub = stubbed("ec2")
    sent = []
    stub.client.meta.events.register(
        "before-parameter-build.ec2.CreateFlowLogs", lambda params, **_kw: sent.append(dict(params))
    )
    made = {
        "FlowLogId": "fl-1",
        "ResourceId": "vpc-1",
        "LogGroupName": "/wordpress-aws/blog/vpc-flow-logs",
        "LogDestinationType": "cloud-watch-logs",
        "TrafficType": "ALL",
        "DeliverLogsPermissionArn": "arn:aws:iam::123456789012:role/wordpress-aws/blog/flow",
        "MaxAggregationInterval": 600,
        "Tags": [{"Key": "wordpress_aws:stack", "Value": "blog"}],
    }
    stub.add_response("describe_flow_logs", {"FlowLogs": []})
    stub.add_client_error("create_flow_logs", "InternalError", http_status_code=500)
    stub.add_response("create_flow_logs", {"FlowLogIds": ["fl-1"], "Unsuccessful": []})
    stub.add_response("describe_flow_logs", {"FlowLogs": [made]})
    result = run_module(vpc_flow_log, _flow_args("vpc-1"))
    assert result.get("failed") is not True, result
    stub.assert_no_pending_responses()
    assert result["changed"] is True
    assert len(sent) == 2 and sent[0]["ClientToken"] and sent[0]["ClientToken"] == sent[1]["ClientToken"]
