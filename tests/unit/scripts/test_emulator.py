"""scripts/emulator.py: idempotent start, stale pid files, stop, status — on a real moto server."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from daemon import free_port

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "emulator.py"


@pytest.fixture
def emulator(tmp_path):
    port = free_port()
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


def _lambda_function(port):
    """Create a Lambda function: once one exists, moto's /moto-api/data.json answers 500 without Docker."""
    import io
    import zipfile

    import boto3

    kwargs = {
        "endpoint_url": f"http://127.0.0.1:{port}",
        "region_name": "eu-west-3",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
    role = boto3.client("iam", **kwargs).create_role(RoleName="fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return event\n")
    boto3.client("lambda", **kwargs).create_function(
        FunctionName="fn",
        Runtime="python3.12",
        Role=role,
        Handler="handler.handler",
        Code={"ZipFile": package.getvalue()},
    )
    return kwargs


def test_a_lambda_function_does_not_make_the_server_look_dead(emulator):
    """`make demo` twice: the second start must find the running server, whatever the account holds."""
    run, port, _state = emulator
    assert run("start").returncode == 0
    _lambda_function(port)
    assert run("status").returncode == 0
    second = run("start")
    assert second.returncode == 0 and "already running" in second.stdout, second.stdout + second.stderr


def test_the_recorder_writes_next_to_the_pid_file(emulator):
    import urllib.request

    import boto3

    sys.path.insert(0, str(ROOT / "molecule" / "resources" / "filter_plugins"))
    from aws_calls import aws_calls
    from aws_calls import aws_write_calls

    run, port, state = emulator
    assert run("start").returncode == 0
    base = f"http://127.0.0.1:{port}/moto-api/recorder"
    for step in ("reset-recording", "start-recording"):
        urllib.request.urlopen(urllib.request.Request(f"{base}/{step}", method="POST", data=b""), timeout=10).close()
    kwargs = _lambda_function(port)
    boto3.client("ec2", **kwargs).describe_vpcs()
    boto3.client("ecs", **kwargs).list_clusters()
    urllib.request.urlopen(
        urllib.request.Request(f"{base}/stop-recording", method="POST", data=b""), timeout=10
    ).close()
    with urllib.request.urlopen(f"{base}/download-recording", timeout=10) as resp:
        recording = resp.read().decode()
    assert (state / f"moto-{port}.recording").read_text() == recording
    calls = aws_calls(recording)
    assert calls[0] == "iam:CreateRole"
    assert "lambda:POST /2015-03-31/functions" in calls
    assert calls[-2:] == ["ec2:DescribeVpcs", "ecs:ListClusters"]
    assert aws_write_calls(recording) == ["iam:CreateRole", "lambda:POST /2015-03-31/functions"]
