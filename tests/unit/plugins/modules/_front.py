"""A moto server with scripts/fault_front.py in front of it, losing the answer to every successful write.

``lost_front(mode)`` -> ``(module arguments reaching the front, the ledger path, a boto3 client factory that goes
straight to the emulator)``. Used to prove, with botocore's own retries, that a module survives a create whose
answer was lost after the emulator applied it (the front's ``lost_response`` kind at rate 1.0).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT / "scripts"))
import fault_front
from daemon import free_port

REGION = "eu-west-3"
KEYS = {"access_key": "testing", "secret_key": "testing"}


@pytest.fixture(scope="module")
def emulator_port():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield port
    server.stop()


@pytest.fixture
def lost_front(emulator_port, tmp_path):
    started = []

    def start(mode: str = "500"):
        port = free_port()
        ledger = tmp_path / f"ledger-{port}.json"
        config = {"seed": 21, "rates": {"lost_response": 1.0}, "lost_response_mode": mode}
        server = fault_front.serve(port, emulator_port, config, ledger)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        started.append(server)

        def direct(service: str):
            return boto3.client(
                service,
                region_name=REGION,
                endpoint_url=f"http://127.0.0.1:{emulator_port}",
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )

        return {"endpoint_url": f"http://127.0.0.1:{port}", **KEYS}, ledger, direct

    yield start
    for server in started:
        server.shutdown()
        server.server_close()
