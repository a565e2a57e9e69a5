"""What the scripts' tests share: a real moto server on a free loopback port."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from daemon import free_port


@pytest.fixture(scope="module")
def emulator():
    """The port of a moto server that lives for the test module."""
    port = free_port()
    before = os.environ.get("MOTO_EC2_LOAD_DEFAULT_AMIS")
    os.environ["MOTO_EC2_LOAD_DEFAULT_AMIS"] = "false"  # no preloaded AMIs: EC2's first call is quicker
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield port
    server.stop()
    if before is None:
        os.environ.pop("MOTO_EC2_LOAD_DEFAULT_AMIS", None)
    else:
        os.environ["MOTO_EC2_LOAD_DEFAULT_AMIS"] = before
