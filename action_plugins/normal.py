# Copyright (c) 2026 TechBlogPro
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checkout's ``normal`` action: every module without an action of its own runs in a fork of the worker.

ansible-core looks up ``ansible.legacy.normal`` in the configured action plugin paths before its own, so
this file (``action_plugins`` in ``ansible.cfg``) gives the amazon.aws and community.aws modules the
collection calls the same in-process execution as the collection's own modules. Whatever cannot run that
way (a remote connection, become, async, another interpreter, a module that is not an importable file)
takes ansible-core's standard path; ``WORDPRESS_AWS_INPROCESS=0`` turns it off.
"""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.plugin_utils.inprocess import ActionModule  # noqa: F401  pylint: disable=unused-import
