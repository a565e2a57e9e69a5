"""Unit tests of the lambda_package module (split out of tests/unit/test_lambda_package.py)."""

from pathlib import Path

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import lambda_package as lp
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import lambda_package

ROOT = Path(__file__).resolve().parents[4]


HANDLER = str(ROOT / "roles" / "rds" / "files" / "db_bootstrap.py")


def test_module_writes_once_and_reports_no_change_after(tmp_path, run_module):
    dest = tmp_path / "out" / "bootstrap.zip"
    args = {"dest": str(dest), "sources": [HANDLER], "packages": ["pymysql"]}
    planned = run_module(lambda_package, args, check_mode=True, aws=False)
    assert planned["changed"] is True and not dest.exists()
    assert planned["changes"] == ["created"]
    built = run_module(lambda_package, args, aws=False)
    assert built["changed"] is True and dest.is_file()
    assert built["code_sha256"] == lp.code_sha256(dest.read_bytes())
    mtime = dest.stat().st_mtime_ns
    again = run_module(lambda_package, args, aws=False)
    assert again["changed"] is False and dest.stat().st_mtime_ns == mtime
    assert again["changes"] == []


def test_module_rebuilds_when_the_code_changes(tmp_path, run_module):
    handler = tmp_path / "handler.py"
    handler.write_text("def handler(event, context):\n    return 1\n")
    dest = tmp_path / "h.zip"
    first = run_module(lambda_package, {"dest": str(dest), "sources": [str(handler)]}, aws=False)
    handler.write_text("def handler(event, context):\n    return 2\n")
    second = run_module(lambda_package, {"dest": str(dest), "sources": [str(handler)]}, aws=False)
    assert second["changed"] is True and second["changes"] == ["code_sha256"]
    assert second["diff"]["before"]["code_sha256"] == first["code_sha256"] != second["code_sha256"]


def test_module_packages_data_files_and_rebuilds_when_one_changes(tmp_path, run_module):
    bundle = tmp_path / "eu-west-3-bundle.pem"
    bundle.write_text("first bundle\n")
    dest = tmp_path / "b.zip"
    args = {"dest": str(dest), "sources": [HANDLER], "files": {"rds-ca-bundle.pem": str(bundle)}}
    built = run_module(lambda_package, args, aws=False)
    assert built["files"] == 2
    assert run_module(lambda_package, args, aws=False)["changed"] is False
    bundle.write_text("rotated bundle\n")
    again = run_module(lambda_package, args, aws=False)
    assert again["changed"] is True and again["changes"] == ["code_sha256"]
