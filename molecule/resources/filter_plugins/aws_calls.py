"""Test helper: which AWS API calls a recording of the emulator's requests holds, and which of them write.

The emulator records every request it answers while recording is on (moto's recorder; scripts/emulator.py
points its file at .emulator/). A check-mode run, or a run stopped by input validation, must issue read
calls only. This reads the recording (one JSON request per line) and names each call ``service:Action``
from the request itself, whichever protocol it used:

- JSON protocols name the action in the ``X-Amz-Target`` header (``AmazonEC2ContainerServiceV20141113.ListServices``);
- query protocols in the ``Action`` form field or query parameter;
- Smithy RPC v2 CBOR in the path (``/service/<name>/operation/<Action>``);
- REST protocols by method and path: GET and HEAD read, anything else writes.
"""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import parse_qs
from urllib.parse import urlsplit

# Action name prefixes that only read. Anything else, on any protocol, counts as a write.
READ_PREFIXES = ("Describe", "List", "Get", "BatchGet", "Head", "Lookup", "Search")
_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")
_RPC_V2 = re.compile(r"/service/[^/]+/operation/([A-Za-z0-9]+)")


def _body(entry: dict) -> str:
    body = entry.get("body") or ""
    if entry.get("body_encoded"):
        try:
            return base64.b64decode(body).decode("utf-8", "replace")
        except ValueError:
            return ""
    return body


def describe_call(entry: dict) -> tuple[str, str, bool]:
    """(service, action, writes) of one recorded request."""
    headers = {key.lower(): value for key, value in (entry.get("headers") or {}).items()}
    method = (entry.get("method") or "GET").upper()
    url = urlsplit(entry.get("url") or "")
    scope = _SCOPE.search(headers.get("authorization", ""))
    service = scope.group(1) if scope else url.netloc.split(".")[0]

    action = ""
    target = headers.get("x-amz-target", "")
    if target:
        action = target.rsplit(".", 1)[-1]
    elif (match := _RPC_V2.search(url.path)) is not None:
        action = match.group(1)
    else:
        fields = parse_qs(url.query)
        if "form-urlencoded" in headers.get("content-type", ""):
            fields.update(parse_qs(_body(entry)))
        if fields.get("Action"):
            action = fields["Action"][0]
    if action:
        return service, action, not action.startswith(READ_PREFIXES)
    return service, f"{method} {url.path}", method not in ("GET", "HEAD")


def _entries(recording: str):
    for line in (recording or "").splitlines():
        if line.strip():
            yield describe_call(json.loads(line))


def aws_calls(recording: str) -> list[str]:
    """Every call in the recording, in order, as ``service:Action``."""
    return [f"{service}:{action}" for service, action, _writes in _entries(recording)]


def aws_write_calls(recording: str) -> list[str]:
    """The calls in the recording that write, as ``service:Action``, in order."""
    return [f"{service}:{action}" for service, action, writes in _entries(recording) if writes]


class FilterModule:
    def filters(self):
        return {"aws_calls": aws_calls, "aws_write_calls": aws_write_calls}
