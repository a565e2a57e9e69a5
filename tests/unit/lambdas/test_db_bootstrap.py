"""The DB bootstrap Lambda against a real MariaDB/MySQL server."""

import json

import boto3
import db_bootstrap
import pymysql
import pytest
from botocore.stub import Stubber
from db_bootstrap import BootstrapError
from db_bootstrap import Server

PASSWORD = "S3cret-app-pass-1"


def _server(admin, **override):
    params = {**admin, **override}
    return Server(params["host"], params["port"], params["user"], params["password"])


def _grants(admin, user, db):
    conn = pymysql.connect(**admin)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT privilege_type FROM information_schema.schema_privileges WHERE grantee = %s AND table_schema = %s",
            (f"'{user}'@'%'", db),
        )
        schema = {r[0] for r in cur.fetchall()}
        cur.execute(
            "SELECT privilege_type FROM information_schema.user_privileges WHERE grantee = %s", (f"'{user}'@'%'",)
        )
        glob = {r[0] for r in cur.fetchall()}
    conn.close()
    return schema, glob


def test_creates_database_user_and_exact_grants(mysql_admin, master, names):
    result = db_bootstrap.bootstrap(_server(master), names["db"], names["user"], PASSWORD)
    assert result["changed"] is True
    assert result["changes"] == ["database created", "user created", "grants set"]
    schema, glob = _grants(mysql_admin, names["user"], names["db"])
    assert schema == set(db_bootstrap.WORDPRESS_PRIVILEGES)
    assert glob == {"USAGE"}
    conn = pymysql.connect(
        host=mysql_admin["host"], port=mysql_admin["port"], user=names["user"], password=PASSWORD, database=names["db"]
    )
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE wp_posts (id INT PRIMARY KEY, title VARCHAR(20))")
        cur.execute("INSERT INTO wp_posts VALUES (1, 'hello')")
        cur.execute("SELECT @@character_set_database")
        assert cur.fetchone()[0] == "utf8mb4"
    conn.close()


def test_is_idempotent(mysql_admin, master, names):
    db_bootstrap.bootstrap(_server(master), names["db"], names["user"], PASSWORD)
    again = db_bootstrap.bootstrap(_server(master), names["db"], names["user"], PASSWORD)
    assert again == {"database": names["db"], "user": names["user"], "changed": False, "changes": []}


def test_converges_a_drifted_user(mysql_admin, admin_sql, master, names):
    db_bootstrap.bootstrap(_server(master), names["db"], names["user"], PASSWORD)
    admin_sql(
        f"GRANT PROCESS ON *.* TO '{names['user']}'@'%'",
        f"GRANT TRIGGER, EVENT ON `{names['db']}`.* TO '{names['user']}'@'%'",
        f"ALTER USER '{names['user']}'@'%' IDENTIFIED BY 'drifted-password'",
    )
    result = db_bootstrap.bootstrap(_server(master), names["db"], names["user"], PASSWORD)
    assert result["changes"] == ["password set", "global privileges revoked: PROCESS", "grants set"]
    schema, glob = _grants(mysql_admin, names["user"], names["db"])
    assert schema == set(db_bootstrap.WORDPRESS_PRIVILEGES)
    assert glob == {"USAGE"}
    pymysql.connect(host=mysql_admin["host"], port=mysql_admin["port"], user=names["user"], password=PASSWORD).close()


def test_leaves_other_schemas_untouched(mysql_admin, master, names):
    conn = pymysql.connect(autocommit=True, **mysql_admin)
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{names['other_db']}`")
        cur.execute(f"CREATE TABLE `{names['other_db']}`.t (id INT)")
        cur.execute(f"INSERT INTO `{names['other_db']}`.t VALUES (42)")
    db_bootstrap.bootstrap(_server(master), names["db"], names["user"], PASSWORD)
    with conn.cursor() as cur:
        cur.execute(f"SELECT id FROM `{names['other_db']}`.t")
        assert cur.fetchall() == ((42,),)
    conn.close()
    assert _grants(mysql_admin, names["user"], names["other_db"])[0] == set()
    app = pymysql.connect(host=mysql_admin["host"], port=mysql_admin["port"], user=names["user"], password=PASSWORD)
    with app.cursor() as cur, pytest.raises(pymysql.err.OperationalError):
        cur.execute(f"SELECT id FROM `{names['other_db']}`.t")
    app.close()


def test_wrong_master_credentials_fail_cleanly(mysql_admin, master, names):
    with pytest.raises(BootstrapError) as err:
        db_bootstrap.bootstrap(_server(master, password="wrong-master-pw"), names["db"], names["user"], PASSWORD)
    assert "rejected (MySQL error 1045)" in str(err.value)
    assert "wrong-master-pw" not in str(err.value) and PASSWORD not in str(err.value)
    assert err.value.__cause__ is None and err.value.__suppress_context__


@pytest.mark.parametrize("bad", ["wp-db", "x" * 33, "a;drop", ""])
def test_identifiers_are_checked(mysql_admin, master, bad):
    with pytest.raises(BootstrapError, match="must be 1-32 letters"):
        db_bootstrap.bootstrap(_server(master), bad, "wpapp", PASSWORD)


def test_server_repr_hides_the_password():
    assert "pw" not in repr(Server("h", 3306, "u", "pw"))


def test_handler_reads_both_secrets_and_returns_no_password(master, names, caplog):
    client = boto3.client("secretsmanager", region_name="eu-west-3", aws_access_key_id="x", aws_secret_access_key="x")
    master_secret = {"username": master["user"], "password": master["password"]}
    app = {"username": names["user"], "password": PASSWORD}
    event = {
        "MASTER_SECRET_ARN": "arn:master",
        "APP_SECRET_ARN": "arn:app",
        "DB_HOST": master["host"],
        "DB_PORT": str(master["port"]),
        "DB_NAME": names["db"],
        "DB_TLS": "false",
    }
    with Stubber(client) as stub:
        stub.add_response(
            "get_secret_value",
            {"SecretString": json.dumps(master_secret)},
            {"SecretId": "arn:master", "VersionStage": "AWSCURRENT"},
        )
        stub.add_response(
            "get_secret_value", {"SecretString": json.dumps(app)}, {"SecretId": "arn:app", "VersionStage": "AWSCURRENT"}
        )
        result = db_bootstrap.handler(event, None, secrets_client=client)
    assert result["changed"] is True
    assert result["changes"] == ["database created", "user created", "grants set"]
    assert PASSWORD not in json.dumps(result) and PASSWORD not in caplog.text
    assert master["password"] not in caplog.text


def test_handler_refuses_a_secret_without_password():
    client = boto3.client("secretsmanager", region_name="eu-west-3", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stub:
        stub.add_response(
            "get_secret_value",
            {"SecretString": json.dumps({"username": "admin"})},
            {"SecretId": "m", "VersionStage": "AWSCURRENT"},
        )
        with pytest.raises(BootstrapError, match="secret m lacks a username or password"):
            db_bootstrap.handler({"MASTER_SECRET_ARN": "m", "APP_SECRET_ARN": "a", "DB_HOST": "h"}, None, client)
