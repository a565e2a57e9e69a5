# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The certificates tier: its input rules and what it derives from them.

The tier requests the site's two certificates (CloudFront's in us-east-1, the ALB's in the stack region) and
writes their DNS validation records, when the shared inputs ``wordpress_aws_domain_name`` and
``wordpress_aws_hosted_zone_id`` are both given. Without a domain there is nothing to certify: CloudFront
answers on its ``*.cloudfront.net`` name with its own certificate and the ALB listens on HTTP.
"""

from __future__ import annotations

import re

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import names as stack_names

TIER = "certificates"
LABEL = "the certificates tier (certificates)"

# Lower-case labels of letters, digits and hyphens, at least one dot (the same rule the edge tier used).
DOMAIN_RE = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
HOSTED_ZONE_RE = re.compile(r"^[A-Z0-9]{2,32}$")
# ACM waits at most 72 hours for DNS validation before the request times out.
TIMEOUT_MAX = 72 * 3600

# Inputs the tier took over from the edge and application tiers (0.7.0): the old name -> the new one.
RENAMED = {
    "cloudfront_waf_domain": "wordpress_aws_domain_name",
    "cloudfront_waf_hosted_zone_id": "wordpress_aws_hosted_zone_id",
    "cloudfront_waf_certificate_timeout": "certificates_wait_timeout",
    "ecs_wordpress_origin_verify_header": "wordpress_aws_origin_verify_header",
}


def renamed_errors(set_names) -> list[str]:
    """One error per input still set under a name it no longer has."""
    return [
        f"{old} is no longer read: set {RENAMED[old]} instead (renamed in 0.7.0, see the changelog)"
        for old in sorted(set(set_names or []) & set(RENAMED))
    ]


def errors(inputs: dict) -> list[str]:
    """Errors in the tier's inputs, each naming its variable.

    inputs: domain_name, hosted_zone_id, wait_timeout, and ``renamed`` (the old input names still set).
    """
    out = renamed_errors(inputs.get("renamed"))
    domain = str(inputs.get("domain_name") or "")
    zone = str(inputs.get("hosted_zone_id") or "")
    if domain and not DOMAIN_RE.match(domain):
        out.append(
            f"wordpress_aws_domain_name {domain!r} is not a DNS name (lower case labels of letters, digits and "
            "hyphens, e.g. www.example.com)"
        )
    if zone and not HOSTED_ZONE_RE.match(zone):
        out.append(
            f"wordpress_aws_hosted_zone_id {zone!r} is not a Route 53 zone id (Z followed by letters and digits)"
        )
    if zone and not domain:
        out.append("wordpress_aws_hosted_zone_id needs wordpress_aws_domain_name (the name the certificates are for)")
    timeout = inputs.get("wait_timeout")
    try:
        seconds = int(str(timeout))
    except (TypeError, ValueError):
        out.append(f"certificates_wait_timeout {timeout!r} must be a whole number of seconds")
    else:
        if not 60 <= seconds <= TIMEOUT_MAX:
            out.append(f"certificates_wait_timeout {seconds} must be between 60 and {TIMEOUT_MAX} seconds")
    return out


def _certificates(inputs: dict) -> list[dict]:
    n = stack_names.names(str(inputs.get("stack_name") or ""))
    return [
        {"name": n["edge_certificate"], "region": n["global_region"], "serves": "CloudFront"},
        {"name": n["alb_certificate"], "region": str(inputs.get("region") or ""), "serves": "the load balancer"},
    ]


def partial(inputs: dict) -> dict:
    """What is safe to say with wrong inputs: the certificates' names (the teardown finds them by those)."""
    return {"requested": False, "certificates": _certificates(inputs)}


def derive(inputs: dict) -> dict:
    """What the tier builds for these inputs: whether it requests anything, and which certificates where.

    inputs: stack_name, region, domain_name, hosted_zone_id.
    """
    domain = str(inputs.get("domain_name") or "")
    zone = str(inputs.get("hosted_zone_id") or "")
    certificates = _certificates(inputs)
    requested = bool(domain and zone)
    if requested:
        reason = f"both certificates for {domain}, DNS-validated in zone {zone}"
    elif domain:
        reason = (
            f"nothing requested: wordpress_aws_domain_name {domain} is set without wordpress_aws_hosted_zone_id "
            "(bring cloudfront_waf_certificate_arn and ecs_wordpress_certificate_arn, and the DNS records, yourself)"
        )
    else:
        reason = (
            "nothing requested: no wordpress_aws_domain_name, so CloudFront answers on its *.cloudfront.net name "
            "with its own certificate and the load balancer listens on HTTP"
        )
    return {
        "requested": requested,
        "domain_name": domain,
        "hosted_zone_id": zone,
        "certificates": certificates,
        "summary": reason,
        # ACM's public certificates and their DNS validation records cost nothing.
        "monthly_usd": 0,
    }
