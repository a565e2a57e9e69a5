"""Rotation Lambda of the WordPress DB credentials: Secrets Manager's four steps with alternating users.

Two MySQL users take turns, ``<user>`` and ``<user>_clone``. A rotation gives the user that is *not* current a new
password and the current user's grants, tests it, then makes it current. The credentials the running tasks hold
(the current user's) are never changed by the rotation that replaces them, so they keep working while ECS replaces
every task; they stop working only at the next rotation, which re-keys that user.

Secrets Manager calls ``handler`` once per step (``createSecret``, ``setSecret``, ``testSecret``,
``finishSecret``) with the same ``ClientRequestToken``, and retries a failed step: every step is idempotent.
Nothing here logs or returns a password.

Running tasks learn a new password only when they are replaced: the application tier's redeploy Lambda forces a
deployment on Secrets Manager's ``RotationSucceeded`` event. That event is delivered best effort; were it lost, the
next rotation would re-key the user the running tasks still hold. So a rotation first checks the WordPress service
(``CLUSTER``/``SERVICE``): while a task created before the current version became current still runs, it forces the
deployment itself and refuses to go on ("deferred"); the rotation is retried (Secrets Manager's retry, the next
schedule, or ``playbooks/rotate_secrets.yml``) once the new tasks run.

The application secret holds ``username``, ``password``, ``host``, ``port``, ``dbname`` and ``masterarn`` (the
RDS-managed master secret, whose user sets passwords and grants). Configuration from the environment:
``DB_TLS`` ("true": encrypt connections; ``DB_CA_BUNDLE`` a CA file to verify the server with),
``SECRETS_MANAGER_ENDPOINT`` (the VPC endpoint's URL, when the Lambda reaches Secrets Manager through one),
``CLUSTER`` and ``SERVICE`` (the ECS service whose tasks use the secret; unset: no service to wait for).
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


def current_since(client, arn: str):
    """When the current version became current: the last successful rotation, else the secret's creation.

    ``LastRotatedDate`` is "the most recent date and time that the Secrets Manager rotation process was successfully
    completed" (DescribeSecret); a secret never rotated still holds the credentials it was created with.
    """
    metadata = client.describe_secret(SecretId=arn)
    return metadata.get("LastRotatedDate") or metadata["CreatedDate"]


def stale_tasks(ecs, cluster: str, service: str, since) -> list[str]:
    """The service's running tasks created before ``since``: they hold the previous version's credentials."""
    arns, pages = [], {"cluster": cluster, "serviceName": service, "desiredStatus": "RUNNING"}
    try:
        while True:
            answer = ecs.list_tasks(**pages)
            arns += answer.get("taskArns", [])
            if not answer.get("nextToken"):
                break
            pages["nextToken"] = answer["nextToken"]
    except (ecs.exceptions.ClusterNotFoundException, ecs.exceptions.ServiceNotFoundException):
        return []
    stale = []
    for start in range(0, len(arns), 100):
        for task in ecs.describe_tasks(cluster=cluster, tasks=arns[start : start + 100]).get("tasks", []):
            if task["createdAt"] < since:
                stale.append(task["taskArn"])
    return stale


def hold_for_old_tasks(client, ecs, arn: str) -> str:
    """Refuse to rotate while tasks older than the current version run, after starting their replacement.

    Without it a lost ``RotationSucceeded`` event lets this rotation re-key the user those tasks connect as.
    """
    cluster, service = os.environ.get("CLUSTER", ""), os.environ.get("SERVICE", "")
    if not (cluster and service and ecs is not None):
        return "no service to wait for"
    since = current_since(client, arn)
    stale = stale_tasks(ecs, cluster, service, since)
    if not stale:
        return f"every task of {service} uses the current credentials"
    services = ecs.describe_services(cluster=cluster, services=[service]).get("services", [])
    primary = next((d for s in services for d in s.get("deployments", []) if d.get("status") == "PRIMARY"), {})
    started = "a deployment started after the last rotation replaces them"
    if not primary.get("createdAt") or primary["createdAt"] < since:
        ecs.update_service(cluster=cluster, service=service, forceNewDeployment=True)
        started = "forced a new deployment to replace them"
    raise RotationError(
        f"deferred: {len(stale)} task(s) of {service} started before the current credentials and still use the "
        f"previous user, which this rotation would re-key; {started}; retry the rotation once it completes"
    )


def create_secret(client, arn: str, token: str, ecs=None) -> str:
    """A pending version for the other user with a new password, unless this token's version exists.

    Refused (:func:`hold_for_old_tasks`) while tasks older than the current version run.
    """
    hold_for_old_tasks(client, ecs, arn)
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


def set_secret(client, arn: str, token: str, ecs=None) -> str:
    """The pending user exists, has the pending password and exactly the current user's grants.

    This is the step that re-keys a user: it checks for old tasks again (a rotation resumed later).
    """
    hold_for_old_tasks(client, ecs, arn)
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


def handler(event, context, secrets_client=None, ecs_client=None):
    """Lambda entry point for one step of one rotation. Raises on failure so Secrets Manager retries."""
    import boto3  # in the Lambda runtime; imported here so the module loads without it

    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    if step not in STEPS:
        raise RotationError(f"unknown step {step!r}")
    endpoint = os.environ.get("SECRETS_MANAGER_ENDPOINT") or None
    client = secrets_client or boto3.client("secretsmanager", endpoint_url=endpoint)
    ecs = ecs_client or (boto3.client("ecs") if os.environ.get("CLUSTER") and os.environ.get("SERVICE") else None)
    metadata = client.describe_secret(SecretId=arn)
    versions = metadata.get("VersionIdsToStages", {})
    if token not in versions:
        raise RotationError(f"secret {arn} has no version {token}")
    if "AWSCURRENT" in versions[token]:
        LOG.info("%s of %s: version %s is already current", step, arn, token)
        return {"step": step, "result": "already current"}
    if "AWSPENDING" not in versions[token]:
        raise RotationError(f"version {token} of {arn} is not pending rotation")
    steps = {
        "createSecret": lambda: create_secret(client, arn, token, ecs),
        "setSecret": lambda: set_secret(client, arn, token, ecs),
        "testSecret": lambda: test_secret(client, arn, token),
        "finishSecret": lambda: finish_secret(client, arn, token),
    }
    try:
        result = steps[step]()
    except BootstrapError as err:
        raise RotationError(str(err)) from None
    LOG.info("%s of %s: %s", step, arn, result)
    return {"step": step, "result": result}
