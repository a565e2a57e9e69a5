"""Unit tests of the wafv2_ip_set module against moto, and after a lost create answer."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import wafv2_ip_set

GLOBAL = "us-east-1"
TAGS = {"wordpress_aws:stack": "s"}


def args(**extra):
    return {
        "name": "s-admin-v4",
        "scope": "CLOUDFRONT",
        "region": GLOBAL,
        "ip_address_version": "IPV4",
        "addresses": ["203.0.113.0/24", "198.51.100.7/32"],
        "description": "admins",
        "tags": TAGS,
        **extra,
    }


def ip_sets(aws):
    return aws("wafv2", GLOBAL).list_ip_sets(Scope="CLOUDFRONT", Limit=100)["IPSets"]


def test_ip_set_is_created_converged_and_removed(aws, run_module):
    check = run_module(wafv2_ip_set, args(), check_mode=True)
    assert check["changed"] is True and ip_sets(aws) == []
    created = run_module(wafv2_ip_set, args())
    assert created["changed"] is True and created["changes"] == ["created"]
    (summary,) = ip_sets(aws)
    assert created["arn"] == summary["ARN"] == created["ip_set"]["arn"]
    assert created["ip_set"]["addresses"] == ["198.51.100.7/32", "203.0.113.0/24"]
    assert created["ip_set"]["tags"] == TAGS
    # order and host bits do not make a change
    same = run_module(wafv2_ip_set, args(addresses=["203.0.113.9/24", "198.51.100.7/32"]))
    assert same["changed"] is False, same["changes"]
    moved = run_module(wafv2_ip_set, args(addresses=["192.0.2.0/24"], tags={"owner": "ops"}))
    assert moved["changes"] == ["addresses", "tags"]
    assert moved["ip_set"]["addresses"] == ["192.0.2.0/24"] and moved["ip_set"]["tags"] == {"owner": "ops"}
    assert moved["diff"]["before"]["addresses"] == ["198.51.100.7/32", "203.0.113.0/24"]
    absent = {"name": "s-admin-v4", "scope": "CLOUDFRONT", "region": GLOBAL, "state": "absent"}
    assert run_module(wafv2_ip_set, absent, check_mode=True)["changed"] is True and len(ip_sets(aws)) == 1
    assert run_module(wafv2_ip_set, absent)["changed"] is True and ip_sets(aws) == []
    assert run_module(wafv2_ip_set, absent)["changed"] is False


def test_bad_input_fails_clearly(aws, run_module):
    assert "addresses" in run_module(wafv2_ip_set, args(addresses=["not-a-network"]))["msg"]
    run_module(wafv2_ip_set, args())
    result = run_module(wafv2_ip_set, args(ip_address_version="IPV6", addresses=["2001:db8::/32"]))
    assert result["failed"] and "cannot change a set's IP version" in result["msg"]


def test_a_lost_create_answer_adopts_the_set_and_makes_no_second_one(aws, run_module, lost_answer):
    """CreateIPSet has no token: the set a lost answer made is found by name and adopted, not created again (the
    emulator would store a second set of the name; AWS would answer WAFDuplicateItemException)."""
    calls = lost_answer("CreateIPSet")
    created = run_module(wafv2_ip_set, args())
    assert created.get("failed") is not True, created
    assert created["changed"] is True and created["changes"] == ["created"] and len(calls) == 1
    (summary,) = ip_sets(aws)
    assert created["arn"] == summary["ARN"]


def test_a_duplicate_answer_adopts_the_set(run_module, stubbed, monkeypatch):
    """WAF's WAFDuplicateItemException on the create (a resend that was not ours, a concurrent run): adopted."""
    monkeypatch.setattr("time.sleep", lambda _s: None)
    stub = stubbed("wafv2", GLOBAL)
    arn = "arn:aws:wafv2:us-east-1:123456789012:global/ipset/s-admin-v4/1"
    listing = {"Scope": "CLOUDFRONT", "Limit": 100}
    made = {"Name": "s-admin-v4", "Id": "1", "ARN": arn, "IPAddressVersion": "IPV4",
            "Addresses": ["198.51.100.7/32", "203.0.113.0/24"], "Description": "admins"}  # fmt: skip
    stub.add_response("list_ip_sets", {"IPSets": []}, listing)
    stub.add_client_error("create_ip_set", "WAFDuplicateItemException")
    stub.add_response("list_ip_sets", {"IPSets": [{"Name": "s-admin-v4", "Id": "1", "ARN": arn, "LockToken": "t"}]})
    stub.add_response(
        "get_ip_set", {"IPSet": made, "LockToken": "t"}, {"Name": "s-admin-v4", "Scope": "CLOUDFRONT", "Id": "1"}
    )
    stub.add_response("list_tags_for_resource", {"TagInfoForResource": {"ResourceARN": arn, "TagList": [
        {"Key": "wordpress_aws:stack", "Value": "s"}]}}, {"ResourceARN": arn})  # fmt: skip
    result = run_module(wafv2_ip_set, args())
    assert result.get("failed") is not True, result
    stub.assert_no_pending_responses()
    assert result["changed"] is True and result["changes"] == ["created"] and result["arn"] == arn
