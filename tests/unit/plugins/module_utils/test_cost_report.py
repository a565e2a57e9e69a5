"""Unit tests of plugins/module_utils/cost_report.py (split out of tests/unit/test_cost_report.py)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cost_report


def group(service, usage_type, usd, quantity="0"):
    return {
        "Keys": [service, usage_type],
        "Metrics": {
            "UnblendedCost": {"Amount": usd, "Unit": "USD"},
            "UsageQuantity": {"Amount": quantity, "Unit": "Hrs"},
        },
    }


OCTOBER = [
    {
        "TimePeriod": {"Start": "2026-10-01", "End": "2026-11-01"},
        "Estimated": False,
        "Groups": [
            group("EC2 - Other", "EUW3-NatGateway-Hours", "35.712", "744"),
            group("EC2 - Other", "EUW3-NatGateway-Bytes", "0.48", "10"),
            group("Amazon Elastic Container Service", "EUW3-Fargate-vCPU-Hours:perCPU", "4.33", "93"),
            group("Amazon Elastic Container Service", "EUW3-SpotUsage-Fargate-vCPU-Hours:perCPU", "3.90", "279"),
            group("Amazon Elastic Container Service", "EUW3-SpotUsage-Fargate-GB-Hours", "0.85", "558"),
            group("Amazon Relational Database Service", "EUW3-InstanceUsage:db.t4g.micro", "14.14", "744"),
            group("AWS WAF", "EUW3-WebACL", "5.00", "1"),
            group("Tax", "Tax", "1.00"),
        ],
    }
]


ESTIMATE = {
    "by_tier": {"network": 35.52, "application": 27.34, "data": 18.17, "edge": 31.36},
    "total_monthly_usd": 112.39,
    "spot_share": 1.0,
    "price_date": "2026-11-28",
    "region": "eu-west-3",
}


def test_the_last_complete_month_by_default_and_across_a_new_year():
    assert cost_report.period(date(2026, 11, 29)) == {"label": "2026-10", "Start": "2026-10-01", "End": "2026-11-01"}
    assert cost_report.period(date(2027, 1, 3)) == {"label": "2026-12", "Start": "2026-12-01", "End": "2027-01-01"}


@pytest.mark.parametrize(
    "month, words",
    [("2026-11", "has not ended"), ("2026-13", "not YYYY-MM"), ("26-10", "not YYYY-MM"), ("2025-09", "13 months")],
)
def test_a_month_that_is_malformed_running_or_too_old_is_refused(month, words):
    with pytest.raises(ValueError, match=words):
        cost_report.period(date(2026, 11, 29), month)


def test_the_request_filters_on_the_stack_tag_and_groups_by_service_and_usage_type():
    request = cost_report.usage_request("wordpress_aws:stack", "s", cost_report.period(date(2026, 11, 29)))
    assert request["Filter"] == {"Tags": {"Key": "wordpress_aws:stack", "Values": ["s"], "MatchOptions": ["EQUALS"]}}
    assert [g["Key"] for g in request["GroupBy"]] == ["SERVICE", "USAGE_TYPE"]
    assert request["TimePeriod"] == {"Start": "2026-10-01", "End": "2026-11-01"}


def test_cost_is_summed_per_service_and_tier_with_nat_in_the_network():
    usage = cost_report.summarize_usage(OCTOBER)
    assert usage["by_service"]["EC2 - Other"] == 36.19  # 35.712 + 0.48
    assert usage["by_service"]["Amazon Elastic Container Service"] == 9.08  # 4.33 + 3.90 + 0.85
    assert usage["by_tier"] == {"network": 36.19, "application": 9.08, "data": 14.14, "edge": 5.0, "other": 1.0}
    assert usage["total_usd"] == 65.41
    assert next(iter(usage["by_service"])) == "EC2 - Other"  # dearest first
    assert usage["estimated"] is False


def test_spot_share_counts_vcpu_hours_only():
    fargate = cost_report.summarize_usage(OCTOBER)["fargate"]
    # 279 Spot vCPU-hours of 372; the 558 Spot GB-hours are not vCPU-hours
    assert fargate == {"spot_vcpu_hours": 279.0, "ondemand_vcpu_hours": 93.0, "spot_share": 0.75}


def test_no_data_gives_zero_and_no_spot_share():
    usage = cost_report.summarize_usage([{"TimePeriod": {}, "Groups": [], "Estimated": True}])
    assert usage["total_usd"] == 0 and usage["by_tier"] == {} and usage["fargate"]["spot_share"] is None
    assert usage["estimated"] is True


def test_comparison_lists_every_tier_either_side_has():
    rows = cost_report.comparison(cost_report.summarize_usage(OCTOBER), ESTIMATE)
    assert [r["tier"] for r in rows] == ["network", "application", "data", "edge", "other"]
    edge = next(r for r in rows if r["tier"] == "edge")
    assert edge == {"tier": "edge", "actual_usd": 5.0, "estimated_usd": 31.36, "difference": "-84 %"}
    assert next(r for r in rows if r["tier"] == "other")["difference"] == "n/a"


def report(recommendations=None, skipped=None):
    out = {
        "stack": "s",
        "tag_key": "wordpress_aws:stack",
        "period": {"label": "2026-10", "Start": "2026-10-01", "End": "2026-11-01"},
        "usage": cost_report.summarize_usage(OCTOBER),
        "recommendations": recommendations,
    }
    if skipped:
        out["recommendations_skipped"] = skipped
    return out


RECS = {
    "term": "one year",
    "payment": "no upfront",
    "lookback": "30 days",
    "rds": [
        {
            "instance_type": "db.t4g.micro",
            "engine": "MySQL",
            "deployment": "Single-AZ",
            "region": "EU (Paris)",
            "count": 1,
            "term": "ONE_YEAR",
            "payment": "NO_UPFRONT",
            "upfront_usd": 0.0,
            "monthly_savings_usd": 4.1,
            "savings_percent": 29.0,
            "break_even_months": 0.0,
            "matches_stack": True,
        }
    ],
    "savings_plans": [],
}


def test_markdown_puts_billed_beside_estimated_and_says_what_is_missing():
    text = cost_report.markdown(report(skipped="not emulated locally: recommendations"), ESTIMATE)
    assert "| network | 36.19 | 35.52 | +2 % |" in text
    assert "| **total** | **65.41** | **112.39** | **-42 %** |" in text
    assert "| Amazon Elastic Container Service | application | 9.08 |" in text
    assert "Billed: 75 % of Fargate vCPU-hours on Spot (279 Spot, 93 on demand)" in text
    assert "Configured: 100 %" in text
    assert "Not included - not emulated locally: recommendations." in text


def test_markdown_lists_recommendations_and_marks_the_stacks_class():
    text = cost_report.markdown(report(RECS), ESTIMATE)
    assert "| db.t4g.micro | MySQL | Single-AZ | EU (Paris) | 1 | 0.00 | 4.10 | 29 % | yes |" in text
    assert "no Savings Plan for this usage" in text


def test_csv_has_a_row_per_tier_service_share_and_recommendation():
    rows = list(csv.DictReader(io.StringIO(cost_report.csv_text(report(RECS), ESTIMATE))))
    sections = [r["section"] for r in rows]
    assert sections.count("tier") == 5 and sections.count("service") == 5 and sections.count("total") == 1
    total = next(r for r in rows if r["section"] == "total")
    assert (total["billed_usd"], total["estimated_usd"]) == ("65.41", "112.39")
    assert "billed=0.7500" in next(r for r in rows if r["section"] == "spot_share")["detail"]
    assert next(r for r in rows if r["section"] == "rds_reservation")["detail"].endswith("matches_stack=true")


def test_a_report_without_an_estimate_still_renders():
    assert "| **total** | **65.41** | **0.00** | **n/a** |" in cost_report.markdown(report(), None)
