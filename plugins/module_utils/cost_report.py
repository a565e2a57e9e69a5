# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stack's monthly cost report: Cost Explorer's answers summarised, and written as Markdown and CSV.

Pure functions (no AWS calls): ``cost_report_info`` asks Cost Explorer, these turn the answers into the tiers the
estimate uses (``module_utils/cost.py``), so the report can put the estimate next to what was billed.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

# The tiers the estimate prices, in the order the report prints them; "other" holds what no tier owns (tax...).
TIERS = ("network", "application", "data", "edge", "foundation", "monitoring", "other")

# Cost Explorer's SERVICE dimension values, by the tier that builds them. NAT gateway hours and bytes are billed
# under "EC2 - Other"; the stack runs no EC2 instance, so that line is the network's.
SERVICE_TIERS = {
    "EC2 - Other": "network",
    "Amazon Elastic Compute Cloud - Compute": "network",
    "Amazon Virtual Private Cloud": "network",
    "Amazon Elastic Load Balancing": "application",
    "Amazon Elastic Container Service": "application",
    "Amazon Elastic File System": "application",
    "Amazon EC2 Container Registry (ECR)": "application",
    "Amazon Relational Database Service": "data",
    "AWS Secrets Manager": "data",
    "AWS Lambda": "data",
    "AWS Backup": "data",
    "Amazon CloudFront": "edge",
    "AWS WAF": "edge",
    "Amazon Route 53": "edge",
    "AWS Certificate Manager": "edge",
    "AWS Key Management Service": "foundation",
    "AmazonCloudWatch": "monitoring",
    "Amazon Simple Notification Service": "monitoring",
    "Amazon EventBridge": "monitoring",
    "AWS Cost Explorer": "monitoring",
}

# Fargate's compute usage types: "EUW3-Fargate-vCPU-Hours:perCPU", "EUW3-SpotUsage-Fargate-vCPU-Hours:perCPU"
# (and -ARM- variants). The report counts vCPU-hours; memory follows the same split.
FARGATE_VCPU = re.compile(r"Fargate(-ARM)?-vCPU-Hours")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def tier_of(service: str) -> str:
    return SERVICE_TIERS.get(service, "other")


def period(today: date, month: str | None = None) -> dict:
    """The month reported (``YYYY-MM``; the last complete month by default) as Cost Explorer's TimePeriod.

    Raises ValueError for a malformed month or one that has not ended yet (Cost Explorer's End is exclusive and
    must not be in the future; a running month would report a part as if it were the whole).
    """
    if month:
        found = MONTH.match(str(month))
        if not found:
            raise ValueError(f"month {month!r} is not YYYY-MM")
        year, mon = int(found.group(1)), int(found.group(2))
    else:
        year, mon = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    start = date(year, mon, 1)
    end = date(year + 1, 1, 1) if mon == 12 else date(year, mon + 1, 1)
    if end > today:
        raise ValueError(f"month {start:%Y-%m} has not ended yet (today is {today.isoformat()})")
    if (today.year - year) * 12 + today.month - mon > 13:
        raise ValueError(f"month {start:%Y-%m} is older than the 13 months Cost Explorer keeps")
    return {"label": f"{start:%Y-%m}", "Start": start.isoformat(), "End": end.isoformat()}


def usage_request(tag_key: str, tag_value: str, time_period: dict) -> dict:
    """GetCostAndUsage's parameters: one month, the stack's cost allocation tag, by service and usage type."""
    return {
        "TimePeriod": {"Start": time_period["Start"], "End": time_period["End"]},
        "Granularity": "MONTHLY",
        "Metrics": ["UnblendedCost", "UsageQuantity"],
        "Filter": {"Tags": {"Key": tag_key, "Values": [tag_value], "MatchOptions": ["EQUALS"]}},
        "GroupBy": [{"Type": "DIMENSION", "Key": "SERVICE"}, {"Type": "DIMENSION", "Key": "USAGE_TYPE"}],
    }


def summarize_usage(results_by_time: list) -> dict:
    """Cost by service and by tier, the total, and Fargate's vCPU-hours on Spot and on demand."""
    by_service: dict[str, float] = {}
    currency = ""
    estimated = False
    spot_hours = ondemand_hours = 0.0
    for result in results_by_time:
        estimated = estimated or bool(result.get("Estimated"))
        for group in result.get("Groups", []):
            keys = group.get("Keys", [])
            service = keys[0] if keys else "unknown"
            usage_type = keys[1] if len(keys) > 1 else ""
            metrics = group.get("Metrics", {})
            cost = metrics.get("UnblendedCost", {})
            by_service[service] = by_service.get(service, 0.0) + float(cost.get("Amount", 0) or 0)
            currency = currency or cost.get("Unit", "")
            if FARGATE_VCPU.search(usage_type):
                hours = float(metrics.get("UsageQuantity", {}).get("Amount", 0) or 0)
                if "SpotUsage" in usage_type:
                    spot_hours += hours
                else:
                    ondemand_hours += hours
    by_tier: dict[str, float] = {}
    for service, usd in by_service.items():
        by_tier[tier_of(service)] = by_tier.get(tier_of(service), 0.0) + usd
    fargate_hours = spot_hours + ondemand_hours
    return {
        "currency": currency or "USD",
        "estimated": estimated,
        "by_service": {k: round(v, 2) for k, v in sorted(by_service.items(), key=lambda kv: (-kv[1], kv[0]))},
        "by_tier": {tier: round(by_tier[tier], 2) for tier in TIERS if tier in by_tier},
        "total_usd": round(sum(by_service.values()), 2),
        "fargate": {
            "spot_vcpu_hours": round(spot_hours, 2),
            "ondemand_vcpu_hours": round(ondemand_hours, 2),
            "spot_share": round(spot_hours / fargate_hours, 4) if fargate_hours else None,
        },
    }


def _money(value) -> float:
    return round(float(value or 0), 2)


def rds_reservations(recommendations: list, db_class: str) -> list:
    """Cost Explorer's RDS reserved-instance recommendations, flat; ``matches_stack`` when it is the stack's class."""
    found = []
    for recommendation in recommendations:
        term = recommendation.get("TermInYears", "")
        payment = recommendation.get("PaymentOption", "")
        for detail in recommendation.get("RecommendationDetails", []):
            rds = detail.get("InstanceDetails", {}).get("RDSInstanceDetails", {})
            found.append(
                {
                    "instance_type": rds.get("InstanceType", ""),
                    "engine": rds.get("DatabaseEngine", ""),
                    "deployment": rds.get("DeploymentOption", ""),
                    "region": rds.get("Region", ""),
                    "count": int(float(detail.get("RecommendedNumberOfInstancesToPurchase", 0) or 0)),
                    "term": term,
                    "payment": payment,
                    "upfront_usd": _money(detail.get("UpfrontCost")),
                    "monthly_savings_usd": _money(detail.get("EstimatedMonthlySavingsAmount")),
                    "savings_percent": _money(detail.get("EstimatedMonthlySavingsPercentage")),
                    "break_even_months": _money(detail.get("EstimatedBreakEvenInMonths")),
                    "matches_stack": rds.get("InstanceType", "") == db_class,
                }
            )
    return sorted(found, key=lambda r: (-r["monthly_savings_usd"], r["instance_type"]))


def savings_plans(recommendation: dict) -> list:
    """Cost Explorer's Compute Savings Plans recommendations (they cover Fargate and Lambda, not Fargate Spot)."""
    found = []
    for detail in recommendation.get("SavingsPlansPurchaseRecommendationDetails", []):
        found.append(
            {
                "hourly_commitment_usd": float(detail.get("HourlyCommitmentToPurchase", 0) or 0),
                "term": recommendation.get("TermInYears", ""),
                "payment": recommendation.get("PaymentOption", ""),
                "upfront_usd": _money(detail.get("UpfrontCost")),
                "monthly_savings_usd": _money(detail.get("EstimatedMonthlySavingsAmount")),
                "savings_percent": _money(detail.get("EstimatedSavingsPercentage")),
                "utilization_percent": _money(detail.get("EstimatedAverageUtilization")),
            }
        )
    return sorted(found, key=lambda r: -r["monthly_savings_usd"])


def _percent(value) -> str:
    return "n/a" if value is None else f"{value * 100:.0f} %"


def _versus(actual: float, estimated: float) -> str:
    if not estimated:
        return "n/a"
    return f"{(actual - estimated) / estimated * 100:+.0f} %"


def comparison(usage: dict, estimate: dict) -> list:
    """Per tier: billed, estimated, difference; every tier either side has, in the report's order."""
    rows = []
    billed, priced = usage.get("by_tier", {}), (estimate or {}).get("by_tier", {})
    for tier in TIERS:
        if tier in billed or tier in priced:
            actual, estimated = float(billed.get(tier, 0.0)), float(priced.get(tier, 0.0))
            rows.append(
                {
                    "tier": tier,
                    "actual_usd": round(actual, 2),
                    "estimated_usd": round(estimated, 2),
                    "difference": _versus(actual, estimated),
                }
            )
    return rows


def markdown(report: dict, estimate: dict | None = None) -> str:
    """The report for people: one table per question, and what could not be asked said in words."""
    usage = report["usage"]
    cur = usage["currency"]
    lines = [
        f"# Cost report: stack {report['stack']}, {report['period']['label']}",
        "",
        f"Costs tagged `{report['tag_key']}={report['stack']}` (activate it as a cost allocation tag once per "
        f"account), {report['period']['Start']} to {report['period']['End']} (end exclusive), from Cost Explorer.",
    ]
    if usage["estimated"]:
        lines += ["", "Cost Explorer marks this month's figures as estimated: the bill is not final yet."]
    if not usage["by_service"]:
        lines += ["", "Cost Explorer returned no cost for this tag and month."]
    lines += [
        "",
        "## Cost by tier, against the estimate",
        "",
        f"| Tier | Billed ({cur}) | Estimated ({cur}) | Difference |",
    ]
    lines.append("|---|---:|---:|---:|")
    for row in comparison(usage, estimate):
        lines.append(f"| {row['tier']} | {row['actual_usd']:.2f} | {row['estimated_usd']:.2f} | {row['difference']} |")
    total_estimate = float((estimate or {}).get("total_monthly_usd", 0.0))
    lines.append(
        f"| **total** | **{usage['total_usd']:.2f}** | **{total_estimate:.2f}** | "
        f"**{_versus(usage['total_usd'], total_estimate)}** |"
    )
    if estimate:
        lines += [
            "",
            f"Estimate: list prices of {estimate.get('price_date', '')} for {estimate.get('region', '')}, for the "
            "inventory's configuration and traffic profile (`playbooks/validate.yml` prints it per component).",
        ]
    lines += ["", "## Cost by service", "", f"| Service | Tier | Billed ({cur}) |", "|---|---|---:|"]
    for service, usd in usage["by_service"].items():
        lines.append(f"| {service} | {tier_of(service)} | {usd:.2f} |")
    if not usage["by_service"]:
        lines.append("| (none) | | 0.00 |")
    fargate = usage["fargate"]
    configured = (estimate or {}).get("spot_share")
    lines += [
        "",
        "## Fargate Spot share",
        "",
        f"- Billed: {_percent(fargate['spot_share'])} of Fargate vCPU-hours on Spot "
        f"({fargate['spot_vcpu_hours']:g} Spot, {fargate['ondemand_vcpu_hours']:g} on demand)"
        + ("" if fargate["spot_share"] is not None else " - no Fargate usage billed"),
        f"- Configured: {_percent(configured)} (the capacity provider strategy the estimate prices)",
    ]
    lines += ["", "## Purchase recommendations", ""]
    recs = report.get("recommendations")
    if recs is None:
        lines.append(f"Not included - {report.get('recommendations_skipped', 'recommendations were not requested')}.")
    else:
        lines += [
            f"RDS reserved instances ({recs['term']}, {recs['payment']}, last {recs['lookback']}; account-wide, "
            "the stack's DB class marked):",
            "",
        ]
        if recs["rds"]:
            lines += [
                "| Class | Engine | Deployment | Region | Count | Upfront | Monthly savings | Savings | Stack's |"
            ]
            lines.append("|---|---|---|---|---:|---:|---:|---:|---|")
            for r in recs["rds"]:
                lines.append(
                    f"| {r['instance_type']} | {r['engine']} | {r['deployment']} | {r['region']} | {r['count']} | "
                    f"{r['upfront_usd']:.2f} | {r['monthly_savings_usd']:.2f} | {r['savings_percent']:.0f} % | "
                    f"{'yes' if r['matches_stack'] else ''} |"
                )
        else:
            lines.append("- none: Cost Explorer recommends no RDS reservation for this usage")
        lines += ["", "Compute Savings Plans (cover Fargate on demand and Lambda; Fargate Spot is not covered):", ""]
        if recs["savings_plans"]:
            lines += ["| Hourly commitment | Upfront | Monthly savings | Savings | Utilisation |"]
            lines.append("|---:|---:|---:|---:|---:|")
            for r in recs["savings_plans"]:
                lines.append(
                    f"| {r['hourly_commitment_usd']:.3f} | {r['upfront_usd']:.2f} | {r['monthly_savings_usd']:.2f} | "
                    f"{r['savings_percent']:.0f} % | {r['utilization_percent']:.0f} % |"
                )
        else:
            lines.append("- none: Cost Explorer recommends no Savings Plan for this usage")
    return "\n".join(lines) + "\n"


def csv_text(report: dict, estimate: dict | None = None) -> str:
    """The report for spreadsheets: one row per figure, ``section`` saying which table it belongs to."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "name", "tier", "billed_usd", "estimated_usd", "detail"])
    usage = report["usage"]
    label = report["period"]["label"]
    for row in comparison(usage, estimate):
        writer.writerow(
            ["tier", row["tier"], row["tier"], f"{row['actual_usd']:.2f}", f"{row['estimated_usd']:.2f}", label]
        )
    total_estimate = float((estimate or {}).get("total_monthly_usd", 0.0))
    writer.writerow(["total", "total", "", f"{usage['total_usd']:.2f}", f"{total_estimate:.2f}", label])
    for service, usd in usage["by_service"].items():
        writer.writerow(["service", service, tier_of(service), f"{usd:.2f}", "", label])
    fargate = usage["fargate"]
    share = "" if fargate["spot_share"] is None else f"{fargate['spot_share']:.4f}"
    writer.writerow(
        [
            "spot_share",
            "fargate_vcpu_hours",
            "application",
            "",
            "",
            f"billed={share};spot_hours={fargate['spot_vcpu_hours']:g};ondemand_hours={fargate['ondemand_vcpu_hours']:g};"
            f"configured={(estimate or {}).get('spot_share', '')}",
        ]
    )
    recs = report.get("recommendations") or {"rds": [], "savings_plans": []}
    for r in recs["rds"]:
        writer.writerow(
            [
                "rds_reservation",
                r["instance_type"],
                "data",
                "",
                "",
                f"count={r['count']};upfront={r['upfront_usd']:.2f};monthly_savings={r['monthly_savings_usd']:.2f};"
                f"matches_stack={str(r['matches_stack']).lower()}",
            ]
        )
    for r in recs["savings_plans"]:
        writer.writerow(
            [
                "savings_plan",
                "compute",
                "application",
                "",
                "",
                f"hourly_commitment={r['hourly_commitment_usd']:.3f};monthly_savings={r['monthly_savings_usd']:.2f}",
            ]
        )
    return out.getvalue()
