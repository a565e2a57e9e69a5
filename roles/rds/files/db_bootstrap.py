"""DB bootstrap Lambda: create the WordPress database and its least-privilege application user.

Invoked once by the ``rds`` role after the instance exists (and safe to invoke again: every step is
idempotent). It reads the RDS-managed master secret and the application secret from Secrets Manager,
connects to the instance inside the VPC, and makes the database, the user and the user's grants exactly
what they should be. It never logs or returns a password.

Configuration, from the event or else the environment:
    DB_HOST, DB_PORT (3306), DB_NAME (wordpress), MASTER_SECRET_ARN, APP_SECRET_ARN,
    DB_TLS ("true": encrypt the connection; DB_CA_BUNDLE names a CA file to verify the server with).

With DB_CA_BUNDLE (a path; a relative one is read from this package, where the rds role puts the RDS CA bundle it
fetched and checked at packaging time) the server must present a certificate chained to one of those CAs and naming
DB_HOST (the RDS endpoint, which RDS certificates name): CERT_REQUIRED, host name checked, TLS 1.2 at least. A bundle
that is named but missing fails the connection; it never falls back to an unverified one. Without it (the local
target, or an operator's explicit opt-out) the connection is encrypted but the server is not verified.
"""

from __future__ import annotations

import json
import logging
import os
import re
import ssl
from dataclasses import dataclass

import pymysql

LOG = logging.getLogger()
LOG.setLevel(logging.INFO)

# What WordPress core, its updater and well-behaved plugins need on their own schema, and nothing else.
WORDPRESS_PRIVILEGES = (
    "ALTER",
    "CREATE",
    "CREATE TEMPORARY TABLES",
    "DELETE",
    "DROP",
    "INDEX",
    "INSERT",
    "LOCK TABLES",
    "SELECT",
    "UPDATE",
)
IDENTIFIER = re.compile(r"^[A-Za-z0-9_]{1,32}$")
ACCESS_DENIED = 1045


class BootstrapError(Exception):
    """A failure worth reporting as is (it never carries a password)."""


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str
    password: str
    tls: bool = False
    ca_bundle: str | None = None

    def __repr__(self) -> str:  # keep the password out of tracebacks and logs
        return (
            f"Server(host={self.host!r}, port={self.port}, user={self.user!r}, tls={self.tls}, "
            f"ca_bundle={self.ca_bundle!r})"
        )


def _identifier(kind: str, value: str) -> str:
    if not isinstance(value, str) or not IDENTIFIER.match(value):
        raise BootstrapError(f"{kind} {value!r} must be 1-32 letters, digits or underscores")
    return value


def ca_bundle_path(name: str) -> str:
    """DB_CA_BUNDLE as a path: a relative name is a file of this package (the Lambda's task root)."""
    return name if os.path.isabs(name) else os.path.join(os.path.dirname(os.path.abspath(__file__)), name)


def tls_context(server: Server) -> ssl.SSLContext | None:
    """The TLS of a connection: None (plaintext), encrypted only, or verifying the server against the bundle."""
    if not server.tls:
        return None
    if not server.ca_bundle:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context
    path = ca_bundle_path(server.ca_bundle)
    try:
        # only the bundle's CAs, not the system store: RDS certificates chain to the RDS CAs alone
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=path)
    except (OSError, ssl.SSLError) as err:
        raise BootstrapError(f"cannot load the CA bundle {path} (DB_CA_BUNDLE): {err}") from None
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def connect(server: Server):
    context = tls_context(server)
    try:
        return pymysql.connect(
            host=server.host,
            port=server.port,
            user=server.user,
            password=server.password,
            ssl=context,
            connect_timeout=10,
            autocommit=True,
            charset="utf8mb4",
        )
    except pymysql.err.OperationalError as err:
        code = err.args[0] if err.args else None
        # PyMySQL wraps the handshake's error (an OSError) and keeps it as original_exception
        cause = getattr(err, "original_exception", None) or err.__context__
        if isinstance(cause, ssl.SSLCertVerificationError):
            raise BootstrapError(
                f"the server {server.host}:{server.port} failed TLS verification against {server.ca_bundle}: "
                f"{cause.verify_message or cause.reason}"
            ) from None
        if code == ACCESS_DENIED:
            raise BootstrapError(
                f"the master credentials for {server.host}:{server.port} were rejected (MySQL error 1045)"
            ) from None
        raise BootstrapError(f"cannot connect to {server.host}:{server.port} (MySQL error {code})") from None


def _schema_privileges(cur, user: str, database: str) -> set[str]:
    cur.execute(
        "SELECT privilege_type FROM information_schema.schema_privileges WHERE grantee = %s AND table_schema = %s",
        (f"'{user}'@'%'", database),
    )
    return {row[0] for row in cur.fetchall()}


def _global_privileges(cur, user: str) -> set[str]:
    cur.execute("SELECT privilege_type FROM information_schema.user_privileges WHERE grantee = %s", (f"'{user}'@'%'",))
    return {row[0] for row in cur.fetchall()} - {"USAGE"}


def bootstrap(server: Server, database: str, app_user: str, app_password: str) -> dict:
    """Ensure the database, the user with this password, and exactly the WordPress grants. Idempotent."""
    database = _identifier("database name", database)
    app_user = _identifier("application user", app_user)
    if not app_password:
        raise BootstrapError("the application secret has no password")
    changes = []
    conn = connect(server)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", (database,))
            if not cur.fetchone():
                cur.execute(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
                changes.append("database created")

            cur.execute("SELECT 1 FROM mysql.user WHERE user = %s AND host = '%%'", (app_user,))
            if not cur.fetchone():
                cur.execute(f"CREATE USER '{app_user}'@'%%' IDENTIFIED BY %s", (app_password,))
                changes.append("user created")
            elif not _password_works(server, app_user, app_password):
                cur.execute(f"ALTER USER '{app_user}'@'%%' IDENTIFIED BY %s", (app_password,))
                changes.append("password set")

            extra_global = _global_privileges(cur, app_user)
            if extra_global:
                cur.execute(f"REVOKE ALL PRIVILEGES, GRANT OPTION FROM '{app_user}'@'%'")
                changes.append(f"global privileges revoked: {', '.join(sorted(extra_global))}")

            wanted = set(WORDPRESS_PRIVILEGES)
            have = _schema_privileges(cur, app_user, database)
            if have != wanted:
                if have:
                    cur.execute(f"REVOKE ALL PRIVILEGES ON `{database}`.* FROM '{app_user}'@'%'")
                cur.execute(f"GRANT {', '.join(WORDPRESS_PRIVILEGES)} ON `{database}`.* TO '{app_user}'@'%'")
                changes.append("grants set")
    finally:
        conn.close()
    return {"database": database, "user": app_user, "changed": bool(changes), "changes": changes}


def _password_works(server: Server, user: str, password: str) -> bool:
    try:
        connect(Server(server.host, server.port, user, password, server.tls, server.ca_bundle)).close()
    except BootstrapError:
        return False
    return True


def _secret(client, arn: str) -> dict:
    value = client.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")["SecretString"]
    try:
        data = json.loads(value)
    except ValueError:
        raise BootstrapError(f"secret {arn} is not JSON") from None
    if not data.get("username") or not data.get("password"):
        raise BootstrapError(f"secret {arn} lacks a username or password")
    return data


def _setting(event: dict, name: str, default: str | None = None) -> str:
    value = event.get(name) or os.environ.get(name) or default
    if value is None:
        raise BootstrapError(f"{name} is not set (event or environment)")
    return value


def handler(event, context, secrets_client=None):
    """Lambda entry point. Returns what it did; raises on failure so the invocation reports an error."""
    import boto3  # in the Lambda runtime; imported here so the module loads without it

    event = event or {}
    client = secrets_client or boto3.client("secretsmanager")
    master = _secret(client, _setting(event, "MASTER_SECRET_ARN"))
    app = _secret(client, _setting(event, "APP_SECRET_ARN"))
    server = Server(
        host=_setting(event, "DB_HOST"),
        port=int(_setting(event, "DB_PORT", "3306")),
        user=master["username"],
        password=master["password"],
        tls=_setting(event, "DB_TLS", "true").lower() == "true",
        ca_bundle=event.get("DB_CA_BUNDLE") or os.environ.get("DB_CA_BUNDLE"),
    )
    result = bootstrap(server, _setting(event, "DB_NAME", "wordpress"), app["username"], app["password"])
    LOG.info("bootstrap of %s for user %s: %s", result["database"], result["user"], result["changes"] or "no change")
    return result
