# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filter ``stack_names``: every derived name of a stack (documented in stack_names.yml)."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import names


def stack_names(stack):
    if not isinstance(stack, str) or not stack:
        raise AnsibleFilterError(f"stack_names: the stack name must be a non-empty string, got {stack!r}")
    return names.names(stack)


class FilterModule:
    def filters(self):
        return {"stack_names": stack_names}
