"""Test setup: the checkout as the collection, AWS mocked in-process, and a module runner."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COLLECTIONS = ROOT / ".collections"
LINK = COLLECTIONS / "ansible_collections" / "techblogpro" / "wordpress_aws"
if not LINK.exists():
    LINK.parent.mkdir(parents=True, exist_ok=True)
    LINK.symlink_to(Path("../../.."))
sys.path.insert(0, str(COLLECTIONS))

import boto3
from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args
from botocore.stub import Stubber
from moto import mock_aws

from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule

REGION = "eu-west-3"


class ModuleExit(Exception):
    """exit_json or fail_json was called; ``result`` holds what the module returned."""

    def __init__(self, result: dict, failed: bool):
        super().__init__(json.dumps(result, default=str)[:500])
        self.result = result
        self.failed = failed


@pytest.fixture
def aws(monkeypatch):
    """Every boto3 client in the test talks to moto's in-process mock."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "MOTO_EC2_LOAD_DEFAULT_AMIS": "false",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield lambda service, region=REGION: boto3.client(service, region_name=region)


@pytest.fixture
def stubbed(monkeypatch):
    """``stubbed(service, region=REGION)`` -> a botocore ``Stubber`` on a real client that modules get.

    For APIs moto lacks (or to see exact requests): queue answers with ``stub.add_response(operation, response,
    expected_params)`` / ``stub.add_client_error(...)``; botocore checks every request and answer against the
    service model. The stub is active at once; ``WordPressAWSModule.client(service, ...)`` returns its client
    (wrapped in amazon.aws's retrying wrapper when the module asks for a ``retry_decorator``, as the real method
    does), while services not stubbed keep the real factory (moto under the ``aws`` fixture). ``stub.client`` is
    the client. At teardown every stub must have answered everything queued (``assert_no_pending_responses``).
    """
    stubs: dict[str, Stubber] = {}
    real_client = WordPressAWSModule.client

    def client(self, service, retry_decorator=None, **kwargs):
        if service not in stubs:
            return real_client(self, service, retry_decorator=retry_decorator, **kwargs)
        conn = stubs[service].client
        return conn if retry_decorator is None else RetryingBotoClientWrapper(conn, retry_decorator)

    def make(service: str, region: str = REGION) -> Stubber:
        conn = boto3.client(service, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")
        stubs[service] = Stubber(conn)
        stubs[service].activate()
        return stubs[service]

    monkeypatch.setattr(WordPressAWSModule, "client", client)
    yield make
    for stub in stubs.values():
        stub.assert_no_pending_responses()
        stub.deactivate()


@pytest.fixture
def run_module(monkeypatch):
    """Run a module's main() with the given args; return its result dict (failed results included)."""

    def _exit(self, **kwargs):
        raise ModuleExit(kwargs, failed=False)

    def _fail(self, msg="", **kwargs):
        kwargs["msg"] = msg
        kwargs["failed"] = True
        raise ModuleExit(kwargs, failed=True)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail)

    def run(module, args: dict, check_mode: bool = False, diff: bool = True, aws: bool = True) -> dict:
        full = {"_ansible_check_mode": check_mode, "_ansible_diff": diff, **({"region": REGION} if aws else {}), **args}
        with patch_module_args(full):
            try:
                module.main()
            except ModuleExit as done:
                return done.result
        raise AssertionError("module returned without exit_json or fail_json")

    return run


@pytest.fixture(autouse=True)
def _no_real_endpoint(monkeypatch):
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    os.environ.pop("AWS_CONFIG_FILE", None)
