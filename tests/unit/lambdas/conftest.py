"""A real MySQL-compatible server for the Lambda tests.

WORDPRESS_AWS_TEST_MYSQL_URL (mysql://user:password@host:port) names one; else 127.0.0.1:3306 as root with
an empty password; else a throwaway server is started from the installed MariaDB binaries; else the tests
fail with an install hint.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import pymysql
import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "roles" / "rds" / "files"))
sys.path.insert(0, str(ROOT / "scripts"))
from daemon import free_port

INSTALL_HINT = (
    "No MySQL/MariaDB server answers and no MariaDB binaries are installed: "
    "apt-get install mariadb-server (or set WORDPRESS_AWS_TEST_MYSQL_URL=mysql://user:password@host:port)"
)


def _answers(params: dict) -> bool:
    try:
        pymysql.connect(connect_timeout=3, **params).close()
    except pymysql.err.MySQLError:
        return False
    return True


def _throwaway(tmp: Path) -> tuple[dict, subprocess.Popen]:
    server = shutil.which("mariadbd") or shutil.which("mysqld") or "/usr/sbin/mariadbd"
    install = shutil.which("mariadb-install-db") or shutil.which("mysql_install_db")
    if not Path(server).exists() or not install:
        pytest.fail(INSTALL_HINT)
    data = tmp / "data"
    subprocess.run(
        [install, f"--datadir={data}", "--auth-root-authentication-method=normal", "--skip-test-db", "--user=root"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = free_port()
    proc = subprocess.Popen(
        [
            server,
            f"--datadir={data}",
            f"--port={port}",
            "--bind-address=127.0.0.1",
            f"--socket={tmp / 'sock'}",
            "--skip-grant-tables=0",
            "--user=root",
            f"--pid-file={tmp / 'pid'}",
            "--skip-log-bin",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    params = {"host": "127.0.0.1", "port": port, "user": "root", "password": ""}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _answers(params):
        time.sleep(0.3)
    if not _answers(params):
        proc.terminate()
        pytest.fail("the throwaway MariaDB server did not start")
    return params, proc


@pytest.fixture(scope="session")
def mysql_admin(tmp_path_factory):
    """Connection parameters of an account that may create databases and users."""
    url = os.environ.get("WORDPRESS_AWS_TEST_MYSQL_URL", "mysql://root:@127.0.0.1:3306")
    parsed = urllib.parse.urlparse(url)
    params = {
        "host": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 3306,
        "user": urllib.parse.unquote(parsed.username or "root"),
        "password": urllib.parse.unquote(parsed.password or ""),
    }
    if _answers(params):
        yield params
        return
    params, proc = _throwaway(tmp_path_factory.mktemp("mariadb"))
    yield params
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="session")
def admin_sql(mysql_admin):
    """``admin_sql(*statements)``: run the statements as the admin account, each committed."""

    def run(*statements: str) -> None:
        conn = pymysql.connect(autocommit=True, **mysql_admin)
        with conn.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
        conn.close()

    return run


@pytest.fixture
def names(admin_sql):
    """A unique database and user name pair, dropped after the test."""
    suffix = uuid.uuid4().hex[:8]
    db, user, other = f"wp_{suffix}", f"wpapp_{suffix}", f"other_{suffix}"
    yield {"db": db, "user": user, "other_db": other}
    admin_sql(
        f"DROP DATABASE IF EXISTS `{db}`", f"DROP DATABASE IF EXISTS `{other}`", f"DROP USER IF EXISTS '{user}'@'%'"
    )


@pytest.fixture(scope="session")
def master(mysql_admin):
    """A master user with a password, as RDS creates one (all privileges, with grant option)."""
    name, password = f"wpmaster_{uuid.uuid4().hex[:6]}", f"Master-{uuid.uuid4().hex[:12]}"
    conn = pymysql.connect(autocommit=True, **mysql_admin)
    with conn.cursor() as cur:
        cur.execute(f"CREATE USER '{name}'@'%%' IDENTIFIED BY %s", (password,))
        cur.execute(f"GRANT ALL PRIVILEGES ON *.* TO '{name}'@'%' WITH GRANT OPTION")
    yield {**mysql_admin, "user": name, "password": password}
    with conn.cursor() as cur:
        cur.execute(f"DROP USER IF EXISTS '{name}'@'%'")
    conn.close()
