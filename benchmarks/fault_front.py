"""The whole chain through the fault front, for several seeds, against a clean run of the same chain.

For the clean run and for each seed: `site.yml` from an empty private emulator, a no-op re-run, `rotate_secrets.yml`
and `teardown.yml`; a seeded run goes through scripts/fault_front.py with the faults of
molecule/full_stack/faults.json (5 % throttling, 2 % lost write answers, the IAM propagation and ENI release
windows). Recorded per run: seconds and recap of each phase, the faults injected per kind (the front's ledger),
the token replays, the resources the account holds after the converge (scripts/account_counts.py, read from the
emulator directly, tagged or not) compared with the clean run's (a difference is a duplicate or a missing resource),
and what is left after the teardown. Results go to benchmarks/results/faults-<timestamp>.json.

    fault_front.py [--seeds 21,22,23] [--config molecule/full_stack/faults.json]
"""

from __future__ import annotations

import argparse
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

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "scripts"))
import account_counts
from daemon import free_port

CHAIN = (
    ("first_converge", "site.yml"),
    ("noop_rerun", "site.yml"),
    ("rotate_secrets", "rotate_secrets.yml"),
    ("teardown", "teardown.yml"),
)
RECAP = re.compile(r"localhost\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)")


def playbook(name: str, env: dict) -> dict:
    started = time.monotonic()
    proc = subprocess.run(
        [str(BIN / "ansible-playbook"), "-i", "inventories/local", f"playbooks/{name}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    found = RECAP.search(proc.stdout)
    row = {
        "seconds": round(time.monotonic() - started, 1),
        "rc": proc.returncode,
        "changed": int(found.group(2)) if found else None,
        "failed": int(found.group(3)) if found else None,
    }
    if proc.returncode != 0:
        failed = [line for line in proc.stdout.splitlines() if line.startswith(("fatal:", "failed:"))]
        row["error"] = (failed[-1] if failed else proc.stdout[-1500:])[:1500]
    return row


def run_chain(label: str, config: dict | None, state: Path) -> dict:
    emulator_port = free_port()
    playbook_port = free_port() if config else emulator_port
    env = {
        **os.environ,
        "WORDPRESS_AWS_EMULATOR_PORT": str(playbook_port),
        "WORDPRESS_AWS_EMULATOR_DIR": str(state),
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
    }
    emulator = [sys.executable, str(ROOT / "scripts" / "emulator.py")]
    front = [sys.executable, str(ROOT / "scripts" / "fault_front.py")]
    ledger = state / f"{label}.ledger.json"
    subprocess.run([*emulator, "start", "--port", str(emulator_port)], env=env, check=True, capture_output=True)
    if config:
        config_file = state / f"{label}.faults.json"
        config_file.write_text(json.dumps(config), encoding="utf-8")
        subprocess.run(
            [
                *front,
                "start",
                "--port",
                str(playbook_port),
                "--upstream-port",
                str(emulator_port),
                "--config",
                str(config_file),
                "--ledger",
                str(ledger),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
    result: dict = {"label": label, "seed": config and config.get("seed"), "phases": {}}
    try:
        for phase, name in CHAIN:
            row = playbook(name, env)
            result["phases"][phase] = row
            if phase == "first_converge":
                result["built"] = account_counts.account_counts(emulator_port, "eu-west-3")
            if row["rc"] != 0:
                break
        result["left_after_teardown"] = {
            name: count for name, count in account_counts.account_counts(emulator_port, "eu-west-3").items() if count
        }
    finally:
        if config:
            subprocess.run([*front, "stop", "--port", str(playbook_port)], env=env, check=False, capture_output=True)
        subprocess.run([*emulator, "stop", "--port", str(emulator_port)], env=env, check=False, capture_output=True)
    if config and ledger.exists():
        recorded = json.loads(ledger.read_text(encoding="utf-8"))
        result["faults"] = recorded["counts"]
        result["token_replays"] = recorded["token_replays"]
        result["requests"] = recorded["requests"]
        per_operation: dict[str, dict[str, int]] = {}
        for fault in recorded["faults"]:
            ops = per_operation.setdefault(fault["kind"], {})
            name = f"{fault['service']}:{fault['operation']}"
            ops[name] = ops.get(name, 0) + 1
        result["faults_by_operation"] = per_operation
    result["succeeded"] = all(row["rc"] == 0 for row in result["phases"].values()) and len(result["phases"]) == len(
        CHAIN
    )
    result["seconds"] = round(sum(row["seconds"] for row in result["phases"].values()), 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="21,22,23", help="comma-separated seeds, one faulted chain each")
    parser.add_argument("--config", default=str(ROOT / "molecule" / "full_stack" / "faults.json"))
    args = parser.parse_args(argv)
    base = json.loads(Path(args.config).read_text(encoding="utf-8"))
    state = Path(tempfile.mkdtemp(prefix="wordpress-aws-faults-"))

    clean = run_chain("clean", None, state)
    runs = []
    for seed in [s.strip() for s in args.seeds.split(",") if s.strip()]:
        run = run_chain(f"seed-{seed}", {**base, "seed": seed}, state)
        run["duplicates_or_missing"] = account_counts.differences(clean.get("built", {}), run.get("built", {}))
        run["extra_seconds"] = round(run["seconds"] - clean["seconds"], 1)
        runs.append(run)

    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
        "config": base,
        "clean": clean,
        "runs": runs,
    }
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"faults-{datetime.now(UTC):%Y%m%dT%H%M%S}.json").write_text(json.dumps(result, indent=2) + "\n")

    kinds = ("throttle", "5xx", "lost_response", "iam_propagation", "slow_release")
    print(
        f"{'run':<10}{'ok':>4}{'seconds':>9}{'extra':>8}  "
        + "".join(f"{k:>16}" for k in kinds)
        + "  replays  dups  no-op changed"
    )
    for run in [clean, *runs]:
        faults = run.get("faults", {})
        ok = "yes" if run["succeeded"] else "NO"
        print(
            f"{run['label']:<10}{ok:>4}{run['seconds']:>9}{run.get('extra_seconds', 0):>8}  "
            + "".join(f"{faults.get(k, 0):>16}" for k in kinds)
            + f"  {run.get('token_replays', 0):>7}  {len(run.get('duplicates_or_missing', {})):>4}"
            + f"  {run['phases'].get('noop_rerun', {}).get('changed')}"
        )
        for phase, row in run["phases"].items():
            if row["rc"]:
                print(f"    {phase} failed: {row.get('error', '')[:400]}")
        if run.get("duplicates_or_missing"):
            print(f"    duplicates or missing (clean, faulted): {run['duplicates_or_missing']}")
        if run.get("left_after_teardown"):
            print(f"    left after teardown: {run['left_after_teardown']}")
    return 0 if all(run["succeeded"] and not run["duplicates_or_missing"] for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
