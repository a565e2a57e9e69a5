"""Benchmark site.yml against a private emulator: a first converge, a no-op re-run and a teardown.

For each phase: wall time, CPU time of the child processes and AWS API calls (requests in the emulator's log),
and both per managed resource (the stack's resources found by tag). Ratios are from the same run, so they compare
across machines better than the absolute seconds. Results go to benchmarks/results/<timestamp>.json.

The peer (benchmarks/peer/, our Terraform configuration of the same stack) runs on a second private emulator in
the same run, its phases interleaved with ours: terraform apply (first converge), terraform plan -detailed-exitcode
on the converged stack (the no-op and the --check peer), terraform destroy (teardown). --no-peer skips it,
--peer-only runs only it. Without terraform or the provider mirror it prints "peer not available: <why>".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC
from datetime import datetime
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "scripts"))
from daemon import free_port  # the scripts' helper: a loopback port nothing listens on

# A Terraform command that runs longer than this is reported as timed out (WORDPRESS_AWS_PEER_TIMEOUT seconds).
PEER_TIMEOUT = int(os.environ.get("WORDPRESS_AWS_PEER_TIMEOUT", "900"))
REQUEST = re.compile(r'"(GET|POST|PUT|DELETE|HEAD|PATCH) ')


def requests_so_far(log: Path) -> int:
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return sum(1 for line in text.splitlines() if REQUEST.search(line) and "/moto-api/" not in line)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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


PEER_DIR = ROOT / "benchmarks" / "peer"
UNDELETABLE_ON_EMULATOR = ("aws_efs_file_system_policy.uploads",)
MIRRORS = (Path("/opt/tf-plugins"), Path.home() / ".terraform.d" / "plugins", Path("/usr/share/terraform/plugins"))
# The Lambda packages of the peer: the same sources as the roles' (without the pinned PyMySQL they add).
LAMBDA_SOURCES = {
    "db-bootstrap": ["rds/files/db_bootstrap.py"],
    "db-rotation": ["rds/files/rotate_app_secret.py", "rds/files/db_bootstrap.py"],
    "redeploy": ["ecs_wordpress/files/redeploy_service.py"],
    "db-scheduler": ["cost_guard/files/db_scheduler.py"],
}


def peer_unavailable() -> str:
    if not shutil.which("terraform"):
        return "terraform is not on PATH"
    if not any((m / "registry.terraform.io" / "hashicorp" / "aws").is_dir() for m in MIRRORS):
        return "no provider mirror with hashicorp/aws in " + ", ".join(str(m) for m in MIRRORS)
    return ""


class Emulator:
    """A fresh private emulator: its own port and state directory."""

    def __init__(self, prefix: str):
        self.port = free_port()
        self.state = Path(tempfile.mkdtemp(prefix=prefix))
        self.env = {
            **os.environ,
            "WORDPRESS_AWS_EMULATOR_PORT": str(self.port),
            "WORDPRESS_AWS_EMULATOR_DIR": str(self.state),
            "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
            "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        }
        self.cmd = [sys.executable, str(ROOT / "scripts" / "emulator.py")]
        self.log = self.state / f"moto-{self.port}.log"

    def start(self) -> None:
        subprocess.run([*self.cmd, "start", "--port", str(self.port)], env=self.env, check=True, capture_output=True)

    def stop(self) -> None:
        subprocess.run([*self.cmd, "stop", "--port", str(self.port)], env=self.env, check=False, capture_output=True)


class Peer:
    """benchmarks/peer/ copied into a temp dir (state, plugins and lock file never in the repo)."""

    def __init__(self, emulator: Emulator):
        self.emulator = emulator
        self.work = Path(tempfile.mkdtemp(prefix="wordpress-aws-peer-"))
        for item in PEER_DIR.iterdir():
            if item.is_file() and item.suffix in (".tf", ".php", ".tftpl"):
                shutil.copy(item, self.work / item.name)
        zips = self.work / "lambda"
        zips.mkdir()
        for name, sources in LAMBDA_SOURCES.items():
            with zipfile.ZipFile(zips / f"{name}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
                for source in sources:
                    info = zipfile.ZipInfo(Path(source).name, (1980, 1, 1, 0, 0, 0))
                    info.external_attr = 0o644 << 16
                    archive.writestr(info, (ROOT / "roles" / source).read_bytes(), zipfile.ZIP_DEFLATED)
        mirror = next(m for m in MIRRORS if (m / "registry.terraform.io" / "hashicorp" / "aws").is_dir())
        (self.work / "cli.tfrc").write_text(
            f'provider_installation {{\n  filesystem_mirror {{\n    path = "{mirror}"\n  }}\n}}\n'
        )
        self.env = {**os.environ, "TF_CLI_CONFIG_FILE": str(self.work / "cli.tfrc"), "TF_IN_AUTOMATION": "1"}
        self.vars = ["-var", f"emulator_port={emulator.port}", "-var", f"lambda_zip_dir={zips}"]
        self.planned: list[str] = []

    def run(self, *args: str, ok=(0,)) -> tuple[float, float, int, str]:
        cpu, started = children_cpu(), time.monotonic()
        try:
            proc = subprocess.run(
                ["terraform", *args],
                cwd=self.work,
                env=self.env,
                capture_output=True,
                text=True,
                check=False,
                timeout=PEER_TIMEOUT,
            )
        except subprocess.TimeoutExpired:  # a hang on the emulator: reported, the run goes on
            elapsed, cpu = time.monotonic() - started, children_cpu() - cpu
            return elapsed, cpu, -1, f"timed out after {PEER_TIMEOUT} s"
        elapsed, cpu = time.monotonic() - started, children_cpu() - cpu
        if proc.returncode not in ok:
            sys.exit(f"terraform {args[0]} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        summary = re.findall(r"(Apply complete!.*|Destroy complete!.*|Plan: .*|No changes\..*)", proc.stdout)
        # what a plan would change ("# aws_x.y will be updated in-place"): the emulator's read-back differences
        self.planned = re.findall(r"# (\S+) (?:will|must) be ", proc.stdout)
        return elapsed, cpu, proc.returncode, summary[-1] if summary else ""

    def phase(self, *args: str, ok=(0,)) -> dict:
        calls = requests_so_far(self.emulator.log)
        seconds, cpu, code, summary = self.run(*args, "-input=false", "-no-color", *self.vars, ok=ok)
        print(f"  peer terraform {args[0]}: {seconds:.1f} s, {cpu:.1f} CPU s, {summary}", file=sys.stderr, flush=True)
        return {
            "seconds": round(seconds, 1),
            "cpu_seconds": round(cpu, 1),
            "api_calls": requests_so_far(self.emulator.log) - calls,
            "exit_code": code,
            "summary": summary,
            "planned": list(self.planned),
        }

    def forget_unemulated(self) -> None:
        """Drop from the state what the emulator cannot delete, so terraform destroy does not retry it for ever.

        DeleteFileSystemPolicy is not emulated (moto answers 500 NotImplemented and the provider retries until its
        time-out); on AWS the policy goes with the file system, which the destroy deletes.
        """
        for address in UNDELETABLE_ON_EMULATOR:
            subprocess.run(
                ["terraform", "state", "rm", address], cwd=self.work, env=self.env, capture_output=True, check=False
            )

    def state_resources(self) -> int:
        proc = subprocess.run(
            ["terraform", "state", "list"], cwd=self.work, env=self.env, capture_output=True, text=True, check=True
        )
        return sum(1 for line in proc.stdout.splitlines() if line and not line.startswith("data."))


def ours_phase(ours: Emulator, name: str, args: tuple) -> dict:
    calls, cpu = requests_so_far(ours.log), children_cpu()
    seconds, recap = playbook(name, ours.env, *args)
    print(f"  ours {name} {' '.join(args)}: {seconds:.1f} s, {recap}", file=sys.stderr, flush=True)
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(children_cpu() - cpu, 1),
        "api_calls": requests_so_far(ours.log) - calls,
        "recap": recap,
    }


def per(value: float, count: int) -> float | None:
    return round(value / count, 3) if count else None


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-peer", action="store_true", help="measure site.yml only")
    parser.add_argument("--peer-only", action="store_true", help="measure the Terraform peer only")
    options = parser.parse_args()
    run_ours = not options.peer_only
    why = "" if options.no_peer else peer_unavailable()
    if why:
        print(f"peer not available: {why}")
    run_peer = not options.no_peer and not why
    if not run_ours and not run_peer:
        return 1

    ours = Emulator("wordpress-aws-bench-") if run_ours else None
    peer_emulator = Emulator("wordpress-aws-bench-peer-") if run_peer else None
    phases, peer_phases, peer_info = {}, {}, {}
    resources = 0

    def step(phase, name, args):
        if ours:
            phases[phase] = ours_phase(ours, name, args)

    try:
        for emulator in (ours, peer_emulator):
            if emulator:
                emulator.start()
        peer = Peer(peer_emulator) if peer_emulator else None
        if peer:
            seconds, cpu, _code, _summary = peer.run("init", "-input=false", "-no-color")
            peer_info["init"] = {"seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1)}
        step("check_on_empty_account", "site.yml", ("--check",))
        step("first_converge", "site.yml", ())
        if ours:
            resources = stack_resources(ours.port)
        if peer:
            peer_phases["first_converge"] = peer.phase("apply", "-auto-approve")
            peer_info["state_resources"] = peer.state_resources()
            peer_info["tagged_resources"] = stack_resources(peer_emulator.port)
        step("noop_rerun", "site.yml", ())
        if peer:
            # 0: no changes, 2: changes planned (both are answers, not failures)
            peer_phases["noop_rerun"] = peer.phase("plan", "-refresh=true", "-detailed-exitcode", ok=(0, 2))
        step("check_on_converged_stack", "site.yml", ("--check",))
        if peer:
            peer_phases["check_on_converged_stack"] = peer.phase(
                "plan", "-refresh=true", "-detailed-exitcode", ok=(0, 2)
            )
        step("teardown", "teardown.yml", ())
        if peer:
            peer.forget_unemulated()
            peer_phases["teardown"] = peer.phase("destroy", "-auto-approve")
    finally:
        for emulator in (ours, peer_emulator):
            if emulator:
                emulator.stop()

    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
    }
    if ours:
        result.update(ours_result(phases, resources))
    if peer_phases:
        result["peer"] = {**peer_info, "phases": peer_phases}
        if ours:
            result["ours_vs_peer"] = comparison(phases, resources, peer_phases, peer_info)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{datetime.now(UTC):%Y%m%dT%H%M%S}.json").write_text(json.dumps(result, indent=2) + "\n")
    if ours:
        print(f"managed resources: {resources}")
        print(f"{'phase':<26}{'seconds':>9}{'CPU s':>8}{'API calls':>11}  recap")
        for phase, row in phases.items():
            print(f"{phase:<26}{row['seconds']:>9}{row['cpu_seconds']:>8}{row['api_calls']:>11}  {row['recap']}")
        print("per resource:", result["per_resource"])
        print("ratios:", result["ratios"])
    if peer_phases:
        print(
            f"peer (benchmarks/peer, Terraform): {peer_info['state_resources']} resources in state, "
            f"{peer_info['tagged_resources']} tagged; init {peer_info['init']['seconds']} s (not in the table)"
        )
        print_comparison(phases, resources, peer_phases, peer_info)
    return 0


def ours_result(phases: dict, resources: int) -> dict:
    first, noop = phases["first_converge"], phases["noop_rerun"]
    return {
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


def comparison(phases: dict, resources: int, peer_phases: dict, peer_info: dict) -> dict:
    rows = {}
    for phase, theirs in peer_phases.items():
        mine = phases[phase]
        rows[phase] = {
            "wall_ratio": ratio(mine["seconds"], theirs["seconds"]),
            "cpu_ratio": ratio(mine["cpu_seconds"], theirs["cpu_seconds"]),
            "calls_ratio": ratio(mine["api_calls"], theirs["api_calls"]),
            "ours_seconds_per_resource": per(mine["seconds"], resources),
            "peer_seconds_per_resource": per(theirs["seconds"], peer_info["tagged_resources"]),
        }
    return rows


def print_comparison(phases: dict, resources: int, peer_phases: dict, peer_info: dict) -> None:
    if not phases:
        for phase, row in peer_phases.items():
            print(f"peer {phase:<26}{row['seconds']:>8} s{row['cpu_seconds']:>8} CPU s{row['api_calls']:>7} calls")
        return
    rows = comparison(phases, resources, peer_phases, peer_info)
    print(f"ours: {resources} tagged resources; peer: {peer_info['tagged_resources']} tagged")
    head = ("phase", "ours s", "CPU", "calls", "peer s", "CPU", "calls", "wall x", "CPU x", "s/res ours", "peer")
    print("{:<26}{:>8}{:>7}{:>7}{:>8}{:>7}{:>7}{:>8}{:>7}{:>11}{:>7}".format(*head))
    for phase, row in rows.items():
        mine, theirs = phases[phase], peer_phases[phase]
        print(
            "{:<26}{:>8}{:>7}{:>7}{:>8}{:>7}{:>7}{:>8}{:>7}{:>11}{:>7}".format(
                phase,
                mine["seconds"],
                mine["cpu_seconds"],
                mine["api_calls"],
                theirs["seconds"],
                theirs["cpu_seconds"],
                theirs["api_calls"],
                str(row["wall_ratio"]),
                str(row["cpu_ratio"]),
                str(row["ours_seconds_per_resource"]),
                str(row["peer_seconds_per_resource"]),
            )
        )
    for phase in ("noop_rerun", "check_on_converged_stack"):
        row = peer_phases[phase]
        print(f"peer {phase}: terraform plan exit {row['exit_code']} ({row['summary']}) {' '.join(row['planned'])}")


if __name__ == "__main__":
    sys.exit(main())
