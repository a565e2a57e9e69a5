# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""WAF for WordPress: the web ACL's rules built from role inputs, and the WAFv2 calls of wafv2_web_acl.

Rule order (priority) is the evaluation order: cheap, decisive rules first.

 0  admin allow-list   block ``/wp-admin/`` unless the source is in the admin IP set (only when one is given);
                       ``admin-ajax.php`` and ``admin-post.php`` stay open: themes and forms call them for visitors
 1  xmlrpc block       block ``/xmlrpc.php`` (pingback DDoS and credential stuffing) unless allowed
 2  login rate limit   a stricter per-IP limit on ``wp-login.php`` and ``xmlrpc.php`` (brute force)
 3  rate limit         a per-IP limit on everything
 4  geo block          block the listed countries (only when some are listed)
10+ AWS managed groups IP reputation, common, known bad inputs, SQLi, PHP, WordPress (10, 12, 14, ...), each group
                       with body rules that code samples in posts trip followed (11, 13, 15, ...) by its
                       editor-scoped rule: see below

Editor-scoped body rules (``editor_body_rules``). A tech blog's posts carry code: ``<script>`` samples trip
``CrossSiteScripting_BODY``, SQL ones ``SQLi_BODY``, PHP ones ``PHPHighRiskMethodsVariables_BODY``, a Log4Shell write-up
``Log4JRCE_BODY``, an AWS tutorial ``EC2MetaDataSSRF_BODY``, and a long post ``SizeRestrictions_BODY``. Each such rule
is overridden to Count inside its managed group (it still labels the request), and the custom rule right after the
group blocks every request carrying one of those labels unless it is an editor's request: its path is one where
WordPress saves posts and media (``EDITOR_PATHS``, matched exactly, no text transformation: an encoded or re-cased path
does not match and stays blocked) AND its ``Cookie`` header carries a ``wordpress_logged_in_`` cookie.

The cookie test is not authentication: anyone can send a cookie by that name. WordPress still checks the session
(and the capability and nonce of each save) on those paths; the exception only narrows where WAF defers to it, from
the whole site to a handful of editor endpoints for requests that claim a session. Everything else on those paths keeps
WAF's protection: the other rules of every managed group (query string, URI, headers), the rate limits, the admin
allow-list, and the scoped rules themselves for any request without the cookie. Rules listed in
``common_rules_to_count`` are counted for everyone instead (no scoped block).

Behind CloudFront (``behind_cloudfront``, the ALB's regional ACL) every request's source address is a CloudFront edge
server's, so a rule reading it judges CloudFront, not the viewer. There the ACL keeps only what does not depend on the
client address or can read it safely from ``X-Forwarded-For``:

- the admin allow-list reads the LAST address of ``X-Forwarded-For`` (``IPSetForwardedIPConfig``): CloudFront appends
  the viewer's address to whatever the viewer sent, and the ALB accepts only CloudFront (prefix list, origin-verify
  header), so the last entry is the one a viewer cannot forge; the first entry (``Position: FIRST``) is whatever the
  viewer typed, and an allow-list read there opens /wp-admin/ to anyone who sends an admin's address;
- the per-IP rate limits, the geo block and the IP reputation group are left to the edge ACL, which sees the real
  viewer address: ``ForwardedIPConfig`` (rate-based and geo statements) always reads the FIRST address of the header,
  the one the viewer controls (a spoofed value per request escapes a rate limit, a spoofed country escapes a geo block),
  and a managed rule group reads only the source address;
- the path, xmlrpc and body-inspecting managed groups behave the same at both ACLs and stay.

Paths are matched with regular expressions, not byte matches: CloudFront and ALB scopes alike, and the text
of the rule reads back as sent (a byte match's search string comes back base64-encoded).
"""

from __future__ import annotations

import re

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.describe import or_none

# WAF's floor for rate-based rules (requests per evaluation window per IP).
RATE_LIMIT_MIN = 10
RATE_LIMIT_MAX = 2000000000
EVALUATION_WINDOWS = (60, 120, 300, 600)
# The AWS managed rule groups every stack gets, in evaluation order, with their capacity (WCU).
MANAGED_GROUPS = [
    ("AWSManagedRulesAmazonIpReputationList", 25),
    ("AWSManagedRulesCommonRuleSet", 700),
    ("AWSManagedRulesKnownBadInputsRuleSet", 200),
    ("AWSManagedRulesSQLiRuleSet", 200),
    ("AWSManagedRulesPHPRuleSet", 100),
    ("AWSManagedRulesWordPressRuleSet", 100),
]
# Rules of the common group counted for everyone (no block at all); empty by default: SizeRestrictions_BODY, which
# blocks media uploads and posts above 8 KB, is editor-scoped instead (a body past WAF's inspection limit carries
# what the body rules cannot see, so it stays blocked for everyone else).
COMMON_RULES_TO_COUNT: list[str] = []
# The managed groups' body rules that code samples in posts trip, with the group's label namespace (AWS documents each
# rule's label as ``awswaf:managed:aws:<namespace>:<Rule>_Body``). Editor-scoped by default (see the docstring).
EDITOR_BODY_RULES = {
    "AWSManagedRulesCommonRuleSet": (
        "core-rule-set",
        [
            "SizeRestrictions_BODY",
            "EC2MetaDataSSRF_BODY",
            "GenericLFI_BODY",
            "GenericRFI_BODY",
            "CrossSiteScripting_BODY",
        ],
    ),
    "AWSManagedRulesKnownBadInputsRuleSet": ("known-bad-inputs", ["JavaDeserializationRCE_BODY", "Log4JRCE_BODY"]),
    "AWSManagedRulesSQLiRuleSet": ("sql-database", ["SQLi_BODY", "SQLiExtendedPatterns_BODY"]),
    "AWSManagedRulesPHPRuleSet": ("php-app", ["PHPHighRiskMethodsVariables_BODY"]),
}
EDITOR_BODY_RULE_NAMES = [name for _namespace, names in EDITOR_BODY_RULES.values() for name in names]
# Where editors save posts and media: the classic editor (post.php), autosave, heartbeat and quick edit
# (admin-ajax.php), uploads (async-upload.php), and the block editor's REST routes (posts, pages, synced patterns,
# media, with their revisions and autosaves). Needs pretty permalinks (``/wp-json/``; ``?rest_route=`` is not excepted).
EDITOR_PATHS = r"^/wp-admin/(post|admin-ajax|async-upload)\.php$|^/wp-json/wp/v2/(posts|pages|blocks|media)(/.*)?$"
# A WordPress login cookie (``wordpress_logged_in_<COOKIEHASH>``) in the Cookie header.
LOGGED_IN_COOKIE = r"(^|;\s*)wordpress_logged_in_[0-9a-f]+="
# Headers never written to the WAF logs.
REDACTED_HEADERS = ["cookie", "authorization"]
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
LOWERCASE = [{"Priority": 0, "Type": "URL_DECODE"}, {"Priority": 1, "Type": "LOWERCASE"}]
# Where the viewer's address is behind CloudFront. FallbackBehavior NO_MATCH: a request without the header (it did
# not come through CloudFront) is not from an admin network, so the allow-list blocks it on /wp-admin/.
FORWARDED_ADMIN_ADDRESS = {"HeaderName": "X-Forwarded-For", "FallbackBehavior": "NO_MATCH", "Position": "LAST"}
# Managed groups that judge the request's source address only (no forwarded-address setting): edge ACL only.
SOURCE_ADDRESS_GROUPS = ("AWSManagedRulesAmazonIpReputationList",)


def _visibility(metric: str) -> dict:
    return {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": metric}


def _path(regex: str) -> dict:
    return {
        "RegexMatchStatement": {"RegexString": regex, "FieldToMatch": {"UriPath": {}}, "TextTransformations": LOWERCASE}
    }


def _rule(name: str, priority: int, statement: dict, prefix: str, action: str = "Block") -> dict:
    return {
        "Name": name,
        "Priority": priority,
        "Statement": statement,
        "Action": {action: {}},
        "VisibilityConfig": _visibility(f"{prefix}-{name}"),
    }


def _label(namespace: str, rule: str) -> dict:
    """The label AWS documents for a managed rule: ``SQLi_BODY`` labels ``...:SQLi_Body``."""
    base, _sep, part = rule.rpartition("_")
    return {"LabelMatchStatement": {"Scope": "LABEL", "Key": f"awswaf:managed:aws:{namespace}:{base}_{part.title()}"}}


def editor_request() -> dict:
    """An editor's request: an editor path and a WordPress login cookie (a claim WordPress checks, not proof)."""
    cookie = {
        "RegexMatchStatement": {
            "RegexString": LOGGED_IN_COOKIE,
            "FieldToMatch": {"SingleHeader": {"Name": "cookie"}},
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
        }
    }
    path = {
        "RegexMatchStatement": {
            "RegexString": EDITOR_PATHS,
            "FieldToMatch": {"UriPath": {}},
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
        }
    }
    return {"AndStatement": {"Statements": [path, cookie]}}


def web_acl_rules(inputs: dict) -> list[dict]:
    """The rules for the role's inputs.

    inputs: metric_prefix, rate_limit, login_rate_limit, rate_window, allow_xmlrpc, admin_ip_set_arns (IPv4, IPv6),
    geo_block (country codes), common_rules_to_count, editor_body_rules (managed body rules blocked except for
    editors, default all of EDITOR_BODY_RULES; a rule also in common_rules_to_count is only counted), behind_cloudfront
    (the ALB's ACL: see the module docstring).
    """
    prefix = inputs["metric_prefix"]
    window = int(inputs.get("rate_window", 300))
    behind_cloudfront = bool(inputs.get("behind_cloudfront"))
    rules = []
    admin_sets = [
        {
            "IPSetReferenceStatement": {
                "ARN": arn,
                **({"IPSetForwardedIPConfig": dict(FORWARDED_ADMIN_ADDRESS)} if behind_cloudfront else {}),
            }
        }
        for arn in inputs.get("admin_ip_set_arns") or []
    ]
    if admin_sets:
        admins = admin_sets[0] if len(admin_sets) == 1 else {"OrStatement": {"Statements": admin_sets}}
        admin_paths = {
            "AndStatement": {
                "Statements": [
                    _path(r"^/wp-admin/"),
                    {"NotStatement": {"Statement": _path(r"^/wp-admin/admin-(ajax|post)\.php$")}},
                    {"NotStatement": {"Statement": admins}},
                ]
            }
        }
        rules.append(_rule("admin-allow-list", 0, admin_paths, prefix))
    if not inputs.get("allow_xmlrpc"):
        rules.append(_rule("block-xmlrpc", 1, _path(r"^/xmlrpc\.php$"), prefix))
    login = {
        "RateBasedStatement": {
            "Limit": int(inputs["login_rate_limit"]),
            "EvaluationWindowSec": window,
            "AggregateKeyType": "IP",
            "ScopeDownStatement": _path(r"^/(wp-login|xmlrpc)\.php$"),
        }
    }
    if not behind_cloudfront:
        rules.append(_rule("login-rate-limit", 2, login, prefix))
    rate = {
        "RateBasedStatement": {
            "Limit": int(inputs["rate_limit"]),
            "EvaluationWindowSec": window,
            "AggregateKeyType": "IP",
        }
    }
    if not behind_cloudfront:
        rules.append(_rule("rate-limit", 3, rate, prefix))
    countries = sorted(inputs.get("geo_block") or [])
    if countries and not behind_cloudfront:
        rules.append(_rule("geo-block", 4, {"GeoMatchStatement": {"CountryCodes": countries}}, prefix))
    to_count = list(inputs.get("common_rules_to_count", COMMON_RULES_TO_COUNT))
    scoped = set(inputs.get("editor_body_rules", EDITOR_BODY_RULE_NAMES)) - set(to_count)
    for index, (group, _wcu) in enumerate(MANAGED_GROUPS):
        if behind_cloudfront and group in SOURCE_ADDRESS_GROUPS:
            continue
        namespace, body_rules = EDITOR_BODY_RULES.get(group, ("", []))
        group_scoped = [name for name in body_rules if name in scoped]
        counted = (to_count if group == "AWSManagedRulesCommonRuleSet" else []) + group_scoped
        statement = {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": group}}
        if counted:
            statement["ManagedRuleGroupStatement"]["RuleActionOverrides"] = [
                {"Name": name, "ActionToUse": {"Count": {}}} for name in counted
            ]
        rules.append(
            {
                "Name": f"AWS-{group}",
                "Priority": 10 + 2 * index,
                "Statement": statement,
                "OverrideAction": {"None": {}},
                "VisibilityConfig": _visibility(f"{prefix}-{group}"),
            }
        )
        if group_scoped:
            labels = [_label(namespace, name) for name in group_scoped]
            matched = labels[0] if len(labels) == 1 else {"OrStatement": {"Statements": labels}}
            not_editor = {"NotStatement": {"Statement": editor_request()}}
            outside_editor = {"AndStatement": {"Statements": [matched, not_editor]}}
            rules.append(_rule(f"AWS-{group}-body-except-editors", 11 + 2 * index, outside_editor, prefix))
    return rules


def input_errors(inputs: dict, var_prefix: str = "cloudfront_waf_") -> list[str]:
    """Errors in the WAF inputs, each naming its variable."""
    errors = []
    for name in ("rate_limit", "login_rate_limit"):
        value = inputs.get(name)
        try:
            number = int(str(value))
        except (TypeError, ValueError):
            errors.append(f"{var_prefix}{name} {value!r} must be a whole number")
            continue
        if not RATE_LIMIT_MIN <= number <= RATE_LIMIT_MAX:
            errors.append(
                f"{var_prefix}{name} {number} is outside what WAF accepts for a rate-based rule "
                f"({RATE_LIMIT_MIN} to {RATE_LIMIT_MAX} requests per window and IP)"
            )
    try:
        window = int(str(inputs.get("rate_window", 300)))
    except (TypeError, ValueError):
        window = None
    if window not in EVALUATION_WINDOWS:
        errors.append(
            f"{var_prefix}rate_window {inputs.get('rate_window')!r} must be one of "
            f"{', '.join(map(str, EVALUATION_WINDOWS))} seconds"
        )
    for code in inputs.get("geo_block") or []:
        if not COUNTRY_RE.match(str(code)):
            errors.append(f"{var_prefix}geo_block entry {code!r} is not an ISO 3166 alpha-2 country code (e.g. KP)")
    for name in inputs.get("editor_body_rules") or []:
        if name not in EDITOR_BODY_RULE_NAMES:
            errors.append(
                f"{var_prefix}editor_body_rules entry {name!r} is not one of the managed body rules the stack can "
                f"scope to editors ({', '.join(EDITOR_BODY_RULE_NAMES)})"
            )
    return errors


def desired_web_acl(name: str, default_action: str, rules: list, metric_name: str | None, description: str) -> dict:
    """The fields of a web ACL that wafv2_web_acl writes and compares (stack_drift compares the same)."""
    desired = {
        "DefaultAction": {default_action.capitalize(): {}},
        "Rules": rules,
        "VisibilityConfig": {
            "SampledRequestsEnabled": True,
            "CloudWatchMetricsEnabled": True,
            "MetricName": metric_name or name,
        },
    }
    if description:
        desired["Description"] = description
    return desired


@AWSRetry.jittered_backoff()
def find_web_acl(client, name: str, scope: str) -> dict | None:
    """The web ACL named ``name`` with its LockToken, or None."""
    marker = None
    while True:
        kwargs = {"Scope": scope, "Limit": 100}
        if marker:
            kwargs["NextMarker"] = marker
        page = client.list_web_acls(**kwargs)
        for summary in page.get("WebACLs", []):
            if summary["Name"] == name:
                response = client.get_web_acl(Name=name, Scope=scope, Id=summary["Id"])
                return {**response["WebACL"], "LockToken": response["LockToken"]}
        marker = page.get("NextMarker")
        if not marker or not page.get("WebACLs"):
            return None


@AWSRetry.jittered_backoff()
def tags(client, arn: str) -> dict:
    info = client.list_tags_for_resource(ResourceARN=arn).get("TagInfoForResource", {})
    return {tag["Key"]: tag.get("Value", "") for tag in info.get("TagList", [])}


@AWSRetry.jittered_backoff()
def logging_configuration(client, arn: str) -> dict | None:
    response = or_none(client.get_logging_configuration, "WAFNonexistentItemException", ResourceArn=arn)
    return response["LoggingConfiguration"] if response else None


def desired_logging(arn: str, destination_arn: str, redacted_headers: list) -> dict:
    return {
        "ResourceArn": arn,
        "LogDestinationConfigs": [destination_arn],
        "RedactedFields": [{"SingleHeader": {"Name": name.lower()}} for name in redacted_headers],
    }


def logging_matches(current: dict | None, desired: dict) -> bool:
    if not current:
        return False
    return current.get("LogDestinationConfigs") == desired["LogDestinationConfigs"] and sorted(
        h.get("SingleHeader", {}).get("Name", "").lower() for h in current.get("RedactedFields", [])
    ) == sorted(h["SingleHeader"]["Name"] for h in desired["RedactedFields"])


@AWSRetry.jittered_backoff()
def associated_web_acl(client, resource_arn: str) -> str:
    """The ARN of the web ACL protecting a regional resource (empty when none)."""
    response = client.get_web_acl_for_resource(ResourceArn=resource_arn)
    return (response.get("WebACL") or {}).get("ARN", "")
