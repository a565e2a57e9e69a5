"""Unit tests of module_utils/adopt.py: creates that survive a lost answer."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler
from http.server import HTTPServer

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.exceptions import ConnectionClosedError

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import adopt


def _error(code: str, status: int = 400) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "Op")


class Calls:
    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.count = 0

    def __call__(self):
        self.count += 1
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


def test_create_or_adopt_returns_the_created_resource():
    assert adopt.create_or_adopt(Calls({"id": 1}), Calls(), ("AlreadyExists",)) == ({"id": 1}, False)


def test_create_or_adopt_adopts_on_the_conflict_code():
    create, find = Calls(_error("AlreadyExists")), Calls({"id": 1})
    assert adopt.create_or_adopt(create, find, ("AlreadyExists",)) == ({"id": 1}, True)
    assert (create.count, find.count) == (1, 1)


def test_create_or_adopt_adopts_after_a_lost_answer_that_survived_the_retries():
    for lost in (_error("InternalFailure", 500), ConnectionClosedError(endpoint_url="http://x")):
        assert adopt.create_or_adopt(Calls(lost), Calls({"id": 1}), ("AlreadyExists",)) == ({"id": 1}, True)


def test_create_or_adopt_raises_a_conflict_with_nothing_of_ours():
    with pytest.raises(ClientError, match="AlreadyExists"):
        adopt.create_or_adopt(Calls(_error("AlreadyExists")), Calls(None), ("AlreadyExists",))


def test_create_or_adopt_raises_other_errors_without_looking():
    find = Calls()
    with pytest.raises(ClientError, match="AccessDenied"):
        adopt.create_or_adopt(Calls(_error("AccessDenied")), find, ("AlreadyExists",))
    assert find.count == 0


def test_create_once_adopts_what_a_lost_answer_created_and_never_creates_again():
    create, find = Calls(_error("InternalError", 500), {"id": 2}), Calls({"id": 1})
    assert adopt.create_once(create, find, sleep=lambda _s: None) == ({"id": 1}, True)
    assert create.count == 1


def test_create_once_creates_again_when_the_lost_write_was_not_applied():
    create, find = Calls(ConnectionClosedError(endpoint_url="http://x"), {"id": 2}), Calls(None)
    assert adopt.create_once(create, find, sleep=lambda _s: None) == ({"id": 2}, False)
    assert (create.count, find.count) == (2, 1)


def test_create_once_retries_throttling_without_looking_and_raises_the_rest():
    create, find = Calls(_error("Throttling"), {"id": 3}), Calls()
    assert adopt.create_once(create, find, sleep=lambda _s: None) == ({"id": 3}, False)
    assert find.count == 0
    with pytest.raises(ClientError, match="AccessDenied"):
        adopt.create_once(Calls(_error("AccessDenied")), Calls(), sleep=lambda _s: None)


def test_ec2_throttling_is_not_a_lost_answer_though_it_comes_as_a_503():
    assert adopt.is_lost_answer(_error("RequestLimitExceeded", 503)) is False
    assert adopt.is_lost_answer(_error("Unavailable", 503)) is True


def test_create_once_adopts_on_a_conflict_code_or_raises_it():
    assert adopt.create_once(Calls(_error("Dup")), Calls({"id": 1}), ("Dup",)) == ({"id": 1}, True)
    with pytest.raises(ClientError, match="Dup"):
        adopt.create_once(Calls(_error("Dup")), Calls(None), ("Dup",))


def test_create_once_gives_up_after_its_attempts():
    create = Calls(*[_error("Throttling")] * 3)
    with pytest.raises(ClientError, match="Throttling"):
        adopt.create_once(create, Calls(), attempts=3, sleep=lambda _s: None)
    assert create.count == 3


def test_request_token_is_new_per_write_and_36_characters():
    assert adopt.request_token() != adopt.request_token() and len(adopt.request_token()) == 36


def test_token_is_stable_and_fits_64_characters():
    assert adopt.token("blog", "x") == adopt.token("blog", "x") != adopt.token("blog", "y")
    assert len(adopt.token("blog", "x")) == 64


HITS: list = []  # the paths the always-500 server was asked


class _Always500(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        HITS.append(self.path)
        body = b"<Response><Errors><Error><Code>InternalError</Code><Message>x</Message></Error></Errors></Response>"
        self.send_response(500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


@pytest.fixture
def always_500():
    HITS.clear()
    server = HTTPServer(("127.0.0.1", 0), _Always500)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    client = boto3.client(
        "ec2",
        region_name="eu-west-3",
        endpoint_url=f"http://127.0.0.1:{server.server_port}",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"mode": "legacy", "max_attempts": 4}),
    )
    client.meta.events.register("before-sleep", lambda **_kw: None)
    yield client
    server.shutdown()


def test_botocore_resends_a_lost_write_without_the_veto(always_500, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda _s: None)
    with pytest.raises(ClientError):
        always_500.allocate_address(Domain="vpc")
    assert len(HITS) == 5


def test_no_blind_retry_sends_the_write_once_and_raises_lost_answer(always_500, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda _s: None)
    with pytest.raises(adopt.LostAnswer), adopt.no_blind_retry(always_500, "AllocateAddress"):
        always_500.allocate_address(Domain="vpc")
    assert len(HITS) == 1
    # the veto is gone after the block, and it never applied to other operations
    with pytest.raises(ClientError):
        always_500.describe_addresses()
    assert len(HITS) == 6
