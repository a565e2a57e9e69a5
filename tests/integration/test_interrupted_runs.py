"""A run killed at a random task, then run again, ends where an uninterrupted run ends.

site.yml is killed (SIGKILL to its whole process group: the controller, its workers and the modules' forks, as a
lost AWX node or a cancelled job leaves it) a seeded random delay after the header of a seeded random task. The
re-run must converge; the account must then hold exactly what a clean converge holds, counted per resource type
whatever the tags (scripts/account_counts.py against molecule/full_stack/account_counts.json: no duplicate,
nothing missing); a third run must change nothing. Then teardown.yml is killed the same way and re-run: nothing
is left but the final DB snapshot and the key it needs.

One seed per run of the suite (the same in every pytest-xdist worker), printed in the test's id and in
.cache/interrupted-runs.log; set WORDPRESS_AWS_INTERRUPT_SEED to replay one.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def run_seed() -> int:
    """WORDPRESS_AWS_INTERRUPT_SEED, else one per suite run that every pytest-xdist worker agrees on."""
    if os.environ.get("WORDPRESS_AWS_INTERRUPT_SEED"):
        return int(os.environ["WORDPRESS_AWS_INTERRUPT_SEED"])
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")  # the same in every worker of one run
    if run_id:
        return int(hashlib.sha256(run_id.encode()).hexdigest(), 16) % 100_000 + 1
    return random.SystemRandom().randrange(1, 100_001)


SEED = run_seed()
CLEAN_COUNTS = json.loads((ROOT / "molecule" / "full_stack" / "account_counts.json").read_text())
# What a teardown keeps on purpose: the final snapshot and the stack key that encrypts it.
KEPT = {"kms:key": 1, "rds:snapshot": 1}


@pytest.fixture(scope="module")
def private_emulator(tmp_path_factory, start_emulator, ansible_environment):
    """A fresh emulator of this module's own (the worker's shared one holds other tests' stacks), and the
    environment playbooks run in against it."""
    with start_emulator(tmp_path_factory.mktemp("interrupted")) as port:
        yield port, {**ansible_environment(port), "PYTHONUNBUFFERED": "1"}


def command(name: str) -> list[str]:
    return [str(BIN / "ansible-playbook"), "-i", str(ROOT / "inventories" / "local"), str(ROOT / "playbooks" / name)]


def run_killed(name: str, env: dict, task: int, delay: float) -> str:
    """Run the playbook, SIGKILL its process group ``delay`` s after the header of task number ``task``."""
    proc = subprocess.Popen(
        command(name),
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    seen, lines = 0, []
    for line in proc.stdout:
        lines.append(line)
        if line.startswith("TASK ["):
            seen += 1
            if seen == task:
                time.sleep(delay)
                os.killpg(proc.pid, signal.SIGKILL)
                break
    proc.stdout.close()
    code = proc.wait(timeout=60)
    assert code == -signal.SIGKILL, f"{name} ended (exit {code}) before task {task}:\n{''.join(lines[-40:])}"
    return lines[-1].strip() if lines else ""


def run(name: str, env: dict) -> str:
    proc = subprocess.run(command(name), env=env, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, f"{name} failed after the interruption:\n{proc.stdout[-4000:]}"
    return proc.stdout


def counts(port: int) -> dict:
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "account_counts.py"), "--port", str(port)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    return json.loads(out)


def log(line: str) -> None:
    path = ROOT / ".cache" / "interrupted-runs.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} seed {SEED}: {line}\n")


@pytest.mark.parametrize("seed", [SEED], ids=lambda seed: f"seed={seed}")
def test_a_killed_converge_and_a_killed_teardown_end_as_clean_ones(seed, private_emulator):
    rng = random.Random(seed)
    port, env = private_emulator
    # A first converge prints about 250 task headers and a teardown about 120: kill well inside each.
    task, delay = rng.randint(3, 200), round(rng.uniform(0.0, 0.6), 2)
    last = run_killed("site.yml", env, task, delay)
    log(f"site.yml killed {delay} s after task {task} ({last})")
    run("site.yml", env)
    live = counts(port)
    differ = {
        k: (CLEAN_COUNTS.get(k), live.get(k)) for k in {*CLEAN_COUNTS, *live} if CLEAN_COUNTS.get(k) != live.get(k)
    }
    assert differ == {}, f"seed {seed}: (clean, after the interrupted converge) differ: {differ}"
    again = run("site.yml", env)
    assert " changed=0 " in again, f"seed {seed}: the run after the repair changed something:\n{again[-3000:]}"

    task, delay = rng.randint(3, 100), round(rng.uniform(0.0, 0.6), 2)
    last = run_killed("teardown.yml", env, task, delay)
    log(f"teardown.yml killed {delay} s after task {task} ({last})")
    run("teardown.yml", env)
    left = {k: v for k, v in counts(port).items() if v}
    assert left == KEPT, f"seed {seed}: left after the interrupted teardown: {left}"
    log("converged, no duplicate, changed=0 after; teardown left only the final snapshot and its key")
