# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The edge tier (role ``cloudfront_waf``): its per-environment profile, input rules (CloudFront TTLs, price class,
domain and certificate, admin networks, WAF limits) and derived values (the web ACL's rule count, its keys)."""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import waf
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.cloudfront import PRICE_CLASSES

TIER = "cloudfront_waf"
LABEL = "the edge tier (cloudfront_waf)"
PROFILES = {
    "local": {"price_class": "PriceClass_100", "log_retention_days": 14, "kms_deletion_window_days": 7},
    "dev": {"price_class": "PriceClass_100", "log_retention_days": 14, "kms_deletion_window_days": 7},
    "staging": {"price_class": "PriceClass_100", "log_retention_days": 14, "kms_deletion_window_days": 7},
    "production": {"price_class": "PriceClass_All", "log_retention_days": 90, "kms_deletion_window_days": 30},
}
# CloudFront's additional metrics (OriginLatency, CacheHitRate, error rates by code; a paid monitoring subscription,
# cloudfront.ADDITIONAL_METRICS metrics): on in production only, where the origin-latency alarm earns its price.
ADDITIONAL_METRICS = {"local": False, "dev": False, "staging": False, "production": True}
for _environment, _profile in PROFILES.items():
    _profile["additional_metrics"] = ADDITIONAL_METRICS[_environment]

DOMAIN_RE = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
HOSTED_ZONE_RE = re.compile(r"^[A-Z0-9]{2,32}$")


def input_errors(inputs: dict, var_prefix: str = "cloudfront_waf_") -> list[str]:
    """Errors in the edge tier's CloudFront inputs, each naming its variable."""
    errors = []
    price_class = inputs.get("price_class")
    if price_class not in PRICE_CLASSES:
        errors.append(f"{var_prefix}price_class {price_class!r} must be one of {', '.join(PRICE_CLASSES)}")
    domain = str(inputs.get("domain") or "")
    if domain and not DOMAIN_RE.match(domain):
        errors.append(
            f"{var_prefix}domain {domain!r} is not a DNS name (lower case labels of letters, digits and hyphens, "
            "e.g. www.example.com)"
        )
    zone = str(inputs.get("hosted_zone_id") or "")
    if zone and not HOSTED_ZONE_RE.match(zone):
        errors.append(
            f"{var_prefix}hosted_zone_id {zone!r} is not a Route 53 zone id (Z followed by letters and digits)"
        )
    if zone and not domain:
        errors.append(f"{var_prefix}hosted_zone_id needs {var_prefix}domain")
    ints = {}
    for name in ("html_ttl", "html_max_ttl", "static_ttl", "static_max_ttl", "error_caching_ttl"):
        try:
            ints[name] = int(str(inputs.get(name)))
        except (TypeError, ValueError):
            errors.append(f"{var_prefix}{name} {inputs.get(name)!r} must be a whole number of seconds")
            continue
        if not 0 <= ints[name] <= 31536000:
            errors.append(f"{var_prefix}{name} {ints[name]} must be between 0 and 31536000 seconds")
    for low, high in (("html_ttl", "html_max_ttl"), ("static_ttl", "static_max_ttl")):
        if low in ints and high in ints and ints[low] > ints[high]:
            errors.append(f"{var_prefix}{low} ({ints[low]} s) must not exceed {var_prefix}{high} ({ints[high]} s)")
    for cidr in inputs.get("admin_cidrs") or []:
        try:
            network = ipaddress.ip_network(str(cidr), strict=True)
        except ValueError:
            errors.append(
                f"{var_prefix}admin_cidrs entry {cidr!r} is not a network in CIDR notation with no host bits set "
                "(e.g. 203.0.113.0/24 or 2001:db8::/56)"
            )
            continue
        if network.prefixlen == 0:
            errors.append(f"{var_prefix}admin_cidrs entry {cidr} admits the whole internet; list the admins' networks")
    return errors


def certificate_errors(inputs: dict) -> list[str]:
    """The site's domain needs a certificate for CloudFront, and a certificate brought is in us-east-1.

    The domain and its zone are the shared inputs (``site_domain``: wordpress_aws_domain_name, ``site_hosted_zone_id``:
    wordpress_aws_hosted_zone_id); with both, the certificates tier requests the certificate. Their own format rules
    are the certificates tier's (plugins/module_utils/tiers/certificates.py).
    """
    out = []
    site = str(inputs.get("site_domain") or "")
    certificate = str(inputs.get("certificate_arn") or "")
    if site and not certificate and not inputs.get("site_hosted_zone_id"):
        out.append(
            f"wordpress_aws_domain_name {site} needs wordpress_aws_hosted_zone_id (the certificates tier then requests "
            "and validates the certificates) or cloudfront_waf_certificate_arn (an ACM certificate in us-east-1 for "
            "that name): CloudFront serves an alias only with a certificate"
        )
    if certificate and ":acm:us-east-1:" not in certificate:
        out.append(
            f"cloudfront_waf_certificate_arn {certificate} must be an ACM certificate in us-east-1 (CloudFront reads "
            "certificates only there)"
        )
    return out


def errors(inputs: dict) -> list[str]:
    """Every error in the edge tier's inputs, each naming its variable."""
    return input_errors(inputs) + waf.input_errors(inputs) + certificate_errors(inputs)


def waf_rule_count(allow_xmlrpc=False, admin_cidrs=(), geo_block=()) -> int:
    """How many rules the edge tier's web ACL has for these inputs (the cost tier prices each)."""
    inputs = {
        "metric_prefix": "count",
        "rate_limit": waf.RATE_LIMIT_MIN,
        "login_rate_limit": waf.RATE_LIMIT_MIN,
        "allow_xmlrpc": bool(allow_xmlrpc),
        # one IP set per address family in use; the rule is one rule however many sets it references
        "admin_ip_set_arns": ["admins"] if admin_cidrs else [],
        "geo_block": list(geo_block or []),
    }
    return len(waf.web_acl_rules(inputs))


def derive(inputs: dict) -> dict:
    return {
        "price_class": inputs.get("price_class"),
        "waf_rules": waf_rule_count(
            bool(inputs.get("allow_xmlrpc")), inputs.get("admin_cidrs") or [], inputs.get("geo_block") or []
        ),
        # the edge ACL; the regional one on the ALB when asked (the estimate prices the edge ACL only)
        "web_acls": 2 if inputs.get("regional_acl") else 1,
        # the edge tier's key in us-east-1
        "kms_keys": 1,
        # the distribution's monitoring subscription (monitoring builds the origin-latency alarm only with it)
        "additional_metrics": bool(inputs.get("additional_metrics")),
    }
