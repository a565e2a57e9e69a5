"""Derive the deployer role's IAM actions from what the collection really calls (issue 19).

The deployer role (roles/bootstrap/files/deployer-role.yml) grants exactly the actions listed in
roles/bootstrap/files/deployer-actions.yml; tests/unit/roles/test_deployer_policy.py fails when the two differ. This
script writes the list's recorded section from recordings of the emulator (moto's recorder, one JSON request per line):

    derive_actions.py record [--port 4791] [--recording PATH]     run the collection's playbooks on a private
                                                                  emulator with recording on; save the recording
    derive_actions.py derive RECORDING... [--out PATH]            rewrite the recorded section from recordings
    derive_actions.py refresh [--port 4791]                       both: what a change to the collection's calls needs

``record`` starts its own emulator (scripts/emulator.py, state in .cache/deployer-emulator/), so it never touches
the one `make demo` uses; it runs the playbooks one after the other (PLAYBOOKS below) and stops the emulator.

Each recorded request is named ``service:Action`` by molecule/resources/filter_plugins/aws_calls.py (imported, not
copied); REST requests, which that helper names by method and path, are resolved here to their operation through
botocore's service models. The name is then spelt as IAM spells it: the signing name becomes the IAM prefix
(``monitoring`` -> ``cloudwatch``, ``tagging`` -> ``tag``) and the few operations whose IAM action has another name
are renamed (Budgets' writes are ``budgets:ModifyBudget``, S3's ``ListObjectsV2`` is ``s3:ListBucket``, ...).

The file's hand-maintained section (below its marker line) is kept as it is: the calls the emulator cannot record
(features of ``wordpress_aws_target_lacks``, docs/not-emulated.md) and the permissions AWS checks beside a call
without a request of their own (``iam:PassRole``, ...), each with the module that needs it. An action both recorded
and hand-maintained is reported, so the hand list can shrink when the emulator learns an API.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qs
from urllib.parse import unquote
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "molecule" / "resources" / "filter_plugins"))
from aws_calls import describe_call

ACTIONS_FILE = ROOT / "roles" / "bootstrap" / "files" / "deployer-actions.yml"
DEFAULT_PORT = 4791
DEFAULT_RECORDING = ROOT / ".cache" / "deployer" / "recording.jsonl"
MARKER = "# ---- hand-maintained below this line (derive_actions.py keeps it as it is) ----"


class Run(NamedTuple):
    """One playbook run of a pass: its extra vars and arguments, and the call the emulator lacks that stops it."""

    playbook: str
    extra: dict = {}  # noqa: RUF012 - never mutated
    args: tuple[str, ...] = ()
    stops_at: str = ""


# What the full run does, in order, each pass on a fresh emulator (the local inventory). The first pass is the local
# run as it is: converge twice (the second is the no-op re-run), check mode, every day-2 playbook, the teardown.
LOCAL_RUN = (
    Run("site.yml", args=("--check",)),  # check mode on an empty account reads only
    Run("site.yml"),
    Run("site.yml"),
    Run("site.yml", args=("--check", "--diff")),
    Run("drift.yml"),
    Run("audit.yml"),
    Run("summary.yml"),
    Run("rotate_secrets.yml", {"wordpress_aws_rotate": ["db", "origin", "salts"]}),
    Run("purge_cache.yml", {"cloudfront_waf_invalidate_paths": ["/*"]}),
    Run("cost_report.yml", {"cost_guard_report_dir": "{tmp}"}),
    Run("refresh_prices.yml"),
    Run("teardown.yml"),
)
# The second pass switches on what staging and production use and the local inventory leaves off (a domain in a
# Route 53 zone the pass creates before recording, as the user's zone would exist; ALB access logs; the regional web
# ACL; an admin IP set; interface endpoints; a backup copy region; EBS encryption by default; a read replica;
# enhanced monitoring): converge, re-run, converge with changed inputs, teardown.
PRODUCTION_FEATURES = {
    "wordpress_aws_domain_name": "www.example.test",
    "wordpress_aws_hosted_zone_id": "{zone}",
    "ecs_wordpress_alb_access_logs": True,
    "cloudfront_waf_regional_acl": True,
    "cloudfront_waf_admin_cidrs": ["203.0.113.0/24"],
    "vpc_interface_endpoints_enabled": True,
    "foundation_backup_copy_region": "eu-west-1",
    "foundation_ebs_encryption_by_default": True,
    "rds_read_replica_enabled": True,
    "rds_monitoring_interval": 60,
}
# The changed inputs, so that the update paths run (a real stack's inputs change; the local run's never do): other
# tags (every module's tag update and removal), web ACL rules and IP set, cache TTL, DB class, backup retention and
# parameters, a Lambda setting, key rotation, log retentions, the business hours, the alert receivers, the service's
# grace period and the target group's deregistration delay.
UPDATES = {
    "wordpress_aws_extra_tags": {"team": "web-platform"},
    "cloudfront_waf_rate_limit": 3000,
    "cloudfront_waf_admin_cidrs": ["198.51.100.0/24"],
    "cloudfront_waf_html_ttl": 120,
    "rds_instance_class": "db.t4g.small",
    "rds_backup_retention_days": 3,
    "rds_parameters_extra": {"long_query_time": 3},
    "rds_bootstrap_timeout": 90,
    "foundation_kms_rotation_enabled": False,
    "vpc_flow_logs_retention_days": 14,
    "ecs_wordpress_log_retention_days": 30,
    "cost_guard_business_hours": {"start": "08:00", "end": "19:00", "days": "MON-FRI"},
    "wordpress_aws_alert_emails": ["ops@techblogpro.example"],
    "ecs_wordpress_health_check_grace_period": 180,
    "ecs_wordpress_deregistration_delay": 60,
}
_RETUNED = {
    **PRODUCTION_FEATURES,
    **{key: value for key, value in UPDATES.items() if key != "wordpress_aws_extra_tags"},
}
_RETAGGED = {**PRODUCTION_FEATURES, **UPDATES}
# New tags change the backup plan's recovery point tags, which the foundation updates with UpdateBackupPlan, which
# the emulator lacks (docs/not-emulated.md): that converge stops there (what it did before is recorded: the
# foundation's tag updates) and the next one runs the other tiers (but the cost tier, whose estimate needs the
# foundation's plan) with the new tags.
_UPDATE_RUNS = (
    Run("site.yml", _RETUNED),
    Run("site.yml", _RETAGGED, stops_at="UpdateBackupPlan"),
    Run("site.yml", _RETAGGED, ("--skip-tags", "foundation,cost_guard")),
    Run("teardown.yml", _RETAGGED),
)
FEATURES_RUN = (Run("site.yml", PRODUCTION_FEATURES), Run("site.yml", PRODUCTION_FEATURES), *_UPDATE_RUNS)
PASSES = {"local": (LOCAL_RUN, None), "features": (FEATURES_RUN, "example.test")}
# The update paths alone, quicker (not part of a refresh): record --passes updates.
EXTRA_PASSES = {"updates": ((Run("site.yml", PRODUCTION_FEATURES), *_UPDATE_RUNS), "example.test")}

# Signing names (the SigV4 scope) and botocore names that are not the IAM service prefix.
IAM_PREFIX = {
    "monitoring": "cloudwatch",
    "tagging": "tag",
    "resourcegroupstaggingapi": "tag",
    "elbv2": "elasticloadbalancing",
    "efs": "elasticfilesystem",
    "stepfunctions": "states",
}

# Operations authorized by IAM actions of other names (the "API operations" table of each service's page of the AWS
# Service Authorization Reference). Every other operation is authorized by the action of its own name.
_BUDGETS_WRITES = ("Budget", "Notification", "Subscriber")
IAM_ACTIONS: dict[str, tuple[str, ...]] = {
    # AWS Budgets authorizes its budget API with two coarse actions.
    **{
        f"budgets:{verb}{noun}": ("budgets:ModifyBudget",)
        for verb in ("Create", "Update", "Delete")
        for noun in _BUDGETS_WRITES
    },
    **{
        f"budgets:{name}": ("budgets:ViewBudget",)
        for name in (
            "DescribeBudget",
            "DescribeBudgets",
            "DescribeNotificationsForBudget",
            "DescribeSubscribersForNotification",
            "DescribeBudgetPerformanceHistory",
            "DescribeBudgetNotificationsForAccount",
        )
    },
    # CloudFront: the tagged create is the create plus the tagging.
    "cloudfront:CreateDistributionWithTags": ("cloudfront:CreateDistribution", "cloudfront:TagResource"),
    # S3 names several actions after the resource, not the operation.
    "s3:ListObjectsV2": ("s3:ListBucket",),
    "s3:ListObjects": ("s3:ListBucket",),
    "s3:HeadBucket": ("s3:ListBucket",),
    "s3:ListObjectVersions": ("s3:ListBucketVersions",),
    "s3:HeadObject": ("s3:GetObject",),
    "s3:DeleteObjects": ("s3:DeleteObject",),
    "s3:GetBucketEncryption": ("s3:GetEncryptionConfiguration",),
    "s3:PutBucketEncryption": ("s3:PutEncryptionConfiguration",),
    "s3:DeleteBucketEncryption": ("s3:PutEncryptionConfiguration",),
    "s3:GetBucketLifecycleConfiguration": ("s3:GetLifecycleConfiguration",),
    "s3:PutBucketLifecycleConfiguration": ("s3:PutLifecycleConfiguration",),
    "s3:DeleteBucketLifecycle": ("s3:PutLifecycleConfiguration",),
    "s3:GetPublicAccessBlock": ("s3:GetBucketPublicAccessBlock",),
    "s3:PutPublicAccessBlock": ("s3:PutBucketPublicAccessBlock",),
    "s3:DeletePublicAccessBlock": ("s3:PutBucketPublicAccessBlock",),
    "s3:DeleteBucketTagging": ("s3:PutBucketTagging",),
    "s3:DeleteBucketOwnershipControls": ("s3:PutBucketOwnershipControls",),
    "s3:GetBucketLifecycle": ("s3:GetLifecycleConfiguration",),
    "s3:PutBucketLifecycle": ("s3:PutLifecycleConfiguration",),
    "s3:GetBucketInventoryConfiguration": ("s3:GetInventoryConfiguration",),
    "s3:PutBucketInventoryConfiguration": ("s3:PutInventoryConfiguration",),
    "s3:GetBucketAccelerateConfiguration": ("s3:GetAccelerateConfiguration",),
    "s3:PutBucketAccelerateConfiguration": ("s3:PutAccelerateConfiguration",),
    "s3:GetObjectLockConfiguration": ("s3:GetBucketObjectLockConfiguration",),
    "s3:PutObjectLockConfiguration": ("s3:PutBucketObjectLockConfiguration",),
}

_QUERY_KEY = re.compile(r"[?&]([^=&]+)")


def iam_actions(service: str, action: str) -> tuple[str, ...]:
    """The IAM actions that authorize operation ``action`` of ``service`` (its signing or botocore name)."""
    name = f"{IAM_PREFIX.get(service, service)}:{action}"
    return IAM_ACTIONS.get(name, (name,))


@cache
def _botocore_session():
    import botocore.session

    return botocore.session.get_session()


@cache
def _models_by_signing_name() -> dict[str, list[str]]:
    """Signing name (or endpoint prefix) -> the botocore services that sign with it."""
    session = _botocore_session()
    loader = session.get_component("data_loader")
    found: dict[str, list[str]] = {}
    for name in session.get_available_services():
        metadata = loader.load_service_model(name, "service-2")["metadata"]
        for key in {metadata.get("signingName"), metadata.get("endpointPrefix"), name} - {None}:
            found.setdefault(key, []).append(name)
    return found


@cache
def _rest_routes(service: str) -> list[tuple[str, re.Pattern, frozenset[str], int, str]]:
    """(method, path pattern, required query keys, specificity, operation) of a REST service's operations."""
    model = _botocore_session().get_service_model(service)
    routes = []
    for op_name in model.operation_names:
        http = model.operation_model(op_name).http
        uri = http.get("requestUri", "/")
        path, _sep, query = uri.partition("?")
        keys = frozenset(key for key in _QUERY_KEY.findall("?" + query) if key) if query else frozenset()
        pattern = ""
        literal = 0
        for part in re.split(r"(\{[^}]+\})", path):
            if part.startswith("{") and part.endswith("}"):
                pattern += ".+" if part.endswith("+}") else "[^/]+"
            else:
                pattern += re.escape(part)
                literal += len(part)
        routes.append(
            (http.get("method", "POST"), re.compile(f"^{pattern}/?$"), keys, literal * 10 + len(keys), op_name)
        )
    return routes


def _rest_operation(service: str, method: str, url: str) -> str | None:
    """The operation a REST request calls (the most specific route of its service's models that matches)."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    query = set(parse_qs(parts.query, keep_blank_values=True))
    best: tuple[int, str] | None = None
    for model in _models_by_signing_name().get(service, []):
        if _botocore_session().get_service_model(model).metadata.get("protocol") not in ("rest-json", "rest-xml"):
            continue
        for route_method, pattern, keys, score, op_name in _rest_routes(model):
            if route_method == method and keys <= query and pattern.match(path) and (best is None or score > best[0]):
                best = (score, op_name)
    return best[1] if best else None


def recorded_actions(lines: Iterable[str]) -> tuple[set[str], list[str]]:
    """The IAM actions of a recording's requests, and the requests no service model could name."""
    actions: set[str] = set()
    unknown: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        entry = json.loads(line)
        if urlsplit(entry.get("url") or "").path.startswith("/moto-api/"):
            continue  # the emulator's own API (tests queue data, reset state): no AWS call
        service, action, _writes = describe_call(entry)
        if " " in action:  # a REST request, named by method and path
            method = (entry.get("method") or "GET").upper()
            operation = _rest_operation(service, method, entry.get("url") or "")
            if operation is None:
                unknown.append(f"{service}:{action}")
                continue
            action = operation
        actions.update(iam_actions(service, action))
    return actions, unknown


_METHOD_CALL = re.compile(r"\.([a-z][a-z0-9_]*)\(")
_PAGINATOR = re.compile(r"get_paginator\(\s*[\"']([a-z0-9_]+)[\"']")
_STRING = re.compile(r"[\"']([a-z0-9-]+)[\"']")


def code_calls(paths: Iterable[Path]) -> dict[str, set[str]]:
    """IAM actions the code may call, from its client method calls and paginators -> the files that spell them.

    A static reading for review, not a proof: a method is taken for an operation of any service whose name appears
    as a string in the same files (``client("logs")``, ``aws_client(module, "ce")``), so a generic name such as
    ``tag_resource`` yields every such service's TagResource. ``unrecorded`` shows the ones no recording holds.
    """
    from botocore import xform_name

    session = _botocore_session()
    sources = {path: path.read_text(encoding="utf-8") for path in paths}
    available = set(session.get_available_services())
    services = {name for text in sources.values() for name in _STRING.findall(text)} & available
    operations: dict[str, list[tuple[str, str]]] = {}
    for service in sorted(services):
        model = session.get_service_model(service)
        signing = model.metadata.get("signingName") or model.metadata.get("endpointPrefix") or service
        for op_name in model.operation_names:
            operations.setdefault(xform_name(op_name), []).append((signing, op_name))
    found: dict[str, set[str]] = {}
    for path, text in sources.items():
        for method in set(_METHOD_CALL.findall(text)) | set(_PAGINATOR.findall(text)):
            for signing, op_name in operations.get(method, []):
                for action in iam_actions(signing, op_name):
                    found.setdefault(action, set()).add(_shown(path))
    return found


def unrecorded(recordings: list[Path]) -> int:
    """Print the actions the code spells that no recording holds nor the hand-maintained section lists."""
    recorded: set[str] = set()
    for path in recordings:
        recorded |= recorded_actions(path.read_text(encoding="utf-8").splitlines())[0]
    _section, listed = hand_maintained(ACTIONS_FILE.read_text(encoding="utf-8") if ACTIONS_FILE.exists() else "")
    files = sorted((ROOT / "plugins").rglob("*.py"))
    for action, where in sorted(code_calls(files).items()):
        if action not in recorded | listed:
            print(f"{action}\t{', '.join(sorted(where))}")
    return 0


def hand_maintained(text: str) -> tuple[str, set[str]]:
    """The file's hand-maintained part (from the marker on) and the actions it lists."""
    index = text.find(MARKER)
    if index < 0:
        return "", set()
    section = text[index:]
    data = yaml.safe_load(section) or {}
    listed = {item["action"] for key in ("not_emulated", "authorization_only") for item in data.get(key) or []}
    return section, listed


def render(recorded: set[str], section: str, sources: list[str]) -> str:
    header = [
        "---",
        "# The IAM actions the deployer role grants: roles/bootstrap/files/deployer-role.yml grants these and no other",
        "# (tests/unit/roles/test_deployer_policy.py compares the two).",
        "#",
        "# recorded: every API call the collection's playbooks made against the emulator in the full run, named as IAM",
        "# names them (scripts/derive_actions.py, PASSES: the local run - site.yml in check mode, twice, with --check",
        "# --diff, drift, audit, summary, rotate_secrets, purge_cache, cost_report, refresh_prices, teardown; then the",
        "# staging and production features, changed inputs, teardown). Generated: do not edit by hand. Refresh it",
        "# (about 30 minutes, on a private emulator) with",
        "#   .venv/bin/python scripts/derive_actions.py refresh --port 4791",
        f"# Last derived from: {', '.join(sources)}",
        "recorded:",
    ]
    body = [f"  - {action}" for action in sorted(recorded)]
    return "\n".join([*header, *body, "", section.rstrip("\n"), ""]) if section else "\n".join([*header, *body, ""])


@cache
def known_actions() -> frozenset[str]:
    """Every IAM action, lower-cased ``prefix:action``, from the policy data cfn-lint ships (the Service
    Authorization Reference)."""
    from importlib.resources import files

    data = json.loads(files("cfnlint.data.AdditionalSpecs").joinpath("Policies.json").read_text(encoding="utf-8"))
    return frozenset(f"{prefix}:{action}" for prefix, spec in data.items() for action in spec.get("Actions", {}))


def derive(recordings: list[Path], out: Path) -> int:
    actions: set[str] = set()
    unknown: list[str] = []
    for path in recordings:
        found, missed = recorded_actions(path.read_text(encoding="utf-8").splitlines())
        actions |= found
        unknown += missed
    section, listed = hand_maintained(out.read_text(encoding="utf-8") if out.exists() else "")
    for action in sorted(actions & listed):
        print(f"derive_actions: {action} is recorded now; drop it from the hand-maintained section", file=sys.stderr)
    for request in sorted(set(unknown)):
        print(f"derive_actions: no service model names the request {request}", file=sys.stderr)
    not_iam = sorted(action for action in actions if action.lower() not in known_actions())
    for action in not_iam:
        print(f"derive_actions: {action} is no IAM action: name it in IAM_ACTIONS", file=sys.stderr)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(actions, section, [_shown(path) for path in recordings]), encoding="utf-8")
    print(f"derive_actions: {len(actions)} recorded actions, {len(listed)} hand-maintained -> {_shown(out)}")
    return 1 if unknown or not_iam else 0


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _recorder(port: int, step: str) -> bytes:
    url = f"http://127.0.0.1:{port}/moto-api/recorder/{step}"
    method = "GET" if step == "download-recording" else "POST"
    data = None if method == "GET" else b""
    with urllib.request.urlopen(urllib.request.Request(url, method=method, data=data), timeout=30) as resp:
        return resp.read()


def _hosted_zone(port: int, domain: str) -> str:
    """Create the Route 53 zone a pass's domain lives in (before recording: the user's zone, not the collection's)."""
    import boto3

    route53 = boto3.client(
        "route53",
        region_name="us-east-1",
        endpoint_url=f"http://127.0.0.1:{port}",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - the emulator's dummy credentials
    )
    zone = route53.create_hosted_zone(Name=domain, CallerReference=f"derive-actions-{domain}")
    return zone["HostedZone"]["Id"].rsplit("/", 1)[-1]


def record(port: int, recording: Path, passes: Iterable[str] = tuple(PASSES)) -> int:
    """Run each pass on a fresh private emulator with recording on; write what it received to ``recording``."""
    state = ROOT / ".cache" / "deployer-emulator"
    env = {
        **os.environ,
        "WORDPRESS_AWS_EMULATOR_DIR": str(state),
        "WORDPRESS_AWS_EMULATOR_PORT": str(port),
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    emulator = [sys.executable, str(ROOT / "scripts" / "emulator.py")]
    playbook = shutil.which("ansible-playbook", path=env["PATH"]) or "ansible-playbook"
    failed = []
    recorded = b""
    for pass_name in passes:
        runs, domain = {**PASSES, **EXTRA_PASSES}[pass_name]
        subprocess.run([*emulator, "start", "--port", str(port)], env=env, check=True)
        try:
            zone = _hosted_zone(port, domain) if domain else ""
            _recorder(port, "reset-recording")
            _recorder(port, "start-recording")
            with tempfile.TemporaryDirectory(prefix="derive-actions-") as tmp:
                for name, extra, args, stops_at in runs:
                    extra_vars = json.loads(json.dumps(extra).replace("{tmp}", tmp).replace("{zone}", zone))
                    cmd = [playbook, "-i", str(ROOT / "inventories" / "local"), str(ROOT / "playbooks" / name), *args]
                    if extra_vars:
                        cmd += ["-e", json.dumps(extra_vars)]
                    print(f"derive_actions: [{pass_name}] {name} {' '.join(cmd[4:])}", flush=True)
                    run = subprocess.run(cmd, env=env, cwd=ROOT, check=False, capture_output=True, text=True)
                    recap = run.stdout[run.stdout.rfind("PLAY RECAP") :].strip().splitlines()[1:2]
                    print(f"derive_actions:   rc={run.returncode} {' '.join(recap).split(':', 1)[-1].strip()}")
                    if run.returncode != 0 and stops_at and f"calling the {stops_at} operation" in run.stdout:
                        print(f"derive_actions:   stopped as expected: the emulator lacks {stops_at}")
                    elif run.returncode != 0:
                        failed.append(f"{pass_name}: {name}")
                        print(run.stdout[-3000:], run.stderr[-2000:], sep="\n", file=sys.stderr)
            _recorder(port, "stop-recording")
            recorded += _recorder(port, "download-recording")
        finally:
            subprocess.run([*emulator, "stop", "--port", str(port)], env=env, check=False)
    recording.parent.mkdir(parents=True, exist_ok=True)
    recording.write_bytes(recorded)
    print(f"derive_actions: recording saved to {_shown(recording)}" + (f"; failed: {failed}" if failed else ""))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record", help="run the playbooks on a private emulator and save the recording")
    rec.add_argument("--port", type=int, default=DEFAULT_PORT)
    rec.add_argument("--recording", type=Path, default=DEFAULT_RECORDING)
    rec.add_argument("--passes", nargs="+", choices=(*PASSES, *EXTRA_PASSES), default=tuple(PASSES))
    der = sub.add_parser("derive", help="rewrite the recorded section of the action list from recordings")
    der.add_argument("recordings", type=Path, nargs="+")
    der.add_argument("--out", type=Path, default=ACTIONS_FILE)
    unr = sub.add_parser("unrecorded", help="list the actions the code spells that no recording nor hand list holds")
    unr.add_argument("recordings", type=Path, nargs="+")
    ref = sub.add_parser("refresh", help="record, then derive")
    ref.add_argument("--port", type=int, default=DEFAULT_PORT)
    ref.add_argument("--recording", type=Path, default=DEFAULT_RECORDING)
    ref.add_argument("--out", type=Path, default=ACTIONS_FILE)
    args = parser.parse_args(argv)
    if args.command == "derive":
        return derive(args.recordings, args.out)
    if args.command == "unrecorded":
        return unrecorded(args.recordings)
    recorded = record(args.port, args.recording, getattr(args, "passes", tuple(PASSES)))
    if args.command == "record":
        return recorded
    return derive([args.recording], args.out) or recorded


if __name__ == "__main__":
    sys.exit(main())
