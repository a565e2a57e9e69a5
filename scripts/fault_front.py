"""A fault-injecting HTTP front for the local AWS emulator: the faults real AWS produces, with a seed and a rate.

The emulator (scripts/emulator.py) answers every call at once and the same way each time. AWS throttles,
fails with 5xx, loses answers to writes it applied, takes seconds to propagate a new IAM role, and minutes to
release a deleted VPC Lambda's network interfaces. This front sits on another loopback port between the
collection and the emulator and reproduces those, so a run through it shows whether our code copes. It is a
test tool: nothing in the product knows it exists; the local inventory's endpoint points at it when
WORDPRESS_AWS_EMULATOR_PORT names its port.

    fault_front.py start  --port P --upstream-port U [--seed S] [--rate KIND=R ...] [--window KIND=SECONDS ...]
                          [--config FILE.json] [--lost-response-mode 500|close|mixed] [--ledger FILE]
    fault_front.py stop   --port P
    fault_front.py status --port P
    fault_front.py ledger --port P | --ledger FILE     print the injected faults per kind (JSON)
    fault_front.py serve  ...                           run in the foreground (what `start` spawns)

Fault kinds:

- ``throttle``: answered without forwarding, in the protocol's own throttling shape (``ThrottlingException``,
  ``Throttling``, ``RequestLimitExceeded``, ``TooManyRequestsException``, ``SlowDown``);
- ``5xx``: answered without forwarding, 500 ``InternalError``/``InternalFailure`` or 503 ``ServiceUnavailable``;
- ``lost_response``: a write (not Describe/Get/List/...) is forwarded, so the emulator applies it, then its
  answer is replaced by a 500 (or the connection is closed);
- ``iam_propagation`` (a window, seconds): after CreateRole/PutRolePolicy/AttachRolePolicy/UpdateAssumeRolePolicy
  on a role, Lambda CreateFunction/UpdateFunctionConfiguration, RDS CreateDBInstance/ModifyDBInstance (its
  MonitoringRoleArn) and Scheduler CreateSchedule/UpdateSchedule naming that role answer AWS's "role cannot be
  assumed" errors;
- ``slow_release`` (a window, seconds): after DeleteFunction of a VPC Lambda, EC2 DeleteSecurityGroup and
  DeleteSubnet of its groups and subnets answer ``DependencyViolation``.

Rates are probabilities per eligible request (windows' rates apply inside the window, default 1.0). Each
decision is a hash of (seed, kind, service, operation, how many times that operation was seen), so a seed
replays the same faults for the same sequence of calls. Requests carrying an idempotency token (ClientToken,
ClientRequestToken, IdempotencyToken, CallerReference, CreatorRequestId) are answered as AWS does: the first
successful answer to a token is kept and a repeat of the token gets it again without reaching the emulator
(which ignores tokens); EC2 answers ``IdempotentParameterMismatch`` when the parameters differ.

The ledger (JSON, rewritten after every fault) lists each fault (kind, service, operation, time) and counts
them per kind; ``GET /__fault_front__/ledger`` answers it too. State files live next to the emulator's
(``WORDPRESS_AWS_EMULATOR_DIR``, default ``.emulator/``): ``front-P.pid``, ``front-P.log``, ``front-P.ledger.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs
from urllib.parse import unquote
from urllib.parse import urlsplit

import daemon

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = Path(os.environ.get("WORDPRESS_AWS_EMULATOR_DIR", ROOT / ".emulator"))
START_TIMEOUT = 30.0
CONTROL = "/__fault_front__/"

KINDS = ("throttle", "5xx", "lost_response", "iam_propagation", "slow_release")
WINDOW_KINDS = ("iam_propagation", "slow_release")
READ_PREFIXES = ("Describe", "List", "Get", "BatchGet", "Head", "Lookup", "Search")
TOKEN_FIELDS = ("ClientToken", "ClientRequestToken", "IdempotencyToken", "CallerReference", "CreatorRequestId")
IAM_ROLE_CHANGES = ("CreateRole", "PutRolePolicy", "AttachRolePolicy", "UpdateAssumeRolePolicy")
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}

_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")
_RPC_V2 = re.compile(r"/service/[^/]+/operation/([A-Za-z0-9]+)")
# Signing names whose botocore model has another name (only REST protocols need the model).
_MODEL_NAMES = {"elasticfilesystem": "efs", "monitoring": "cloudwatch", "tagging": "resourcegroupstaggingapi"}
_REST_XML = ("s3", "cloudfront", "route53")
# The query-protocol code a query-compatible JSON service reports (x-amzn-query-error) for a JSON error type.
QUERY_CODES = {("sqs", "ThrottlingException"): "RequestThrottled", ("monitoring", "ThrottlingException"): "Throttling"}
_XML_NS = {
    "cloudfront": "http://cloudfront.amazonaws.com/doc/2020-05-31/",
    "route53": "https://route53.amazonaws.com/doc/2013-04-01/",
}


# --- requests: protocol, service, operation -------------------------------------------------------------------


class Call:
    """What the front knows about one request: its protocol, service, operation and parameters."""

    def __init__(self, method: str, target: str, headers: dict[str, str], body: bytes):
        self.method = method
        self.target = target
        self.url = urlsplit(target)
        self.headers = headers  # lower-case keys
        self.body = body
        scope = _SCOPE.search(headers.get("authorization", ""))
        self.service = scope.group(1) if scope else ""
        self.params: dict = {}
        self.protocol, self.operation = self._identify()

    def _identify(self) -> tuple[str, str]:
        amz_target = self.headers.get("x-amz-target", "")
        if amz_target:
            self.params = _json(self.body)
            return "json", amz_target.rsplit(".", 1)[-1]
        if (match := _RPC_V2.search(self.url.path)) is not None:
            return "cbor", match.group(1)
        fields = parse_qs(self.url.query, keep_blank_values=True)
        if "form-urlencoded" in self.headers.get("content-type", ""):
            fields.update(parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True))
        if fields.get("Action"):
            self.params = {key: values[0] for key, values in fields.items()}
            return ("ec2" if self.service == "ec2" else "query"), self.params["Action"]
        protocol = "rest-xml" if self.service in _REST_XML else "rest-json"
        if protocol == "rest-json":
            self.params = _json(self.body)
        return protocol, rest_operation(self.service, self.method, self.url.path, self.url.query)

    @property
    def writes(self) -> bool:
        if self.operation and not self.operation.startswith(("GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "PATCH ")):
            return not self.operation.startswith(READ_PREFIXES)
        return self.method not in ("GET", "HEAD")

    def token(self) -> str | None:
        """The request's idempotency token, if it carries one."""
        for field in TOKEN_FIELDS:
            value = self.params.get(field)
            if isinstance(value, str) and value:
                return f"{field}={value}"
        if self.protocol == "rest-xml" and self.body:
            text = self.body.decode("utf-8", "replace")
            for field in TOKEN_FIELDS:
                match = re.search(rf"<{field}>([^<]+)</{field}>", text)
                if match:
                    return f"{field}={match.group(1)}"
        return None

    def fingerprint(self) -> str:
        """The request's parameters, to tell a repeat of a token with other parameters."""
        if self.protocol in ("query", "ec2"):
            return json.dumps(self.params, sort_keys=True)
        return hashlib.sha256(self.body).hexdigest()


def _json(body: bytes) -> dict:
    try:
        value = json.loads(body or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


_REST_ROUTES: dict[str, list[tuple[int, str, re.Pattern, list[str], str]]] = {}
_ROUTES_LOCK = threading.Lock()


def _routes(service: str) -> list[tuple[int, str, re.Pattern, list[str], str]]:
    """(specificity, method, path pattern, required query keys, operation) of a REST service, from botocore."""
    with _ROUTES_LOCK:
        if service in _REST_ROUTES:
            return _REST_ROUTES[service]
        routes = []
        try:
            import botocore.session  # the venv's botocore: its service models name the operations

            model = botocore.session.get_session().get_service_model(_MODEL_NAMES.get(service, service))
        except Exception:  # noqa: BLE001 - no model: operations are named by method and path
            model = None
        for name in model.operation_names if model else ():
            http = model.operation_model(name).http
            path, _sep, query = http.get("requestUri", "/").partition("?")
            pattern = ""
            literal = 0
            for piece in re.split(r"(\{[^}]+\})", path):
                if piece.startswith("{"):
                    pattern += ".+" if piece.endswith("+}") else "[^/]+"
                else:
                    pattern += re.escape(piece)
                    literal += len(piece)
            keys = [item for item in query.split("&") if item]
            routes.append(
                (literal + 10 * len(keys), http.get("method", "GET"), re.compile(f"^{pattern}/?$"), keys, name)
            )
        routes.sort(key=lambda route: -route[0])
        _REST_ROUTES[service] = routes
        return routes


def rest_operation(service: str, method: str, path: str, query: str) -> str:
    """The operation a REST request calls (botocore's name), or ``METHOD /path`` when no model matches."""
    present = parse_qs(query, keep_blank_values=True)
    for _score, route_method, pattern, keys, name in _routes(service):
        if route_method != method or not pattern.match(path):
            continue
        if all(
            (key.partition("=")[0] in present)
            and (not key.partition("=")[2] or present[key.partition("=")[0]][0] == key.partition("=")[2])
            for key in keys
        ):
            return name
    return f"{method} {path}"


# --- answers: each protocol's error shape -----------------------------------------------------------------------


def _cbor_text(text: str) -> bytes:
    data = text.encode()
    size = len(data)
    if size < 24:
        head = bytes([0x60 + size])
    elif size < 256:
        head = bytes([0x78, size])
    else:
        head = bytes([0x79]) + size.to_bytes(2, "big")
    return head + data


def _cbor_map(values: dict[str, str]) -> bytes:
    out = bytes([0xA0 + len(values)])
    for key, value in values.items():
        out += _cbor_text(key) + _cbor_text(value)
    return out


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def error_answer(call: Call, status: int, code: str, message: str, sender: bool = True) -> tuple[int, dict, bytes]:
    """(status, headers, body) of an AWS error in the protocol ``call`` uses."""
    request_id = str(uuid.uuid4())
    headers = {"x-amzn-RequestId": request_id}
    kind = "Sender" if sender else "Receiver"
    if call.protocol == "json":
        headers["Content-Type"] = call.headers.get("content-type", "application/x-amz-json-1.1")
        if "x-amzn-query-mode" in call.headers:  # a query-compatible service: botocore reads the query code
            headers["x-amzn-query-error"] = f"{QUERY_CODES.get((call.service, code), code)};{kind}"
        body = json.dumps({"__type": code, "message": message}).encode()
    elif call.protocol == "cbor":
        headers.update({"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"})
        headers["x-amzn-query-error"] = f"{QUERY_CODES.get((call.service, code), code)};{kind}"
        body = _cbor_map({"__type": code, "message": message})
    elif call.protocol == "ec2":
        headers["Content-Type"] = "text/xml;charset=UTF-8"
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
            f"<Code>{code}</Code><Message>{_xml_escape(message)}</Message></Error></Errors>"
            f"<RequestID>{request_id}</RequestID></Response>"
        ).encode()
    elif call.protocol == "query" or (call.protocol == "rest-xml" and call.service != "s3"):
        headers["Content-Type"] = "text/xml"
        namespace = _XML_NS.get(call.service, f"http://{call.service}.amazonaws.com/doc/")
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="{namespace}"><Error>'
            f"<Type>{kind}</Type><Code>{code}</Code><Message>{_xml_escape(message)}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        ).encode()
    elif call.protocol == "rest-xml":  # S3
        headers["Content-Type"] = "application/xml"
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
            f"<Message>{_xml_escape(message)}</Message><RequestId>{request_id}</RequestId></Error>"
        ).encode()
    else:  # rest-json
        headers["Content-Type"] = "application/json"
        headers["x-amzn-ErrorType"] = f"{code}:http://internal.amazon.com/coral/com.amazon.coral.service/"
        body = json.dumps({"Type": "User" if sender else "Service", "message": message}).encode()
    return status, headers, body


def throttle_answer(call: Call) -> tuple[int, dict, bytes]:
    if call.protocol == "ec2":
        return error_answer(call, 503, "RequestLimitExceeded", "Request limit exceeded.")
    if call.protocol == "query" or (call.protocol == "rest-xml" and call.service != "s3"):
        return error_answer(call, 400, "Throttling", "Rate exceeded")
    if call.protocol == "rest-xml":
        return error_answer(call, 503, "SlowDown", "Please reduce your request rate.")
    if call.protocol == "rest-json":
        if call.service == "lambda":
            return error_answer(call, 429, "TooManyRequestsException", "Rate exceeded")
        return error_answer(call, 429, "ThrottlingException", "Rate exceeded")
    return error_answer(call, 400, "ThrottlingException", "Rate exceeded")


def server_error_answer(call: Call, unavailable: bool) -> tuple[int, dict, bytes]:
    if unavailable:
        code = "Unavailable" if call.protocol == "ec2" else "ServiceUnavailable"
        return error_answer(call, 503, code, "Service is unavailable. Please try again later.", sender=False)
    code = "InternalFailure" if call.protocol in ("json", "query", "cbor") else "InternalError"
    return error_answer(call, 500, code, "We encountered an internal error. Please try again.", sender=False)


# --- the faults -------------------------------------------------------------------------------------------------


class Faults:
    """The front's configuration and memory: rates, windows, tokens, the ledger."""

    def __init__(self, config: dict, ledger_path: Path | None):
        self.seed = str(config.get("seed", 0))
        self.rates = {
            kind: float(config.get("rates", {}).get(kind, 1.0 if kind in WINDOW_KINDS else 0.0)) for kind in KINDS
        }
        self.windows = {kind: float(config.get("windows", {}).get(kind, 0.0)) for kind in WINDOW_KINDS}
        self.lost_mode = config.get("lost_response_mode", "500")
        self.ledger_path = ledger_path
        self.lock = threading.Lock()
        self.seen: dict[tuple, int] = {}
        self.tokens: dict[tuple, tuple[str, tuple[int, list, bytes]]] = {}
        self.roles: dict[str, float] = {}  # role name -> end of its propagation window (monotonic)
        self.released: dict[str, float] = {}  # sg-/subnet- id -> end of its release window
        self.faults: list[dict] = []
        self.replays: list[dict] = []
        self.requests = 0
        self.started = time.time()
        self.write_ledger()

    def draw(self, kind: str, call: Call) -> float:
        """A repeatable number in [0, 1) for this kind and the n-th occurrence of this operation."""
        with self.lock:
            key = (kind, call.service, call.operation)
            self.seen[key] = index = self.seen.get(key, 0) + 1
        digest = hashlib.sha256(f"{self.seed}|{kind}|{call.service}|{call.operation}|{index}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64

    def hit(self, kind: str, call: Call) -> bool:
        rate = self.rates[kind]
        return rate > 0 and self.draw(kind, call) < rate

    def record(self, kind: str, call: Call, status: int | None, detail: str = "") -> None:
        with self.lock:
            self.faults.append(
                {
                    "kind": kind,
                    "service": call.service,
                    "operation": call.operation,
                    "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                    "status": status,
                    "detail": detail,
                }
            )
        self.write_ledger()

    def record_replay(self, call: Call, token: str) -> None:
        with self.lock:
            self.replays.append(
                {
                    "service": call.service,
                    "operation": call.operation,
                    "token": token,
                    "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                }
            )
        self.write_ledger()

    def ledger(self) -> dict:
        with self.lock:
            counts = dict.fromkeys(KINDS, 0)
            for fault in self.faults:
                counts[fault["kind"]] += 1
            return {
                "seed": self.seed,
                "rates": self.rates,
                "windows": self.windows,
                "lost_response_mode": self.lost_mode,
                "started": datetime.fromtimestamp(self.started, UTC).isoformat(timespec="seconds"),
                "requests": self.requests,
                "counts": counts,
                "token_replays": len(self.replays),
                "faults": list(self.faults),
                "replays": list(self.replays),
            }

    def write_ledger(self) -> None:
        if self.ledger_path is None:
            return
        data = json.dumps(self.ledger(), indent=1)
        with self.lock:
            tmp = self.ledger_path.with_name(self.ledger_path.name + f".{threading.get_ident()}.tmp")
            tmp.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(data, encoding="utf-8")
            os.replace(tmp, self.ledger_path)

    # The windows: IAM propagation and slow ENI release.

    def open_role_window(self, role: str) -> None:
        if self.windows["iam_propagation"] > 0 and role:
            with self.lock:
                self.roles[role] = time.monotonic() + self.windows["iam_propagation"]

    def role_propagating(self, role_arn: str) -> bool:
        role = str(role_arn or "").rsplit("/", 1)[-1]
        with self.lock:
            return bool(role) and self.roles.get(role, 0.0) > time.monotonic()

    def open_release_window(self, resource_ids: list[str]) -> None:
        if self.windows["slow_release"] > 0:
            with self.lock:
                end = time.monotonic() + self.windows["slow_release"]
                for resource in resource_ids:
                    self.released[resource] = max(end, self.released.get(resource, 0.0))

    def releasing(self, resource_id: str) -> bool:
        with self.lock:
            return bool(resource_id) and self.released.get(resource_id, 0.0) > time.monotonic()

    def reset(self) -> None:
        with self.lock:
            self.seen.clear()
            self.tokens.clear()
            self.roles.clear()
            self.released.clear()
            self.faults.clear()
            self.replays.clear()
            self.requests = 0
        self.write_ledger()


def propagation_error(call: Call, faults: Faults) -> tuple[int, dict, bytes] | None:
    """AWS's answer to a call that uses a role IAM has not propagated yet, or None."""
    operation = (call.service, call.operation)
    if operation in (("lambda", "CreateFunction"), ("lambda", "UpdateFunctionConfiguration")) and (
        faults.role_propagating(call.params.get("Role", ""))
    ):
        subnets = (call.params.get("VpcConfig") or {}).get("SubnetIds") or []
        message = (
            "The provided execution role does not have permissions to call CreateNetworkInterface on EC2"
            if subnets and faults.draw("iam_propagation_variant", call) < 0.5
            else "The role defined for the function cannot be assumed by Lambda."
        )
        return error_answer(call, 400, "InvalidParameterValueException", message)
    if operation in (("rds", "CreateDBInstance"), ("rds", "ModifyDBInstance")) and (
        faults.role_propagating(call.params.get("MonitoringRoleArn", ""))
    ):
        return error_answer(
            call,
            400,
            "InvalidParameterValue",
            "IAM role ARN value is invalid or does not include the required permissions for: ENHANCED_MONITORING",
        )
    if operation in (("scheduler", "CreateSchedule"), ("scheduler", "UpdateSchedule")) and (
        faults.role_propagating((call.params.get("Target") or {}).get("RoleArn", ""))
    ):
        return error_answer(
            call,
            400,
            "ValidationException",
            "The execution role you provide must allow AWS EventBridge Scheduler to assume the role.",
        )
    return None


def release_error(call: Call, faults: Faults) -> tuple[int, dict, bytes] | None:
    """EC2's answer to deleting a group or subnet a deleted Lambda's interfaces still hold, or None."""
    if call.service != "ec2":
        return None
    if call.operation == "DeleteSecurityGroup" and faults.releasing(call.params.get("GroupId", "")):
        group = call.params["GroupId"]
        return error_answer(call, 400, "DependencyViolation", f"resource {group} has a dependent object")
    if call.operation == "DeleteSubnet" and faults.releasing(call.params.get("SubnetId", "")):
        subnet = call.params["SubnetId"]
        return error_answer(
            call, 400, "DependencyViolation", f"The subnet '{subnet}' has dependencies and cannot be deleted."
        )
    return None


# --- the HTTP front ---------------------------------------------------------------------------------------------


class Front(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, upstream_port: int, faults: Faults):
        self.upstream_port = upstream_port
        self.faults = faults
        self.local = threading.local()
        super().__init__((HOST, port), Handler)

    def upstream(self, method: str, target: str, headers: dict[str, str], body: bytes) -> tuple[int, list, bytes]:
        """Forward one request to the emulator; (status, headers, body) of its answer."""
        for attempt in (1, 2):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection(HOST, self.upstream_port, timeout=600)
            try:
                conn.request(method, target, body=body or None, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                return resp.status, resp.getheaders(), data
            except (http.client.HTTPException, OSError):
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Front

    def log_message(self, format, *args):
        if os.environ.get("FAULT_FRONT_VERBOSE"):
            super().log_message(format, *args)

    def do_GET(self):
        self._handle()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_GET

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, headers, body: bytes) -> None:
        self.log_request(status)
        self.send_response_only(status)  # the emulator's own Date and Server headers pass through, not twice
        items = list(headers.items() if isinstance(headers, dict) else headers)
        for key, value in items:
            if key.lower() in HOP_BY_HOP or key.lower() == "content-length":
                continue
            self.send_header(key, value)
        if not any(key.lower() == "date" for key, _value in items):
            self.send_header("Date", self.date_time_string())
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self) -> None:
        body = self._read_body()
        faults = self.server.faults
        if self.path.startswith(CONTROL):
            self._control(self.path[len(CONTROL) :], faults)
            return
        headers = {key: value for key, value in self.headers.items() if key.lower() not in HOP_BY_HOP}
        if self.path.startswith("/moto-api") or "authorization" not in {key.lower() for key in headers}:
            self._send(*self.server.upstream(self.command, self.path, headers, body))
            return
        call = Call(self.command, self.path, {key.lower(): value for key, value in headers.items()}, body)
        with faults.lock:
            faults.requests += 1

        token = call.token() if call.writes else None
        token_key = (call.service, call.operation, token)
        if token:
            with faults.lock:
                kept = faults.tokens.get(token_key)
            if kept is not None:
                fingerprint, answer = kept
                if call.protocol == "ec2" and fingerprint != call.fingerprint():
                    self._send(
                        *error_answer(
                            call, 400, "IdempotentParameterMismatch", f"{token} was used with other parameters."
                        )
                    )
                    return
                faults.record_replay(call, token)
                self._send(*answer)
                return

        if faults.hit("throttle", call):
            answer = throttle_answer(call)
            faults.record("throttle", call, answer[0])
            self._send(*answer)
            return
        if faults.hit("5xx", call):
            answer = server_error_answer(call, unavailable=faults.draw("5xx_status", call) < 0.5)
            faults.record("5xx", call, answer[0])
            self._send(*answer)
            return
        for kind, check in (("iam_propagation", propagation_error), ("slow_release", release_error)):
            answer = check(call, faults)
            if answer is not None and faults.hit(kind, call):
                faults.record(kind, call, answer[0], detail=_error_message(answer[2]))
                self._send(*answer)
                return

        release_ids = self._vpc_of_deleted_function(call, headers)
        status, answer_headers, answer_body = self.server.upstream(self.command, self.path, headers, body)
        if 200 <= status < 300:
            self._after_success(call, release_ids)
            if token:
                with faults.lock:
                    faults.tokens.setdefault(token_key, (call.fingerprint(), (status, answer_headers, answer_body)))

        if call.writes and 200 <= status < 300 and faults.hit("lost_response", call):
            close = self.server.faults.lost_mode == "close" or (
                faults.lost_mode == "mixed" and faults.draw("lost_response_mode", call) < 0.5
            )
            faults.record("lost_response", call, None if close else 500, detail="closed" if close else "500")
            if close:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            self._send(*server_error_answer(call, unavailable=False))
            return
        self._send(status, answer_headers, answer_body)

    def _vpc_of_deleted_function(self, call: Call, headers: dict) -> list[str]:
        """The security groups and subnets of a Lambda about to be deleted (its interfaces outlive it)."""
        if (
            call.service != "lambda"
            or call.operation != "DeleteFunction"
            or self.server.faults.windows["slow_release"] <= 0
        ):
            return []
        lookup = {key: value for key, value in headers.items() if key.lower() not in ("content-length", "content-type")}
        try:
            status, _headers, data = self.server.upstream("GET", call.url.path + "/configuration", lookup, b"")
        except (http.client.HTTPException, OSError):
            return []
        vpc = (_json(data).get("VpcConfig") or {}) if status == 200 else {}
        subnets = vpc.get("SubnetIds") or []
        return [*subnets, *(vpc.get("SecurityGroupIds") or [])] if subnets else []

    def _after_success(self, call: Call, release_ids: list[str]) -> None:
        faults = self.server.faults
        if call.service == "iam" and call.operation in IAM_ROLE_CHANGES:
            faults.open_role_window(call.params.get("RoleName", ""))
        if release_ids:
            faults.open_release_window(release_ids)

    def _control(self, action: str, faults: Faults) -> None:
        if action == "health":
            self._send(200, {"Content-Type": "application/json"}, json.dumps({"ok": True, "pid": os.getpid()}).encode())
        elif action == "ledger":
            self._send(200, {"Content-Type": "application/json"}, json.dumps(faults.ledger()).encode())
        elif action == "reset" and self.command == "POST":
            faults.reset()
            self._send(200, {"Content-Type": "application/json"}, b'{"reset": true}')
        else:
            self._send(404, {"Content-Type": "application/json"}, b'{"error": "unknown"}')


def _error_message(body: bytes) -> str:
    text = body.decode("utf-8", "replace")
    match = re.search(r"<Message>(.*?)</Message>", text) or re.search(r'"message": "(.*?)"', text)
    return unquote(match.group(1)) if match else ""


def serve(port: int, upstream_port: int, config: dict, ledger_path: Path | None) -> Front:
    """A front bound to ``port`` (not yet serving: call serve_forever, in a thread if you like)."""
    return Front(port, upstream_port, Faults(config, ledger_path))


# --- start / stop -------------------------------------------------------------------------------------------------


def _paths(port: int) -> tuple[Path, Path, Path]:
    return STATE_DIR / f"front-{port}.pid", STATE_DIR / f"front-{port}.log", STATE_DIR / f"front-{port}.ledger.json"


def _answers(port: int, pid: int | None = None) -> bool:
    """A front answers on the port (the one with ``pid`` when given: another front may hold the port)."""
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}{CONTROL}health", timeout=1.0) as resp:
            return resp.status == 200 and (pid is None or json.loads(resp.read() or b"{}").get("pid") == pid)
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _pairs(items: list[str], flag: str) -> dict[str, float]:
    out = {}
    for item in items or []:
        kind, sep, value = item.partition("=")
        if not sep or kind not in KINDS:
            raise SystemExit(f"fault_front: {flag} {item!r}: expected KIND=NUMBER with KIND one of {', '.join(KINDS)}")
        if flag == "--window" and kind not in WINDOW_KINDS:
            raise SystemExit(f"fault_front: --window applies to {', '.join(WINDOW_KINDS)}, not {kind}")
        out[kind] = float(value)
    return out


def config_from(args: argparse.Namespace) -> dict:
    config: dict = {}
    if args.config:
        config = json.loads(Path(args.config).read_text(encoding="utf-8"))
    if args.seed is not None:
        config["seed"] = args.seed
    config["rates"] = {**config.get("rates", {}), **_pairs(args.rate, "--rate")}
    config["windows"] = {**config.get("windows", {}), **_pairs(args.window, "--window")}
    if args.lost_response_mode:
        config["lost_response_mode"] = args.lost_response_mode
    return config


def start(args: argparse.Namespace) -> int:
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    pid_file, log_file, default_ledger = _paths(args.port)
    pid = daemon.read_pid(pid_file)
    if pid and daemon.alive(pid) and _answers(args.port, pid):
        print(f"fault_front: already running on http://{HOST}:{args.port} (pid {pid})")
        return 0
    pid_file.unlink(missing_ok=True)
    config_from(args)  # refuse bad flags here, not in the background
    command = [sys.executable, str(Path(__file__).resolve()), "serve", *args.passthrough]
    if not args.ledger:
        command += ["--ledger", str(default_ledger)]
    with open(log_file, "ab") as log:
        proc = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    pid_file.write_text(f"{proc.pid}\n", encoding="ascii")
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        # Our process must be the one answering: another front already on the port would answer too.
        if proc.poll() is not None:
            break
        if _answers(args.port, proc.pid):
            print(f"fault_front: running on http://{HOST}:{args.port} -> {args.upstream_port} (pid {proc.pid})")
            return 0
        time.sleep(0.1)
    print(f"fault_front: failed to start on port {args.port}; see {log_file}", file=sys.stderr)
    return 1


def stop(args: argparse.Namespace) -> int:
    pid = daemon.stop(_paths(args.port)[0])
    print(f"fault_front: stopped (pid {pid})" if pid else f"fault_front: not running on port {args.port}")
    return 0


def status(args: argparse.Namespace) -> int:
    pid = daemon.read_pid(_paths(args.port)[0])
    if pid and daemon.alive(pid) and _answers(args.port):
        print(f"fault_front: running on http://{HOST}:{args.port} (pid {pid})")
        return 0
    print(f"fault_front: not running on port {args.port}")
    return 3


def show_ledger(args: argparse.Namespace) -> int:
    path = Path(args.ledger) if args.ledger else _paths(args.port)[2]
    try:
        ledger = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        print(f"fault_front: no ledger at {path}: {err}", file=sys.stderr)
        return 1
    per_operation: dict[str, dict[str, int]] = {}
    for fault in ledger["faults"]:
        ops = per_operation.setdefault(fault["kind"], {})
        name = f"{fault['service']}:{fault['operation']}"
        ops[name] = ops.get(name, 0) + 1
    summary = {
        "requests": ledger["requests"],
        "counts": ledger["counts"],
        "token_replays": ledger["token_replays"],
        "by_operation": per_operation,
    }
    print(json.dumps(summary, indent=2, sort_keys=True))
    return 0


def run_foreground(args: argparse.Namespace) -> int:
    ledger_path = Path(args.ledger) if args.ledger else None
    front = serve(args.port, args.upstream_port, config_from(args), ledger_path)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=front.shutdown, daemon=True).start())
    print(f"fault_front: serving http://{HOST}:{args.port} -> {args.upstream_port}", flush=True)
    try:
        front.serve_forever(poll_interval=0.2)
    finally:
        front.server_close()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("start", "stop", "status", "ledger", "serve"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WORDPRESS_AWS_FRONT_PORT", "4567")))
    parser.add_argument("--upstream-port", type=int, default=int(os.environ.get("WORDPRESS_AWS_EMULATOR_PORT", "4566")))
    parser.add_argument("--seed", default=None)
    parser.add_argument("--rate", action="append", default=[], metavar="KIND=R", help="probability per request")
    parser.add_argument("--window", action="append", default=[], metavar="KIND=SECONDS")
    parser.add_argument("--config", help="JSON: {seed, rates: {kind: r}, windows: {kind: s}, lost_response_mode}")
    parser.add_argument("--lost-response-mode", choices=("500", "close", "mixed"))
    parser.add_argument("--ledger", help="where the ledger is written (default .emulator/front-PORT.ledger.json)")
    args = parser.parse_args(argv)
    args.passthrough = argv[1:]
    for port in (args.port, args.upstream_port):
        if not 1 <= port <= 65535:
            parser.error("ports must be between 1 and 65535")
    if args.action in ("start", "serve") and args.port == args.upstream_port:
        parser.error("--port and --upstream-port must differ")
    actions = {"start": start, "stop": stop, "status": status, "ledger": show_ledger, "serve": run_foreground}
    return actions[args.action](args)


if __name__ == "__main__":
    sys.exit(main())
