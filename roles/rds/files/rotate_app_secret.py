"""Rotation Lambda of the WordPress DB credentials: Secrets Manager's four steps with alternating users.

Two MySQL users take turns, ``<user>`` and ``<user>_clone``. A rotation gives the user that is *not* current a new
password and the current user's grants, tests it, then makes it current. The credentials the running tasks hold
(the current user's) are never changed by the rotation that replaces them, so they keep working while ECS replaces
every task; they stop working only at the next rotation, which re-keys that user.

Secrets Manager calls ``handler`` once per step (``createSecret``, ``setSecret``, ``testSecret``,
``finishSecret``) with the same ``ClientRequestToken``, and retries a failed step: every step is idempotent.
Nothing here logs or returns a password.

The application secret holds ``username``, ``password``, ``host``, ``port``, ``dbname`` and ``masterarn`` (the
RDS-managed master secret, whose user sets passwords and grants). Configuration from the environment:
``DB_TLS`` ("true": encrypt connections; ``DB_CA_BUNDLE`` a CA file to verify the server with),
``SECRETS_MANAGER_ENDPOINT`` (the VPC endpoint's URL, when the Lambda reaches Secrets Manager through one).
"""

from __future__ import annotations

import json
import logging
import os
import re

from db_bootstrap import BootstrapError
from db_bootstrap import Server
from db_bootstrap import connect

LOG = logging.getLogger()
LOG.setLevel(logging.INFO)

CLONE_SUFFIX = "_clone"
# MySQL's user-name limit; MariaDB allows 80, the smaller bound keeps a secret portable.
MAX_USER = 32
# Characters a password never contains: quotes, backslash, slash, @ and : break DSNs and wp-config.php.
EXCLUDE_CHARACTERS = "\"'\\/@:`$;&|<>()[]{}%#?"
PASSWORD_LENGTH = 32
STEPS = ("createSecret", "setSecret", "testSecret", "finishSecret")
GRANTEE = r"TO\s+[`']{user}[`']@[`']%[`']"
IDENTIFIED = re.compile(r"\s+IDENTIFIED BY PASSWORD\s+'[^']*'", re.IGNORECASE)


class RotationError(Exception):
    """A failure worth reporting as is (it never carries a password)."""


def alternate(username: str) -> str:
    """The other user of the pair: ``wp`` <-> ``wp_clone``."""
    if username.endswith(CLONE_SUFFIX):
        return username[: -len(CLONE_SUFFIX)]
    if len(username) + len(CLONE_SUFFIX) > MAX_USER:
        raise RotationError(f"user name {username!r} leaves no room for {CLONE_SUFFIX!r} within {MAX_USER} characters")
    return username + CLONE_SUFFIX


def _loads(value: str, what: str) -> dict:
    try:
        data = json.loads(value)
    except ValueError:
        raise RotationError(f"{what} is not JSON") from None
    for field in ("username", "password"):
        if not data.get(field):
            raise RotationError(f"{what} lacks {field}")
    return data


def secret_dict(client, arn: str, stage: str, token: str | None = None) -> dict:
    params = {"SecretId": arn, "VersionStage": stage}
    if token:
        params["VersionId"] = token
    return _loads(client.get_secret_value(**params)["SecretString"], f"the {stage} version of {arn}")


def _server(app: dict, user: str, password: str) -> Server:
    if not app.get("host"):
        raise RotationError("the application secret has no host")
    return Server(
        host=app["host"],
        port=int(app.get("port") or 3306),
        user=user,
        password=password,
        tls=os.environ.get("DB_TLS", "true").lower() == "true",
        ca_bundle=os.environ.get("DB_CA_BUNDLE") or None,
    )


def _grants(cur, user: str) -> list[str]:
    """The user's grants as statements for a placeholder grantee, without password hashes (MariaDB shows them)."""
    cur.execute(f"SHOW GRANTS FOR '{user}'@'%'")
    grantee = re.compile(GRANTEE.format(user=re.escape(user)))
    statements = []
    for (line,) in cur.fetchall():
        line = IDENTIFIED.sub("", line)
        if not grantee.search(line):
            raise RotationError(f"unexpected grant for {user}: {line.split(' TO ')[0]}")
        statements.append(grantee.sub("TO {grantee}", line))
    return sorted(statements)


def _user_exists(cur, user: str) -> bool:
    cur.execute("SELECT 1 FROM mysql.user WHERE user = %s AND host = '%%'", (user,))
    return cur.fetchone() is not None


def create_secret(client, arn: str, token: str) -> str:
    """A pending version for the other user with a new password, unless this token's version exists."""
    current = secret_dict(client, arn, "AWSCURRENT")
    try:
        client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        return "pending version exists"
    except client.exceptions.ResourceNotFoundException:
        pass
    pending = dict(current)
    pending["username"] = alternate(current["username"])
    pending["password"] = client.get_random_password(
        PasswordLength=PASSWORD_LENGTH, ExcludeCharacters=EXCLUDE_CHARACTERS
    )["RandomPassword"]
    client.put_secret_value(
        SecretId=arn, ClientRequestToken=token, SecretString=json.dumps(pending), VersionStages=["AWSPENDING"]
    )
    return f"pending version created for user {pending['username']}"


def set_secret(client, arn: str, token: str) -> str:
    """The pending user exists, has the pending password and exactly the current user's grants."""
    pending = secret_dict(client, arn, "AWSPENDING", token)
    current = secret_dict(client, arn, "AWSCURRENT")
    if pending["username"] != alternate(current["username"]):
        raise RotationError(
            f"the pending user {pending['username']} is not the alternate of the current {current['username']}"
        )
    master_arn = pending.get("masterarn") or os.environ.get("MASTER_SECRET_ARN")
    if not master_arn:
        raise RotationError("no master secret (masterarn in the secret, or MASTER_SECRET_ARN)")
    master = secret_dict(client, master_arn, "AWSCURRENT")
    user, done = pending["username"], []
    conn = connect(_server(pending, master["username"], master["password"]))
    try:
        with conn.cursor() as cur:
            if not _user_exists(cur, current["username"]):
                raise RotationError(f"the current user {current['username']} does not exist on {pending['host']}")
            if _user_exists(cur, user):
                cur.execute(f"ALTER USER '{user}'@'%%' IDENTIFIED BY %s", (pending["password"],))
                done.append("password set")
            else:
                cur.execute(f"CREATE USER '{user}'@'%%' IDENTIFIED BY %s", (pending["password"],))
                done.append("user created")
            wanted = _grants(cur, current["username"])
            if _grants(cur, user) != wanted:
                cur.execute(f"REVOKE ALL PRIVILEGES, GRANT OPTION FROM '{user}'@'%'")
                for statement in wanted:
                    if not statement.startswith("GRANT USAGE ON *.*"):
                        cur.execute(statement.replace("{grantee}", f"'{user}'@'%'"))
                done.append("grants copied")
            if _grants(cur, user) != wanted:
                raise RotationError(f"the grants of {user} still differ from {current['username']}'s")
    finally:
        conn.close()
    return f"user {user}: {', '.join(done)}"


def test_secret(client, arn: str, token: str) -> str:
    """The pending credentials log in and reach the WordPress database."""
    pending = secret_dict(client, arn, "AWSPENDING", token)
    try:
        conn = connect(_server(pending, pending["username"], pending["password"]))
    except BootstrapError as err:
        raise RotationError(f"the pending user {pending['username']} cannot log in: {err}") from None
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
            if pending.get("dbname"):
                cur.execute(f"USE `{pending['dbname']}`")
    finally:
        conn.close()
    return f"user {pending['username']} logs in"


def finish_secret(client, arn: str, token: str) -> str:
    """Move AWSCURRENT to the token's version (Secrets Manager labels the old one AWSPREVIOUS)."""
    versions = client.describe_secret(SecretId=arn)["VersionIdsToStages"]
    current = next((v for v, stages in versions.items() if "AWSCURRENT" in stages), None)
    if current == token:
        return "already current"
    client.update_secret_version_stage(
        SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token, RemoveFromVersionId=current
    )
    return "made current"


def handler(event, context, secrets_client=None):
    """Lambda entry point for one step of one rotation. Raises on failure so Secrets Manager retries."""
    import boto3  # in the Lambda runtime; imported here so the module loads without it

    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    if step not in STEPS:
        raise RotationError(f"unknown step {step!r}")
    endpoint = os.environ.get("SECRETS_MANAGER_ENDPOINT") or None
    client = secrets_client or boto3.client("secretsmanager", endpoint_url=endpoint)
    metadata = client.describe_secret(SecretId=arn)
    versions = metadata.get("VersionIdsToStages", {})
    if token not in versions:
        raise RotationError(f"secret {arn} has no version {token}")
    if "AWSCURRENT" in versions[token]:
        LOG.info("%s of %s: version %s is already current", step, arn, token)
        return {"step": step, "result": "already current"}
    if "AWSPENDING" not in versions[token]:
        raise RotationError(f"version {token} of {arn} is not pending rotation")
    action = {
        "createSecret": create_secret,
        "setSecret": set_secret,
        "testSecret": test_secret,
        "finishSecret": finish_secret,
    }[step]
    try:
        result = action(client, arn, token)
    except BootstrapError as err:
        raise RotationError(str(err)) from None
    LOG.info("%s of %s: %s", step, arn, result)
    return {"step": step, "result": result}
