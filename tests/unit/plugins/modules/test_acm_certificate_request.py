"""Unit tests of the acm_certificate_request module (split out of tests/unit/test_edge_modules.py)."""

from __future__ import annotations

GLOBAL = "us-east-1"


STACK_TAGS = {"wordpress_aws:stack": "s"}


def test_certificate_is_requested_once_with_its_validation_records_then_issued(aws, run_module, monkeypatch):
    from moto import settings

    from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import acm
    from ansible_collections.techblogpro.wordpress_aws.plugins.modules import acm_certificate_request

    monkeypatch.setattr(acm, "POLL_SECONDS", 0)
    args = {
        "name": "s-edge",
        "domain_name": "www.example.test",
        "subject_alternative_names": ["example.test"],
        "region": GLOBAL,
        "tags": STACK_TAGS,
    }
    check = run_module(acm_certificate_request, args, check_mode=True)
    assert check["changed"] and aws("acm", GLOBAL).list_certificates()["CertificateSummaryList"] == []
    first = run_module(acm_certificate_request, args)
    assert first["changed"] and first["certificate"]["status"] == "PENDING_VALIDATION"
    assert first["certificate"]["names"] == ["example.test", "www.example.test"]
    records = first["certificate"]["validation_records"]
    assert records and all(r["type"] == "CNAME" and r["value"].endswith(".acm-validations.aws.") for r in records)
    assert {r["name"].split(".", 1)[1] for r in records} == {"example.test.", "www.example.test."}
    again = run_module(acm_certificate_request, args)
    assert again["changed"] is False and again["certificate"]["arn"] == first["certificate"]["arn"]
    assert len(aws("acm", GLOBAL).list_certificates()["CertificateSummaryList"]) == 1

    monkeypatch.setattr(settings, "ACM_VALIDATION_WAIT", -1)
    issued = run_module(acm_certificate_request, {**args, "wait": True})
    assert issued["changed"] is False and issued["certificate"]["status"] == "ISSUED"

    # Other names: a new certificate, the old one returned for deletion once unused.
    wider = run_module(
        acm_certificate_request, {**args, "subject_alternative_names": ["example.test", "cdn.example.test"]}
    )
    assert wider["changed"] and wider["superseded"] == [first["certificate"]["arn"]]
    gone = run_module(acm_certificate_request, {"name": "s-edge", "region": GLOBAL, "state": "absent"})
    assert gone["changed"] and aws("acm", GLOBAL).list_certificates()["CertificateSummaryList"] == []
