# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CloudFront for WordPress: the distribution config built from role inputs, and how to compare it.

The cache rules live here, in one pure function, so unit tests can assert every behaviour:

- dynamic paths (``wp-admin/*``, ``wp-login.php``, ``wp-json/*``, ``wp-cron.php``, ``xmlrpc.php``): never cached
  (TTL 0), every method, all cookies and query strings, the headers WordPress reads;
- static paths (``wp-content/*``, ``wp-includes/*``): long TTLs, compressed, no cookies (the origin never sees a
  login, so nothing personal can be cached), the query string in the key (``?ver=`` versioned assets);
- everything else (anonymous HTML): a short TTL, the query string in the key, and the cookies that make a page
  personal (``wordpress_logged_in_*``, ``wp-postpass_*``, ``comment_author_*``) in the cache key, so a request
  carrying one never shares an entry with anonymous traffic. The origin also answers those requests with
  ``Cache-Control: private, no-store`` (the application tier's wp-config), so they are not stored at all.

Cache keys use the legacy ``ForwardedValues`` form on purpose: it is the only form whose cookie allow-list takes
wildcards (``wordpress_logged_in_*``; cache policies need exact cookie names, and the suffix is a per-site hash),
and it works the same on AWS and on the local emulator. Security response headers come from a response headers
policy (``response_headers_policy_id``) where the target has them.
"""

from __future__ import annotations

import copy

# CloudFront's additional distribution metrics (a monitoring subscription): CacheHitRate, OriginLatency and the 401,
# 403, 404, 502, 503 and 504 error rates. CloudWatch bills each as a metric-month in us-east-1, whatever the traffic
# (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/viewing-cloudfront-metrics.html, "Estimate the
# cost for the additional CloudFront metrics"; the per-metric price: https://aws.amazon.com/cloudwatch/pricing/).
ADDITIONAL_METRICS = 8

ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
READ_METHODS = ["GET", "HEAD"]
CACHED_METHODS = ["GET", "HEAD"]
PRICE_CLASSES = ("PriceClass_100", "PriceClass_200", "PriceClass_All")
# Cookies that make a WordPress response personal: a logged-in user, a password-protected post, a commenter.
PERSONAL_COOKIES = ["wordpress_logged_in_*", "wp-postpass_*", "comment_author_*"]
DYNAMIC_PATHS = ["wp-admin/*", "wp-login.php", "wp-json/*", "wp-cron.php", "xmlrpc.php"]
STATIC_PATHS = ["wp-content/*", "wp-includes/*"]
# What WordPress reads on its dynamic paths (the legacy allow-list holds at most 10 headers).
DYNAMIC_HEADERS = [
    "Host",
    "Origin",
    "Referer",
    "Authorization",
    "Accept",
    "Accept-Language",
    "User-Agent",
    "X-WP-Nonce",
    "CloudFront-Forwarded-Proto",
]
# Host keeps the site's own URLs right, and every behaviour forwards it: over HTTPS, CloudFront checks the ALB's
# certificate against the forwarded Host (the site's name), not against the ALB's *.elb.amazonaws.com name.
# CloudFront-Forwarded-Proto tells WordPress the viewer used HTTPS.
PAGE_HEADERS = ["Host", "CloudFront-Forwarded-Proto"]
ERROR_CODES = [500, 502, 503, 504]
ORIGIN_ID = "alb"
DEFAULT_CERTIFICATE = {"CloudFrontDefaultCertificate": True, "MinimumProtocolVersion": "TLSv1"}


def items(values: list) -> dict:
    """CloudFront's list shape: ``{"Quantity": n, "Items": [...]}`` (no Items when empty)."""
    values = list(values)
    return {"Quantity": len(values), "Items": values} if values else {"Quantity": 0}


def _forwarded(cookies: str | list, query_string: bool, headers: list) -> dict:
    if isinstance(cookies, list):
        cookie_config = {"Forward": "whitelist", "WhitelistedNames": items(cookies)}
    else:
        cookie_config = {"Forward": cookies}
    return {
        "QueryString": query_string,
        "Cookies": cookie_config,
        "Headers": items(headers),
        "QueryStringCacheKeys": items([]),
    }


def _behaviour(inputs: dict, methods: list, forwarded: dict, ttl: tuple[int, int, int], path: str = "") -> dict:
    behaviour = {
        "TargetOriginId": ORIGIN_ID,
        "ViewerProtocolPolicy": "redirect-to-https",
        "AllowedMethods": {**items(methods), "CachedMethods": items(CACHED_METHODS)},
        "Compress": True,
        "ForwardedValues": forwarded,
        "MinTTL": ttl[0],
        "DefaultTTL": ttl[1],
        "MaxTTL": ttl[2],
        "SmoothStreaming": False,
        "FieldLevelEncryptionId": "",
    }
    if inputs.get("response_headers_policy_id"):
        behaviour["ResponseHeadersPolicyId"] = inputs["response_headers_policy_id"]
    if path:
        behaviour = {"PathPattern": path, **behaviour}
    return behaviour


def distribution_config(inputs: dict) -> dict:
    """The DistributionConfig (without CallerReference) for the role's inputs.

    inputs: origin_domain, origin_protocol (``https-only``/``http-only``), origin_header_name, aliases,
    certificate_arn, price_class, web_acl_arn, html_ttl, html_max_ttl, static_ttl, static_max_ttl,
    error_caching_ttl, comment, response_headers_policy_id, geo_block (country codes).
    """
    html = (0, int(inputs.get("html_ttl", 300)), int(inputs.get("html_max_ttl", 900)))
    static = (0, int(inputs.get("static_ttl", 604800)), int(inputs.get("static_max_ttl", 31536000)))
    behaviours = [
        _behaviour(inputs, ALL_METHODS, _forwarded("all", True, DYNAMIC_HEADERS), (0, 0, 0), path)
        for path in DYNAMIC_PATHS
    ]
    behaviours += [
        _behaviour(inputs, READ_METHODS, _forwarded("none", True, ["Host"]), static, path) for path in STATIC_PATHS
    ]
    aliases = list(inputs.get("aliases") or [])
    certificate = inputs.get("certificate_arn") or ""
    if certificate:
        viewer_certificate = {
            "ACMCertificateArn": certificate,
            "SSLSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        }
    else:
        viewer_certificate = dict(DEFAULT_CERTIFICATE)
    geo = sorted(inputs.get("geo_block") or [])
    restrictions = {
        "GeoRestriction": {"RestrictionType": "blacklist", **items(geo)}
        if geo
        else {"RestrictionType": "none", "Quantity": 0}
    }
    error_ttl = int(inputs.get("error_caching_ttl", 10))
    origin_headers = []
    if inputs.get("origin_header_name"):
        # The value is filled in by the module from Secrets Manager; it never passes through Ansible.
        origin_headers = [{"HeaderName": inputs["origin_header_name"], "HeaderValue": ""}]
    return {
        "Aliases": items(aliases),
        "DefaultRootObject": "",
        "Comment": inputs.get("comment", ""),
        "Enabled": True,
        "Origins": items(
            [
                {
                    "Id": ORIGIN_ID,
                    "DomainName": inputs["origin_domain"],
                    "OriginPath": "",
                    "CustomHeaders": items(origin_headers),
                    "CustomOriginConfig": {
                        "HTTPPort": 80,
                        "HTTPSPort": 443,
                        "OriginProtocolPolicy": inputs.get("origin_protocol", "https-only"),
                        "OriginSslProtocols": items(["TLSv1.2"]),
                        "OriginReadTimeout": 30,
                        "OriginKeepaliveTimeout": 5,
                    },
                    "ConnectionAttempts": 3,
                    "ConnectionTimeout": 10,
                }
            ]
        ),
        "DefaultCacheBehavior": _behaviour(inputs, ALL_METHODS, _forwarded(PERSONAL_COOKIES, True, PAGE_HEADERS), html),
        "CacheBehaviors": items(behaviours),
        "CustomErrorResponses": items([{"ErrorCode": code, "ErrorCachingMinTTL": error_ttl} for code in ERROR_CODES]),
        "PriceClass": inputs.get("price_class", "PriceClass_100"),
        "HttpVersion": "http2and3",
        "IsIPV6Enabled": True,
        "WebACLId": inputs.get("web_acl_arn", ""),
        "ViewerCertificate": viewer_certificate,
        "Restrictions": restrictions,
        "Logging": {"Enabled": False, "IncludeCookies": False, "Bucket": "", "Prefix": ""},
    }


def personal_cookie_violations(config: dict) -> list[str]:
    """Behaviours that could store a personal page where anonymous viewers get it (empty when none).

    A behaviour is safe when it caches nothing (MaxTTL 0), or when the origin never sees the personal cookies
    (Forward none: the response cannot depend on a login), or when every personal cookie is in its cache key.
    """
    found = []
    behaviours = [("default", config["DefaultCacheBehavior"])]
    behaviours += [(b["PathPattern"], b) for b in config.get("CacheBehaviors", {}).get("Items", [])]
    for name, behaviour in behaviours:
        if behaviour.get("CachePolicyId"):
            found.append(f"{name}: a cache policy (its cookie list takes no wildcards)")
            continue
        if int(behaviour.get("MaxTTL", 0)) == 0 and int(behaviour.get("DefaultTTL", 0)) == 0:
            continue
        cookies = behaviour["ForwardedValues"]["Cookies"]
        if cookies["Forward"] == "none":
            continue
        if cookies["Forward"] == "all":
            continue  # every cookie is in the key: each viewer's cookies give their own entry
        keyed = cookies.get("WhitelistedNames", {}).get("Items", [])
        missing = [cookie for cookie in PERSONAL_COOKIES if cookie not in keyed]
        if missing:
            found.append(f"{name}: forwards cookies to the origin but keys the cache without {', '.join(missing)}")
    return found


def with_origin_header(config: dict, header_name: str, value: str) -> dict:
    """A copy of ``config`` whose origin carries ``header_name: value``."""
    config = copy.deepcopy(config)
    for origin in config["Origins"].get("Items", []):
        for header in origin.get("CustomHeaders", {}).get("Items", []):
            if header["HeaderName"].lower() == header_name.lower():
                header["HeaderValue"] = value
    return config


def redacted(config: dict) -> dict:
    """A copy of ``config`` with every origin custom header value hidden (for module output and diffs)."""
    config = copy.deepcopy(config)
    for origin in config.get("Origins", {}).get("Items", []):
        for header in origin.get("CustomHeaders", {}).get("Items", []):
            header["HeaderValue"] = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    return config


def security_headers_config(name: str, hsts_max_age: int = 31536000, hsts_subdomains: bool = False) -> dict:
    """A response headers policy config: HSTS, nosniff, SAMEORIGIN framing, a strict referrer policy.

    Frame options are SAMEORIGIN, not DENY: WordPress's customizer and media modal frame the site itself.
    Every header overrides what the origin sends, so a plugin cannot weaken them.
    """
    return {
        "Name": name,
        "Comment": "wordpress_aws security headers",
        "SecurityHeadersConfig": {
            "StrictTransportSecurity": {
                "Override": True,
                "AccessControlMaxAgeSec": int(hsts_max_age),
                "IncludeSubdomains": bool(hsts_subdomains),
                "Preload": False,
            },
            "ContentTypeOptions": {"Override": True},
            "FrameOptions": {"Override": True, "FrameOption": "SAMEORIGIN"},
            "ReferrerPolicy": {"Override": True, "ReferrerPolicy": "strict-origin-when-cross-origin"},
        },
    }
