"""playbooks/cost_report.yml against the emulator: the Cost Explorer data it answers becomes the Markdown and CSV.

The emulator's GetCostAndUsage answers what a test queues at /moto-api/static/ce/cost-and-usage-results (moto's own
API for it), and empty results otherwise; the purchase recommendations are not emulated (500) and are reported so.
"""

from __future__ import annotations

import csv
import json
import urllib.request
from datetime import date

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cost_report

STACK = "techblog-local"


def queue_cost(port: int, groups: list) -> None:
    last = cost_report.period(date.today())
    body = {
        "results": [
            {
                "ResultsByTime": [
                    {"TimePeriod": {"Start": last["Start"], "End": last["End"]}, "Estimated": False, "Groups": groups}
                ]
            }
        ]
    }
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/moto-api/static/ce/cost-and-usage-results",
        data=json.dumps(body).encode(),
        method="POST",
    )
    urllib.request.urlopen(request, timeout=10).close()


def group(service, usage_type, usd, hours="0"):
    return {
        "Keys": [service, usage_type],
        "Metrics": {"UnblendedCost": {"Amount": usd, "Unit": "USD"}, "UsageQuantity": {"Amount": hours, "Unit": "Hrs"}},
    }


def test_report_from_the_emulators_cost_data_then_unchanged(emulator, playbook, recorded_calls, tmp_path):
    queue_cost(
        emulator,
        [
            group("EC2 - Other", "EUW3-NatGateway-Hours", "35.71", "744"),
            group("Amazon Elastic Container Service", "EUW3-SpotUsage-Fargate-vCPU-Hours:perCPU", "3.90", "279"),
            group("Amazon Elastic Container Service", "EUW3-Fargate-vCPU-Hours:perCPU", "4.33", "93"),
            group("Amazon Relational Database Service", "EUW3-InstanceUsage:db.t4g.micro", "14.14", "744"),
        ],
    )
    run = playbook("cost_report.yml", {"cost_guard_report_dir": str(tmp_path)})
    calls, writes = recorded_calls()
    assert run.returncode == 0, run.stdout[-3000:]
    assert [w for w in writes if "/moto-api/" not in w] == [], writes  # the queueing above is the only POST
    assert calls.count("ce:GetCostAndUsage") == 1
    label = cost_report.period(date.today())["label"]
    text = (tmp_path / f"{STACK}-cost-{label}.md").read_text()
    assert "| network | 35.71 | 35.52 | +1 % |" in text
    assert "| application | 8.23 | " in text
    assert "Billed: 75 % of Fargate vCPU-hours on Spot (279 Spot, 93 on demand)" in text
    assert "not emulated locally: Cost Explorer GetReservationPurchaseRecommendation" in text
    rows = list(csv.DictReader((tmp_path / f"{STACK}-cost-{label}.csv").open()))
    total = next(r for r in rows if r["section"] == "total")
    assert total["billed_usd"] == "58.08"
    assert float(total["estimated_usd"]) > 0
    assert f"billed {'58.08'} USD" in run.stdout

    again = playbook("cost_report.yml", {"cost_guard_report_dir": str(tmp_path)})
    assert again.returncode == 0 and "changed=0" in again.stdout, again.stdout[-2000:]


def test_report_of_a_month_without_cost_says_so(emulator, playbook, tmp_path):
    today = date.today()
    earlier = date(today.year - 1, today.month, 1) if today.month > 2 else date(today.year - 1, 12, 1)
    month = f"{earlier:%Y-%m}"
    run = playbook("cost_report.yml", {"cost_guard_report_dir": str(tmp_path), "cost_guard_report_month": month})
    assert run.returncode == 0, run.stdout[-3000:]
    text = (tmp_path / f"{STACK}-cost-{month}.md").read_text()
    assert "Cost Explorer returned no cost for this tag and month." in text
    assert "| **total** | **0.00** |" in text


def test_report_month_malformed_stops(emulator, playbook, tmp_path):
    run = playbook("cost_report.yml", {"cost_guard_report_dir": str(tmp_path), "cost_guard_report_month": "2026-13"})
    assert run.returncode != 0
    assert "cost_guard_report_month 2026-13 must be YYYY-MM" in run.stdout
    assert not list(tmp_path.iterdir())
