# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ECS service whose Application Auto Scaling target a module manages (ecs_autoscaling, ecs_scheduled_scaling)."""

from __future__ import annotations


class ModuleDocFragment:
    # Its argument spec: module_utils/app_autoscaling.py SERVICE_OPTIONS.
    DOCUMENTATION = r"""
options:
  cluster:
    description: The cluster name.
    type: str
    required: true
  service:
    description: The service name; its scalable target is C(service/<cluster>/<service>).
    type: str
    required: true
"""
