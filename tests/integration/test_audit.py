"""The Well-Architected review in the pipeline: a converged stack passes audit.yml; the same stack weakened the
way a console session weakens it (the DB made public, the WAF detached from the distribution, a security group
opened to the world, a log group kept forever) fails it, naming each check; site.yml repairs every one of them
and audit.yml passes again. audit.yml writes nothing to AWS (the emulator's recording holds reads only).

Rotation turned off is judged on the facts in tests/unit/plugins/module_utils/test_review.py: locally the DB
secret's rotation is never turned on (lambda_invoke is in wordpress_aws_target_lacks), so its check is reported
"not emulated locally" here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STACK = "techblog-local"
HIGH = ["SEC-01", "SEC-11", "SEC-17"]


@pytest.fixture(scope="module")
def stack(tmp_path_factory, start_emulator, ansible_environment):
    """A private emulator holding the local stack, converged once."""
    with start_emulator(tmp_path_factory.mktemp("audit")) as port:
        env = ansible_environment(port)
        run("site.yml", env, [])
        yield port, env


def run(name, env, extra, expect_ok=True):
    proc = subprocess.run(
        [
            str(BIN / "ansible-playbook"),
            "-i",
            str(ROOT / "inventories" / "local"),
            str(ROOT / "playbooks" / name),
            *extra,
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert (proc.returncode == 0) is expect_ok, f"{name} rc {proc.returncode}:\n{proc.stdout[-4000:]}"
    return proc.stdout


def audit(env, report_dir, expect_ok):
    out = run("audit.yml", env, ["-e", f"audit_report_dir={report_dir}"], expect_ok)
    report = json.loads((report_dir / f"{STACK}.json").read_text())
    return out, {c["id"]: c for c in report["checks"]}


def client(port, service, region="eu-west-3"):
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=f"http://127.0.0.1:{port}",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def weaken(port):
    rds = client(port, "rds")
    rds.modify_db_instance(DBInstanceIdentifier=f"{STACK}-db", PubliclyAccessible=True, ApplyImmediately=True)
    cloudfront = client(port, "cloudfront", "us-east-1")
    summary = cloudfront.list_distributions()["DistributionList"]["Items"][0]
    got = cloudfront.get_distribution_config(Id=summary["Id"])
    config = {**got["DistributionConfig"], "WebACLId": ""}
    cloudfront.update_distribution(Id=summary["Id"], IfMatch=got["ETag"], DistributionConfig=config)
    ec2 = client(port, "ec2")
    group = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [f"{STACK}-app"]}])[
        "SecurityGroups"
    ][0]
    ec2.authorize_security_group_ingress(
        GroupId=group["GroupId"],
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    client(port, "logs").delete_retention_policy(logGroupName=f"/wordpress-aws/{STACK}/wordpress")


def test_audit_fails_on_a_weakened_stack_and_passes_after_site_repairs_it(stack, tmp_path, start_recording):
    port, env = stack
    out, checks = audit(env, tmp_path / "before", expect_ok=True)
    assert [k for k, c in checks.items() if c["status"] == "fail" and c["severity"] == "high"] == []
    assert checks["SEC-09"]["status"] == "not_emulated"
    assert "Security: " in out and f"{tmp_path / 'before'}/{STACK}.{{md,json,html}}" in out
    for ext in ("md", "html"):
        assert (tmp_path / "before" / f"{STACK}.{ext}").stat().st_size > 1000

    weaken(port)
    stop = start_recording(port)
    out, checks = audit(env, tmp_path / "weakened", expect_ok=False)
    calls, writes = stop()
    assert writes == [], f"audit.yml wrote to AWS: {writes}"
    assert len(calls) > 50
    failed = sorted(k for k, c in checks.items() if c["status"] == "fail")
    assert set(HIGH) <= set(failed), failed
    assert {"COST-05", "OPS-05"} <= set(failed), failed
    assert f"failed checks of severity high or above: {', '.join(HIGH)}" in out
    assert "ingress from the world, port 22" in checks["SEC-17"]["detail"]
    assert "the distribution has no web ACL" in checks["SEC-11"]["detail"]

    run("site.yml", env, [])
    _out, checks = audit(env, tmp_path / "after", expect_ok=True)
    still = {k: c["detail"] for k, c in checks.items() if k in [*HIGH, "COST-05", "OPS-05"] and c["status"] != "pass"}
    assert still == {}, still
