# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Well-Architected review of a live stack: the checks, their verdicts and the reports.

The module ``well_architected_review`` reads the live stack into a dict of facts (one key per thing it read, each
with its read error where the read failed); this file judges the facts. Every check is a pure function of the facts,
so the unit tests can give a check a healthy stack and a weakened one and assert the verdict.

A verdict is ``pass``, ``fail``, ``not_applicable`` (the environment does not ask for it, with the reason),
``not_emulated`` (the target lacks the feature the check needs: ``wordpress_aws_target_lacks``) or ``unanswered``
(a read the check needs failed; the error is the detail). Only ``pass`` counts as passed: a check the target cannot
answer is never scored as passed.
"""

from __future__ import annotations

import html
import json
import re

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.cloudfront import personal_cookie_violations

PILLARS = ("security", "reliability", "performance", "cost", "operations")
PILLAR_TITLES = {
    "security": "Security",
    "reliability": "Reliability",
    "performance": "Performance efficiency",
    "cost": "Cost optimization",
    "operations": "Operational excellence",
}
SEVERITIES = ("high", "medium", "low")
STATUSES = ("fail", "unanswered", "not_emulated", "pass", "not_applicable")
PRODUCTION_LIKE = ("production", "staging")
# Engine majors and the end of their RDS standard support (after it, RDS bills Extended Support per vCPU-hour).
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support-charges.html
STANDARD_SUPPORT_ENDS = {
    ("mysql", "5.7"): "2024-02-29",
    ("mysql", "8.0"): "2026-07-31",
    ("mysql", "8.4"): "2029-07-31",
}
EXTENDED_SUPPORT_OFF = "open-source-rds-extended-support-disabled"
SECRET_NAME_PATTERN = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|_KEY$|_SALT$|AUTH_KEY)", re.IGNORECASE)
# What the tiers' alarms must cover: the namespace each tier publishes to.
TIER_NAMESPACES = {
    "edge": ("AWS/CloudFront",),
    "load balancer": ("AWS/ApplicationELB",),
    "application": ("AWS/ECS", "ECS/ContainerInsights"),
    "database": ("AWS/RDS",),
    "storage": ("AWS/EFS",),
    "functions": ("AWS/Lambda",),
}
WAF_REQUIRED_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
    "AWSManagedRulesPHPRuleSet",
    "AWSManagedRulesWordPressRuleSet",
)
DYNAMIC_PATHS = ("wp-admin/*", "wp-login.php")
STATIC_PATHS = ("wp-content/*", "wp-includes/*")
STATIC_MIN_TTL = 86400
STRONG_ALB_POLICY = re.compile(r"^ELBSecurityPolicy-TLS13-1-2-")
STRONG_VIEWER_TLS = ("TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025")
WORLD = ("0.0.0.0/0", "::/0")


class Verdict(Exception):
    """Raised inside a check to end it with a status other than pass or fail."""

    def __init__(self, status: str, detail: str):
        super().__init__(detail)
        self.status, self.detail = status, detail


def not_applicable(detail: str):
    raise Verdict("not_applicable", detail)


def _need(facts: dict, *keys: str):
    """The facts ``keys``; a check that needs a fact whose read failed is unanswered with the error."""
    errors = facts.get("_errors", {})
    for key in keys:
        if key in errors:
            raise Verdict("unanswered", f"could not read {key}: {errors[key]}")
    values = [facts.get(key) for key in keys]
    return values[0] if len(values) == 1 else values


def _result(ok: bool, good: str, bad: str | list) -> tuple[bool, str]:
    if isinstance(bad, list):
        bad = "; ".join(bad)
    return ok, good if ok else bad


def _key_id(arn_or_id: str | None) -> str:
    return str(arn_or_id or "").rsplit("/", 1)[-1]


def _same_key(found: str | None, wanted: str | None) -> bool:
    return bool(found) and bool(wanted) and _key_id(found) == _key_id(wanted)


def _production(ctx: dict) -> bool:
    return ctx["environment"] in PRODUCTION_LIKE


# ---- security -------------------------------------------------------------------------------------------------


def db_not_public(facts, ctx):
    db = _need(facts, "db")
    if not db:
        return False, "no DB instance found"
    return _result(not db.get("PubliclyAccessible"), "PubliclyAccessible is false", "PubliclyAccessible is true")


def _encrypted_with_stack_key(items: list, key: str, label: str, key_field: str) -> tuple[bool, str]:
    if not items:
        return False, f"no {label} found"
    wrong = [name for name, value in items if not _same_key(value.get(key_field), key)]
    return _result(not wrong, f"{len(items)} {label} use the stack key", [f"{n}: not the stack key" for n in wrong])


def db_stack_key(facts, ctx):
    db, key = _need(facts, "db", "stack_key")
    if not db:
        return False, "no DB instance found"
    if not db.get("StorageEncrypted"):
        return False, "storage is not encrypted"
    items = [("storage", {"k": db.get("KmsKeyId")})]
    if db.get("MasterUserSecret"):
        items.append(("master user secret", {"k": db["MasterUserSecret"].get("KmsKeyId")}))
    return _encrypted_with_stack_key(items, key, "encrypted parts of the DB", "k")


def efs_stack_key(facts, ctx):
    efs, key = _need(facts, "efs", "stack_key")
    if not efs:
        return False, "no uploads file system found"
    if not efs.get("Encrypted"):
        return False, "the file system is not encrypted"
    return _encrypted_with_stack_key([(efs["FileSystemId"], efs)], key, "file systems", "KmsKeyId")


def logs_stack_key(facts, ctx):
    groups, key, edge_key = _need(facts, "log_groups", "stack_key", "edge_key")
    wrong = []
    for group in groups or []:
        wanted = edge_key if group["region"] == ctx["edge_region"] and ctx["edge_region"] != ctx["region"] else key
        if not _same_key(group.get("kmsKeyId"), wanted):
            wrong.append(f"{group['logGroupName']} ({group['region']}): not encrypted with the stack key")
    if not groups:
        return False, "no log group of the stack found"
    return _result(not wrong, f"{len(groups)} log groups use the stack keys", wrong)


def sns_stack_key(facts, ctx):
    topics, key, edge_key = _need(facts, "topics", "stack_key", "edge_key")
    if not topics:
        return False, "no alert topic found"
    wrong = []
    for topic in topics:
        wanted = edge_key if topic["region"] != ctx["region"] else key
        if not _same_key(topic.get("KmsMasterKeyId"), wanted):
            wrong.append(
                f"{topic['name']} ({topic['region']}): KmsMasterKeyId {topic.get('KmsMasterKeyId') or 'unset'}"
            )
    return _result(not wrong, f"{len(topics)} topics use the stack keys", wrong)


def secrets_stack_key(facts, ctx):
    secrets, key = _need(facts, "secrets", "stack_key")
    return _encrypted_with_stack_key([(s["Name"], s) for s in secrets or []], key, "secrets", "KmsKeyId")


def backup_vault_key(facts, ctx):
    vault, key = _need(facts, "backup_vault", "stack_key")
    if not vault:
        return False, "no backup vault found"
    return _encrypted_with_stack_key([(vault["BackupVaultName"], vault)], key, "vaults", "EncryptionKeyArn")


def key_rotation(facts, ctx):
    rotation = _need(facts, "key_rotation")
    if not rotation:
        return False, "no stack key found"
    off = [f"{arn}: rotation off" for arn, on in sorted(rotation.items()) if not on]
    return _result(not off, f"{len(rotation)} keys rotate yearly", off)


def secret_rotation(facts, ctx):
    secrets = _need(facts, "secrets")
    app = [s for s in secrets or [] if s["Name"] == ctx["names"]["app_secret"]]
    if not app:
        return False, f"secret {ctx['names']['app_secret']} not found"
    on = bool(app[0].get("RotationEnabled")) and bool(app[0].get("RotationLambdaARN"))
    return _result(on, "rotation is on with its Lambda", f"{app[0]['Name']}: rotation is off")


def no_plaintext_secrets(facts, ctx):
    task_definition = _need(facts, "task_definition")
    if not task_definition:
        return False, "no task definition found"
    found = []
    for container in task_definition.get("containerDefinitions", []):
        for variable in container.get("environment", []):
            if SECRET_NAME_PATTERN.search(variable["name"]) and variable.get("value"):
                found.append(f"{container['name']}: {variable['name']} is a plain environment variable")
    secrets = sum(len(c.get("secrets", [])) for c in task_definition.get("containerDefinitions", []))
    if not secrets:
        found.append("no secret comes from Secrets Manager (no secrets in any container)")
    return _result(not found, f"{secrets} values come from Secrets Manager, none in plain text", found)


def _acl_problems(acl: dict | None, rate_limited: bool) -> list[str]:
    if not acl:
        return ["no web ACL attached"]
    rules = acl.get("Rules", [])
    groups = {
        r["Statement"]["ManagedRuleGroupStatement"]["Name"]
        for r in rules
        if "ManagedRuleGroupStatement" in r["Statement"]
    }
    problems = [f"managed group {g} missing" for g in WAF_REQUIRED_GROUPS if g not in groups]
    if rate_limited and not any("RateBasedStatement" in r["Statement"] for r in rules):
        problems.append("no rate-based rule")
    return problems


def edge_waf(facts, ctx):
    distribution, acl = _need(facts, "distribution", "edge_web_acl")
    if not distribution:
        return False, "no distribution found"
    if not distribution.get("WebACLId"):
        return False, "the distribution has no web ACL"
    problems = _acl_problems(acl, rate_limited=True)
    return _result(not problems, f"web ACL {acl and acl.get('Name')}: managed groups and rate limits", problems)


def alb_waf(facts, ctx):
    acl = _need(facts, "alb_web_acl")
    if not acl and not ctx["regional_acl"]:
        not_applicable("no regional web ACL asked for (cloudfront_waf_regional_acl false): the edge ACL filters")
    problems = _acl_problems(acl, rate_limited=False)
    return _result(not problems, f"web ACL {acl and acl.get('Name')} on the ALB", problems)


def alb_from_cloudfront_only(facts, ctx):
    alb, groups, prefix_list = _need(facts, "alb", "security_groups", "cloudfront_prefix_list")
    if not alb:
        return False, "no load balancer found"
    by_id = {g["GroupId"]: g for g in groups or []}
    problems = []
    for group_id in alb.get("SecurityGroups", []):
        for permission in by_id.get(group_id, {}).get("IpPermissions", []):
            lists = [p["PrefixListId"] for p in permission.get("PrefixListIds", [])]
            if permission.get("IpRanges") or permission.get("Ipv6Ranges"):
                problems.append(f"{group_id}: admits address ranges besides CloudFront's prefix list")
            if lists and prefix_list not in lists:
                problems.append(f"{group_id}: admits prefix lists {lists}, not CloudFront's")
    if not any(
        p.get("PrefixListId") == prefix_list
        for gid in alb.get("SecurityGroups", [])
        for perm in by_id.get(gid, {}).get("IpPermissions", [])
        for p in perm.get("PrefixListIds", [])
    ):
        problems.append("the ALB's groups do not admit CloudFront's origin-facing prefix list")
    return _result(not problems, f"only {prefix_list} reaches the ALB", problems)


def alb_origin_header(facts, ctx):
    listeners, rules = _need(facts, "listeners", "listener_rules")
    if not listeners:
        return False, "no listener found"
    problems = []
    header = ctx["origin_header"].lower()
    for listener in listeners:
        default = listener.get("DefaultActions", [{}])[0]
        status = default.get("FixedResponseConfig", {}).get("StatusCode")
        if default.get("Type") != "fixed-response" or status != "403":
            problems.append(f"listener {listener['Port']}: the default action is {default.get('Type')}, not a 403")
        guarded = [
            r
            for r in rules.get(listener["ListenerArn"], [])
            if not r.get("IsDefault")
            and any(
                c.get("Field") == "http-header"
                and c.get("HttpHeaderConfig", {}).get("HttpHeaderName", "").lower() == header
                for c in r.get("Conditions", [])
            )
        ]
        if not guarded:
            problems.append(f"listener {listener['Port']}: no rule matches the {ctx['origin_header']} header")
    return _result(not problems, f"{len(listeners)} listeners answer 403 without {ctx['origin_header']}", problems)


def tls_viewer(facts, ctx):
    distribution = _need(facts, "distribution")
    if not distribution:
        return False, "no distribution found"
    behaviours = [distribution["DefaultCacheBehavior"], *distribution.get("CacheBehaviors", {}).get("Items", [])]
    problems = [
        f"{b.get('PathPattern', 'default')}: viewer protocol {b['ViewerProtocolPolicy']}"
        for b in behaviours
        if b.get("ViewerProtocolPolicy") not in ("redirect-to-https", "https-only")
    ]
    certificate = distribution.get("ViewerCertificate", {})
    if (
        not certificate.get("CloudFrontDefaultCertificate")
        and certificate.get("MinimumProtocolVersion") not in STRONG_VIEWER_TLS
    ):
        problems.append(f"minimum viewer TLS {certificate.get('MinimumProtocolVersion')}")
    return _result(not problems, "viewers are sent to HTTPS on every behaviour", problems)


def security_headers(facts, ctx):
    distribution = _need(facts, "distribution")
    if not distribution:
        return False, "no distribution found"
    behaviours = [distribution["DefaultCacheBehavior"], *distribution.get("CacheBehaviors", {}).get("Items", [])]
    bare = [b.get("PathPattern", "default") for b in behaviours if not b.get("ResponseHeadersPolicyId")]
    return _result(not bare, "every behaviour adds the security headers", f"no headers policy on {', '.join(bare)}")


def tls_origin(facts, ctx):
    distribution, listeners = _need(facts, "distribution", "listeners")
    if not distribution:
        return False, "no distribution found"
    problems = []
    for origin in distribution.get("Origins", {}).get("Items", []):
        policy = origin.get("CustomOriginConfig", {}).get("OriginProtocolPolicy")
        if policy != "https-only":
            problems.append(f"origin {origin['Id']}: protocol policy {policy} (needs a certificate on the ALB)")
    for listener in listeners or []:
        if listener.get("Protocol") == "HTTPS" and not STRONG_ALB_POLICY.match(listener.get("SslPolicy") or ""):
            problems.append(f"listener {listener['Port']}: SSL policy {listener.get('SslPolicy')}")
    return _result(not problems, "CloudFront reaches the ALB over TLS 1.2+ with a TLS 1.3 policy", problems)


def no_world_ingress(facts, ctx):
    groups = _need(facts, "security_groups")
    problems = []
    for group in groups or []:
        for permission in group.get("IpPermissions", []):
            ranges = [r.get("CidrIp") for r in permission.get("IpRanges", [])]
            ranges += [r.get("CidrIpv6") for r in permission.get("Ipv6Ranges", [])]
            if any(r in WORLD for r in ranges):
                ports = permission.get("FromPort", "all")
                problems.append(f"{group.get('GroupName')} ({group['GroupId']}): ingress from the world, port {ports}")
    if groups is None:
        return False, "no VPC of the stack found"
    return _result(not problems, f"{len(groups)} groups, none open to 0.0.0.0/0 or ::/0", problems)


def _statements(document) -> list:
    if isinstance(document, str):
        document = json.loads(document)
    statements = (document or {}).get("Statement", [])
    return statements if isinstance(statements, list) else [statements]


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def iam_no_star(facts, ctx):
    roles = _need(facts, "iam_roles")
    if not roles:
        return False, "no IAM role of the stack found"
    problems = []
    for role in roles:
        for name, document in role.get("policies", {}).items():
            for statement in _statements(document):
                if statement.get("Effect") != "Allow":
                    continue
                actions, resources = _as_list(statement.get("Action", [])), _as_list(statement.get("Resource", []))
                if ("*" in actions or "*:*" in actions) and "*" in resources:
                    problems.append(f"{role['RoleName']}: policy {name} allows * on *")
        for arn in role.get("managed_policies", []):
            if arn.endswith(":policy/AdministratorAccess"):
                problems.append(f"{role['RoleName']}: AdministratorAccess attached")
    return _result(not problems, f"{len(roles)} roles, no * action on * resource", problems)


# ---- reliability ----------------------------------------------------------------------------------------------


def db_multi_az(facts, ctx):
    db = _need(facts, "db")
    if not db:
        return False, "no DB instance found"
    return _result(bool(db.get("MultiAZ")), "a standby in a second AZ", "single-AZ: an AZ failure stops the site")


def db_backups(facts, ctx):
    db = _need(facts, "db")
    if not db:
        return False, "no DB instance found"
    days = int(db.get("BackupRetentionPeriod") or 0)
    wanted = 7 if _production(ctx) else 1
    return _result(
        days >= wanted, f"automated backups kept {days} days", f"backups kept {days} days (wanted {wanted}+)"
    )


def backup_plan(facts, ctx):
    plan = _need(facts, "backup_plan")
    if not plan:
        return False, "no backup plan found"
    rules = plan.get("Rules", [])
    kept = [r for r in rules if (r.get("Lifecycle") or {}).get("DeleteAfterDays")]
    return _result(
        bool(rules) and len(kept) == len(rules), f"{len(rules)} rules with retention", "a rule without retention"
    )


def backup_selection(facts, ctx):
    selections = _need(facts, "backup_selections")
    covered = set()
    for selection in selections or []:
        for condition in selection.get("ListOfTags", []):
            if condition.get("ConditionKey") == "wordpress_aws:backup":
                covered.update(("rds", "efs"))
        for arn in selection.get("Resources", []):
            covered.update(s for s in ("rds", "elasticfilesystem") if f":{s}:" in arn)
    covered = {"efs" if s == "elasticfilesystem" else s for s in covered}
    missing = sorted({"rds", "efs"} - covered)
    return _result(not missing, "the plan selects the DB and the file system", f"the plan does not select {missing}")


def circuit_breaker(facts, ctx):
    service = _need(facts, "service")
    if not service:
        return False, "no ECS service found"
    breaker = service.get("deploymentConfiguration", {}).get("deploymentCircuitBreaker", {})
    on = breaker.get("enable") and breaker.get("rollback")
    return _result(bool(on), "circuit breaker on with rollback", f"circuit breaker {breaker or 'unset'}")


def tasks_spread(facts, ctx):
    azs = _need(facts, "service_azs")
    if azs is None:
        return False, "no ECS service found"
    return _result(len(azs) >= 2, f"tasks may run in {len(azs)} AZs", f"the service's subnets are in {len(azs)} AZ")


def running_tasks_spread(facts, ctx):
    tasks = _need(facts, "running_task_azs")
    if not tasks:
        return False, "no task is running"
    azs = sorted(set(tasks))
    return _result(len(azs) >= min(2, len(tasks)), f"{len(tasks)} running tasks in {azs}", f"every task in {azs}")


def health_check(facts, ctx):
    group = _need(facts, "target_group")
    if not group:
        return False, "no target group found"
    problems = []
    if not group.get("HealthCheckEnabled", True):
        problems.append("health check off")
    if not group.get("HealthCheckPath"):
        problems.append("no health check path")
    if int(group.get("HealthCheckIntervalSeconds") or 0) > 30:
        problems.append(f"interval {group['HealthCheckIntervalSeconds']} s")
    return _result(not problems, f"health check on {group.get('HealthCheckPath')}", problems)


def deletion_protection(facts, ctx):
    db, attributes = _need(facts, "db", "alb_attributes")
    if not _production(ctx):
        not_applicable(f"a {ctx['environment']} stack is meant to be torn down")
    problems = []
    if not (db or {}).get("DeletionProtection"):
        problems.append("the DB instance has no deletion protection")
    if (attributes or {}).get("deletion_protection.enabled") != "true":
        problems.append("the ALB has no deletion protection")
    return _result(not problems, "the DB and the ALB are protected", problems)


def efs_multi_az(facts, ctx):
    azs = _need(facts, "efs_mount_azs")
    if azs is None:
        return False, "no uploads file system found"
    return _result(len(azs) >= 2, f"mount targets in {len(azs)} AZs", f"mount targets in {len(azs)} AZ")


# ---- performance ----------------------------------------------------------------------------------------------


def _behaviours(distribution: dict) -> dict:
    return {b["PathPattern"]: b for b in distribution.get("CacheBehaviors", {}).get("Items", [])}


def dynamic_uncached(facts, ctx):
    distribution = _need(facts, "distribution")
    if not distribution:
        return False, "no distribution found"
    behaviours = _behaviours(distribution)
    problems = []
    for path in DYNAMIC_PATHS:
        behaviour = behaviours.get(path) or behaviours.get("/" + path)
        if not behaviour:
            problems.append(f"no behaviour for {path}")
        elif int(behaviour.get("MaxTTL", 1)) != 0 or int(behaviour.get("DefaultTTL", 1)) != 0:
            problems.append(f"{path} is cached (MaxTTL {behaviour.get('MaxTTL')})")
    problems += personal_cookie_violations(distribution)
    return _result(not problems, "admin and login uncached; logged-in pages never shared", problems)


def assets_long(facts, ctx):
    distribution = _need(facts, "distribution")
    if not distribution:
        return False, "no distribution found"
    behaviours = _behaviours(distribution)
    problems = []
    for path in STATIC_PATHS:
        behaviour = behaviours.get(path) or behaviours.get("/" + path)
        if not behaviour:
            problems.append(f"no behaviour for {path}")
        elif int(behaviour.get("DefaultTTL", 0)) < STATIC_MIN_TTL:
            problems.append(f"{path}: DefaultTTL {behaviour.get('DefaultTTL')} s (under a day)")
    return _result(not problems, "assets cached a day or more", problems)


def compression(facts, ctx):
    distribution = _need(facts, "distribution")
    if not distribution:
        return False, "no distribution found"
    behaviours = [distribution["DefaultCacheBehavior"], *_behaviours(distribution).values()]
    off = [b.get("PathPattern", "default") for b in behaviours if not b.get("Compress")]
    return _result(not off, "every behaviour compresses", f"not compressed: {', '.join(off)}")


def http_versions(facts, ctx):
    distribution = _need(facts, "distribution")
    if not distribution:
        return False, "no distribution found"
    version = distribution.get("HttpVersion")
    return _result(version == "http2and3", "HTTP/2 and HTTP/3", f"HttpVersion {version}")


def database_insights(facts, ctx):
    db = _need(facts, "db")
    if not db:
        return False, "no DB instance found"
    mode = db.get("DatabaseInsightsMode") or "standard"
    if not _production(ctx) and mode == "standard":
        not_applicable(f"standard mode outside production ({ctx['environment']}); advanced mode is billed")
    return _result(mode == "advanced", "Database Insights advanced mode", f"Database Insights {mode} mode")


def autoscaling(facts, ctx):
    target, policies = _need(facts, "scalable_target", "scaling_policies")
    if not target:
        return False, "the service has no scalable target"
    problems = []
    if int(target["MaxCapacity"]) <= int(target["MinCapacity"]):
        problems.append(f"max {target['MaxCapacity']} is not above min {target['MinCapacity']}")
    if not any(p.get("PolicyType") == "TargetTrackingScaling" for p in policies or []):
        problems.append("no target-tracking policy")
    return _result(not problems, f"{target['MinCapacity']}-{target['MaxCapacity']} tasks, target tracking", problems)


# ---- cost -----------------------------------------------------------------------------------------------------


def spot_share(facts, ctx):
    service = _need(facts, "service")
    if not service:
        return False, "no ECS service found"
    strategy = service.get("capacityProviderStrategy") or []
    total = sum(int(s.get("weight", 0)) for s in strategy)
    spot = sum(int(s.get("weight", 0)) for s in strategy if s.get("capacityProvider") == "FARGATE_SPOT")
    share = spot / total if total else 0.0
    return _result(
        share > 0, f"Fargate Spot weight share {share:.0%}", f"no Fargate Spot share ({strategy or 'launch type'})"
    )


def budget(facts, ctx):
    found = _need(facts, "budget")
    if not found:
        return False, "no budget found"
    return _result(
        bool(found.get("notifications")),
        f"budget {found['BudgetName']} with {found.get('notifications')} alerts",
        "the budget alerts no one",
    )


def anomaly_monitor(facts, ctx):
    monitors = _need(facts, "anomaly_monitors")
    return _result(
        bool(monitors), f"anomaly monitor {', '.join(m['MonitorName'] for m in monitors or [])}", "no anomaly monitor"
    )


def schedules(facts, ctx):
    found = _need(facts, "schedules")
    if ctx["environment"] == "production":
        not_applicable("production runs around the clock")
    enabled = [s["Name"] for s in found or [] if s.get("State", "ENABLED") == "ENABLED"]
    return _result(
        bool(enabled), f"{len(enabled)} schedules stop it outside business hours", "nothing stops it at night"
    )


def log_retention(facts, ctx):
    groups = _need(facts, "log_groups")
    if not groups:
        return False, "no log group of the stack found"
    never = [f"{g['logGroupName']} ({g['region']})" for g in groups if not g.get("retentionInDays")]
    return _result(not never, f"{len(groups)} log groups expire", [f"{name}: kept forever" for name in never])


def extended_support(facts, ctx):
    db = _need(facts, "db")
    if not db:
        return False, "no DB instance found"
    engine, version = db.get("Engine", "mysql"), str(db.get("EngineVersion", ""))
    major = ".".join(version.split(".")[:2])
    ends = STANDARD_SUPPORT_ENDS.get((engine, major))
    if ends is None:
        return False, f"{engine} {version}: no known standard support date"
    if ends >= ctx["today"]:
        return True, f"{engine} {major} in standard support until {ends}"
    if ctx["allow_extended_support"]:
        not_applicable(f"{engine} {major} left standard support on {ends}; Extended Support is allowed")
    if db.get("EngineLifecycleSupport") == EXTENDED_SUPPORT_OFF:
        return False, f"{engine} {major} left standard support on {ends} and Extended Support is disabled"
    return False, f"{engine} {major} left standard support on {ends}: RDS bills Extended Support"


# ---- operations -----------------------------------------------------------------------------------------------


def _alarm_namespaces(alarm: dict) -> set:
    found = {alarm.get("Namespace")} if alarm.get("Namespace") else set()
    for metric in alarm.get("Metrics", []):
        namespace = metric.get("MetricStat", {}).get("Metric", {}).get("Namespace")
        if namespace:
            found.add(namespace)
    return found


def alarms_cover_tiers(facts, ctx):
    alarms = _need(facts, "alarms")
    ours = [a for a in alarms or [] if a["AlarmName"].startswith(ctx["names"]["alarm_prefix"])]
    covered = set().union(*[_alarm_namespaces(a) for a in ours]) if ours else set()
    missing = [tier for tier, spaces in TIER_NAMESPACES.items() if not covered.intersection(spaces)]
    silent = [a["AlarmName"] for a in ours if not a.get("AlarmActions")]
    problems = [f"no alarm on the {tier} tier" for tier in missing] + [f"{name}: no action" for name in silent]
    return _result(not problems, f"{len(ours)} alarms over {len(TIER_NAMESPACES)} tiers, each with an action", problems)


def composite_alarm(facts, ctx):
    composites = _need(facts, "composite_alarms")
    wanted = ctx["names"]["site_down_alarm"]
    found = [a for a in composites or [] if a["AlarmName"] == wanted]
    return _result(bool(found) and bool(found[0].get("AlarmActions")), f"{wanted} pages the team", f"no {wanted} alarm")


def dashboard(facts, ctx):
    found = _need(facts, "dashboards")
    wanted = ctx["names"]["dashboard"]
    return _result(wanted in (found or []), f"dashboard {wanted}", f"no dashboard {wanted}")


def tags_complete(facts, ctx):
    drifts, count = _need(facts, "tag_drifts", "tagged_count")
    if not count:
        return False, "no resource carries the stack tag"
    problems = [f"{d['resource']} ({d['type']}): {d['field']}" for d in drifts or []]
    return _result(not problems, f"{count} resources carry every stack tag", problems[:20])


def no_drift(facts, ctx):
    report = _need(facts, "drift")
    if report is None:
        not_applicable("no drift report given (audit.yml runs one unless audit_drift is false)")
    count = int(report.get("count", 0))
    lines = [f"{d['type']} {d['resource']}: {d['field']}" for d in report.get("drifts", [])][:20]
    return _result(count == 0, "the live stack matches the inventory", [f"{count} drift(s)", *lines])


def deployment_events(facts, ctx):
    subscription, rule = _need(facts, "db_event_subscription", "deploy_rule")
    problems = []
    if not subscription:
        problems.append(f"no RDS event subscription {ctx['names']['db_events']}")
    if not rule or rule.get("State") != "ENABLED":
        problems.append(f"no enabled EventBridge rule {ctx['names']['deploy_rule']}")
    return _result(not problems, "DB events and failed deployments reach the alert topic", problems)


# ---- the catalogue --------------------------------------------------------------------------------------------


def _check(cid, pillar, severity, bp, title, rationale, remediation, function, feature=None):
    return {
        "id": cid,
        "pillar": pillar,
        "severity": severity,
        "best_practice": bp,
        "title": title,
        "rationale": rationale,
        "remediation": remediation,
        "function": function,
        "feature": feature,
    }


SITE = "ansible-playbook playbooks/site.yml"
# Severity by environment where it differs: (production and staging, the others).
ENV_SEVERITY = {"db-multi-az": ("high", "low"), "db-backups": ("high", "medium")}

CHECKS = [
    _check("SEC-01", "security", "high", "SEC05-BP02", "DB not publicly accessible",
           "WordPress's database holds every user's password hash; it must answer only inside the VPC.",
           f"rds_db_instance publicly_accessible false; {SITE} restores it.", db_not_public),
    _check("SEC-02", "security", "high", "SEC08-BP02", "DB storage and master secret encrypted with the stack key",
           "A customer managed key lets you audit and revoke access to the data and its snapshots.",
           f"Restore from a snapshot encrypted with the stack key ({SITE} creates new instances so).", db_stack_key),
    _check("SEC-03", "security", "high", "SEC08-BP02", "Uploads file system encrypted with the stack key",
           "wp-content holds the site's media and plugins; encryption at rest with a key the stack controls.",
           "Encryption is set at creation: restore from the backup into a new file system.", efs_stack_key),
    _check("SEC-04", "security", "medium", "SEC08-BP02", "Log groups encrypted with the stack keys",
           "Access logs and PHP errors carry IP addresses and request paths.",
           f"{SITE} associates the key (cloudwatch_log_groups).", logs_stack_key),
    _check("SEC-05", "security", "medium", "SEC08-BP02", "Alert topics encrypted with the stack keys",
           "Alert messages name resources and thresholds.", f"{SITE} sets KmsMasterKeyId (sns_topic).", sns_stack_key),
    _check("SEC-06", "security", "high", "SEC08-BP02", "Secrets encrypted with the stack key",
           "DB credentials, salts and the origin-verify value are the keys to the site.",
           f"{SITE} sets the key (random_secret).", secrets_stack_key),
    _check("SEC-07", "security", "medium", "SEC08-BP02", "Backups encrypted with the stack key",
           "A backup is a copy of every secret the DB holds.", "Recreate the vault with the stack key.",
           backup_vault_key),
    _check("SEC-08", "security", "medium", "SEC08-BP01", "Stack keys rotate",
           "Yearly key rotation limits what one key version protects.", f"{SITE} enables rotation (kms_key).",
           key_rotation),
    _check("SEC-09", "security", "high", "SEC02-BP03", "DB credentials rotate",
           "A leaked password stays valid until it is rotated; rotation with a Lambda keeps the site up.",
           f"{SITE} sets the rotation schedule (secret_rotation); playbooks/rotate_secrets.yml rotates now.",
           secret_rotation, "lambda_invoke"),
    _check("SEC-10", "security", "high", "SEC02-BP03", "No plaintext secret in the task definition",
           "Task definitions are readable by anyone with ecs:Describe*; secrets belong in Secrets Manager.",
           "Move the value to a secret and reference it under secrets (valueFrom).", no_plaintext_secrets),
    _check("SEC-11", "security", "high", "SEC05-BP03", "WAF on the distribution: managed groups, rate limits",
           "WordPress is the most attacked CMS: the core, SQLi, PHP and WordPress rule groups and a rate limit.",
           f"{SITE} attaches the edge web ACL (cloudfront_distribution web_acl_arn).", edge_waf),
    _check("SEC-12", "security", "low", "SEC05-BP03", "WAF on the load balancer (when asked for)",
           "A second ACL on the ALB is defence in depth for a header that leaked.",
           "Set cloudfront_waf_regional_acl: true.", alb_waf),
    _check("SEC-13", "security", "high", "SEC05-BP02", "ALB reachable only from CloudFront's prefix list",
           "An ALB open to the internet lets attackers skip the WAF and the cache.",
           f"{SITE} restores the ALB group's rules (ec2_security_groups purge_rules).", alb_from_cloudfront_only),
    _check("SEC-14", "security", "high", "SEC05-BP02", "ALB answers 403 without the origin-verify header",
           "CloudFront's prefix list is shared by every AWS customer; the secret header proves it is our distribution.",
           f"{SITE} restores the listener rule (elb_header_rule).", alb_origin_header),
    _check("SEC-15", "security", "high", "SEC09-BP02", "Viewers on HTTPS with a current TLS policy",
           "Logins and cookies must never cross the internet in clear.",
           "ViewerProtocolPolicy redirect-to-https; a certificate with TLSv1.2_2021.", tls_viewer),
    _check("SEC-16", "security", "medium", "SEC09-BP02", "CloudFront to ALB over TLS with a TLS 1.3 policy",
           "The origin leg crosses the internet too.",
           "Give the ALB a certificate (certificates tier) so the origin protocol is https-only.", tls_origin),
    _check("SEC-17", "security", "high", "SEC05-BP02", "No security group open to the world",
           "Every tier is reached through the one before it; 0.0.0.0/0 ingress bypasses that.",
           f"{SITE} removes the rule (ec2_security_groups purge_rules).", no_world_ingress),
    _check("SEC-18", "security", "high", "SEC03-BP02", "No IAM policy grants * on *",
           "Each role gets the actions its job needs, on the stack's resources.",
           f"{SITE} rewrites the roles' policies (iam_roles).", iam_no_star),
    _check("SEC-19", "security", "medium", "SEC09-BP02", "Security headers on every behaviour",
           "HSTS keeps browsers on HTTPS; nosniff and frame options stop content-type and clickjacking attacks.",
           f"{SITE} attaches the response headers policy (cloudfront_response_headers_policy).", security_headers,
           "cloudfront_policies"),
    _check("REL-01", "reliability", "db-multi-az", "REL10-BP01", "DB Multi-AZ",
           "A standby in a second AZ takes over in a minute or two; a single instance waits for a restore.",
           "rds_multi_az: true (the staging and production profiles).", db_multi_az),
    _check("REL-02", "reliability", "db-backups", "REL09-BP03", "Automated DB backups kept long enough",
           "Point-in-time recovery reaches back only as far as the retention.",
           "rds_backup_retention_days (7 or more in staging and production).", db_backups),
    _check("REL-03", "reliability", "medium", "REL09-BP03", "A backup plan with retention",
           "AWS Backup keeps copies outside the DB's own retention, encrypted, in a vault.",
           f"{SITE} (foundation: backup_plan).", backup_plan),
    _check("REL-04", "reliability", "high", "REL09-BP01", "The backup plan selects the DB and the uploads",
           "A plan that selects nothing backs up nothing.", f"{SITE} (foundation: the tagged selection).",
           backup_selection, "backup_selection"),
    _check("REL-05", "reliability", "high", "REL08-BP05", "Deployment circuit breaker with rollback",
           "A bad image rolls back by itself instead of replacing healthy tasks.",
           f"{SITE} (ecs_service deployment_circuit_breaker).", circuit_breaker),
    _check("REL-06", "reliability", "high", "REL10-BP01", "Tasks can run in two AZs or more",
           "The service's subnets decide where tasks are placed.", "vpc_az_count: 2 or more.", tasks_spread),
    _check("REL-07", "reliability", "medium", "REL10-BP01", "Running tasks spread over AZs",
           "Placement spreads tasks; a service with every task in one AZ fails with it.",
           "Raise the desired count to two or more.", running_tasks_spread, "ecs_tasks"),
    _check("REL-08", "reliability", "medium", "REL11-BP01", "Load balancer health check on a WordPress path",
           "The ALB stops sending to a task that fails the check.",
           f"{SITE} (ecs_wordpress_health_check_path).", health_check),
    _check("REL-09", "reliability", "medium", "SEC08-BP04", "Deletion protection on the DB and the ALB",
           "One wrong teardown must not take production with it.", "On by default in production.",
           deletion_protection),
    _check("REL-10", "reliability", "high", "REL10-BP01", "Uploads reachable from two AZs or more",
           "Each AZ's tasks mount wp-content through a mount target in their AZ.", "vpc_az_count: 2 or more.",
           efs_multi_az),
    _check("PERF-01", "performance", "high", "PERF03-BP05", "Dynamic paths uncached, logged-in pages never shared",
           "A cached wp-admin or logged-in page serves one user's session to everyone.",
           f"{SITE} (cloudfront_distribution behaviours).", dynamic_uncached),
    _check("PERF-02", "performance", "medium", "PERF03-BP05", "Static assets cached a day or more",
           "Assets are versioned (?ver=); a long TTL keeps them off the origin.",
           "cloudfront_waf_static_ttl of 86400 or more.", assets_long),
    _check("PERF-03", "performance", "medium", "PERF04-BP02", "Compression on every behaviour",
           "Gzip and Brotli cut HTML, CSS and JS by two thirds.", f"{SITE} (Compress true).", compression),
    _check("PERF-04", "performance", "low", "PERF04-BP05", "HTTP/2 and HTTP/3 at the edge",
           "QUIC cuts connection set-up on mobile networks.", f"{SITE} (HttpVersion http2and3).", http_versions),
    _check("PERF-05", "performance", "medium", "PERF05-BP02", "Database Insights advanced mode in production",
           "Query-level waits and plans find the slow plugin before the readers do.",
           "rds_database_insights_mode: advanced.", database_insights, "database_insights"),
    _check("PERF-06", "performance", "medium", "PERF02-BP05", "Autoscaling with target tracking",
           "News traffic spikes; tasks follow CPU and requests per target.",
           f"{SITE} (ecs_autoscaling).", autoscaling),
    _check("COST-01", "cost", "medium", "COST07-BP01", "A Fargate Spot share",
           "Spot runs the same task for about 70 % less; the circuit breaker and autoscaling absorb interruptions.",
           "ecs_wordpress_spot_weight above 0.", spot_share),
    _check("COST-02", "cost", "medium", "COST02-BP05", "A budget with alerts",
           "A budget warns before the month's bill does.", f"{SITE} (cost_guard: budget).", budget),
    _check("COST-03", "cost", "medium", "COST01-BP06", "A cost anomaly monitor",
           "An anomaly (a bot storm, a loop) shows within a day, not at the end of the month.",
           f"{SITE} (cost_guard: cost_anomaly_monitor).", anomaly_monitor, "cost_anomaly"),
    _check("COST-04", "cost", "medium", "COST09-BP03", "Non-production stopped outside business hours",
           "A dev stack used 50 hours a week costs 30 % of one left on.",
           "cost_guard_business_hours (non-production).", schedules),
    _check("COST-05", "cost", "medium", "COST04-BP05", "Every log group expires",
           "Logs kept forever are the bill that only grows.", f"{SITE} (cloudwatch_log_retention).", log_retention),
    _check("COST-06", "cost", "high", "COST10-BP02", "No engine in paid Extended Support",
           "RDS bills Extended Support per vCPU-hour once an engine major leaves standard support.",
           "Upgrade the engine (MySQL 8.4 LTS) or set audit_allow_extended_support.", extended_support),
    _check("OPS-01", "operations", "high", "OPS08-BP04", "Alarms on every tier, each with an action",
           "An alarm nobody receives is a graph.", f"{SITE} (monitoring).", alarms_cover_tiers),
    _check("OPS-02", "operations", "medium", "OPS08-BP04", "A composite site-down alarm",
           "One page when the site is down, not twenty.", f"{SITE} (monitoring: composite alarm).",
           composite_alarm, "composite_alarms"),
    _check("OPS-03", "operations", "low", "OPS08-BP05", "A dashboard", "The on-call engineer's first screen.",
           f"{SITE} (monitoring: cloudwatch_dashboard).", dashboard),
    _check("OPS-04", "operations", "medium", "COST03-BP02", "Every resource carries the stack's tags",
           "Cost allocation, ownership and teardown find resources by their tags.", f"{SITE} retags them.",
           tags_complete),
    _check("OPS-05", "operations", "medium", "OPS05-BP03", "No drift from the inventory",
           "A console change that nobody recorded is lost at the next deploy, or worse, kept.",
           f"{SITE} repairs the drift; playbooks/drift.yml lists it.", no_drift),
    _check("OPS-06", "operations", "medium", "OPS08-BP04", "DB events and failed deployments alert",
           "Failovers, storage-full and rolled-back deployments reach the team.", f"{SITE} (monitoring).",
           deployment_events),
]  # fmt: skip
CHECK_IDS = [check["id"] for check in CHECKS]


def severity(check: dict, environment: str) -> str:
    value = check["severity"]
    if value in ENV_SEVERITY:
        return ENV_SEVERITY[value][0 if environment in PRODUCTION_LIKE else 1]
    return value


def evaluate(facts: dict, ctx: dict, skip: list | None = None) -> list[dict]:
    """Every check's verdict. ``ctx``: environment, region, edge_region, names, target_lacks, origin_header,
    regional_acl, allow_extended_support, today (ISO date)."""
    results = []
    for check in CHECKS:
        if check["id"] in (skip or []):
            continue
        result = {k: v for k, v in check.items() if k not in ("function", "feature")}
        result["severity"] = severity(check, ctx["environment"])
        if check["feature"] and check["feature"] in ctx["target_lacks"]:
            status, detail = "not_emulated", f"not emulated locally (the target lacks {check['feature']})"
        else:
            try:
                ok, detail = check["function"](facts, ctx)
                status = "pass" if ok else "fail"
            except Verdict as verdict:
                status, detail = verdict.status, verdict.detail
        results.append({**result, "status": status, "detail": detail})
    return results


def scores(results: list) -> dict:
    """Per pillar: passed, failed, not answered (unanswered or not emulated), not applicable, and the score
    (passed over the checks that apply, not-answered ones included: they are not passed)."""
    out = {}
    for pillar in PILLARS:
        mine = [r for r in results if r["pillar"] == pillar]
        counts = {s: sum(1 for r in mine if r["status"] == s) for s in STATUSES}
        applicable = len(mine) - counts["not_applicable"]
        out[pillar] = {
            **counts,
            "checks": len(mine),
            "score": round(100.0 * counts["pass"] / applicable, 1) if applicable else 100.0,
        }
    return out


def failing(results: list, fail_on: str) -> list:
    """The failed checks at or above severity ``fail_on`` (``none`` - never)."""
    if fail_on == "none":
        return []
    levels = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
    return [r for r in results if r["status"] == "fail" and r["severity"] in levels]


def ordered(results: list) -> list:
    """Failed checks first (high before low), then the unanswered, the passed and the not applicable."""
    return sorted(results, key=lambda r: (STATUSES.index(r["status"]), SEVERITIES.index(r["severity"]), r["id"]))


STATUS_LABELS = {
    "fail": "FAIL",
    "unanswered": "not answered",
    "not_emulated": "not emulated locally",
    "pass": "pass",
    "not_applicable": "n/a",
}


def _score_line(pillar: str, score: dict) -> str:
    return (
        f"{PILLAR_TITLES[pillar]}: {score['score']:.0f} % ({score['pass']} passed, {score['fail']} failed, "
        f"{score['not_emulated'] + score['unanswered']} not answered, {score['not_applicable']} n/a)"
    )


def failed_lines(results: list) -> list[str]:
    return [
        f"FAIL {r['id']} ({r['severity']}, {r['best_practice']}) {r['title']}: {r['detail']}"
        for r in ordered(results)
        if r["status"] == "fail"
    ]


def score_lines(report: dict) -> list[str]:
    return [_score_line(p, report["scores"][p]) for p in PILLARS]


def markdown(report: dict) -> str:
    lines = [
        f"# Well-Architected review of {report['stack']} ({report['environment']})",
        "",
        f"Read from {report['region']} and {report['edge_region']} on {report['generated']}.",
        "",
        "| pillar | score | passed | failed | not answered | n/a |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for pillar in PILLARS:
        s = report["scores"][pillar]
        lines.append(
            f"| {PILLAR_TITLES[pillar]} | {s['score']:.0f} % | {s['pass']} | {s['fail']} | "
            f"{s['not_emulated'] + s['unanswered']} | {s['not_applicable']} |"
        )
    lines += ["", "| status | severity | check | best practice | title | detail | remediation |"]
    lines += ["| --- | --- | --- | --- | --- | --- | --- |"]
    for r in ordered(report["checks"]):
        cells = [STATUS_LABELS[r["status"]], r["severity"], r["id"], r["best_practice"], r["title"], r["detail"]]
        cells.append(r["remediation"] if r["status"] == "fail" else "")
        lines.append("| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines) + "\n"


_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}"
    "td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}th{background:#f3f3f3}"
    ".fail{background:#fde2e1}.unanswered,.not_emulated{background:#fff4d6}.pass{background:#e3f6e5}"
    ".not_applicable{color:#777}.score{font-size:1.4em;font-weight:bold}"
)


def html_report(report: dict) -> str:
    """One self-contained page: no script, no external style sheet or font."""
    e = html.escape
    rows = []
    for pillar in PILLARS:
        s = report["scores"][pillar]
        rows.append(
            f"<tr><td>{e(PILLAR_TITLES[pillar])}</td><td class='score'>{s['score']:.0f} %</td><td>{s['pass']}</td>"
            f"<td>{s['fail']}</td><td>{s['not_emulated'] + s['unanswered']}</td><td>{s['not_applicable']}</td></tr>"
        )
    checks = []
    for r in ordered(report["checks"]):
        remediation = r["remediation"] if r["status"] == "fail" else ""
        checks.append(
            f"<tr class='{e(r['status'])}'><td>{e(STATUS_LABELS[r['status']])}</td><td>{e(r['severity'])}</td>"
            f"<td>{e(r['id'])}</td><td>{e(r['best_practice'])}</td><td>{e(r['title'])}<br><small>"
            f"{e(r['rationale'])}</small></td><td>{e(str(r['detail']))}</td><td>{e(remediation)}</td></tr>"
        )
    title = f"Well-Architected review of {report['stack']} ({report['environment']})"
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{e(title)}</title>"
        f"<style>{_CSS}</style></head><body><h1>{e(title)}</h1>"
        f"<p>Read from {e(report['region'])} and {e(report['edge_region'])} on {e(report['generated'])}.</p>"
        "<table><tr><th>pillar</th><th>score</th><th>passed</th><th>failed</th><th>not answered</th><th>n/a</th></tr>"
        + "".join(rows)
        + "</table><h2>Checks, failed first</h2><table><tr><th>status</th><th>severity</th><th>check</th>"
        "<th>best practice</th><th>title</th><th>detail</th><th>remediation</th></tr>"
        + "".join(checks)
        + "</table></body></html>\n"
    )
