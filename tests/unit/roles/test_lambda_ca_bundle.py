"""The Lambdas' RDS CA bundle as the rds role declares it (issue 21 finding 12): on staging and production the
bootstrap and rotation packages carry the checked bundle and DB_CA_BUNDLE names it, so both verify the server; the
local target (rds_ca_bundle in wordpress_aws_target_lacks) packages none and says so. The role's own expressions are
rendered with Ansible's templating, for each inventory's inputs."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest
import yaml
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from ansible.template import trust_as_template

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import lambda_package as lp
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.names import names

from ..lambdas.tls_server import CA
from .conftest import ROOT

ROLE = ROOT / "roles" / "rds"
PACKAGE = "techblogpro.wordpress_aws.lambda_package"
FUNCTION = "techblogpro.wordpress_aws.lambda_function"


def _trust(value):
    if isinstance(value, str):
        return trust_as_template(value)
    if isinstance(value, dict):
        return {key: _trust(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_trust(item) for item in value]
    return value


def _yaml(path):
    return yaml.safe_load(path.read_text())


def _templar(inventory: str, tmp_path, **overrides) -> Templar:
    group_vars = ROOT / "inventories" / inventory / "group_vars" / "all" / "aws.yml"
    inputs = _yaml(group_vars)
    variables = {
        **_yaml(ROLE / "defaults" / "main.yml"),
        **_yaml(ROLE / "vars" / "main.yml"),
        "wordpress_aws_region": inputs["wordpress_aws_region"],
        "wordpress_aws_target_lacks": inputs.get("wordpress_aws_target_lacks", []),
        "wordpress_aws_names": names("blog"),
        "role_path": str(ROLE),
        # the default's TMPDIR lookup, as the controller would resolve it here
        "rds_lambda_build_dir": str(tmp_path / "wordpress_aws-blog"),
        **overrides,
    }
    return Templar(loader=DataLoader(), variables=_trust(variables))


def _render(templar, value):
    return templar.template(_trust(value))


def _task(tasks_file: str, module: str) -> dict:
    found = [task[module] for task in _yaml(ROLE / "tasks" / tasks_file) if module in task]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("inventory", ["staging", "production"])
def test_real_targets_package_the_bundle_and_point_db_ca_bundle_at_it(inventory, tmp_path):
    templar = _templar(inventory, tmp_path)
    assert _render(templar, "{{ __rds_ca_bundle_wanted | bool }}") is True
    bundle_file = tmp_path / "wordpress_aws-blog" / "rds-ca-bundle.pem"
    bundle_file.parent.mkdir()
    rds_ca = CA("Amazon RDS eu-west-3 Root CA RSA2048 G1")
    bundle_file.write_text(rds_ca.bundle(tmp_path).read_text())
    for tasks_file, handler in (("bootstrap.yml", "db_bootstrap"), ("rotation.yml", "rotate_app_secret")):
        package = _render(templar, _task(tasks_file, PACKAGE))
        assert package["files"] == {"rds-ca-bundle.pem": str(bundle_file)}
        declared = _task(tasks_file, FUNCTION)["environment_variables"]
        environment = {name: _render(templar, declared[name]) for name in ("DB_TLS", "DB_CA_BUNDLE")}
        assert environment["DB_TLS"] == "true"
        assert environment["DB_CA_BUNDLE"] == "rds-ca-bundle.pem"
        # the package as the role builds it holds the bundle, and its code loads it from there
        data = lp.build(package["sources"], package["packages"], package["files"])
        extracted = tmp_path / handler
        zipfile.ZipFile(io.BytesIO(data)).extractall(extracted)
        assert (extracted / "rds-ca-bundle.pem").read_bytes() == bundle_file.read_bytes()
        probe = (
            "import os, ssl, sys; import db_bootstrap as d; "
            "c = d.tls_context(d.Server('h', 3306, 'u', 'p', True, os.environ['DB_CA_BUNDLE'])); "
            "print(c.verify_mode == ssl.CERT_REQUIRED, c.check_hostname, d.ca_bundle_path(os.environ['DB_CA_BUNDLE']))"
        )
        out = subprocess.run(
            [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(extracted)!r}); {probe}"],
            capture_output=True,
            text=True,
            check=True,
            cwd="/",
            env={"DB_CA_BUNDLE": environment["DB_CA_BUNDLE"]},
        ).stdout.split()
        assert out == ["True", "True", str(extracted / "rds-ca-bundle.pem")]


def test_the_bundle_is_fetched_from_the_regions_truststore_at_every_packaging_with_certificate_checks():
    tasks = _yaml(ROLE / "tasks" / "ca_bundle.yml")
    fetch = next(task for task in tasks if "block" in task)
    download = next(t["ansible.builtin.get_url"] for t in fetch["block"] if "ansible.builtin.get_url" in t)
    assert download["force"] is True and download["validate_certs"] is True
    assert download["dest"] == "{{ __rds_ca_bundle_file }}"
    assert fetch["check_mode"] is False  # the package is built in check mode too
    assert "ansible.builtin.fail" in fetch["rescue"][0]
    checks = [t for t in tasks if "ansible.builtin.set_fact" in t]
    assert "techblogpro.wordpress_aws.ca_bundle_check" in checks[0]["ansible.builtin.set_fact"]["__rds_ca_bundle"]
    defaults = _yaml(ROLE / "defaults" / "main.yml")
    assert defaults["rds_ca_bundle_url"] == (
        "https://truststore.pki.rds.amazonaws.com/{{ wordpress_aws_region }}/{{ wordpress_aws_region }}-bundle.pem"
    )
    imports = [task["ansible.builtin.import_tasks"] for task in _yaml(ROLE / "tasks" / "main.yml")]
    assert imports.index("ca_bundle.yml") < imports.index("bootstrap.yml") < imports.index("rotation.yml")


def test_the_local_target_packages_no_bundle_and_reports_it_not_emulated(tmp_path):
    templar = _templar("local", tmp_path)
    assert "rds_ca_bundle" in _render(templar, "{{ wordpress_aws_target_lacks }}")
    assert _render(templar, "{{ __rds_ca_bundle_wanted | bool }}") is False
    for tasks_file in ("bootstrap.yml", "rotation.yml"):
        assert _render(templar, _task(tasks_file, PACKAGE))["files"] == {}
        assert _render(templar, _task(tasks_file, FUNCTION)["environment_variables"]["DB_CA_BUNDLE"]) == ""
    reports = [t for t in _yaml(ROLE / "tasks" / "ca_bundle.yml") if "not emulated locally" in str(t)]
    assert reports and "'rds_ca_bundle' in wordpress_aws_target_lacks" in reports[0]["when"]
    lacks = _yaml(ROOT / "roles" / "stack_report" / "vars" / "main.yml")["__stack_report_lacks"]
    assert "rds_ca_bundle" in lacks


def test_an_operators_file_replaces_the_download_and_the_opt_out_is_explicit(tmp_path):
    offline = _templar("staging", tmp_path, rds_ca_bundle_path="/srv/rds/eu-west-3-bundle.pem")
    assert _render(offline, "{{ __rds_ca_bundle_files }}") == {"rds-ca-bundle.pem": "/srv/rds/eu-west-3-bundle.pem"}
    opted_out = _templar("staging", tmp_path, rds_lambda_tls_verify=False)
    assert _render(opted_out, "{{ __rds_ca_bundle_files }}") == {}
    assert _render(opted_out, "{{ __rds_ca_bundle_env }}") == ""
    tasks = _yaml(ROLE / "tasks" / "ca_bundle.yml")
    source_check = tasks[0]["ansible.builtin.assert"]
    assert tasks[0]["when"] == "__rds_ca_bundle_wanted | bool"
    assert "rds_lambda_tls_verify false" in source_check["fail_msg"]
    assert "weakens security" in source_check["fail_msg"]
