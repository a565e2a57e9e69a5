"""What the local target's background servers share: their pid files, liveness and a clean stop.

scripts/emulator.py (the moto server) and scripts/fault_front.py (the fault-injecting front) each run one process
group per port, started with ``start_new_session`` and remembered in a pid file under ``.emulator/``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time
from pathlib import Path


def alive(pid: int) -> bool:
    """True while the process runs (a zombie, which still answers kill(0), counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split()[2] != "Z"
    except OSError:
        return True


def read_pid(pid_file: Path) -> int | None:
    """The pid the file holds, or None when it is missing or unreadable."""
    try:
        return int(pid_file.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def stop(pid_file: Path, grace: float = 10.0) -> int | None:
    """Stop the process group the pid file names (SIGTERM, SIGKILL after ``grace`` s); the pid stopped, or None.

    A missing pid file or a dead process stops nothing; the pid file is removed either way.
    """
    pid = read_pid(pid_file)
    if not pid or not alive(pid):
        pid_file.unlink(missing_ok=True)
        return None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and alive(pid):
        time.sleep(0.1)
    if alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)
    return pid


def free_port() -> int:
    """A loopback port nothing listens on now (for a private emulator or front)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
