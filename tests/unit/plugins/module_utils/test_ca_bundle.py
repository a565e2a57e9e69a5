"""The CA bundle check (module_utils/ca_bundle.py and the ca_bundle_check filter): what may be packaged as the
Lambdas' trust store for RDS (issue 21 finding 12). Certificates are generated here with cryptography."""

from __future__ import annotations

import datetime

import pytest
from ansible.errors import AnsibleFilterError
from cryptography.hazmat.primitives import serialization

from ansible_collections.techblogpro.wordpress_aws.plugins.filter.tls import ca_bundle_check
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ca_bundle

from ...lambdas.tls_server import NOW
from ...lambdas.tls_server import certificate
from ...lambdas.tls_server import key
from ...lambdas.tls_server import pem

DAY = datetime.timedelta(days=1)


def _ca(name, **kwargs):
    return certificate(name, key(), **kwargs)


def test_a_bundle_of_current_ca_certificates_is_summarised():
    bundle = pem(_ca("Amazon RDS eu-west-3 Root CA RSA2048 G1"), _ca("Amazon RDS eu-west-3 Root CA ECC384 G1"))
    summary = ca_bundle.check(bundle)
    assert summary["certificates"] == 2
    assert [v["subject"] for v in summary["valid"]] == [
        "Amazon RDS eu-west-3 Root CA RSA2048 G1",
        "Amazon RDS eu-west-3 Root CA ECC384 G1",
    ]
    assert summary["expired"] == [] and summary["not_ca"] == []
    assert ca_bundle.check(bundle.encode()) == summary


def test_an_expired_ca_beside_a_current_one_is_reported_not_refused():
    old = _ca("Amazon RDS eu-west-3 2019 CA", before=NOW - 900 * DAY, after=NOW - DAY)
    summary = ca_bundle.check(pem(old, _ca("Amazon RDS eu-west-3 Root CA RSA4096 G1")))
    assert summary["expired"] == ["Amazon RDS eu-west-3 2019 CA"]
    assert len(summary["valid"]) == 1


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "holds no PEM certificate"),
        ("<html><body>403 Forbidden</body></html>", "holds no PEM certificate"),
        ("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n", "not a valid X.509"),
        ("-----BEGIN CERTIFICATE-----\nMIIB", "holds no PEM certificate"),
    ],
)
def test_garbage_is_refused(text, reason):
    with pytest.raises(ca_bundle.CABundleError, match=reason):
        ca_bundle.check(text)


def test_a_truncated_bundle_is_refused():
    good = pem(_ca("Root A"))
    with pytest.raises(ca_bundle.CABundleError, match="unterminated or malformed"):
        ca_bundle.check(good + pem(_ca("Root B"))[:200])


def test_only_expired_or_future_or_leaf_certificates_are_refused():
    expired = _ca("Old root", before=NOW - 900 * DAY, after=NOW - DAY)
    future = _ca("Future root", before=NOW + DAY, after=NOW + 900 * DAY)
    leaf = _ca("db.example", ca=False)
    with pytest.raises(ca_bundle.CABundleError, match=r"no CA certificate valid now \(1 certificate\(s\): 1 expired\)"):
        ca_bundle.check(pem(expired))
    with pytest.raises(ca_bundle.CABundleError, match="1 expired, 1 not yet valid, 1 not a CA"):
        ca_bundle.check(pem(expired, future, leaf))


def test_a_private_key_in_the_bundle_is_refused():
    private = key().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(ca_bundle.CABundleError, match="is a PRIVATE KEY, not a CERTIFICATE"):
        ca_bundle.check(pem(_ca("Root A")) + private.decode())


def test_the_filter_names_the_source_in_its_error():
    with pytest.raises(AnsibleFilterError, match=r"ca_bundle_check: https://example/b\.pem: .*no PEM certificate"):
        ca_bundle_check("Not Found", source="https://example/b.pem")
    assert ca_bundle_check(pem(_ca("Root A")))["certificates"] == 1
