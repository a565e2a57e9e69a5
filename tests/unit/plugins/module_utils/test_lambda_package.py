"""lambda_package: reproducible bytes, bundled dependencies, rewritten only on change."""

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import lambda_package as lp
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import lambda_package

ROOT = Path(__file__).resolve().parents[2]
HANDLER = str(ROOT / "roles" / "rds" / "files" / "db_bootstrap.py")


def test_same_inputs_same_bytes_and_lambda_style_hash():
    first = lp.build([HANDLER], ["pymysql"])
    assert first == lp.build([HANDLER], ["pymysql"])
    sha = lp.code_sha256(first)
    assert len(sha) == 44 and sha.endswith("=")


def test_archive_holds_the_handler_at_the_root_and_the_package_without_bytecode():
    names = zipfile.ZipFile(io.BytesIO(lp.build([HANDLER], ["pymysql"]))).namelist()
    assert "db_bootstrap.py" in names
    assert "pymysql/__init__.py" in names and "pymysql/connections.py" in names
    assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n]
    assert names == sorted(names)


def test_the_bundled_handler_imports_from_the_package(tmp_path):
    with zipfile.ZipFile(io.BytesIO(lp.build([HANDLER], ["pymysql"]))) as archive:
        archive.extractall(tmp_path)
    # A fresh interpreter with the package first on the path, as the Lambda runtime sees it.
    probe = "import db_bootstrap, pymysql; print(pymysql.__file__); print(db_bootstrap.WORDPRESS_PRIVILEGES[0])"
    out = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r}); {probe}"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout.split()
    assert out[0].startswith(str(tmp_path)) and out[1] == "ALTER"


def test_missing_inputs_fail_clearly():
    with pytest.raises(lp.PackageError, match="not installed"):
        lp.build([HANDLER], ["no_such_package_xyz"])
    with pytest.raises(lp.PackageError, match="does not exist"):
        lp.build(["/nonexistent/handler.py"], [])


def test_module_writes_once_and_reports_no_change_after(tmp_path, run_module):
    dest = tmp_path / "out" / "bootstrap.zip"
    args = {"dest": str(dest), "sources": [HANDLER], "packages": ["pymysql"]}
    planned = run_module(lambda_package, args, check_mode=True, aws=False)
    assert planned["changed"] is True and not dest.exists()
    built = run_module(lambda_package, args, aws=False)
    assert built["changed"] is True and dest.is_file()
    assert built["code_sha256"] == lp.code_sha256(dest.read_bytes())
    mtime = dest.stat().st_mtime_ns
    again = run_module(lambda_package, args, aws=False)
    assert again["changed"] is False and dest.stat().st_mtime_ns == mtime


def test_module_rebuilds_when_the_code_changes(tmp_path, run_module):
    handler = tmp_path / "handler.py"
    handler.write_text("def handler(event, context):\n    return 1\n")
    dest = tmp_path / "h.zip"
    first = run_module(lambda_package, {"dest": str(dest), "sources": [str(handler)]}, aws=False)
    handler.write_text("def handler(event, context):\n    return 2\n")
    second = run_module(lambda_package, {"dest": str(dest), "sources": [str(handler)]}, aws=False)
    assert second["changed"] is True
    assert second["diff"]["before"]["code_sha256"] == first["code_sha256"] != second["code_sha256"]
