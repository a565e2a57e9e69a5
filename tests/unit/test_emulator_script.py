"""scripts/emulator.py: idempotent start, stale pid files, stop, status — on a real moto server."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "emulator.py"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def emulator(tmp_path):
    port = _free_port()
    env = {**os.environ, "WORDPRESS_AWS_EMULATOR_DIR": str(tmp_path)}

    def run(action):
        return subprocess.run(
            [sys.executable, str(SCRIPT), action, "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )

    yield run, port, tmp_path
    run("stop")


def test_start_is_idempotent_and_stop_cleans_up(emulator):
    run, port, state = emulator
    first = run("start")
    assert first.returncode == 0, first.stderr
    pid = (state / f"moto-{port}.pid").read_text().strip()
    second = run("start")
    assert second.returncode == 0 and "already running" in second.stdout
    assert (state / f"moto-{port}.pid").read_text().strip() == pid
    assert run("status").returncode == 0
    assert (state / f"moto-{port}.log").exists()
    assert run("stop").returncode == 0
    assert not (state / f"moto-{port}.pid").exists()
    assert run("status").returncode == 3


def test_stale_pid_file_is_replaced(emulator):
    run, port, state = emulator
    state.mkdir(exist_ok=True)
    (state / f"moto-{port}.pid").write_text("999999\n")
    result = run("start")
    assert result.returncode == 0, result.stderr
    assert "stale pid file" in result.stdout
    assert (state / f"moto-{port}.pid").read_text().strip() != "999999"


def test_port_taken_by_another_program_is_reported(emulator):
    run, port, _state = emulator
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
        sock.listen(1)
        result = run("start")
    assert result.returncode == 1
    assert "taken by another program" in result.stderr


def test_stop_when_not_running_is_a_no_op(emulator):
    run, _port, _state = emulator
    result = run("stop")
    assert result.returncode == 0 and "not running" in result.stdout
