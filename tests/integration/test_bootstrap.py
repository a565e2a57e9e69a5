"""playbooks/bootstrap.yml against a private emulator: check mode previews the deployer role, then builds it, then
changes nothing.

The emulator's CloudFormation keeps an unchanged stack "updated" and lists every resource of an update's change set
as added; cloudformation_stack compares the stack itself, so the re-run must send no write at all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
STACK = "techblog-local"
ROLE = f"{STACK}-deployer"

pytestmark = pytest.mark.xdist_group("bootstrap")


@pytest.fixture(scope="module")
def deployer_emulator(tmp_path_factory, start_emulator):
    """An emulator of this module's own: the deployer role is an account-wide name."""
    with start_emulator(tmp_path_factory.mktemp("bootstrap-emulator")) as port:
        yield port


@pytest.fixture(scope="module")
def bootstrap(deployer_emulator, ansible_environment):
    env = ansible_environment(deployer_emulator)

    def run(*args: str) -> subprocess.CompletedProcess:
        cmd = [
            str(Path(sys.executable).parent / "ansible-playbook"),
            "-i",
            str(ROOT / "inventories" / "local"),
            str(ROOT / "playbooks" / "bootstrap.yml"),
            *args,
        ]
        return subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)

    return run


@pytest.fixture(scope="module")
def iam(deployer_emulator):
    return boto3.client(
        "iam",
        region_name="eu-west-3",
        endpoint_url=f"http://127.0.0.1:{deployer_emulator}",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def _recap(run: subprocess.CompletedProcess) -> str:
    return run.stdout[run.stdout.rfind("PLAY RECAP") :]


def test_check_mode_previews_the_role_then_it_is_built_then_nothing_changes(
    bootstrap, iam, start_recording, deployer_emulator
):
    stop = start_recording(deployer_emulator)
    preview = bootstrap("--check", "--diff")
    _calls, writes = stop()
    assert preview.returncode == 0, preview.stdout[-3000:]
    assert "changed=1" in _recap(preview)
    assert "physical_resource_id: techblog-local-deployer\n" in preview.stdout  # the role, by name
    assert "resource_type: AWS::IAM::Role" in preview.stdout
    assert writes == [], writes  # a new stack's preview comes from the template: nothing is created
    assert ROLE not in {role["RoleName"] for role in iam.list_roles()["Roles"]}

    built = bootstrap()
    assert built.returncode == 0, built.stdout[-3000:]
    assert "changed=1" in _recap(built)
    role = iam.get_role(RoleName=ROLE)["Role"]
    assert role["Path"] == f"/wordpress-aws/{STACK}/"
    assert role["Arn"] in built.stdout  # the playbook shows the ARN AWX's credential needs
    assert {tag["Key"]: tag["Value"] for tag in role["Tags"]}["wordpress_aws:stack"] == STACK
    attached = iam.list_attached_role_policies(RoleName=ROLE)["AttachedPolicies"]
    assert sorted(policy["PolicyName"] for policy in attached) == [f"{ROLE}-{part}" for part in range(1, 6)]
    granted = set()
    for policy in attached:
        version = iam.get_policy(PolicyArn=policy["PolicyArn"])["Policy"]["DefaultVersionId"]
        document = iam.get_policy_version(PolicyArn=policy["PolicyArn"], VersionId=version)["PolicyVersion"]
        statements = document["Document"]["Statement"]
        granted |= {
            action
            for statement in statements
            if statement["Effect"] == "Allow"
            for action in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])
        }
    assert {"ec2:CreateVpc", "iam:PassRole", "cloudfront:CreateDistribution"} <= granted

    stop = start_recording(deployer_emulator)
    again = bootstrap()
    _calls, writes = stop()
    assert again.returncode == 0, again.stdout[-3000:]
    assert "changed=0" in _recap(again)
    assert writes == [], writes

    checked = bootstrap("--check", "--diff")
    assert checked.returncode == 0 and "changed=0" in _recap(checked), checked.stdout[-3000:]


def test_bad_inputs_are_refused_before_any_call(bootstrap, start_recording, deployer_emulator):
    stop = start_recording(deployer_emulator)
    run = bootstrap(
        "-e",
        json.dumps(
            {
                "bootstrap_max_session_duration": 60,
                "bootstrap_oidc_provider_arn": "arn:aws:iam::123456789012:oidc-provider/example.com",
            }
        ),
    )
    calls, _writes = stop()
    assert run.returncode != 0
    assert "bootstrap_max_session_duration must be between 3600 and 43200 seconds (got 60)" in run.stdout
    assert "bootstrap_oidc_provider_arn must be the IAM OIDC provider of GitHub Actions" in run.stdout
    assert "bootstrap_oidc_provider_arn and bootstrap_oidc_subject go together" in run.stdout
    assert calls == []
