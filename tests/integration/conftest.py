"""Playbook-level tests: a private emulator per test worker, and a runner for ansible-playbook."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "molecule" / "resources" / "filter_plugins"))
sys.path.insert(0, str(ROOT / ".collections"))  # the checkout as the collection (make venv links it)
sys.path.insert(0, str(ROOT / "scripts"))
from aws_calls import aws_calls
from aws_calls import aws_write_calls
from daemon import free_port

BIN = Path(sys.executable).parent


@contextlib.contextmanager
def emulator_on_a_free_port(state_dir: Path):
    """A fresh moto server on a free loopback port, its state in ``state_dir``; yields the port, then stops it."""
    port = free_port()
    env = {**os.environ, "WORDPRESS_AWS_EMULATOR_DIR": str(state_dir)}
    script = [sys.executable, str(ROOT / "scripts" / "emulator.py")]
    subprocess.run([*script, "start", "--port", str(port)], env=env, check=True, capture_output=True, timeout=90)
    try:
        yield port
    finally:
        subprocess.run([*script, "stop", "--port", str(port)], env=env, check=False, capture_output=True, timeout=30)


def playbook_environment(port: int) -> dict:
    """The environment ansible-playbook runs in against the emulator on ``port`` (the checkout's ansible.cfg)."""
    return {
        **os.environ,
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "WORDPRESS_AWS_EMULATOR_PORT": str(port),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    """A moto server of our own on a free loopback port, for the whole session of this worker."""
    with emulator_on_a_free_port(tmp_path_factory.mktemp("emulator")) as port:
        yield port


@pytest.fixture(scope="session")
def start_emulator():
    """``start_emulator(state_dir)``: :func:`emulator_on_a_free_port`, for a test that needs an account of its own."""
    return emulator_on_a_free_port


@pytest.fixture(scope="session")
def ansible_environment():
    """``ansible_environment(port)``: :func:`playbook_environment`, for fixtures wider than one test."""
    return playbook_environment


def recording(port: int):
    """Start recording the calls the emulator on ``port`` receives; returns the function that stops and reads it.

    That function returns (every call, the calls that write), each as ``service:Action`` in order
    (molecule/resources/filter_plugins/aws_calls.py names them). A run stopped by its input checks must show no
    write.
    """
    base = f"http://127.0.0.1:{port}/moto-api/recorder"

    def post(step: str) -> None:
        urllib.request.urlopen(urllib.request.Request(f"{base}/{step}", method="POST", data=b""), timeout=10).close()

    post("reset-recording")
    post("start-recording")

    def stop() -> tuple[list[str], list[str]]:
        post("stop-recording")
        with urllib.request.urlopen(f"{base}/download-recording", timeout=10) as resp:
            recorded = resp.read().decode()
        return aws_calls(recorded), aws_write_calls(recorded)

    return stop


@pytest.fixture(scope="session")
def start_recording():
    """``start_recording(port)``: :func:`recording`, for fixtures wider than one test."""
    return recording


@pytest.fixture
def recorded_calls(emulator):
    """Record the calls the emulator receives from here on; calling the fixture stops and returns them."""
    stop = recording(emulator)
    yield stop
    stop()


@pytest.fixture
def emulator_connection(emulator) -> dict:
    """This worker's emulator as ``wordpress_aws_connection`` spells it (region, endpoint, test credentials)."""
    return {
        "region": "eu-west-3",
        "endpoint_url": f"http://127.0.0.1:{emulator}",
        "access_key": "testing",
        "secret_key": "testing",
    }


@pytest.fixture
def emulator_client(emulator_connection):
    """``emulator_client(service)``: a boto3 client of this worker's emulator."""

    def client(service: str):
        return boto3.client(
            service,
            region_name=emulator_connection["region"],
            endpoint_url=emulator_connection["endpoint_url"],
            aws_access_key_id=emulator_connection["access_key"],
            aws_secret_access_key=emulator_connection["secret_key"],
        )

    return client


@pytest.fixture
def playbook(emulator):
    """Run a playbook of the collection against an inventory (the local one unless told) and this worker's emulator."""

    def run(
        name: str, extra_vars: dict | None = None, *args: str, inventory: str = "local"
    ) -> subprocess.CompletedProcess:
        env = playbook_environment(emulator)
        cmd = [
            str(BIN / "ansible-playbook"),
            "-i",
            str(ROOT / "inventories" / inventory),
            str(ROOT / "playbooks" / name),
        ]
        if extra_vars:
            cmd += ["-e", json.dumps(extra_vars)]
        cmd += list(args)
        return subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)

    return run
