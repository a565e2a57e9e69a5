# Copyright (c) 2026 TechBlogPro
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run this collection's modules in a forked child of the worker instead of a new Python process.

Every module of the collection is an AWS API client: most of a task's time is a new interpreter starting,
unpacking the AnsiballZ payload and importing ansible, boto3 and botocore again, not AWS. When the module
runs on the controller itself (``connection: local``, the controller's own Python, no become, no async),
this action forks the worker (which already holds those imports) and runs the module in the child exactly
as the AnsiballZ wrapper would: the same arguments and serialization profile, the module as ``__main__``,
its JSON on stdout, its exit code. Anything else takes ansible-core's standard path.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import sys
import tempfile
from collections.abc import Sequence

from ansible import constants as C
from ansible.module_utils import _internal
from ansible.module_utils.common.json import Direction
from ansible.module_utils.common.json import get_module_encoder
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash
from ansible.vars.clean import remove_internal_keys

try:  # ansible-core 2.19+: the loader the AnsiballZ wrapper itself calls
    from ansible.module_utils._internal._ansiballz import _loader as _ansiballz_loader
except ImportError:  # older ansible-core: the standard path only
    _ansiballz_loader = None

display = Display()

_DISABLE = "WORDPRESS_AWS_INPROCESS"


class ActionModule(ActionBase):
    """ansible-core's ``normal`` action with the in-process path in ``_execute_module``.

    It does not subclass ``ansible.plugins.action.normal``: as the checkout's ``normal`` action
    (action_plugins/normal.py) this module is loaded under that very name.
    """

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        wrap_async = bool(self._task.async_val) and not self._connection.has_native_async
        result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
        if self._task.action in C._ACTION_SETUP:  # pylint: disable=protected-access
            result["_ansible_verbose_override"] = True  # as ansible-core's normal action does
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)  # pylint: disable=protected-access
        return result

    def _inprocess_reason(self, wrap_async: bool) -> str:
        """Why this execution must take the standard path ('' when it can run in a forked child)."""
        if _ansiballz_loader is None:
            return "ansible-core without the 2.19 module loader"
        if os.environ.get(_DISABLE, "1").lower() in ("0", "false", "no", "off"):
            return f"{_DISABLE} is off"
        if wrap_async or self._task.async_val:
            return "async"
        if self._connection.transport != "local":
            return f"connection {self._connection.transport}"
        if self._play_context.become:
            return "become"
        return ""

    def _importable_name(self, module_name: str) -> str:
        """The Python name of the module's file ('' when it is not a module the controller can import)."""
        context = self._shared_loader_obj.module_loader.find_plugin_with_context(
            module_name, collection_list=self._task.collections
        )
        parts = (context.resolved_fqcn or "").split(".") if context.resolved else []
        if len(parts) != 3:
            return ""
        if parts[:2] == ["ansible", "builtin"]:
            name = f"ansible.modules.{parts[2]}"
        elif parts[0] == "ansible":  # ansible.legacy: a file in a library path, not a package
            return ""
        else:
            name = f"ansible_collections.{parts[0]}.{parts[1]}.plugins.modules.{parts[2]}"
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            return ""
        if (
            spec is None
            or not spec.origin
            or os.path.realpath(spec.origin) != os.path.realpath(context.plugin_resolved_path)
        ):
            return ""
        return name

    def _execute_module(
        self,
        module_name=None,
        module_args=None,
        tmp=None,
        task_vars=None,
        persist_files=False,
        delete_remote_tmp=None,
        wrap_async=False,
        ignore_unknown_opts: bool = False,
    ):
        reason = self._inprocess_reason(wrap_async)
        if reason:
            return self._standard_path(reason, module_name, module_args, task_vars, wrap_async, ignore_unknown_opts)
        task_vars = task_vars if task_vars is not None else {}
        module_name = module_name or self._task.action
        module_args = self._task.args if module_args is None else module_args
        self._update_module_args(module_name, module_args, task_vars, ignore_unknown_opts=ignore_unknown_opts)
        module_bits, module_path = self._configure_module(
            module_name=module_name, module_args=module_args, task_vars=task_vars
        )
        interpreter = (module_bits.shebang or "").replace("#!", "").strip().split(" ")[0]
        if module_bits.module_style != "new" or os.path.realpath(interpreter) != os.path.realpath(sys.executable):
            reason = f"interpreter {interpreter}"
            return self._standard_path(reason, module_name, module_args, task_vars, wrap_async, ignore_unknown_opts)
        module_fqn = self._importable_name(module_name)
        if not module_fqn:
            reason = f"{module_name} is not importable"
            return self._standard_path(reason, module_name, module_args, task_vars, wrap_async, ignore_unknown_opts)
        profile = module_bits.serialization_profile
        encoder = get_module_encoder(profile, Direction.CONTROLLER_TO_MODULE)
        json_params = json.dumps({"ANSIBLE_MODULE_ARGS": module_args}, cls=encoder).encode()
        display.vvv(f"running {module_fqn} in a forked child ({module_path})")
        environment = {}
        self._compute_environment_string(raw_environment_out=environment)
        res = _run_forked(json_params, profile, module_fqn, {str(k): str(v) for k, v in environment.items()})
        return self._finish(self._parse_returned_data(res, profile))

    def _standard_path(self, reason, module_name, module_args, task_vars, wrap_async, ignore_unknown_opts):
        """ansible-core's own module execution (a process per task), saying why at -vvv."""
        display.vvv(f"in-process module execution off: {reason}")
        return super()._execute_module(
            module_name=module_name,
            module_args=module_args,
            task_vars=task_vars,
            wrap_async=wrap_async,
            ignore_unknown_opts=ignore_unknown_opts,
        )

    def _finish(self, data: dict) -> dict:
        """What ansible-core's _execute_module does with a module's parsed result (no async here)."""
        if data.pop("_ansible_suppress_tmpdir_delete", False):
            self._cleanup_remote_tmp = False
        results = data.get("results")
        if "results" in data and (not isinstance(results, Sequence) or isinstance(results, str)):
            data["ansible_module_results"] = data.pop("results")
            display.warning("Found internal 'results' key in module return, renamed to 'ansible_module_results'.")
        remove_internal_keys(data)
        for stream in ("stdout", "stderr"):
            if stream in data and f"{stream}_lines" not in data:
                data[f"{stream}_lines"] = (data.get(stream) or "").splitlines()
        if self._discovered_interpreter_key:
            data.setdefault("ansible_facts", {})
            if data["ansible_facts"] is None:
                data["ansible_facts"] = {}
            data["ansible_facts"][self._discovered_interpreter_key] = self._discovered_interpreter
        return data


def _run_forked(json_params: bytes, profile: str, module_fqn: str, environment: dict) -> dict:
    """Run the module as __main__ in a forked child; return rc, stdout and stderr like a subprocess."""
    read_fd, write_fd = os.pipe()
    with tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 1
            try:
                os.close(read_fd)
                os.dup2(write_fd, 1)
                os.dup2(err.fileno(), 2)
                devnull = os.open(os.devnull, os.O_RDONLY)
                os.dup2(devnull, 0)
                sys.stdout = os.fdopen(1, "w", encoding="utf-8", closefd=False)
                sys.stderr = os.fdopen(2, "w", encoding="utf-8", closefd=False)
                sys.argv = [module_fqn]
                os.environ.update(environment)
                # Target-side behaviour: warnings and deprecations go into the result, not to the
                # controller's display; and only the module's own exit handlers run (the worker's
                # inherited ones, such as the controller's temporary directory cleanup, must not).
                _internal.is_controller = False
                atexit._clear()  # pylint: disable=protected-access
                _ansiballz_loader.run_module(
                    json_params=json_params, profile=profile, module_fqn=module_fqn, modlib_path="", extensions={}
                )
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except BaseException as exc:  # noqa: BLE001  pylint: disable=broad-exception-caught
                print(f"in-process module runner: {exc!r}", file=sys.stderr)
            finally:
                try:
                    atexit._run_exitfuncs()  # pylint: disable=protected-access
                    sys.stdout.flush()
                    sys.stderr.flush()
                finally:
                    os._exit(code)
        os.close(write_fd)
        chunks = []
        with os.fdopen(read_fd, "rb") as out:
            while True:
                chunk = out.read(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        status = os.waitpid(pid, 0)[1]
        err.seek(0)
        stderr = err.read().decode("utf-8", errors="replace")
    rc = os.waitstatus_to_exitcode(status)
    return {"rc": rc, "stdout": b"".join(chunks).decode("utf-8", errors="replace"), "stderr": stderr}
