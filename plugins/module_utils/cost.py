# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The monthly cost of a stack's configuration, from a dated list-price table and a traffic profile.

One pure function so unit tests can check it against hand-computed totals. Every component says how it was
computed (``basis``), so a reader can redo the arithmetic. A month is 730 hours (AWS's own convention).
"""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.cloudfront import ADDITIONAL_METRICS

HOURS = 730.0
GIB = 1024.0 * 1024.0  # KiB per GiB

# Every price a region entry must carry (unit in the name); cloudfront_* are keyed by price class.
PRICE_KEYS = (
    "nat_gateway_hour",
    "nat_gateway_gb",
    "vpc_endpoint_hour",
    "alb_hour",
    "alb_lcu_hour",
    "fargate_vcpu_hour",
    "fargate_gb_hour",
    "fargate_spot_vcpu_hour",
    "fargate_spot_gb_hour",
    "rds_instance_hour",
    "rds_gp3_gb_month",
    "rds_backup_gb_month",
    "rds_extended_support_vcpu_hour",
    "efs_standard_gb_month",
    "cloudfront_gb",
    "cloudfront_10k_https_requests",
    "waf_web_acl_month",
    "waf_rule_month",
    "waf_million_requests",
    "kms_key_month",
    "secret_month",
    "cloudwatch_alarm_month",
    "cloudwatch_dashboard_month",
    "cloudwatch_metric_month",
    "cloudwatch_logs_ingest_gb",
    "cloudwatch_logs_store_gb_month",
    "lambda_million_requests",
    "lambda_gb_second",
    "ecr_storage_gb_month",
)

CONFIG_DEFAULTS = {
    "nat_gateways": 1,
    "nat_gb": 10.0,
    "interface_endpoints": 0,
    "fargate_tasks": 1,
    "fargate_vcpu": 0.5,
    "fargate_memory_gb": 1.0,
    "ondemand_base": 0,
    "ondemand_weight": 0,
    "spot_weight": 1,
    "rds_class": "db.t4g.micro",
    "rds_multi_az": False,
    "rds_replica": False,
    "rds_storage_gb": 20.0,
    "rds_backup_retention_days": 1,
    "rds_daily_change_ratio": 0.02,
    # RDS Extended Support (a major past standard support, accepted with rds_allow_extended_support)
    "rds_extended_support": False,
    "rds_vcpus": 2,
    "rds_replica_vcpus": 2,
    "efs_gb": 5.0,
    # the WordPress image cached by the ECR pull-through cache rule (compressed size; the application tier's plan)
    "ecr_cached_image_gb": 0.0,
    "price_class": "PriceClass_100",
    # CloudFront's additional metrics (the distribution's monitoring subscription; the edge tier's plan)
    "cloudfront_additional_metrics": False,
    "waf_rules": 11,
    "kms_keys": 2,
    "secrets": 3,
    "alarms": 22,
    "dashboards": 1,
    "log_gb": 2.0,
    "log_retention_months": 1.0,
    "lambda_invocations": 1000,
    "lambda_gb_seconds": 100.0,
}

PROFILE_DEFAULTS = {
    "monthly_page_views": 100000,
    "average_page_weight_kb": 1500.0,
    "requests_per_page": 20,
    "cache_hit_ratio": 0.9,
}


def input_errors(config: dict, profile: dict, prices: dict, region: str, max_monthly_usd) -> list[str]:
    """Errors in the inputs of an estimate, each naming its variable."""
    errors = []
    regions = (prices or {}).get("regions") or {}
    if region not in regions:
        errors.append(
            f"region {region!r} is not in the price file dated {prices.get('date', '?')} "
            f"(it has {', '.join(sorted(regions)) or 'none'})"
        )
    else:
        entry = regions[region]
        missing = [key for key in PRICE_KEYS if key not in entry]
        if missing:
            errors.append(f"the price file's {region} entry lacks {', '.join(missing)}")
        for key, item in entry.items():
            if not isinstance(item, dict) or "source" not in item:
                errors.append(f"the price file's {region}.{key} must be a mapping with a price and a source page")
    if max_monthly_usd is not None and float(max_monthly_usd) < 0:
        errors.append(f"cost_guard_max_monthly_usd {float(max_monthly_usd):g} must not be negative")
    c = {**CONFIG_DEFAULTS, **(config or {})}
    p = {**PROFILE_DEFAULTS, **(profile or {})}
    if not 0 <= float(p["cache_hit_ratio"]) <= 1:
        errors.append(f"cost_guard_traffic.cache_hit_ratio {p['cache_hit_ratio']} must be between 0 and 1")
    for key in ("monthly_page_views", "average_page_weight_kb", "requests_per_page"):
        if float(p[key]) < 0:
            errors.append(f"cost_guard_traffic.{key} {p[key]} must not be negative")
    if c.get("spot_share_percent") is not None and not 0 <= float(c["spot_share_percent"]) <= 100:
        errors.append(f"cost_guard_spot_share_percent {c['spot_share_percent']} must be between 0 and 100")
    weights = float(c["ondemand_weight"]) + float(c["spot_weight"])
    if float(c["ondemand_weight"]) < 0 or float(c["spot_weight"]) < 0 or weights == 0:
        errors.append("the Fargate weights must be zero or more and not both zero")
    if region in regions:
        rds = regions[region].get("rds_instance_hour", {})
        if c["rds_class"] not in (rds.get("price") or {}):
            errors.append(f"rds_instance_class {c['rds_class']} has no price in the price file for {region}")
        cf = regions[region].get("cloudfront_gb", {})
        if c["price_class"] not in (cf.get("price") or {}):
            errors.append(f"cloudfront_waf_price_class {c['price_class']} has no price in the price file")
    return errors


def spot_share(config: dict) -> float:
    """The share of the average task count that runs on Fargate Spot (base on demand, the rest by weight), unless
    ``spot_share_percent`` says what share to expect (Spot capacity is not always there)."""
    c = {**CONFIG_DEFAULTS, **(config or {})}
    if c.get("spot_share_percent") is not None:
        return float(c["spot_share_percent"]) / 100
    tasks = float(c["fargate_tasks"])
    if tasks <= 0:
        return 0.0
    above = max(0.0, tasks - float(c["ondemand_base"]))
    weights = float(c["ondemand_weight"]) + float(c["spot_weight"])
    spot = above * float(c["spot_weight"]) / weights if weights else 0.0
    return spot / tasks


def estimate(config: dict, profile: dict, prices: dict, region: str) -> dict:
    """The monthly cost per component and the total, in the price file's currency.

    Call input_errors() first: this function assumes the inputs are valid.
    """
    c = {**CONFIG_DEFAULTS, **(config or {})}
    t = {**PROFILE_DEFAULTS, **(profile or {})}
    entry = prices["regions"][region]

    def price(key, sub=None):
        value = entry[key]["price"]
        return float(value[sub] if sub is not None else value)

    lines = []

    def add(component, tier, usd, basis):
        lines.append({"component": component, "tier": tier, "monthly_usd": round(usd, 2), "basis": basis})

    views = float(t["monthly_page_views"])
    requests = views * float(t["requests_per_page"])
    hit = float(t["cache_hit_ratio"])
    edge_gb = views * float(t["average_page_weight_kb"]) / GIB
    origin_requests = requests * (1 - hit)
    origin_gb = edge_gb * (1 - hit)

    nat = int(c["nat_gateways"])
    add(
        "nat_gateways",
        "network",
        nat * HOURS * price("nat_gateway_hour") + float(c["nat_gb"]) * price("nat_gateway_gb"),
        f"{nat} x {HOURS:.0f} h + {c['nat_gb']} GB processed",
    )
    endpoints = int(c["interface_endpoints"])
    if endpoints:
        add(
            "vpc_endpoints",
            "network",
            endpoints * HOURS * price("vpc_endpoint_hour"),
            f"{endpoints} interface endpoint ENIs x {HOURS:.0f} h",
        )
    # One LCU: 1 GB processed per hour or 25 new connections per second; each origin request counted as one.
    lcu = max(origin_gb / HOURS, origin_requests / HOURS / 3600 / 25)
    add(
        "load_balancer",
        "application",
        HOURS * (price("alb_hour") + lcu * price("alb_lcu_hour")),
        f"{HOURS:.0f} h + {lcu:.4f} LCU/h ({origin_requests:.0f} origin requests, {origin_gb:.2f} GB)",
    )
    share = spot_share(c)
    tasks = float(c["fargate_tasks"])
    vcpu, gb = float(c["fargate_vcpu"]), float(c["fargate_memory_gb"])
    ondemand = tasks * (1 - share) * HOURS * (vcpu * price("fargate_vcpu_hour") + gb * price("fargate_gb_hour"))
    spot = tasks * share * HOURS * (vcpu * price("fargate_spot_vcpu_hour") + gb * price("fargate_spot_gb_hour"))
    add("fargate_on_demand", "application", ondemand, f"{tasks * (1 - share):g} tasks x {vcpu:g} vCPU / {gb:g} GB")
    add("fargate_spot", "application", spot, f"{tasks * share:g} tasks x {vcpu:g} vCPU / {gb:g} GB ({share:.0%} Spot)")
    copies = 2 if c["rds_multi_az"] else 1
    add(
        "rds_instance",
        "data",
        HOURS * price("rds_instance_hour", c["rds_class"]) * copies,
        f"{c['rds_class']} x {copies} ({'Multi-AZ' if copies == 2 else 'Single-AZ'})",
    )
    storage = float(c["rds_storage_gb"])
    add("rds_storage", "data", storage * copies * price("rds_gp3_gb_month"), f"{storage:g} GB gp3 x {copies}")
    # Backups are one full copy plus each day's changes for the retention; RDS gives backup storage up to the
    # database's size free, so what is billed is the changes.
    backup_gb = storage * float(c["rds_daily_change_ratio"]) * int(c["rds_backup_retention_days"])
    add("rds_backups", "data", backup_gb * price("rds_backup_gb_month"), f"{backup_gb:.1f} GB beyond the free size")
    if c["rds_replica"]:
        add(
            "rds_replica",
            "data",
            HOURS * price("rds_instance_hour", c["rds_class"]) + storage * price("rds_gp3_gb_month"),
            f"{c['rds_class']} + {storage:g} GB",
        )
    if c["rds_extended_support"]:
        # every instance is billed, the Multi-AZ standby and the replica included
        vcpu_hours = HOURS * (int(c["rds_vcpus"]) * copies + (int(c["rds_replica_vcpus"]) if c["rds_replica"] else 0))
        add(
            "rds_extended_support",
            "data",
            vcpu_hours * price("rds_extended_support_vcpu_hour"),
            f"{vcpu_hours:.0f} vCPU-hours ({c['rds_vcpus']} vCPU x {copies}"
            f"{' + replica ' + str(c['rds_replica_vcpus']) if c['rds_replica'] else ''}), years 1-2 rate",
        )
    add("efs", "application", float(c["efs_gb"]) * price("efs_standard_gb_month"), f"{c['efs_gb']} GB standard")
    cached_gb = float(c["ecr_cached_image_gb"])
    if cached_gb:
        # the pull-through cache's copy of the image in ECR; pulls in the region are free of data transfer
        add(
            "ecr_image_cache",
            "application",
            cached_gb * price("ecr_storage_gb_month"),
            f"{cached_gb:g} GB of cached image in ECR (pull-through cache of ECR Public)",
        )
    add(
        "cloudfront",
        "edge",
        edge_gb * price("cloudfront_gb", c["price_class"])
        + requests / 10000 * price("cloudfront_10k_https_requests", c["price_class"]),
        f"{edge_gb:.1f} GB and {requests:.0f} HTTPS requests ({c['price_class']})",
    )
    if c["cloudfront_additional_metrics"]:
        # a fixed monthly charge per metric, whatever the traffic (see cloudfront.ADDITIONAL_METRICS)
        add(
            "cloudfront_metrics",
            "edge",
            ADDITIONAL_METRICS * price("cloudwatch_metric_month"),
            f"{ADDITIONAL_METRICS} additional distribution metrics (monitoring subscription), CloudWatch us-east-1",
        )
    rules = int(c["waf_rules"])
    add(
        "waf",
        "edge",
        price("waf_web_acl_month") + rules * price("waf_rule_month") + requests / 1e6 * price("waf_million_requests"),
        f"1 web ACL, {rules} rules, {requests:.0f} requests",
    )
    add("kms", "foundation", int(c["kms_keys"]) * price("kms_key_month"), f"{c['kms_keys']} keys")
    add("secrets_manager", "data", int(c["secrets"]) * price("secret_month"), f"{c['secrets']} secrets")
    logs_gb = float(c["log_gb"])
    add(
        "cloudwatch",
        "monitoring",
        int(c["alarms"]) * price("cloudwatch_alarm_month")
        + int(c["dashboards"]) * price("cloudwatch_dashboard_month")
        + logs_gb * price("cloudwatch_logs_ingest_gb")
        + logs_gb * float(c["log_retention_months"]) * price("cloudwatch_logs_store_gb_month"),
        f"{c['alarms']} alarms, {c['dashboards']} dashboard, {logs_gb:g} GB logs",
    )
    add(
        "lambda",
        "data",
        int(c["lambda_invocations"]) / 1e6 * price("lambda_million_requests")
        + float(c["lambda_gb_seconds"]) * price("lambda_gb_second"),
        f"{c['lambda_invocations']} invocations, {c['lambda_gb_seconds']:g} GB-s",
    )
    total = round(sum(line["monthly_usd"] for line in lines), 2)
    by_tier = {}
    for line in lines:
        by_tier[line["tier"]] = round(by_tier.get(line["tier"], 0) + line["monthly_usd"], 2)
    width = max(len(line["component"]) for line in lines)
    text = [f"{line['component']:<{width}} {line['monthly_usd']:>9.2f}  {line['basis']}" for line in lines]
    return {
        "lines": text,
        "currency": prices.get("currency", "USD"),
        "price_date": str(prices.get("date", "")),
        "region": region,
        "components": lines,
        "by_tier": by_tier,
        "total_monthly_usd": total,
        "spot_share": round(share, 4),
        "traffic": {"requests": requests, "edge_gb": round(edge_gb, 3), "origin_requests": origin_requests},
        "config": c,
    }
