"""The cost gate prices the same stack whatever --tags selects, and names the tier whose plan it lacks.

Every tier's validate entry point publishes its plan in wordpress_aws_tier_plans (tags: always) and the cost tier
prices only those plans, so ``site.yml --tags cost_guard`` judges the stack the full play builds (the production
estimate used to drop from about 1482 to about 1025 USD a month with --tags cost_guard).
"""

from __future__ import annotations

import re

import pytest

ESTIMATED = re.compile(r"Estimated (\d+\.\d\d) USD a month")
# The staging and production inventories describe real AWS: point their connection at this worker's emulator,
# give the hosted zone they leave for the operator to set, and someone to alert.
REAL_AWS_INVENTORY = {
    "wordpress_aws_hosted_zone_id": "Z0123456789ABCDEFGHIJ",
    "monitoring_alert_emails": ["oncall@techblogpro.example"],
}


@pytest.fixture
def validate(playbook, emulator_connection):
    """Run playbooks/validate.yml for an inventory against this worker's emulator; returns (rc, output)."""

    def run(inventory: str, *args: str, extra_vars: dict | None = None) -> tuple[int, str]:
        variables = dict(extra_vars or {})
        if inventory != "local":
            variables = {**REAL_AWS_INVENTORY, "wordpress_aws_connection": emulator_connection, **variables}
        result = playbook("validate.yml", variables, *args, inventory=inventory)
        return result.returncode, " ".join((result.stdout + result.stderr).split())

    return run


def estimate(output: str) -> float:
    found = ESTIMATED.findall(output)
    assert len(found) == 1, output[-3000:]
    return float(found[0])


@pytest.mark.parametrize(
    ("inventory", "about"),
    [("local", 123), ("staging", 308), ("production", 1489)],
)
def test_the_estimate_is_the_same_with_the_full_play_and_with_tags_cost_guard(inventory, about, validate):
    rc, full = validate(inventory)
    assert rc == 0, full[-3000:]
    rc, tagged = validate(inventory, "--tags", "cost_guard")
    assert rc == 0, tagged[-3000:]
    assert estimate(tagged) == estimate(full)
    assert estimate(full) == pytest.approx(about, abs=2)


def test_a_missing_tier_plan_stops_the_estimate_naming_the_tier(validate, recorded_calls):
    rc, output = validate("local", "--tags", "cost_guard", "--skip-tags", "vpc")
    assert rc != 0
    assert "the cost plan lacks the network tier (vpc)" in output, output[-3000:]
    assert not ESTIMATED.search(output)
    assert recorded_calls()[1] == []


def test_a_wrong_tier_input_stops_the_estimate_naming_the_tier(validate, recorded_calls):
    """--tags cost_guard skips the network's own assert, not its rules: the cost plan refuses its plan."""
    rc, output = validate("local", "--tags", "cost_guard", extra_vars={"vpc_az_count": 1})
    assert rc != 0
    assert (
        "the cost plan cannot price the network tier (vpc), its inputs are wrong: vpc_az_count 1: at least 2 AZs"
        in output
    ), output[-3000:]
    assert recorded_calls()[1] == []
