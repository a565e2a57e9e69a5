# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where each price of ``roles/cost_guard/files/prices.yml`` is in the AWS Price List API, and how to read it.

Pure functions: ``price_list_info`` makes the GetProducts calls these describe. A price is refreshed only when
exactly one product answers its query; otherwise the table keeps its value and the result says why, so a change in
AWS's catalogue shows up as "kept" rather than as a wrong number.
"""

from __future__ import annotations

import json
import re

# A region-scoped query: the service code, attribute filters (TERM_MATCH) besides regionCode, the usage type
# (after its region prefix, e.g. EUW3-), and what multiplies the API's unit price into the table's unit.
REGIONAL = {
    "nat_gateway_hour": ("AmazonEC2", {"productFamily": "NAT Gateway"}, r"NatGateway-Hours", 1),
    "nat_gateway_gb": ("AmazonEC2", {"productFamily": "NAT Gateway"}, r"NatGateway-Bytes", 1),
    "vpc_endpoint_hour": ("AmazonVPC", {"productFamily": "VpcEndpoint"}, r"VpcEndpoint-Hours", 1),
    "alb_hour": ("AWSELB", {"productFamily": "Load Balancer-Application"}, r"LoadBalancerUsage", 1),
    "alb_lcu_hour": ("AWSELB", {"productFamily": "Load Balancer-Application"}, r"LCUUsage", 1),
    "fargate_vcpu_hour": ("AmazonECS", {}, r"Fargate-vCPU-Hours:perCPU", 1),
    "fargate_gb_hour": ("AmazonECS", {}, r"Fargate-GB-Hours", 1),
    "fargate_spot_vcpu_hour": ("AmazonECS", {}, r"SpotUsage-Fargate-vCPU-Hours:perCPU", 1),
    "fargate_spot_gb_hour": ("AmazonECS", {}, r"SpotUsage-Fargate-GB-Hours", 1),
    "rds_gp3_gb_month": (
        "AmazonRDS",
        {"volumeType": "General Purpose-GP3", "deploymentOption": "Single-AZ", "databaseEngine": "MySQL"},
        r"RDS:GP3-Storage",
        1,
    ),
    "rds_backup_gb_month": ("AmazonRDS", {"productFamily": "Storage Snapshot"}, r"RDS:ChargedBackupUsage", 1),
    # the years 1-2 rate of MySQL's Extended Support (usage type e.g. EUW3-ExtendedSupport:Yr1-Yr2:MySQL8.0)
    "rds_extended_support_vcpu_hour": ("AmazonRDS", {"databaseEngine": "MySQL"}, r"ExtendedSupport:Yr1-Yr2:MySQL", 1),
    "efs_standard_gb_month": ("AmazonEFS", {"storageClass": "General Purpose"}, r"TimedStorage-ByteHrs", 1),
    "waf_web_acl_month": ("awswaf", {}, r"WebACL", 1),
    "waf_rule_month": ("awswaf", {}, r"Rule", 1),
    "waf_million_requests": ("awswaf", {}, r"Request", 1_000_000),
    "kms_key_month": ("awskms", {}, r"KMS-Keys", 1),
    "secret_month": ("AWSSecretsManager", {}, r"AWSSecretsManager-Secrets", 1),
    "cloudwatch_alarm_month": ("AmazonCloudWatch", {}, r"CW:AlarmMonitorUsage", 1),
    # billed by the hour at a 744-hour month's share of the monthly price
    "cloudwatch_dashboard_month": ("AmazonCloudWatch", {}, r"DashboardsUsageHour", 744),
    # custom metrics, first tier (CloudFront's additional metrics are billed so, in us-east-1)
    "cloudwatch_metric_month": ("AmazonCloudWatch", {}, r"CW:MetricMonitorUsage", 1),
    "cloudwatch_logs_ingest_gb": ("AmazonCloudWatch", {}, r"DataProcessing-Bytes", 1),
    "cloudwatch_logs_store_gb_month": ("AmazonCloudWatch", {}, r"TimedStorage-ByteHrs", 1),
    "lambda_million_requests": ("AWSLambda", {}, r"Request", 1_000_000),
    "lambda_gb_second": ("AWSLambda", {}, r"Lambda-GB-Second", 1),
    "ecr_storage_gb_month": ("AmazonECR", {}, r"TimedStorage-ByteHrs", 1),
}

# RDS instance-hours: one query per class of the table.
RDS_INSTANCE = ("AmazonRDS", {"databaseEngine": "MySQL", "deploymentOption": "Single-AZ"}, r"InstanceUsage:{cls}", 1)

# CloudFront is priced per edge area, not per region: the table keeps, per price class, the dearest area the class
# serves from (the same for every region of the table). The areas are the usage types' prefixes.
CLOUDFRONT_AREAS = {
    "PriceClass_100": ("US", "CA", "EU"),
    "PriceClass_200": ("US", "CA", "EU", "JP", "AP", "IN", "ZA", "ME"),
    "PriceClass_All": ("US", "CA", "EU", "JP", "AP", "IN", "ZA", "ME", "SA", "AU"),
}
CLOUDFRONT = {
    "cloudfront_gb": (r"DataTransfer-Out-Bytes", 1),
    "cloudfront_10k_https_requests": (r"Requests-Tier2-HTTPS", 10_000),
}


def regional_query(key: str, region: str, rds_class: str = "") -> dict:
    """GetProducts' parameters and the usage-type pattern for one price of one region."""
    service, attributes, usage, scale = RDS_INSTANCE if key == "rds_instance_hour" else REGIONAL[key]
    filters = [{"Type": "TERM_MATCH", "Field": "regionCode", "Value": region}]
    if key == "rds_instance_hour":
        filters.append({"Type": "TERM_MATCH", "Field": "instanceType", "Value": rds_class})
        usage = usage.format(cls=re.escape(rds_class))
    filters += [{"Type": "TERM_MATCH", "Field": k, "Value": v} for k, v in attributes.items()]
    # a usage type is PREFIX-<usage> (the prefix names the region; us-east-1 often has none)
    return {
        "params": {"ServiceCode": service, "Filters": filters, "FormatVersion": "aws_v1"},
        "usage": re.compile(rf"^([A-Z0-9]+-)?{usage}$"),
        "scale": scale,
    }


def cloudfront_query(key: str, area: str) -> dict:
    """GetProducts' parameters and the usage-type pattern for one CloudFront price of one edge area."""
    usage, scale = CLOUDFRONT[key]
    return {
        "params": {"ServiceCode": "AmazonCloudFront", "Filters": [], "FormatVersion": "aws_v1"},
        "usage": re.compile(rf"^{area}-{usage}$"),
        "scale": scale,
    }


def on_demand_price(product: dict) -> float | None:
    """The USD price of the lowest paid tier of the product's on-demand terms (free tiers skipped)."""
    dimensions = []
    for term in product.get("terms", {}).get("OnDemand", {}).values():
        dimensions.extend(term.get("priceDimensions", {}).values())
    paid = []
    for dim in dimensions:
        usd = float(dim.get("pricePerUnit", {}).get("USD", 0) or 0)
        if usd > 0:
            paid.append((float(dim.get("beginRange", 0) or 0), usd))
    return min(paid)[1] if paid else None


def matching(products: list, pattern) -> list:
    """The products (parsed) whose usage type matches, with their usage type."""
    found = []
    for raw in products:
        product = json.loads(raw) if isinstance(raw, str) else raw
        usage_type = product.get("product", {}).get("attributes", {}).get("usagetype", "")
        if pattern.match(usage_type):
            found.append((usage_type, product))
    return found


def pick(products: list, query: dict) -> tuple[float | None, str]:
    """(price in the table's unit, where it came from) when exactly one product matches; (None, why) otherwise."""
    found = matching(products, query["usage"])
    usage_types = sorted({u for u, _product in found})
    if len(usage_types) != 1:
        return None, f"{len(usage_types)} usage types matched {query['usage'].pattern}" + (
            f" ({', '.join(usage_types[:4])})" if usage_types else ""
        )
    prices = {on_demand_price(p) for _usage, p in found} - {None}
    if len(prices) != 1:
        return None, f"{usage_types[0]}: {len(prices)} distinct on-demand prices"
    price = float(f"{prices.pop() * query['scale']:.6g}")  # six significant digits, as the pricing pages show
    return price, f"{query['params']['ServiceCode']} {usage_types[0]}"


def cloudfront_price(products: list, key: str, price_class: str) -> tuple[float | None, str]:
    """The dearest area of the class, or None when an area of the class has no single price."""
    best = None
    areas = CLOUDFRONT_AREAS[price_class]
    for area in areas:
        price, why = pick(products, cloudfront_query(key, area))
        if price is None:
            return None, f"area {area}: {why}"
        best = price if best is None else max(best, price)
    return best, f"AmazonCloudFront, dearest of {', '.join(areas)}"


def refreshed(table: dict, found: dict, today: str) -> tuple[dict, list]:
    """The table with the found prices (``found[region][key]`` = (price, api) or (None, why)) and what changed."""
    out = json.loads(json.dumps(table))  # a deep copy that drops YAML anchors
    changes, read = [], False
    for region, keys in found.items():
        for key, value in keys.items():
            entry = out["regions"][region][key]
            if isinstance(value, dict):  # per class (RDS, CloudFront)
                for sub, (price, _why) in value.items():
                    read = read or price is not None
                    if price is not None and entry["price"].get(sub) != price:
                        changes.append(f"{region} {key} {sub}: {entry['price'].get(sub)} -> {price}")
                        entry["price"][sub] = price
                apis = sorted({why for price, why in value.values() if price is not None})
                if apis:
                    entry["price_list"] = "; ".join(apis)
            else:
                price, why = value
                read = read or price is not None
                if price is not None:
                    if entry["price"] != price:
                        changes.append(f"{region} {key}: {entry['price']} -> {price}")
                        entry["price"] = price
                    entry["price_list"] = why
    if read:  # the date says when the prices were last read from the API
        out["date"] = today
    return out, changes


def kept(found: dict) -> list:
    """The prices the API did not answer with one value, and why (the table keeps them)."""
    out = []
    for region, keys in found.items():
        for key, value in keys.items():
            items = value.items() if isinstance(value, dict) else [("", value)]
            for sub, (price, why) in items:
                if price is None:
                    out.append(f"{region} {key}{' ' + sub if sub else ''}: {why}")
    return out
