"""The in-process module runner (plugins/plugin_utils/inprocess.py) gives the results the standard path gives.

The same tasks run twice, with WORDPRESS_AWS_INPROCESS on and off: a module of the collection (its own
action), an amazon.aws module and ansible.builtin modules (the checkout's ``normal`` action), a module that
fails, one that raises, check mode and the task environment. The results must be identical, and -vvv must
show which path each module took.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

PLAY = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/techblogpro.wordpress_aws.aws: {connection}
    group/aws: {connection}
  tasks:
    - name: A module of the collection
      techblogpro.wordpress_aws.managed_prefix_list_info:
        names: [com.amazonaws.global.cloudfront.origin-facing]
      register: ours
    - name: An amazon.aws module
      amazon.aws.aws_caller_info:
      register: upstream
    - name: A builtin module with output and the task environment
      ansible.builtin.command: sh -c 'echo "$PROBE"; echo warn >&2'
      environment:
        PROBE: from-the-task
      changed_when: false
      register: command
    - name: A module without an action of its own, with the task environment
      ansible.builtin.setup:
        gather_subset: ["!all", "!min", "env"]
      environment:
        PROBE: from-the-task
      register: env_probe
    - name: A module that fails
      ansible.builtin.stat:
        path: /nonexistent
        checksum_algorithm: nope
      ignore_errors: true
      register: failing
    - name: A module that raises
      ansible.builtin.ping:
        data: crash
      ignore_errors: true
      register: raising
    - name: A module in check mode
      ansible.builtin.file:
        path: "{tmp}/made"
        state: directory
      check_mode: true
      register: checked
    - name: Write what came back
      ansible.builtin.copy:
        content: "{{{{ {{'ours': ours, 'upstream': upstream, 'command': command, 'failing': failing,
          'raising': raising, 'checked': checked, 'env_probe': env_probe}} | to_json }}}}"
        dest: "{tmp}/result-{{{{ lookup('env', 'WORDPRESS_AWS_INPROCESS') }}}}.json"
        mode: "0600"
"""


def run(tmp_path, connection: dict, inprocess: str) -> tuple[dict, str]:
    play = tmp_path / "play.yml"
    play.write_text(PLAY.format(connection=json.dumps(connection), tmp=tmp_path))
    env = {
        **os.environ,
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "WORDPRESS_AWS_INPROCESS": inprocess,
        "ANSIBLE_NOCOLOR": "1",
    }
    proc = subprocess.run(
        [str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", "-vvv", str(play)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    return json.loads((tmp_path / f"result-{inprocess}.json").read_text()), proc.stdout


def comparable(result: dict) -> dict:
    """A task result without what differs between any two runs (times, temporary paths)."""
    drop = {"start", "end", "delta", "invocation", "_ansible_no_log"}
    return {key: value for key, value in result.items() if key not in drop}


@pytest.fixture(scope="module")
def both(tmp_path_factory, emulator):
    connection = {
        "region": "eu-west-3",
        "endpoint_url": f"http://127.0.0.1:{emulator}",
        "access_key": "testing",
        "secret_key": "testing",
    }
    tmp = tmp_path_factory.mktemp("inprocess")
    forked, forked_log = run(tmp, connection, "1")
    standard, standard_log = run(tmp, connection, "0")
    return {"forked": forked, "forked_log": forked_log, "standard": standard, "standard_log": standard_log}


def test_each_module_took_the_path_it_was_told(both):
    forked_log, standard_log = both["forked_log"], both["standard_log"]
    for name in (
        "ansible_collections.techblogpro.wordpress_aws.plugins.modules.managed_prefix_list_info",
        "ansible_collections.amazon.aws.plugins.modules.aws_caller_info",
        "ansible.modules.stat",
        "ansible.modules.setup",
    ):
        assert f"running {name} in a forked child" in forked_log
        assert f"running {name} in a forked child" not in standard_log
    assert "in-process module execution off: WORDPRESS_AWS_INPROCESS is off" in standard_log


@pytest.mark.parametrize("task", ["ours", "upstream", "command", "failing", "raising", "checked"])
def test_results_are_the_standard_paths(both, task):
    forked, standard = both["forked"], both["standard"]
    if task == "raising":  # a traceback: the message names the exception either way, the wrapping differs
        for result in (forked[task], standard[task]):
            assert result["failed"] is True
            assert "boom" in (result.get("module_stderr", "") + result.get("msg", ""))
        return
    assert comparable(forked[task]) == comparable(standard[task])


def test_outcomes_are_real(both):
    forked = both["forked"]
    assert forked["ours"]["prefix_lists"][0]["prefix_list_name"] == "com.amazonaws.global.cloudfront.origin-facing"
    assert forked["upstream"]["account"]
    assert forked["command"]["stdout_lines"] == ["from-the-task"]
    assert forked["command"]["stderr_lines"] == ["warn"]
    assert forked["failing"]["failed"] is True and "nope" in forked["failing"]["msg"]
    assert forked["checked"]["changed"] is True
    assert forked["env_probe"]["ansible_facts"]["ansible_env"]["PROBE"] == "from-the-task"
