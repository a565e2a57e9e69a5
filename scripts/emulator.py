"""Start, stop and report the local AWS emulator (moto in server mode).

The local target of this collection is moto's server on a loopback port. This script is the only
place that knows it is an emulator: inventories point at the endpoint, roles and modules do not care.

    emulator.py start  [--port N]   start it (no-op when already running; a stale pid file is cleaned)
    emulator.py stop   [--port N]   stop it (no-op when not running)
    emulator.py status [--port N]   print its state; exit 0 when running, 3 when not
    emulator.py reset  [--port N]   drop every resource it holds (moto's reset API)

The port comes from --port, else WORDPRESS_AWS_EMULATOR_PORT, else 4566. State files live in
``.emulator/`` at the repository root: ``moto-PORT.pid``, the server's log ``moto-PORT.log`` and, while a
test records the calls it receives (moto's recorder, off unless started), ``moto-PORT.recording``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import daemon

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = Path(os.environ.get("WORDPRESS_AWS_EMULATOR_DIR", ROOT / ".emulator"))
START_TIMEOUT = 60.0


def _paths(port: int) -> tuple[Path, Path]:
    return STATE_DIR / f"moto-{port}.pid", STATE_DIR / f"moto-{port}.log"


def recording_path(port: int) -> Path:
    """Where the server writes the requests it records (tests start and read the recording over HTTP)."""
    return STATE_DIR / f"moto-{port}.recording"


def _answers(port: int, timeout: float = 1.0) -> bool:
    """True when a moto server answers on the port (its management API).

    Asks for moto's configuration, not /moto-api/data.json: that one serialises every model and answers 500
    once a Lambda function exists on a machine without Docker.
    """
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/moto-api/config", timeout=timeout) as resp:
            return resp.status in (200, 201)
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def _server_command(port: int) -> list[str]:
    exe = Path(sys.executable).with_name("moto_server")
    if exe.exists():
        return [str(exe), "-H", HOST, "-p", str(port)]
    found = shutil.which("moto_server")
    if found:
        return [found, "-H", HOST, "-p", str(port)]
    raise SystemExit(
        "emulator: moto_server not found. Run `make venv` (it installs moto[server] into .venv) "
        "and call this script with .venv/bin/python."
    )


def status(port: int) -> int:
    pid_file, log_file = _paths(port)
    pid = daemon.read_pid(pid_file)
    if pid and daemon.alive(pid) and _answers(port):
        print(f"emulator: running on http://{HOST}:{port} (pid {pid}, log {log_file})")
        return 0
    if _answers(port):
        print(f"emulator: a moto server answers on http://{HOST}:{port} but was not started by this script")
        return 0
    print(f"emulator: not running on port {port}")
    return 3


def start(port: int) -> int:
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    pid_file, log_file = _paths(port)
    pid = daemon.read_pid(pid_file)
    if pid and daemon.alive(pid):
        if _answers(port, timeout=2.0):
            print(f"emulator: already running on http://{HOST}:{port} (pid {pid})")
            return 0
    elif pid_file.exists():
        print(f"emulator: removing stale pid file {pid_file}")
        pid_file.unlink()
        pid = None
    if pid is None and _answers(port):
        print(f"emulator: a moto server already answers on http://{HOST}:{port}; using it")
        return 0
    if pid is None and _port_taken(port):
        print(f"emulator: port {port} is taken by another program; choose another with --port", file=sys.stderr)
        return 1

    env = dict(os.environ)
    # An account free of thousands of preloaded AMIs and snapshots starts faster and lists faster.
    env.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    env["MOTO_RECORDER_FILEPATH"] = str(recording_path(port))
    # ACM issues a DNS-validated certificate this many seconds after the request (moto's default is 60; on AWS it
    # is minutes after the validation records exist).
    env.setdefault("MOTO_ACM_VALIDATION_WAIT", "5")
    if pid is None:
        with open(log_file, "ab") as log:
            proc = subprocess.Popen(
                _server_command(port),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )
        pid = proc.pid
        pid_file.write_text(f"{pid}\n", encoding="ascii")

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if _answers(port):
            print(f"emulator: running on http://{HOST}:{port} (pid {pid}, log {log_file})")
            return 0
        if not daemon.alive(pid):
            break
        time.sleep(0.2)
    print(f"emulator: failed to start on port {port}; see {log_file}", file=sys.stderr)
    return 1


def stop(port: int) -> int:
    pid = daemon.stop(_paths(port)[0])
    print(f"emulator: stopped (pid {pid})" if pid else f"emulator: not running on port {port}")
    return 0


def reset(port: int) -> int:
    req = urllib.request.Request(f"http://{HOST}:{port}/moto-api/reset", method="POST", data=b"")
    try:
        with urllib.request.urlopen(req, timeout=10):
            pass
    except (urllib.error.URLError, OSError) as err:
        print(f"emulator: reset failed on port {port}: {err}", file=sys.stderr)
        return 1
    print(f"emulator: reset on port {port}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("start", "stop", "status", "reset"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WORDPRESS_AWS_EMULATOR_PORT", "4566")))
    args = parser.parse_args(argv)
    if not 1 <= args.port <= 65535:
        parser.error("--port must be between 1 and 65535")
    return {"start": start, "stop": stop, "status": status, "reset": reset}[args.action](args.port)


if __name__ == "__main__":
    sys.exit(main())
