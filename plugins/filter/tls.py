# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filter ``ca_bundle_check``: refuse a PEM CA bundle that cannot serve as a trust store (ca_bundle_check.yml)."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ca_bundle


def ca_bundle_check(text, source="the CA bundle"):
    if not isinstance(text, (str, bytes)):
        raise AnsibleFilterError(f"ca_bundle_check: {source} must be PEM text, got {type(text).__name__}")
    try:
        return ca_bundle.check(text)
    except ca_bundle.CABundleError as err:
        raise AnsibleFilterError(f"ca_bundle_check: {source}: {err}") from None


class FilterModule:
    def filters(self):
        return {"ca_bundle_check": ca_bundle_check}
