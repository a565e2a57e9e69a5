"""The deployer role's template grants exactly the actions the collection calls, each as narrowly as AWS allows.

roles/bootstrap/files/deployer-actions.yml holds the actions: the ones a full run against the emulator recorded
(scripts/derive_actions.py) and a hand-maintained list of those the emulator cannot record. The template
(roles/bootstrap/files/deployer-role.yml) must grant all of them and no other, spelled out (no wildcard), within
IAM's managed-policy size; a write on "*" without a tag condition needs a reason below.
"""

from __future__ import annotations

import json
import re
import sys
from importlib.resources import files
from pathlib import Path

import pytest
import yaml
from cfnlint.decode import decode_str

ROOT = Path(__file__).resolve().parents[3]
FILES = ROOT / "roles" / "bootstrap" / "files"
SAMPLE = Path(__file__).parent / "data" / "deployer-recording-sample.jsonl"
sys.path.insert(0, str(ROOT / "scripts"))
import derive_actions

# Rendered as IAM stores them: the longest stack name (20 characters) and partition, so the size check is the worst.
VALUES = {"StackName": "s" * 20, "AWS::Partition": "aws-us-gov", "AWS::AccountId": "123456789012", "AWS::Region": "*"}
POLICY_LIMIT = 6144  # IAM's managed-policy size, characters without whitespace
READ_PREFIXES = ("Describe", "List", "Get", "BatchGet", "Head", "Lookup", "Search", "View")

# Writes granted on "*" without a tag condition: AWS authorizes them on "*" only (no resource type in the Service
# Authorization Reference), or the resource is the account's own setting.
STAR_WRITES = {
    "backup-storage:MountCapsule": "CreateBackupVault's dependent action; no resource type",
    "cloudfront:CreateDistribution": "no resource type (the distribution's id is CloudFront's); its tags are asked for",
    "cloudfront:CreateResponseHeadersPolicy": "no resource type",
    "cloudfront:CreateMonitoringSubscription": "no resource type",
    "cloudfront:DeleteMonitoringSubscription": "no resource type",
    "ec2:EnableEbsEncryptionByDefault": "an account and region setting, no resource",
    "ecr:CreatePullThroughCacheRule": "no resource type",
    "ecr:DeletePullThroughCacheRule": "no resource type",
    "ecs:DeregisterTaskDefinition": "no resource type",
    "elasticloadbalancing:SetWebAcl": "AssociateWebACL's dependent action; no resource type",
    "logs:CreateLogDelivery": "PutLoggingConfiguration's dependent action; no resource type",
    "logs:PutResourcePolicy": "an account-level log resource policy; no resource type",
    "logs:PutQueryDefinition": "no resource type",
    "logs:DeleteQueryDefinition": "no resource type",
}


def _render(value):
    """The value with every Fn::Sub resolved from VALUES (the deployer template's !Sub use no other variable)."""
    if isinstance(value, dict):
        if set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):
            return re.sub(r"\$\{([A-Za-z:]+)\}", lambda m: VALUES[m.group(1)], value["Fn::Sub"])
        return {key: _render(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_render(item) for item in value]
    return value


@pytest.fixture(scope="module")
def template():
    loaded, problems = decode_str((FILES / "deployer-role.yml").read_text(encoding="utf-8"))
    assert not problems, problems
    return loaded


@pytest.fixture(scope="module")
def policies(template):
    found = {
        name: _render(resource["Properties"]["PolicyDocument"])
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::IAM::ManagedPolicy"
    }
    assert found
    return found


@pytest.fixture(scope="module")
def statements(policies):
    return [statement for policy in policies.values() for statement in policy["Statement"]]


def _listed(value):
    return [value] if isinstance(value, str) else list(value)


def _allowed(statements):
    return [s for s in statements if s["Effect"] == "Allow"]


def _action_list():
    data = yaml.safe_load((FILES / "deployer-actions.yml").read_text(encoding="utf-8"))
    hand = [item["action"] for key in ("not_emulated", "authorization_only") for item in data[key]]
    return data["recorded"], hand


def test_the_template_grants_exactly_the_listed_actions(statements):
    recorded, hand = _action_list()
    wanted = set(recorded) | set(hand)
    granted = {action for s in _allowed(statements) for action in _listed(s["Action"])}
    missing, extra = sorted(wanted - granted), sorted(granted - wanted)
    assert not missing and not extra, f"missing from the template: {missing}; granted but never called: {extra}"


def test_the_action_list_is_sorted_without_duplicates_and_the_hand_list_says_why():
    recorded, hand = _action_list()
    assert recorded == sorted(set(recorded))
    assert len(hand) == len(set(hand)) and not set(hand) & set(recorded)
    data = yaml.safe_load((FILES / "deployer-actions.yml").read_text(encoding="utf-8"))
    for key, fields in (
        ("not_emulated", {"action", "called_by", "why"}),
        ("authorization_only", {"action", "needed_by"}),
    ):
        for item in data[key]:
            assert set(item) == fields and all(isinstance(value, str) and value for value in item.values()), item


def test_every_action_is_spelled_out_and_is_an_iam_action(statements):
    known = json.loads(files("cfnlint.data.AdditionalSpecs").joinpath("Policies.json").read_text(encoding="utf-8"))
    for s in statements:
        for action in _listed(s["Action"]):
            assert "*" not in action and "?" not in action, f"{s['Sid']}: wildcard action {action}"
            prefix, name = action.split(":")
            assert name.lower() in known[prefix]["Actions"], f"{s['Sid']}: {action} is no IAM action"
        assert "NotAction" not in s and "NotResource" not in s


def test_writes_on_star_carry_a_tag_condition_or_a_reason(statements):
    unconditioned = {
        action
        for s in _allowed(statements)
        if "*" in _listed(s["Resource"]) and not s.get("Condition")
        for action in _listed(s["Action"])
        if not action.split(":")[1].startswith(READ_PREFIXES)
    }
    assert sorted(unconditioned - set(STAR_WRITES)) == [], "writes on * without a tag condition or a reason"
    assert sorted(set(STAR_WRITES) - unconditioned) == [], "reasons for writes no longer granted on *"
    for s in _allowed(statements):
        if "*" in _listed(s["Resource"]) and s.get("Condition"):
            keys = {key for test in s["Condition"].values() for key in test}
            assert keys & {"aws:RequestTag/wordpress_aws:stack", "aws:ResourceTag/wordpress_aws:stack"}, s["Sid"]


def test_every_managed_policy_stays_under_the_iam_size_limit(policies):
    sizes = {name: len(json.dumps(doc, separators=(",", ":"))) for name, doc in policies.items()}
    assert all(size < POLICY_LIMIT for size in sizes.values()), sizes
    assert len(policies) <= 10  # managed policies a role may have by default


def test_pass_role_reaches_only_the_stacks_roles_and_their_services(statements):
    passing = [s for s in _allowed(statements) if "iam:PassRole" in _listed(s["Action"])]
    assert len(passing) == 1
    assert _listed(passing[0]["Resource"]) == [f"arn:aws-us-gov:iam::123456789012:role/wordpress-aws/{'s' * 20}/*"]
    assert "iam:PassedToService" in passing[0]["Condition"]["StringEquals"]


def test_the_role_cannot_change_pass_or_delete_itself(statements):
    deny = [s for s in statements if s["Effect"] == "Deny"]
    assert len(deny) == 1
    me = f"arn:aws-us-gov:iam::123456789012:role/wordpress-aws/{'s' * 20}/{'s' * 20}-deployer"
    assert _listed(deny[0]["Resource"]) == [me]
    assert {"iam:PassRole", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole"} <= set(
        _listed(deny[0]["Action"])
    )


def test_the_role_lives_on_the_stacks_iam_path_and_outputs_its_arn(template):
    role = template["Resources"]["DeployerRole"]["Properties"]
    assert _render(role["Path"]) == f"/wordpress-aws/{'s' * 20}/"
    assert _render(role["RoleName"]) == f"{'s' * 20}-deployer"
    assert template["Outputs"]["RoleArn"]["Value"] == {"Fn::GetAtt": ["DeployerRole", "Arn"]}
    assert set(template["Parameters"]) >= {"StackName", "TrustedPrincipalArn", "ExternalId", "MaxSessionDuration"}


def test_the_derivation_names_a_recorded_sample_as_iam_does():
    """Query, JSON, CBOR and REST requests of moto's recorder; renamed (Budgets, CloudFront) and moto's own API."""
    actions, unknown = derive_actions.recorded_actions(SAMPLE.read_text(encoding="utf-8").splitlines())
    assert unknown == []
    assert sorted(actions) == [
        "budgets:ViewBudget",  # DescribeBudget
        "cloudfront:CreateDistribution",  # CreateDistributionWithTags is both
        "cloudfront:ListDistributions",
        "cloudfront:TagResource",
        "cloudwatch:DescribeAlarms",  # signed "monitoring"
        "ec2:DescribeVpcs",
        "ecs:DescribeServices",
        "elasticfilesystem:DescribeFileSystems",  # REST
        "elasticloadbalancing:DescribeLoadBalancers",
        "kms:ListAliases",
        "lambda:GetFunction",  # REST
        "s3:ListBucket",  # HeadBucket
        "scheduler:DeleteSchedule",  # REST
        "tag:GetResources",  # signed "tagging"
    ]


def test_the_derivation_keeps_the_hand_maintained_section(tmp_path):
    out = tmp_path / "actions.yml"
    out.write_text((FILES / "deployer-actions.yml").read_text(encoding="utf-8"), encoding="utf-8")
    assert derive_actions.derive([SAMPLE], out) == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert "ec2:DescribeVpcs" in data["recorded"] and len(data["recorded"]) == 14
    _recorded, hand = _action_list()
    assert [item["action"] for key in ("not_emulated", "authorization_only") for item in data[key]] == hand
