# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters for the edge tier: CloudFront input checks, the distribution config and the WAF rules."""

from __future__ import annotations

import ipaddress

from ansible.errors import AnsibleFilterError

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudfront
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import waf
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import cloudfront_waf


def _cloudfront_waf_input_errors(inputs):
    inputs = dict(inputs)
    return cloudfront_waf.input_errors(inputs) + waf.input_errors(inputs)


def _cloudfront_distribution_config(inputs):
    config = cloudfront.distribution_config(dict(inputs))
    unsafe = cloudfront.personal_cookie_violations(config)
    if unsafe:
        raise AnsibleFilterError("cloudfront_distribution_config: " + "; ".join(unsafe))
    return config


def _ip_networks(cidrs, version):
    """The entries of ``cidrs`` of one IP version (4 or 6), normalised (WAF IP sets hold one version each)."""
    out = []
    for cidr in cidrs or []:
        try:
            network = ipaddress.ip_network(str(cidr), strict=True)
        except ValueError as err:
            raise AnsibleFilterError(f"ip_networks: {cidr!r} is not a network in CIDR notation") from err
        if network.version == int(version):
            out.append(str(network))
    return sorted(out)


def _waf_web_acl_rules(inputs):
    return waf.web_acl_rules(dict(inputs))


def _waf_rule_count(allow_xmlrpc=False, admin_cidrs=(), geo_block=()):
    """How many rules the edge tier's web ACL has for these inputs (the cost tier prices each)."""
    return cloudfront_waf.waf_rule_count(allow_xmlrpc, admin_cidrs, geo_block)


class FilterModule:
    def filters(self):
        return {
            "cloudfront_waf_input_errors": _cloudfront_waf_input_errors,
            "cloudfront_distribution_config": _cloudfront_distribution_config,
            "waf_web_acl_rules": _waf_web_acl_rules,
            "waf_rule_count": _waf_rule_count,
            "ip_networks": _ip_networks,
        }
