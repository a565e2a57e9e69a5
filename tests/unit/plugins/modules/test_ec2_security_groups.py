"""Unit tests of the ec2_security_groups module: groups that reference each other, in one call, without duplicates."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ec2_writes
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import ec2_security_groups

TAGS = {"wordpress_aws:stack": "blog"}


def chain(pl="pl-0123456789abcdef0"):
    return [
        {
            "name": "blog-alb",
            "description": "ALB",
            "tags": {"Name": "blog-alb"},
            "ingress": [{"ports": ["80", "443"], "prefix_list_ids": [pl]}],
            "egress": [{"ports": ["80"], "groups": ["blog-app"], "description": "to WordPress tasks"}],
        },
        {
            "name": "blog-app",
            "description": "tasks",
            "tags": {"Name": "blog-app"},
            "ingress": [{"ports": ["80"], "groups": ["blog-alb"], "description": "from the ALB"}],
            "egress": [
                {"ports": ["443"], "cidr_ipv4": ["0.0.0.0/0"], "description": "HTTPS out"},
                {"ports": ["3306"], "groups": ["blog-db"], "description": "to the database"},
            ],
        },
        {
            "name": "blog-db",
            "description": "db",
            "tags": {"Name": "blog-db"},
            "ingress": [{"ports": ["3306"], "groups": ["blog-app"], "description": "from WordPress tasks"}],
            "egress": [],
        },
    ]


def _vpc(ec2):
    return ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]


def _groups(ec2, vpc):
    found = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"]
    return {group["GroupName"]: group for group in found}


def _pairs(permissions):
    return sorted(
        (p["IpProtocol"], p.get("FromPort"), pair["GroupId"], pair.get("Description"))
        for p in permissions
        for pair in p.get("UserIdGroupPairs", [])
    )


def test_groups_referencing_each_other_are_created_in_one_call_then_a_rerun_changes_nothing(aws, run_module):
    ec2 = aws("ec2")
    vpc = _vpc(ec2)
    pl = ec2.create_managed_prefix_list(PrefixListName="cf", MaxEntries=5, AddressFamily="IPv4")["PrefixList"]
    args = {"vpc_id": vpc, "groups": chain(pl["PrefixListId"]), "tags": TAGS}

    planned = run_module(ec2_security_groups, args, check_mode=True)
    assert planned["changed"] is True
    assert planned["changes"][:3] == ["created group blog-alb", "created group blog-app", "created group blog-db"]
    assert "revoked egress all 0.0.0.0/0 on blog-db" in planned["changes"]
    assert planned["group_ids"]["blog-app"] == "(known after apply)"
    assert set(_groups(ec2, vpc)) == {"default"}

    first = run_module(ec2_security_groups, args)
    assert first["changed"] is True, first
    ids = first["group_ids"]
    held = _groups(ec2, vpc)
    assert set(held) == {"default", "blog-alb", "blog-app", "blog-db"}
    assert ids == {name: held[name]["GroupId"] for name in ("blog-alb", "blog-app", "blog-db")}
    alb, app, db = held["blog-alb"], held["blog-app"], held["blog-db"]
    assert {t["Key"]: t["Value"] for t in app["Tags"]} == {**TAGS, "Name": "blog-app"}
    assert sorted((p["FromPort"], p["PrefixListIds"][0]["PrefixListId"]) for p in alb["IpPermissions"]) == [
        (80, pl["PrefixListId"]),
        (443, pl["PrefixListId"]),
    ]
    assert _pairs(alb["IpPermissionsEgress"]) == [("tcp", 80, ids["blog-app"], "to WordPress tasks")]
    assert _pairs(app["IpPermissions"]) == [("tcp", 80, ids["blog-alb"], "from the ALB")]
    assert _pairs(app["IpPermissionsEgress"]) == [("tcp", 3306, ids["blog-db"], "to the database")]
    assert [r["CidrIp"] for p in app["IpPermissionsEgress"] for r in p.get("IpRanges", [])] == ["0.0.0.0/0"]
    assert _pairs(db["IpPermissions"]) == [("tcp", 3306, ids["blog-app"], "from WordPress tasks")]
    assert db["IpPermissionsEgress"] == []  # the allow-all egress AWS gives a new group is gone

    again = run_module(ec2_security_groups, args)
    assert again["changed"] is False, again["changes"]
    assert again["group_ids"] == ids
    assert again["diff"]["before"] == again["diff"]["after"]


def test_rules_not_listed_are_revoked_and_descriptions_converge(aws, run_module):
    ec2 = aws("ec2")
    vpc = _vpc(ec2)
    groups = chain()[1:]  # blog-app and blog-db
    groups[0]["ingress"] = []  # blog-alb is not in this call
    groups[1]["ingress"].append({"ports": ["80"], "cidr_ipv4": ["10.0.0.0/16"], "description": "web"})
    args = {"vpc_id": vpc, "groups": groups, "tags": TAGS}
    ids = run_module(ec2_security_groups, {**args, "groups": [{**g, "ingress": []} for g in groups]})["group_ids"]
    app, db = ids["blog-app"], ids["blog-db"]
    ec2.authorize_security_group_ingress(
        GroupId=db,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "UserIdGroupPairs": [{"GroupId": app}]},
            {
                "IpProtocol": "tcp",
                "FromPort": 80,
                "ToPort": 80,
                "IpRanges": [{"CidrIp": "10.0.0.0/16", "Description": "old"}],
            },
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
        ],
    )
    planned = run_module(ec2_security_groups, args, check_mode=True)
    assert "changes" in planned, planned
    assert "described ingress tcp 80 10.0.0.0/16 on blog-db" in planned["changes"]
    assert "revoked ingress tcp 22 10.0.0.0/8 on blog-db" in planned["changes"]
    assert f"authorized ingress tcp 80 {db} (blog-db) on blog-app" not in planned["changes"]
    result = run_module(ec2_security_groups, args)
    assert result["changed"] is True
    held = _groups(ec2, vpc)["blog-db"]["IpPermissions"]
    ranges = sorted((p["FromPort"], r["CidrIp"], r.get("Description")) for p in held for r in p.get("IpRanges", []))
    assert ranges == [(80, "10.0.0.0/16", "web")]
    assert [pair["GroupId"] for p in held for pair in p.get("UserIdGroupPairs", [])] == [app]
    # The emulator does not store descriptions of group pairs updated in place (docs/not-emulated.md), so the
    # 3306 rule's description is the one thing left; the Stubber test below proves the update call.
    assert run_module(ec2_security_groups, args)["changes"] == [
        f"described ingress tcp 3306 {app} (blog-app) on blog-db"
    ]


def test_a_group_rule_description_is_updated_in_place(stubbed, run_module):
    ref = {"IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "UserIdGroupPairs": [{"GroupId": "sg-0aaa"}]}
    described = {**ref, "UserIdGroupPairs": [{"GroupId": "sg-0aaa", "Description": "from tasks"}]}
    stub = stubbed("ec2")
    stub.add_response("describe_security_groups", {"SecurityGroups": [_group(ingress=[ref])]}, _filter())
    stub.add_response(
        "update_security_group_rule_descriptions_ingress",
        {"Return": True},
        {"GroupId": "sg-0123456789abcdef0", "IpPermissions": [described]},
    )
    stub.add_response("describe_security_groups", {"SecurityGroups": [_group(ingress=[described])]}, _filter())
    groups = [{**WANTED[0], "ingress": [{"ports": ["3306"], "groups": ["sg-0aaa"], "description": "from tasks"}]}]
    result = run_module(ec2_security_groups, {"vpc_id": "vpc-1", "groups": groups, "tags": TAGS})
    assert result.get("failed") is not True, result
    assert result["changes"] == ["described ingress tcp 3306 sg-0aaa on blog-db"]


def test_the_default_group_is_emptied_never_created_nor_tagged(aws, run_module):
    ec2 = aws("ec2")
    vpc = _vpc(ec2)
    args = {"vpc_id": vpc, "groups": [{"name": "default", "ingress": [], "egress": []}]}
    result = run_module(ec2_security_groups, args)
    assert result["changed"] is True
    default = _groups(ec2, vpc)["default"]
    assert default["IpPermissions"] == [] and default["IpPermissionsEgress"] == []
    assert run_module(ec2_security_groups, args)["changed"] is False


def test_a_rule_naming_an_unknown_group_is_refused_before_any_write(aws, run_module):
    ec2 = aws("ec2")
    vpc = _vpc(ec2)
    groups = [{"name": "a", "description": "a", "ingress": [{"ports": ["80"], "groups": ["nope"]}]}]
    result = run_module(ec2_security_groups, {"vpc_id": vpc, "groups": groups})
    assert result["failed"] is True
    assert "'nope'" in result["msg"]
    assert set(_groups(ec2, vpc)) == {"default"}


# --- lost answers and slow releases (Stubber: the exact calls, in order) ----------------------------------------


def _filter():
    return {"Filters": [{"Name": "vpc-id", "Values": ["vpc-1"]}]}


def _group(ingress=(), egress=(), tags=None):
    tags = TAGS if tags is None else tags
    return {
        "GroupId": "sg-0123456789abcdef0",
        "GroupName": "blog-db",
        "Description": "db",
        "VpcId": "vpc-1",
        "OwnerId": "123456789012",
        "IpPermissions": list(ingress),
        "IpPermissionsEgress": list(egress),
        "Tags": [{"Key": k, "Value": v} for k, v in tags.items()],
    }


RULE = {
    "IpProtocol": "tcp",
    "FromPort": 3306,
    "ToPort": 3306,
    "IpRanges": [{"CidrIp": "10.0.0.0/16", "Description": "from the VPC"}],
}
WANTED = [
    {
        "name": "blog-db",
        "description": "db",
        "ingress": [{"ports": ["3306"], "cidr_ipv4": ["10.0.0.0/16"], "description": "from the VPC"}],
    }
]


def test_a_lost_create_answer_then_duplicate_adopts_the_group_once(stubbed, run_module):
    stub = stubbed("ec2")
    stub.add_response("describe_security_groups", {"SecurityGroups": []}, _filter())
    stub.add_client_error(
        "create_security_group", "InvalidGroup.Duplicate", "The security group 'blog-db' already exists"
    )
    stub.add_response("describe_security_groups", {"SecurityGroups": [_group(ingress=[RULE])]}, _filter())
    stub.add_response("describe_security_groups", {"SecurityGroups": [_group(ingress=[RULE])]}, _filter())
    result = run_module(ec2_security_groups, {"vpc_id": "vpc-1", "groups": WANTED, "tags": TAGS})
    assert result.get("failed") is not True, result
    assert result["changes"] == ["adopted group blog-db after a lost answer"]
    assert result["group_ids"] == {"blog-db": "sg-0123456789abcdef0"}


def test_a_lost_authorize_answer_then_duplicate_is_ok_after_a_reread(stubbed, run_module):
    stub = stubbed("ec2")
    stub.add_response("describe_security_groups", {"SecurityGroups": [_group()]}, _filter())
    stub.add_client_error("authorize_security_group_ingress", "InvalidPermission.Duplicate", "already exists")
    stub.add_response("describe_security_groups", {"SecurityGroups": [_group(ingress=[RULE])]}, _filter())
    stub.add_response("describe_security_groups", {"SecurityGroups": [_group(ingress=[RULE])]}, _filter())
    result = run_module(ec2_security_groups, {"vpc_id": "vpc-1", "groups": WANTED, "tags": TAGS})
    assert result.get("failed") is not True, result
    assert result["changes"] == ["authorized ingress tcp 3306 10.0.0.0/16 on blog-db"]
    assert result["security_group_set"]["groups"][0]["ingress"][0]["cidr_ipv4"] == "10.0.0.0/16"


def test_a_duplicate_for_part_of_a_batch_writes_the_rest_one_by_one(stubbed, run_module):
    other = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.1.0.0/16"}]}
    wanted = [{**WANTED[0], "ingress": [*WANTED[0]["ingress"], {"ports": ["22"], "cidr_ipv4": ["10.1.0.0/16"]}]}]
    stub = stubbed("ec2")
    stub.add_response("describe_security_groups", {"SecurityGroups": [_group()]}, _filter())
    stub.add_client_error("authorize_security_group_ingress", "InvalidPermission.Duplicate", "already exists")
    stub.add_response("describe_security_groups", {"SecurityGroups": [_group(ingress=[RULE])]}, _filter())
    stub.add_response(
        "authorize_security_group_ingress",
        {"Return": True},
        {"GroupId": "sg-0123456789abcdef0", "IpPermissions": [{**other, "IpRanges": [{"CidrIp": "10.1.0.0/16"}]}]},
    )
    stub.add_response("describe_security_groups", {"SecurityGroups": [_group(ingress=[RULE, other])]}, _filter())
    result = run_module(ec2_security_groups, {"vpc_id": "vpc-1", "groups": wanted, "tags": TAGS})
    assert result.get("failed") is not True, result
    assert len(result["security_group_set"]["groups"][0]["ingress"]) == 2


def test_a_lost_revoke_answer_then_not_found_is_ok(stubbed, run_module):
    stub = stubbed("ec2")
    stub.add_response("describe_security_groups", {"SecurityGroups": [_group(ingress=[RULE])]}, _filter())
    stub.add_client_error("revoke_security_group_ingress", "InvalidPermission.NotFound", "rule does not exist")
    stub.add_response("describe_security_groups", {"SecurityGroups": [_group()]}, _filter())
    stub.add_response("describe_security_groups", {"SecurityGroups": [_group()]}, _filter())
    groups = [{**WANTED[0], "ingress": []}]
    result = run_module(ec2_security_groups, {"vpc_id": "vpc-1", "groups": groups, "tags": TAGS})
    assert result.get("failed") is not True, result
    assert result["changes"] == ["revoked ingress tcp 3306 10.0.0.0/16 on blog-db"]


def test_another_authorize_error_still_fails(stubbed, run_module):
    stub = stubbed("ec2")
    stub.add_response("describe_security_groups", {"SecurityGroups": [_group()]}, _filter())
    stub.add_client_error("authorize_security_group_ingress", "RulesPerSecurityGroupLimitExceeded", "too many")
    result = run_module(ec2_security_groups, {"vpc_id": "vpc-1", "groups": WANTED, "tags": TAGS})
    assert result["failed"] is True
    assert result["error"]["code"] == "RulesPerSecurityGroupLimitExceeded"


def test_delete_revokes_references_then_retries_dependency_violation(stubbed, run_module, monkeypatch):
    slept = []
    monkeypatch.setattr(ec2_writes.time, "sleep", slept.append)
    ref = {"IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "UserIdGroupPairs": [{"GroupId": "sg-0aaa"}]}
    stub = stubbed("ec2")
    stub.add_response("describe_security_groups", {"SecurityGroups": [_group(ingress=[ref, RULE])]}, _filter())
    stub.add_response(
        "revoke_security_group_ingress",
        {"Return": True},
        {"GroupId": "sg-0123456789abcdef0", "IpPermissions": [ref]},
    )
    for _attempt in range(2):
        stub.add_client_error("delete_security_group", "DependencyViolation", "resource sg-0123 has a dependent object")
    stub.add_response("delete_security_group", {}, {"GroupId": "sg-0123456789abcdef0"})
    result = run_module(ec2_security_groups, {"vpc_id": "vpc-1", "tags": TAGS, "state": "absent"})
    assert result.get("failed") is not True, result
    assert result["changes"] == ["deleted group blog-db"]
    assert result["release"] == {"attempts": 3, "waited": 15, "retried": ["blog-db"]}
    assert slept == [5, 10]


def test_absent_is_rerunnable_and_spares_the_default_group(aws, run_module):
    ec2 = aws("ec2")
    vpc = _vpc(ec2)
    run_module(ec2_security_groups, {"vpc_id": vpc, "groups": chain(), "tags": TAGS})
    args = {"vpc_id": vpc, "tags": TAGS, "state": "absent"}
    planned = run_module(ec2_security_groups, args, check_mode=True)
    assert planned["changes"] == ["deleted group blog-alb", "deleted group blog-app", "deleted group blog-db"]
    assert len(_groups(ec2, vpc)) == 4
    assert run_module(ec2_security_groups, args)["changed"] is True
    assert set(_groups(ec2, vpc)) == {"default"}
    assert run_module(ec2_security_groups, args)["changed"] is False
