"""Benchmark site.yml against a private emulator: a first converge, a no-op re-run and a teardown.

For each phase: wall time and AWS API calls (requests in the emulator's log), and both per managed
resource (the stack's resources found by tag). Ratios are from the same run, so they compare across
machines better than the absolute seconds. Results go to benchmarks/results/<timestamp>.json.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC
from datetime import datetime
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "scripts"))
from daemon import free_port  # the scripts' helper: a loopback port nothing listens on

REQUEST = re.compile(r'"(GET|POST|PUT|DELETE|HEAD|PATCH) ')


def requests_so_far(log: Path) -> int:
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return sum(1 for line in text.splitlines() if REQUEST.search(line) and "/moto-api/" not in line)


def playbook(name: str, env: dict, *args: str) -> tuple[float, str]:
    started = time.monotonic()
    proc = subprocess.run(
        [str(BIN / "ansible-playbook"), "-i", "inventories/local", f"playbooks/{name}", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit(f"{name} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}")
    recap = re.search(r"localhost\s+: (ok=\d+\s+changed=\d+.*)", proc.stdout)
    return elapsed, recap.group(1).split("unreachable")[0].strip() if recap else "?"


def stack_resources(port: int) -> int:
    sys.path.insert(0, str(ROOT / ".collections"))
    from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import inventory

    kw = {
        "endpoint_url": f"http://127.0.0.1:{port}",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
    names = ("resourcegroupstaggingapi", "ec2", "backup", "kms", "secretsmanager", "rds", "ecs", "wafv2", "acm")
    live = []
    # The stack's region, then us-east-1 (the edge tier's web ACL, log group, key and certificate), as the
    # stack_inventory module does; global resources (IAM, CloudFront) once.
    for index, region in enumerate(("eu-west-3", "us-east-1")):
        clients = {name: boto3.client(name, region_name=region, **kw) for name in names}
        if index == 0:
            clients["iam"] = boto3.client("iam", region_name=region, **kw)
            clients["cloudfront"] = boto3.client("cloudfront", region_name="us-east-1", **kw)
        found, _pending, _retained = inventory.collect(clients, "techblog-local", region, include_global=index == 0)
        live.extend(found)
    live = inventory.merge(live)
    return len(live)


def main() -> int:
    port = free_port()
    state = Path(tempfile.mkdtemp(prefix="wordpress-aws-bench-"))
    env = {
        **os.environ,
        "WORDPRESS_AWS_EMULATOR_PORT": str(port),
        "WORDPRESS_AWS_EMULATOR_DIR": str(state),
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
    }
    emulator = [sys.executable, str(ROOT / "scripts" / "emulator.py")]
    subprocess.run([*emulator, "start", "--port", str(port)], env=env, check=True, capture_output=True)
    log = state / f"moto-{port}.log"
    phases = {}
    try:
        for phase, name, args in (
            ("check_on_empty_account", "site.yml", ("--check",)),
            ("first_converge", "site.yml", ()),
            ("noop_rerun", "site.yml", ()),
            ("check_on_converged_stack", "site.yml", ("--check",)),
            ("teardown", "teardown.yml", ()),
        ):
            calls_before = requests_so_far(log)
            seconds, recap = playbook(name, env, *args)
            phases[phase] = {
                "seconds": round(seconds, 1),
                "api_calls": requests_so_far(log) - calls_before,
                "recap": recap,
            }
            if phase == "first_converge":
                resources = stack_resources(port)
    finally:
        subprocess.run([*emulator, "stop", "--port", str(port)], env=env, check=False, capture_output=True)

    first, noop = phases["first_converge"], phases["noop_rerun"]
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
        "managed_resources": resources,
        "phases": phases,
        "per_resource": {
            "first_converge_seconds": round(first["seconds"] / resources, 2),
            "first_converge_api_calls": round(first["api_calls"] / resources, 1),
            "noop_seconds": round(noop["seconds"] / resources, 2),
            "noop_api_calls": round(noop["api_calls"] / resources, 1),
        },
        "ratios": {
            "noop_vs_first_converge_seconds": round(noop["seconds"] / first["seconds"], 2),
            "noop_vs_first_converge_api_calls": round(noop["api_calls"] / first["api_calls"], 2),
        },
    }
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{datetime.now(UTC):%Y%m%dT%H%M%S}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"managed resources: {resources}")
    print(f"{'phase':<26}{'seconds':>9}{'API calls':>11}  recap")
    for phase, row in phases.items():
        print(f"{phase:<26}{row['seconds']:>9}{row['api_calls']:>11}  {row['recap']}")
    print("per resource:", result["per_resource"])
    print("ratios:", result["ratios"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
