"""Unit tests of the cost_report_info module (split out of tests/unit/test_cost_report.py)."""

from __future__ import annotations

from datetime import date

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cost_report
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cost_report_info as mod

from ..module_utils.test_cost_report import OCTOBER

LAST = cost_report.period(date.today())["label"]  # a month the module accepts whenever the suite runs


@pytest.fixture
def stub(stubbed):
    return stubbed("ce", "us-east-1")


def ri_detail(instance_type, savings):
    return {
        "InstanceDetails": {
            "RDSInstanceDetails": {
                "InstanceType": instance_type,
                "DatabaseEngine": "MySQL",
                "DeploymentOption": "Multi-AZ",
                "Region": "EU (Paris)",
            }
        },
        "RecommendedNumberOfInstancesToPurchase": "1",
        "UpfrontCost": "0",
        "EstimatedMonthlySavingsAmount": savings,
        "EstimatedMonthlySavingsPercentage": "31",
        "EstimatedBreakEvenInMonths": "0",
    }


def test_module_pages_cost_and_both_recommendations(stub, run_module):
    request = cost_report.usage_request("wordpress_aws:stack", "s", cost_report.period(date.today(), LAST))
    half = [{**OCTOBER[0], "Groups": OCTOBER[0]["Groups"][:4]}]
    rest = [{**OCTOBER[0], "Groups": OCTOBER[0]["Groups"][4:]}]
    stub.add_response("get_cost_and_usage", {"ResultsByTime": half, "NextPageToken": "t1"}, request)
    stub.add_response("get_cost_and_usage", {"ResultsByTime": rest}, {**request, "NextPageToken": "t1"})
    ri_params = {
        "Service": "Amazon Relational Database Service",
        "LookbackPeriodInDays": "THIRTY_DAYS",
        "TermInYears": "ONE_YEAR",
        "PaymentOption": "NO_UPFRONT",
    }
    stub.add_response(
        "get_reservation_purchase_recommendation",
        {
            "Recommendations": [
                {"TermInYears": "ONE_YEAR", "RecommendationDetails": [ri_detail("db.m7g.large", "60")]}
            ],
            "NextPageToken": "r1",
        },
        ri_params,
    )
    stub.add_response(
        "get_reservation_purchase_recommendation",
        {"Recommendations": [{"RecommendationDetails": [ri_detail("db.r7g.large", "80")]}]},
        {**ri_params, "NextPageToken": "r1"},
    )
    stub.add_response(
        "get_savings_plans_purchase_recommendation",
        {
            "SavingsPlansPurchaseRecommendation": {
                "TermInYears": "ONE_YEAR",
                "SavingsPlansPurchaseRecommendationDetails": [
                    {
                        "HourlyCommitmentToPurchase": "0.012",
                        "EstimatedMonthlySavingsAmount": "2.5",
                        "EstimatedSavingsPercentage": "20",
                        "EstimatedAverageUtilization": "100",
                        "UpfrontCost": "0",
                    }
                ],
            }
        },
        {
            "SavingsPlansType": "COMPUTE_SP",
            "LookbackPeriodInDays": "THIRTY_DAYS",
            "TermInYears": "ONE_YEAR",
            "PaymentOption": "NO_UPFRONT",
        },
    )
    result = run_module(mod, {"stack": "s", "month": LAST, "db_instance_class": "db.m7g.large", "region": "us-east-1"})
    assert not result.get("failed"), result.get("msg")
    assert result["changed"] is False and result["calls"] == 5
    assert result["report"]["usage"]["total_usd"] == 65.41
    rds = result["report"]["recommendations"]["rds"]
    assert [(r["instance_type"], r["matches_stack"]) for r in rds] == [("db.r7g.large", False), ("db.m7g.large", True)]
    plan = result["report"]["recommendations"]["savings_plans"][0]
    assert (plan["hourly_commitment_usd"], plan["monthly_savings_usd"]) == (0.012, 2.5)


def test_module_without_recommendations_makes_one_call(stub, run_module):
    stub.add_response("get_cost_and_usage", {"ResultsByTime": []})
    result = run_module(mod, {"stack": "s", "month": LAST, "recommendations": False, "region": "us-east-1"})
    assert result["calls"] == 1 and result["report"]["recommendations"] is None
    assert result["report"]["recommendations_skipped"] == "recommendations were not requested"


def test_module_refuses_a_running_month_before_calling(stub, run_module):
    month = f"{date.today():%Y-%m}"
    result = run_module(mod, {"stack": "s", "month": month, "region": "us-east-1"})
    assert result["failed"] and "has not ended yet" in result["msg"]


def test_module_reports_a_cost_explorer_error(stub, run_module):
    stub.add_client_error("get_cost_and_usage", "AccessDeniedException", "User is not authorized", 400)
    result = run_module(mod, {"stack": "s", "month": LAST, "recommendations": False, "region": "us-east-1"})
    assert result["failed"] and "Unable to read the cost of stack s" in result["msg"]
