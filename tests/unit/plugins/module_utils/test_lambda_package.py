"""Unit tests of plugins/module_utils/lambda_package.py (split out of tests/unit/test_lambda_package.py)."""

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import lambda_package as lp

ROOT = Path(__file__).resolve().parents[4]


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


def test_data_files_go_in_under_their_archive_name_and_keep_the_package_reproducible(tmp_path):
    bundle = tmp_path / "eu-west-3-bundle.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    first = lp.build([HANDLER], ["pymysql"], {"rds-ca-bundle.pem": str(bundle)})
    assert first == lp.build([HANDLER], ["pymysql"], {"rds-ca-bundle.pem": str(bundle)})
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert archive.read("rds-ca-bundle.pem") == bundle.read_bytes()
    assert "eu-west-3-bundle.pem" not in archive.namelist()
    assert archive.namelist() == sorted(archive.namelist())
    # a new bundle (AWS rotated a CA) is a new package
    bundle.write_text(bundle.read_text() + "\n")
    assert lp.build([HANDLER], ["pymysql"], {"rds-ca-bundle.pem": str(bundle)}) != first


def test_bad_data_files_fail_clearly(tmp_path):
    with pytest.raises(lp.PackageError, match="does not exist"):
        lp.build([HANDLER], [], {"rds-ca-bundle.pem": str(tmp_path / "none.pem")})
    (tmp_path / "x").write_text("x")
    with pytest.raises(lp.PackageError, match="must be a relative path"):
        lp.build([HANDLER], [], {"../x": str(tmp_path / "x")})
    with pytest.raises(lp.PackageError, match="which another file already is"):
        lp.build([HANDLER], [], {"db_bootstrap.py": str(tmp_path / "x")})
