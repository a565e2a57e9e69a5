"""Unit tests of the elb_header_rule module (split out of tests/unit/test_elb_header_rule.py)."""

from __future__ import annotations

import json

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import elb_header_rule

VALUE = "Zq7dpcR2mWv9Kx4LtB8nHs3Fy6Jg1Ue5"


def rule_args(alb, **extra):
    return {
        "listener_arn": alb["listener"],
        "priority": 10,
        "secret_id": "s/cloudfront/origin-verify",
        "target_group_arn": alb["tg"],
        "tags": {"wordpress_aws:stack": "s"},
        **extra,
    }


def header_rules(alb):
    return [r for r in alb["elb"].describe_rules(ListenerArn=alb["listener"])["Rules"] if not r["IsDefault"]]


def test_rule_forwards_only_with_the_secret_header(alb, run_module):
    check = run_module(elb_header_rule, rule_args(alb), check_mode=True)
    assert check["changed"] is True and header_rules(alb) == []
    created = run_module(elb_header_rule, rule_args(alb))
    assert created["changed"] is True
    (rule,) = header_rules(alb)
    assert rule["Conditions"][0]["HttpHeaderConfig"] == {"HttpHeaderName": "X-Origin-Verify", "Values": [VALUE]}
    assert rule["Actions"][0]["TargetGroupArn"] == alb["tg"]
    assert VALUE not in json.dumps(created)
    assert created["rule"]["tags"] == {"wordpress_aws:stack": "s"}
    again = run_module(elb_header_rule, rule_args(alb))
    assert again["changed"] is False and VALUE not in json.dumps(again)


def test_rule_follows_a_rotated_value(alb, run_module):
    run_module(elb_header_rule, rule_args(alb))
    rotated = "N3wV4lu3afterRotationXXXXXXXXXXXX"
    alb["sm"].put_secret_value(SecretId="s/cloudfront/origin-verify", SecretString=json.dumps({"value": rotated}))
    result = run_module(elb_header_rule, rule_args(alb))
    assert result["changed"] is True and rotated not in json.dumps(result) and VALUE not in json.dumps(result)
    (rule,) = header_rules(alb)
    assert rule["Conditions"][0]["HttpHeaderConfig"]["Values"] == [rotated]


def test_rule_missing_field_and_absent(alb, run_module):
    failed = run_module(elb_header_rule, rule_args(alb, secret_field="header"))
    assert failed["failed"] and "no JSON field header" in failed["msg"]
    run_module(elb_header_rule, rule_args(alb))
    assert (
        run_module(elb_header_rule, {"listener_arn": alb["listener"], "priority": 10, "state": "absent"})["changed"]
        is True
    )
    assert header_rules(alb) == []


def test_during_a_rotation_both_values_pass_then_only_the_new_one(alb, run_module):
    from ansible_collections.techblogpro.wordpress_aws.plugins.modules import secret_version

    by_name = {
        "load_balancer_name": "s-alb",
        "priority": 10,
        "secret_id": "s/cloudfront/origin-verify",
        "target_group_name": "s-tg",
        "tags": {"wordpress_aws:stack": "s"},
    }
    assert run_module(elb_header_rule, by_name)["changed"] is True
    staged = run_module(
        secret_version,
        {"secret_id": "s/cloudfront/origin-verify", "action": "stage", "generate": [{"name": "value", "length": 48}]},
    )
    new = json.loads(
        alb["sm"].get_secret_value(SecretId="s/cloudfront/origin-verify", VersionStage="AWSPENDING")["SecretString"]
    )["value"]

    both = run_module(elb_header_rule, {**by_name, "secret_stages": ["AWSCURRENT", "AWSPENDING"]})
    assert both["changed"] is True
    assert VALUE not in json.dumps(both) and new not in json.dumps(both)
    values = header_rules(alb)[0]["Conditions"][0]["HttpHeaderConfig"]["Values"]
    assert sorted(values) == sorted([VALUE, new])

    run_module(secret_version, {"secret_id": "s/cloudfront/origin-verify", "action": "promote"})
    after = run_module(elb_header_rule, by_name)
    assert after["changed"] is True and staged["changed"] is True
    assert header_rules(alb)[0]["Conditions"][0]["HttpHeaderConfig"]["Values"] == [new]
    # the accepting-both step repeated after the promotion holds only the current value: no pending label is left
    assert run_module(elb_header_rule, {**by_name, "secret_stages": ["AWSCURRENT", "AWSPENDING"]})["changed"] is False


def test_names_that_do_not_exist_fail_clearly(alb, run_module):
    result = run_module(
        elb_header_rule,
        {
            "load_balancer_name": "nope",
            "priority": 10,
            "secret_id": "s/cloudfront/origin-verify",
            "target_group_name": "s-tg",
        },
    )
    assert result["failed"] and "load balancer nope does not exist" in result["msg"]


def test_a_lost_create_answer_adopts_our_rule_at_the_priority(alb, run_module, lost_answer):
    """CreateRule has no token: its retry after a lost answer meets PriorityInUse against our own rule: adopted."""
    calls = lost_answer("CreateRule")
    created = run_module(elb_header_rule, rule_args(alb))
    assert created.get("failed") is not True, created
    assert created["changed"] is True and len(calls) == 2
    (rule,) = header_rules(alb)
    assert created["rule"]["rule_arn"] == rule["RuleArn"]


def test_another_rule_at_the_priority_is_not_adopted(alb):
    """Only our rule (our conditions and actions) is adopted after PriorityInUse; another one stays a conflict."""
    from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import elb_rule

    conditions, actions = elb_rule.desired("X-Origin-Verify", [VALUE], alb["tg"])
    other = {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain"}}
    path = [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/x"]}}]
    alb["elb"].create_rule(ListenerArn=alb["listener"], Priority=10, Conditions=path, Actions=[other])
    assert elb_header_rule._ours_at(alb["elb"], alb["listener"], 10, conditions, actions) is None
    alb["elb"].create_rule(ListenerArn=alb["listener"], Priority=11, Conditions=conditions, Actions=actions)
    assert elb_header_rule._ours_at(alb["elb"], alb["listener"], 11, conditions, actions)["Priority"] == "11"
