"""elb_attributes against moto (load balancer and target group attributes) and botocore's Stubber (an attribute the
endpoint does not report, an API error)."""

from __future__ import annotations

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import elb_attributes

LB_WANTED = {
    "idle_timeout.timeout_seconds": 60,
    "routing.http.drop_invalid_header_fields.enabled": True,
    "deletion_protection.enabled": False,
}


def lb_attributes(alb):
    found = alb["elb"].describe_load_balancer_attributes(LoadBalancerArn=alb["lb"])["Attributes"]
    return {a["Key"]: a["Value"] for a in found}


def tg_attributes(alb):
    found = alb["elb"].describe_target_group_attributes(TargetGroupArn=alb["tg"])["Attributes"]
    return {a["Key"]: a["Value"] for a in found}


def test_load_balancer_attributes_are_set_once_and_check_mode_writes_nothing(alb, run_module):
    args = {"arn": alb["lb"], "attributes": LB_WANTED}
    before = lb_attributes(alb)
    assert before.get("idle_timeout.timeout_seconds") != "60"  # moto, like a new ALB, may not report it

    check = run_module(elb_attributes, args, check_mode=True)
    assert check["changed"] is True
    assert lb_attributes(alb) == before

    first = run_module(elb_attributes, args)
    assert first["changed"] is True
    now = lb_attributes(alb)
    assert now["idle_timeout.timeout_seconds"] == "60"
    assert now["routing.http.drop_invalid_header_fields.enabled"] == "true"
    assert now["deletion_protection.enabled"] == "false"

    assert run_module(elb_attributes, args)["changed"] is False
    assert run_module(elb_attributes, args, check_mode=True)["changed"] is False


def test_attributes_not_asked_for_are_left_alone(alb, run_module):
    run_module(elb_attributes, {"arn": alb["lb"], "attributes": {"idle_timeout.timeout_seconds": 120}})
    before = lb_attributes(alb)
    changed = run_module(elb_attributes, {"arn": alb["lb"], "attributes": {"deletion_protection.enabled": True}})
    assert changed["changed"] is True
    assert lb_attributes(alb) == {**before, "deletion_protection.enabled": "true"}
    assert lb_attributes(alb)["idle_timeout.timeout_seconds"] == "120"


def test_target_group_attributes_are_set_on_the_target_group(alb, run_module):
    args = {"arn": alb["tg"], "attributes": {"deregistration_delay.timeout_seconds": 30}}
    assert tg_attributes(alb)["deregistration_delay.timeout_seconds"] != "30"
    assert run_module(elb_attributes, args, check_mode=True)["changed"] is True
    assert tg_attributes(alb)["deregistration_delay.timeout_seconds"] != "30"
    assert run_module(elb_attributes, args)["changed"] is True
    assert tg_attributes(alb)["deregistration_delay.timeout_seconds"] == "30"
    assert run_module(elb_attributes, args)["changed"] is False


LB_ARN = "arn:aws:elasticloadbalancing:eu-west-3:123456789012:loadbalancer/app/s-alb/0123456789abcdef"


def test_an_attribute_the_endpoint_does_not_report_is_set(stubbed, run_module):
    """What a just-created load balancer may answer: the key is missing, so it counts as different."""
    stub = stubbed("elbv2")
    reported = [{"Key": "idle_timeout.timeout_seconds", "Value": "60"}]
    stub.add_response("describe_load_balancer_attributes", {"Attributes": reported}, {"LoadBalancerArn": LB_ARN})
    stub.add_response(
        "modify_load_balancer_attributes",
        {},
        {
            "LoadBalancerArn": LB_ARN,
            "Attributes": [{"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}],
        },
    )
    after = [*reported, {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}]
    stub.add_response("describe_load_balancer_attributes", {"Attributes": after}, {"LoadBalancerArn": LB_ARN})
    wanted = {"idle_timeout.timeout_seconds": "60", "routing.http.drop_invalid_header_fields.enabled": True}
    result = run_module(elb_attributes, {"arn": LB_ARN, "attributes": wanted})
    stub.assert_no_pending_responses()  # one write, of the missing key only
    assert result["changed"] is True


def test_check_mode_sends_no_modify_call(stubbed, run_module):
    stub = stubbed("elbv2")
    stub.add_response("describe_load_balancer_attributes", {"Attributes": []}, {"LoadBalancerArn": LB_ARN})
    result = run_module(
        elb_attributes, {"arn": LB_ARN, "attributes": {"deletion_protection.enabled": True}}, check_mode=True
    )
    stub.assert_no_pending_responses()  # a modify call would have found no answer queued and failed the run
    assert result["changed"] is True and not result.get("failed")


@pytest.mark.parametrize("code", ["LoadBalancerNotFound", "AccessDenied"])
def test_an_api_error_fails_naming_the_arn(stubbed, run_module, code):
    stubbed("elbv2").add_client_error("describe_load_balancer_attributes", code, "no", 400)
    result = run_module(elb_attributes, {"arn": LB_ARN, "attributes": {"deletion_protection.enabled": True}})
    assert result["failed"] and LB_ARN in result["msg"]
