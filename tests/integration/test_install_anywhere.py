"""The collection outside its checkout, as AWX runs it: built into a tarball, installed from it into a project's
collections/ directory, and run through ansible-runner from a private data directory laid out as AWX lays a job
(project/, inventory/, env/). site.yml --check on the local target: it plans the whole stack and writes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import ansible_runner
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
INSTALLED = Path("collections/ansible_collections/techblogpro/wordpress_aws")


@pytest.fixture(scope="module")
def tarball(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    subprocess.run(
        [str(BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("techblogpro-wordpress_aws-*.tar.gz")
    return built


def test_the_tarball_keeps_caches_and_local_state_out(tarball):
    listing = subprocess.run(["tar", "tzf", str(tarball)], check=True, capture_output=True, text=True).stdout.split()
    assert "LICENSE" in listing and "meta/runtime.yml" in listing and "playbooks/site.yml" in listing
    for name in listing:
        top = name.split("/", 1)[0]
        assert top not in {".venv", ".collections", ".cache", ".emulator", ".pytest_cache", ".ruff_cache"}, name
        assert "__pycache__" not in name, name


def test_site_check_through_ansible_runner_from_the_installed_tarball(
    tarball, tmp_path, emulator, recorded_calls, monkeypatch
):
    # Nothing of the checkout: `make` exports ANSIBLE_CONFIG (the checkout's ansible.cfg, whose collections path holds
    # the checkout itself), which would make ansible-galaxy skip the install and the run use the checkout.
    for name in [n for n in os.environ if n.startswith("ANSIBLE_")]:
        monkeypatch.delenv(name)
    data = tmp_path / "job"
    project = data / "project"
    subprocess.run(
        [
            str(BIN / "ansible-galaxy"),
            "collection",
            "install",
            "--offline",
            "--no-deps",
            "--force",
            "-p",
            str(project / "collections"),
            str(tarball),
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=300,
    )
    installed = project / INSTALLED
    # The project AWX syncs: a playbook that runs the collection's own, by its name.
    (project / "site.yml").write_text("---\n- ansible.builtin.import_playbook: techblogpro.wordpress_aws.site\n")
    shutil.copytree(installed / "inventories" / "local", data / "inventory")
    (data / "env").mkdir()
    (data / "env" / "envvars").write_text(
        "---\n"
        f"WORDPRESS_AWS_EMULATOR_PORT: '{emulator}'\n"
        f"ANSIBLE_COLLECTIONS_PATH: '{project / 'collections'}'\n"
        f"PATH: '{BIN}:/usr/bin:/bin'\n"
        "ANSIBLE_NOCOLOR: '1'\n"
    )
    result = ansible_runner.run(
        private_data_dir=str(data), playbook="site.yml", cmdline="--check", quiet=True, timeout=900
    )
    output = result.stdout.read()
    assert (result.status, result.rc) == ("successful", 0), output[-4000:]
    _calls, writes = recorded_calls()
    assert writes == [], f"site.yml --check wrote: {writes}"
    # The roles ran from the installed copy, not from the checkout.
    paths = {e["event_data"].get("task_path", "") for e in result.events if e.get("event") == "runner_on_ok"}
    roles = {p for p in paths if "/roles/" in p}
    assert roles and all(p.startswith(str(installed)) for p in roles), sorted(roles)[:5]
    assert "PLAY RECAP" in output and "failed=0" in output
