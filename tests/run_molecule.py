"""Run every molecule scenario, a few at a time (each has its own emulator port), and report.

    run_molecule.py [--jobs N] [SCENARIO ...]

Logs go to .cache/molecule/<scenario>.log. The last line is "N passed, N failed".
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / ".cache" / "molecule"


# Longest first (measured), so two workers finish together; unknown scenarios go last.
LONGEST_FIRST = (
    "full_stack",
    "cloudfront_waf",
    "cost_guard",
    "ecs_wordpress",
    "monitoring",
    "rds",
    "vpc",
    "foundation",
)


def scenarios() -> list[str]:
    found = sorted(p.parent.name for p in (ROOT / "molecule").glob("*/molecule.yml"))
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    return sorted(found, key=lambda name: (rank.get(name, len(rank)), name))


def run(scenario: str) -> tuple[str, int, float]:
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{scenario}.log"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "ANSIBLE_FORCE_COLOR": "0",
        "NO_COLOR": "1",
        "PY_COLORS": "0",
        # Molecule installs the collection under ANSIBLE_HOME: keep that copy out of ~/.ansible, where a stale
        # one would shadow the checkout for later ansible-lint runs, and give each scenario its own, since two
        # molecule processes installing into one directory at once collide (File exists).
        "ANSIBLE_HOME": str(ROOT / ".cache" / "ansible-home" / scenario),
    }
    started = time.monotonic()
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.run(
            [str(Path(sys.executable).parent / "molecule"), "test", "-s", scenario],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
            timeout=1800,
        )
    return scenario, proc.returncode, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("scenario", nargs="*")
    args = parser.parse_args()
    wanted = args.scenario or scenarios()
    unknown = set(wanted) - set(scenarios())
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(run, wanted))
    failed = 0
    for scenario, code, seconds in results:
        status = "PASSED" if code == 0 else f"FAILED (exit {code})"
        print(f"molecule {scenario:<12} {status:<18} {seconds:6.1f}s  log: {(LOGS / scenario).relative_to(ROOT)}.log")
        if code != 0:
            failed += 1
            tail = (LOGS / f"{scenario}.log").read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
            print("\n".join(f"    {line}" for line in tail))
    print(f"molecule: {len(results)} scenarios in {time.monotonic() - started:.0f}s")
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
