# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ACM calls for acm_certificate_request: find a DNS-validated certificate by its Name tag, request, wait."""

from __future__ import annotations

import hashlib
import time

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# Certificates in these states are dead: a new one is requested in their place.
DEAD = ("EXPIRED", "REVOKED", "FAILED", "VALIDATION_TIMED_OUT", "INACTIVE")
POLL_SECONDS = 10


@AWSRetry.jittered_backoff()
def _summaries(client) -> list:
    out = []
    for page in client.get_paginator("list_certificates").paginate(
        Includes={"keyTypes": ["RSA_2048", "EC_prime256v1", "EC_secp384r1", "RSA_3072", "RSA_4096"]}
    ):
        out.extend(page.get("CertificateSummaryList", []))
    return out


@AWSRetry.jittered_backoff()
def tags(client, arn: str) -> dict:
    return {t["Key"]: t.get("Value", "") for t in client.list_tags_for_certificate(CertificateArn=arn).get("Tags", [])}


@AWSRetry.jittered_backoff()
def describe(client, arn: str) -> dict:
    return client.describe_certificate(CertificateArn=arn)["Certificate"]


def find(client, name: str, domain_name: str | None = None) -> list[dict]:
    """Live certificates whose Name tag is ``name`` (newest first), each described."""
    found = []
    for summary in _summaries(client):
        if domain_name and summary.get("DomainName") != domain_name:
            continue
        if tags(client, summary["CertificateArn"]).get("Name") != name:
            continue
        certificate = describe(client, summary["CertificateArn"])
        if certificate.get("Status") not in DEAD:
            found.append(certificate)
    return sorted(found, key=lambda c: str(c.get("CreatedAt", "")), reverse=True)


def names_of(certificate: dict) -> list[str]:
    return sorted({certificate["DomainName"], *certificate.get("SubjectAlternativeNames", [])})


def validation_records(certificate: dict) -> list[dict]:
    """The DNS records that prove control of each name (one per distinct record; names share them)."""
    records = {}
    for option in certificate.get("DomainValidationOptions", []):
        record = option.get("ResourceRecord")
        if record:
            records[record["Name"]] = {"name": record["Name"], "type": record["Type"], "value": record["Value"]}
    return sorted(records.values(), key=lambda r: r["name"])


@AWSRetry.jittered_backoff()
def request(client, name: str, domain_name: str, alternative_names: list, tag_map: dict) -> str:
    all_names = sorted({domain_name, *alternative_names})
    token = hashlib.sha256(f"{name}|{'|'.join(all_names)}".encode()).hexdigest()[:32]
    kwargs = {
        "DomainName": domain_name,
        "ValidationMethod": "DNS",
        "IdempotencyToken": token,
        "Options": {"CertificateTransparencyLoggingPreference": "ENABLED"},
        "Tags": [{"Key": k, "Value": v} for k, v in {**tag_map, "Name": name}.items()],
    }
    if len(all_names) > 1:
        kwargs["SubjectAlternativeNames"] = all_names
    return client.request_certificate(**kwargs)["CertificateArn"]


def wait_for_records(client, arn: str, timeout: int) -> dict:
    """ACM fills in the validation records a few seconds after the request."""
    deadline = time.monotonic() + timeout
    while True:
        certificate = describe(client, arn)
        options = certificate.get("DomainValidationOptions", [])
        if options and all(o.get("ResourceRecord") for o in options):
            return certificate
        if time.monotonic() > deadline:
            raise TimeoutError(f"certificate {arn} has no DNS validation records after {timeout} s")
        time.sleep(POLL_SECONDS)


def wait_issued(client, arn: str, timeout: int) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        certificate = describe(client, arn)
        status = certificate.get("Status")
        if status == "ISSUED":
            return certificate
        if status in DEAD:
            raise RuntimeError(f"certificate {arn} is {status}: {certificate.get('FailureReason', 'no reason given')}")
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"certificate {arn} still {status} after {timeout} s: are its validation records in the domain's DNS?"
            )
        time.sleep(POLL_SECONDS)


@AWSRetry.jittered_backoff()
def delete(client, arn: str) -> None:
    client.delete_certificate(CertificateArn=arn)
