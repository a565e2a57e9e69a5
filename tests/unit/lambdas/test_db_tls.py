"""The Lambdas' TLS to the database: with DB_CA_BUNDLE they verify the server (issue 21 finding 12).

The handshakes are real: PyMySQL's connect() against a throwaway MySQL-speaking TLS server (tls_server.py) whose
certificate comes from a generated CA, as an RDS instance's comes from the RDS CA in the bundle.
"""

from __future__ import annotations

import os
import ssl

import db_bootstrap
import pytest
import rotate_app_secret
from db_bootstrap import BootstrapError
from db_bootstrap import Server

from .tls_server import CA
from .tls_server import MySQLTLSServer

ENDPOINT = "localhost"  # the name the server certificate carries, as an RDS certificate names the endpoint


@pytest.fixture
def rds_ca():
    return CA("Amazon RDS test Root CA")


@pytest.fixture
def db(tmp_path, rds_ca):
    server = MySQLTLSServer(*rds_ca.issue(tmp_path, ENDPOINT))
    yield server
    server.close()


def _server(port, bundle, host=ENDPOINT, tls=True):
    return Server(host, port, "wpadmin", "not-a-real-password", tls, str(bundle) if bundle else None)


def test_a_bundle_gives_a_verifying_context_of_that_bundle_only(tmp_path, rds_ca):
    context = db_bootstrap.tls_context(_server(3306, rds_ca.bundle(tmp_path)))
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    assert context.minimum_version == ssl.TLSVersion.TLSv1_2
    # the bundle's CAs and nothing else (not the system store: no public CA signs an RDS certificate)
    assert [dict(entry[0] for entry in ca["subject"])["commonName"] for ca in context.get_ca_certs()] == [
        "Amazon RDS test Root CA"
    ]


def test_a_relative_bundle_name_is_a_file_of_the_package():
    package = os.path.dirname(os.path.abspath(db_bootstrap.__file__))
    assert db_bootstrap.ca_bundle_path("rds-ca-bundle.pem") == os.path.join(package, "rds-ca-bundle.pem")
    assert db_bootstrap.ca_bundle_path("/opt/ca.pem") == "/opt/ca.pem"


def test_a_named_bundle_that_is_missing_fails_and_never_falls_back_to_unverified(tmp_path):
    with pytest.raises(BootstrapError, match=r"cannot load the CA bundle .*missing\.pem"):
        db_bootstrap.tls_context(_server(3306, tmp_path / "missing.pem"))


def test_without_a_bundle_the_connection_is_encrypted_only_and_without_tls_plaintext():
    context = db_bootstrap.tls_context(_server(3306, None))
    assert context.verify_mode == ssl.CERT_NONE and context.check_hostname is False
    assert db_bootstrap.tls_context(_server(3306, None, tls=False)) is None


def test_the_server_certificate_of_the_bundles_ca_and_the_endpoints_name_is_accepted(tmp_path, db, rds_ca):
    conn = db_bootstrap.connect(_server(db.port, rds_ca.bundle(tmp_path)))
    assert conn.open
    conn.close()
    assert db.outcomes[0] == "authenticated"


def test_a_server_certificate_from_another_ca_is_refused_before_the_login(tmp_path, db):
    other = CA("Someone else's CA")
    with pytest.raises(BootstrapError, match=r"failed TLS verification .*unable to get local issuer certificate"):
        db_bootstrap.connect(_server(db.port, other.bundle(tmp_path)))
    assert "authenticated" not in db.outcomes


def test_a_certificate_that_does_not_name_the_host_is_refused(tmp_path, db, rds_ca):
    with pytest.raises(BootstrapError, match=r"failed TLS verification .*not valid for .127\.0\.0\.1."):
        db_bootstrap.connect(_server(db.port, rds_ca.bundle(tmp_path), host="127.0.0.1"))
    assert "authenticated" not in db.outcomes


def test_a_server_that_offers_no_tls_is_refused_not_used_in_plaintext(tmp_path, rds_ca):
    plain = MySQLTLSServer(*rds_ca.issue(tmp_path, ENDPOINT), offer_tls=False)
    try:
        with pytest.raises(BootstrapError, match=r"cannot connect .*MySQL error 2026"):
            db_bootstrap.connect(_server(plain.port, rds_ca.bundle(tmp_path)))
        assert "authenticated" not in plain.outcomes and "plaintext client" not in plain.outcomes
    finally:
        plain.close()


def test_the_handlers_read_the_bundle_from_db_ca_bundle(monkeypatch):
    monkeypatch.setenv("DB_TLS", "true")
    monkeypatch.setenv("DB_CA_BUNDLE", "rds-ca-bundle.pem")
    server = rotate_app_secret._server({"host": "db.example"}, "wordpress", "pw")
    assert (server.tls, server.ca_bundle) == (True, "rds-ca-bundle.pem")
    captured = {}

    def bootstrap(server, database, user, password):
        captured["server"] = server
        return {"database": database, "user": user, "changed": False, "changes": []}

    class Secrets:
        def get_secret_value(self, SecretId, VersionStage):
            return {"SecretString": '{"username": "u", "password": "p"}'}

    monkeypatch.setattr(db_bootstrap, "bootstrap", bootstrap)
    event = {"DB_HOST": "db.example", "MASTER_SECRET_ARN": "m", "APP_SECRET_ARN": "a"}
    db_bootstrap.handler(event, None, secrets_client=Secrets())
    assert captured["server"].ca_bundle == "rds-ca-bundle.pem" and captured["server"].tls is True
