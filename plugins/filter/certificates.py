# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters for the certificates tier: its input checks and its plan (plugins/module_utils/tiers/certificates.py)."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import certificates


def _certificates_input_errors(inputs):
    return certificates.errors(dict(inputs))


def _certificates_plan(inputs):
    return certificates.derive(dict(inputs))


class FilterModule:
    def filters(self):
        return {
            "certificates_input_errors": _certificates_input_errors,
            "certificates_plan": _certificates_plan,
        }
