"""The rotation Lambda (alternating users) against a real MariaDB/MySQL server, Secrets Manager from moto.

Secrets Manager's own part of a rotation - a new version labelled AWSPENDING with no value yet, then the four
steps with its token - is played by ``start_rotation`` and ``rotate`` below, as the service does before and while
it invokes the function (moto's RotateSecret would invoke a Lambda, which needs Docker).
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from datetime import UTC
from datetime import datetime

import db_bootstrap
import pymysql
import pytest
import rotate_app_secret as rot
from moto.secretsmanager.models import secretsmanager_backends

PASSWORD = "S3cret-app-pass-1"
ACCOUNT, REGION = "123456789012", "eu-west-3"


@pytest.fixture
def stack(aws, mysql_admin, admin_sql, master, names, monkeypatch):
    """A WordPress database and user made by the bootstrap Lambda, its secret and the master secret in moto."""
    monkeypatch.setenv("DB_TLS", "false")
    db_bootstrap.bootstrap(
        db_bootstrap.Server(master["host"], master["port"], master["user"], master["password"]),
        names["db"],
        names["user"],
        PASSWORD,
    )
    client = aws("secretsmanager")
    master_arn = client.create_secret(
        Name="rds!db-test", SecretString=json.dumps({"username": master["user"], "password": master["password"]})
    )["ARN"]
    app = {
        "username": names["user"],
        "password": PASSWORD,
        "host": mysql_admin["host"],
        "port": str(mysql_admin["port"]),
        "dbname": names["db"],
        "engine": "mysql",
        "masterarn": master_arn,
    }
    arn = client.create_secret(Name="blog/db/app", SecretString=json.dumps(app))["ARN"]
    yield {"client": client, "arn": arn, "admin": mysql_admin, "db": names["db"], "user": names["user"]}
    admin_sql(f"DROP USER IF EXISTS '{names['user']}_clone'@'%'")


def start_rotation(client, arn: str) -> str:
    """What Secrets Manager does before the first step: a version for the token, labelled AWSPENDING, no value."""
    token = str(uuid.uuid4())
    secret = secretsmanager_backends[ACCOUNT][REGION].secrets[arn]
    secret.remove_version_stages_from_old_versions(["AWSPENDING"])
    secret.versions[token] = {"createdate": int(time.time()), "version_id": token, "version_stages": ["AWSPENDING"]}
    return token


def rotate(stack, steps=rot.STEPS, token=None) -> str:
    token = token or start_rotation(stack["client"], stack["arn"])
    for step in steps:
        rot.handler({"SecretId": stack["arn"], "ClientRequestToken": token, "Step": step}, None, stack["client"])
    return token


def version(stack, stage: str) -> dict:
    return json.loads(stack["client"].get_secret_value(SecretId=stack["arn"], VersionStage=stage)["SecretString"])


def logs_in(stack, creds: dict) -> bool:
    try:
        conn = pymysql.connect(
            host=stack["admin"]["host"],
            port=stack["admin"]["port"],
            user=creds["username"],
            password=creds["password"],
            database=stack["db"],
            connect_timeout=5,
        )
    except pymysql.err.OperationalError:
        return False
    conn.close()
    return True


def grants(stack, user: str) -> list[str]:
    """The user's grants with the grantee and any password hash taken out, for comparing two users."""
    conn = pymysql.connect(**stack["admin"])
    with conn.cursor() as cur:
        cur.execute(f"SHOW GRANTS FOR '{user}'@'%'")
        lines = [row[0] for row in cur.fetchall()]
    conn.close()
    grantee = re.compile(rf"TO [`']{re.escape(user)}[`']@[`']%[`']")
    return sorted(grantee.sub("TO <user>", rot.IDENTIFIED.sub("", line)) for line in lines)


def assert_rotated(stack, current_user: str, previous_user: str) -> None:
    current, previous = version(stack, "AWSCURRENT"), version(stack, "AWSPREVIOUS")
    assert current["username"] == current_user and previous["username"] == previous_user
    assert logs_in(stack, current), "the current credentials do not log in"
    assert logs_in(stack, previous), "the previous credentials stopped working before the next rotation"
    assert grants(stack, current_user) == grants(stack, previous_user)
    assert any("SELECT" in g and stack["db"] in g for g in grants(stack, current_user))
    assert current["host"] == previous["host"] and current["dbname"] == stack["db"]


def test_two_rotations_in_a_row_alternate_the_users_and_keep_the_previous_working(stack):
    user, clone = stack["user"], stack["user"] + "_clone"
    rotate(stack)
    assert_rotated(stack, clone, user)
    assert version(stack, "AWSPREVIOUS")["password"] == PASSWORD
    first_clone_password = version(stack, "AWSCURRENT")["password"]

    rotate(stack)
    assert_rotated(stack, user, clone)
    assert version(stack, "AWSCURRENT")["password"] != PASSWORD  # the original user was re-keyed
    assert not logs_in(stack, {"username": user, "password": PASSWORD})
    assert version(stack, "AWSPREVIOUS")["password"] == first_clone_password


@pytest.mark.parametrize("done", [1, 2, 3, 4])
def test_interrupted_after_a_step_and_resumed_from_the_start(stack, done):
    user, clone = stack["user"], stack["user"] + "_clone"
    token = rotate(stack, rot.STEPS[:done])
    if done < 4:
        assert version(stack, "AWSCURRENT")["username"] == user  # not switched yet
        assert logs_in(stack, version(stack, "AWSCURRENT"))
    rotate(stack, rot.STEPS, token=token)  # Secrets Manager retries with the same token
    assert_rotated(stack, clone, user)
    # the pending value was made once: a retried createSecret did not draw a second password
    assert logs_in(stack, version(stack, "AWSCURRENT"))


def test_every_step_twice_changes_nothing_more(stack):
    token = start_rotation(stack["client"], stack["arn"])
    for step in rot.STEPS:
        rotate(stack, [step], token=token)
        rotate(stack, [step], token=token)
    assert_rotated(stack, stack["user"] + "_clone", stack["user"])
    versions = stack["client"].list_secret_version_ids(SecretId=stack["arn"])["Versions"]
    assert len(versions) == 2


def test_set_repairs_a_clone_with_drifted_grants(stack, admin_sql):
    rotate(stack)
    rotate(stack)  # the clone is now previous; give it an extra grant and drop one
    clone = stack["user"] + "_clone"
    admin_sql(f"GRANT PROCESS ON *.* TO '{clone}'@'%'", f"REVOKE DELETE ON `{stack['db']}`.* FROM '{clone}'@'%'")
    rotate(stack)
    assert_rotated(stack, clone, stack["user"])


def test_no_secret_value_in_logs_or_results(stack, caplog):
    caplog.set_level("INFO")
    token = start_rotation(stack["client"], stack["arn"])
    results = [
        rot.handler({"SecretId": stack["arn"], "ClientRequestToken": token, "Step": s}, None, stack["client"])
        for s in rot.STEPS
    ]
    master = json.loads(
        stack["client"].get_secret_value(SecretId=version(stack, "AWSCURRENT")["masterarn"])["SecretString"]
    )
    text = caplog.text + json.dumps(results)
    for value in (PASSWORD, version(stack, "AWSCURRENT")["password"], master["password"]):
        assert value not in text
    assert "made current" in text


def test_refusals(stack):
    with pytest.raises(rot.RotationError, match="unknown step"):
        rot.handler({"SecretId": stack["arn"], "ClientRequestToken": "x", "Step": "dropSecret"}, None, stack["client"])
    with pytest.raises(rot.RotationError, match="has no version"):
        rot.handler(
            {"SecretId": stack["arn"], "ClientRequestToken": str(uuid.uuid4()), "Step": "createSecret"},
            None,
            stack["client"],
        )
    current = next(
        v
        for v, s in stack["client"].describe_secret(SecretId=stack["arn"])["VersionIdsToStages"].items()
        if "AWSCURRENT" in s
    )
    done = rot.handler(
        {"SecretId": stack["arn"], "ClientRequestToken": current, "Step": "setSecret"}, None, stack["client"]
    )
    assert done["result"] == "already current"
    with pytest.raises(rot.RotationError, match="leaves no room"):
        rot.alternate("a" * 27)
    assert rot.alternate("wp_clone") == "wp" and rot.alternate("wp") == "wp_clone"


def test_clients_reading_the_current_secret_never_fail_during_rotations(stack, capsys):
    """A client that reads AWSCURRENT and connects, in a loop, while three rotations run: zero failures.

    Between rotations the test waits a second, as ECS replaces every task before the next rotation re-keys the user
    the old tasks hold (the schedule is days apart).
    """
    stop = threading.Event()
    counts = {"attempts": 0, "failures": 0}

    def client_loop():
        import boto3

        reader = boto3.client("secretsmanager", region_name=REGION)
        while not stop.is_set():
            # AWSCURRENT by name: moto's GetSecretValue without a stage keeps answering the version that was current
            # before UpdateSecretVersionStage moved the label (AWS answers AWSCURRENT; docs/not-emulated.md)
            answer = reader.get_secret_value(SecretId=stack["arn"], VersionStage="AWSCURRENT")
            creds = json.loads(answer["SecretString"])
            counts["attempts"] += 1
            if not logs_in(stack, creds):
                counts["failures"] += 1

    thread = threading.Thread(target=client_loop)
    thread.start()
    try:
        time.sleep(0.5)
        for _rotation in range(3):
            rotate(stack)
            time.sleep(1.0)
    finally:
        stop.set()
        thread.join(timeout=30)
    with capsys.disabled():
        print(
            f"\nrotation concurrency: {counts['attempts']} connection attempts, {counts['failures']} failures, 3 rotations"
        )
    assert counts["attempts"] > 20
    assert counts["failures"] == 0


class FakeService:
    """The WordPress service as the rotation sees it: tasks with their creation time and the credentials each read.

    A test stand-in for ECS (moto's ECS starts no service tasks): ``update_service(forceNewDeployment=True)``
    starts one task per old task with the secret's AWSCURRENT, then stops the old ones (a rolling deployment).
    """

    class exceptions:
        class ClusterNotFoundException(Exception):
            pass

        class ServiceNotFoundException(Exception):
            pass

    def __init__(self, stack, count=2):
        self.stack, self.tasks, self.deployments, self.lock = stack, [], [], threading.Lock()
        self.forced = 0
        self.start(count)

    def _start(self, count):
        creds = version(self.stack, "AWSCURRENT")
        now = datetime.now(UTC)
        self.deployments = [{"status": "PRIMARY", "createdAt": now}]
        return [{"taskArn": f"task/{uuid.uuid4()}", "createdAt": now, "creds": creds} for _task in range(count)]

    def start(self, count=2):
        with self.lock:
            self.tasks = self._start(count)

    def credentials(self):
        with self.lock:
            return [task["creds"] for task in self.tasks]

    def list_tasks(self, cluster, serviceName, desiredStatus):
        assert (cluster, serviceName, desiredStatus) == ("blog", "blog-wordpress", "RUNNING")
        with self.lock:
            return {"taskArns": [task["taskArn"] for task in self.tasks]}

    def describe_tasks(self, cluster, tasks):
        with self.lock:
            return {"tasks": [task for task in self.tasks if task["taskArn"] in tasks]}

    def describe_services(self, cluster, services):
        return {"services": [{"serviceName": services[0], "deployments": self.deployments}]}

    def update_service(self, cluster, service, forceNewDeployment):
        assert forceNewDeployment is True
        self.forced += 1
        new = self._start(len(self.tasks))
        with self.lock:
            self.tasks = self.tasks + new  # the new tasks start before the old ones stop
        with self.lock:
            self.tasks = new


def rotate_with(stack, ecs, token=None) -> str:
    """``rotate`` with the service handed to the Lambda; on success, dated as Secrets Manager does (LastRotatedDate)."""
    token = token or start_rotation(stack["client"], stack["arn"])
    for step in rot.STEPS:
        rot.handler({"SecretId": stack["arn"], "ClientRequestToken": token, "Step": step}, None, stack["client"], ecs)
    secret = secretsmanager_backends[ACCOUNT][REGION].secrets[stack["arn"]]
    secret.rotation_requested, secret.last_rotation_date = True, time.time()
    return token


def test_a_lost_redeploy_event_never_lets_a_rotation_rekey_the_user_running_tasks_hold(stack, monkeypatch, capsys):
    """Two rotations whose RotationSucceeded event is lost (no redeploy): the second one refuses and redeploys
    first, then goes on; tasks connecting all along with the credentials they started with: zero failures.
    """
    monkeypatch.setenv("CLUSTER", "blog")
    monkeypatch.setenv("SERVICE", "blog-wordpress")
    time.sleep(1.1)  # the secret's versions are dated to the second (moto): tasks start strictly later
    service = FakeService(stack)
    stop, counts = threading.Event(), {"attempts": 0, "failures": 0}

    def tasks_connecting():
        while not stop.is_set():
            for creds in service.credentials():
                counts["attempts"] += 1
                counts["failures"] += 0 if logs_in(stack, creds) else 1

    def connections(more=6):
        """Let the tasks connect ``more`` times (each phase is exercised, whatever the machine's speed)."""
        until = counts["attempts"] + more
        deadline = time.monotonic() + 60
        while counts["attempts"] < until and time.monotonic() < deadline:
            time.sleep(0.05)

    thread = threading.Thread(target=tasks_connecting)
    thread.start()
    try:
        connections()
        rotate_with(stack, service)  # every task is newer than the current version: it proceeds
        assert service.forced == 0 and version(stack, "AWSCURRENT")["username"] == stack["user"] + "_clone"
        # The event is lost: the tasks keep the first user's credentials, now AWSPREVIOUS.
        connections()
        token = start_rotation(stack["client"], stack["arn"])
        with pytest.raises(rot.RotationError, match=r"deferred: 2 task\(s\) of blog-wordpress .* forced a new"):
            rotate_with(stack, service, token)
        assert service.forced == 1
        assert {c["username"] for c in service.credentials()} == {stack["user"] + "_clone"}
        connections()
        rotate_with(stack, service, token)  # retried after the deployment: the first user is re-keyed now
        assert version(stack, "AWSCURRENT")["username"] == stack["user"]
        connections()
        # A third rotation with its event lost too: refused again until the tasks are replaced.
        with pytest.raises(rot.RotationError, match="deferred"):
            rotate_with(stack, service)
        assert service.forced == 2
        connections()
    finally:
        stop.set()
        thread.join(timeout=30)
    with capsys.disabled():
        print(f"\nlost rotation events: {counts['attempts']} task connections, {counts['failures']} failures")
    assert counts["attempts"] >= 30
    assert counts["failures"] == 0


def test_no_service_configured_rotates_without_waiting(stack, monkeypatch):
    monkeypatch.delenv("CLUSTER", raising=False)
    assert rot.hold_for_old_tasks(stack["client"], None, stack["arn"]) == "no service to wait for"
