# Copyright (c) 2026 TechBlogPro
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
name: preload
type: aggregate
short_description: Import boto3 and the AWS module utilities once, before Ansible forks its workers
version_added: 1.0.0
description:
  - Ansible forks one worker per task. This collection's modules run in a fork of that worker
    (the C(techblogpro.wordpress_aws.inprocess) action), so whatever the controller has imported before
    forking is already there for every module.
  - This callback imports boto3, botocore and the AWS module utilities when it loads, once per
    C(ansible-playbook) run, and loads the service models of the AWS services the modules call into the
    shared botocore session the modules build their clients from; it prints nothing and sends nothing.
    Without it every module imports them and parses each service model again in its own fork.
  - With in-process execution off (C(WORDPRESS_AWS_INPROCESS=0)) the modules run in new processes that
    inherit nothing, so the callback only imports.
  - Enable it in C(ansible.cfg) with C(callbacks_enabled = techblogpro.wordpress_aws.preload)
    (the collection's own C(ansible.cfg) does).
requirements:
  - boto3 (without it the callback does nothing)
"""

import gc
import importlib
import os

from ansible.plugins.callback import CallbackBase

# What nearly every module of the collection imports; a missing one is left to the module to report.
_PRELOAD = (
    "boto3",
    "botocore.session",
    "botocore.client",
    "botocore.exceptions",
    "ansible.module_utils.basic",
    "ansible_collections.amazon.aws.plugins.module_utils.modules",
    "ansible_collections.amazon.aws.plugins.module_utils.botocore",
    "ansible_collections.amazon.aws.plugins.module_utils.retries",
    "ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common",
)


class CallbackModule(CallbackBase):
    """Imports what the modules import, so the forks inherit it."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "techblogpro.wordpress_aws.preload"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, display=None, options=None):
        super().__init__(display=display, options=options)
        self.preloaded = []
        for name in _PRELOAD:
            try:
                importlib.import_module(name)
            except ImportError as exc:
                self._display.vvv(f"preload: {name} not imported: {exc}")
            else:
                self.preloaded.append(name)
        self.warmed = []
        if os.environ.get("WORDPRESS_AWS_INPROCESS", "1").lower() in ("0", "false", "no", "off"):
            gc.freeze()
            return
        try:
            from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import warm

            self.warmed = warm()
        except Exception as exc:  # noqa: BLE001  pylint: disable=broad-exception-caught
            self._display.vvv(f"preload: service models not loaded: {exc}")
        # A pre-fork server's trick: the collector no longer scans what is loaded, so the workers (forks)
        # do not copy those pages when their collector runs.
        gc.freeze()
