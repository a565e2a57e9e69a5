# Copyright (c) 2026 TechBlogPro
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backup_vault action: the module runs in a fork of the worker (inprocess.py)."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.plugin_utils.inprocess import ActionModule  # noqa: F401  pylint: disable=unused-import
