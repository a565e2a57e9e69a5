"""Bad input stops site.yml before any AWS write, with a message naming the variable.

The cases share one site.yml run: each is a host of a generated inventory (the local inventory's group_vars,
the case's variables as host vars), so each host stops on its own input while one ansible-playbook process
serves all of them; the emulator records every call of that run and none may write.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

# One worker runs every case (they share the run): make integration passes --dist loadgroup.
pytestmark = pytest.mark.xdist_group("bad_input")

CASES = {
    "empty stack name": ({"wordpress_aws_stack_name": ""}, "wordpress_aws_stack_name must not be empty"),
    "stack name with capitals": ({"wordpress_aws_stack_name": "Tech_Blog"}, "wordpress_aws_stack_name 'Tech_Blog'"),
    "unknown environment": ({"wordpress_aws_environment": "prod"}, "wordpress_aws_environment"),
    "malformed region": ({"wordpress_aws_region": "europe"}, "wordpress_aws_region 'europe'"),
    "bad CIDR": ({"vpc_cidr": "10.40.0.300/16"}, "vpc_cidr '10.40.0.300/16' is not an IPv4 network"),
    "CIDR with host bits": ({"vpc_cidr": "10.40.1.0/16"}, "vpc_cidr '10.40.1.0/16'"),
    "public CIDR": ({"vpc_cidr": "8.8.0.0/16"}, "vpc_cidr 8.8.0.0/16 is not a private"),
    "too-small CIDR": ({"vpc_cidr": "10.40.0.0/24"}, "vpc_cidr 10.40.0.0/24 is too small"),
    "one AZ for production": (
        {"wordpress_aws_environment": "production", "vpc_az_count": 1},
        "vpc_az_count 1 in production: at least 2 AZs",
    ),
    "more AZs than the region has": ({"vpc_az_count": 4}, "vpc_az_count 4: the region offers only 3 available AZs"),
    "unknown NAT mode": ({"vpc_nat_mode": "both"}, "vpc_nat_mode"),
    "log retention CloudWatch refuses": ({"vpc_flow_logs_retention_days": 10}, "vpc_flow_logs_retention_days"),
    "backup retention out of range": ({"foundation_backup_retention_days": 0}, "foundation_backup_retention_days 0"),
    "backup schedule not an expression": (
        {"foundation_backup_schedule": "daily"},
        "foundation_backup_schedule 'daily'",
    ),
    "KMS deletion window out of range": (
        {"foundation_kms_deletion_window_days": 3},
        "foundation_kms_deletion_window_days 3",
    ),
    "reserved tag prefix": ({"wordpress_aws_extra_tags": {"aws:owner": "x"}}, "reserved prefix"),
    "unknown instance class family": (
        {"rds_instance_class": "db.z9.large"},
        "rds_instance_class db.z9.large: unknown family",
    ),
    "DB retention above 35 days": (
        {"rds_backup_retention_days": 36},
        "rds_backup_retention_days 36 must be between 0 and 35",
    ),
    "DB storage below the gp3 minimum": ({"rds_allocated_storage": 10}, "rds_allocated_storage 10 must be between 20"),
    "MySQL 5.7 engine version": ({"rds_engine_version": "5.7.44"}, "rds_engine_version '5.7.44'"),
    "desired count above max": (
        {"ecs_wordpress_desired_count": 5, "ecs_wordpress_max_count": 4},
        "ecs_wordpress_desired_count 5 must be between ecs_wordpress_min_count",
    ),
    "CPU and memory pair Fargate does not offer": (
        {"ecs_wordpress_cpu": 256, "ecs_wordpress_memory": 4096},
        "ecs_wordpress_memory 4096 MiB is not offered by Fargate with ecs_wordpress_cpu 256",
    ),
    "negative Spot weight": ({"ecs_wordpress_spot_weight": -1}, "ecs_wordpress_spot_weight -1 must not be negative"),
    "ARM64 with a Spot weight": (
        {"ecs_wordpress_cpu_architecture": "ARM64"},
        "Fargate Spot runs only X86_64 tasks",
    ),
    "malformed image reference": (
        {"ecs_wordpress_image": "WordPress:6.8 latest"},
        "ecs_wordpress_image 'WordPress:6.8 latest' is not an image reference",
    ),
    "unpinned image": ({"ecs_wordpress_image": "wordpress"}, "has no tag: pin a version"),
    "rate limit below WAF's minimum": (
        {"cloudfront_waf_rate_limit": 5},
        "cloudfront_waf_rate_limit 5 is outside what WAF accepts for a rate-based rule",
    ),
    "unknown price class": (
        {"cloudfront_waf_price_class": "PriceClass_50"},
        "cloudfront_waf_price_class 'PriceClass_50' must be one of PriceClass_100, PriceClass_200, PriceClass_All",
    ),
    "malformed domain": (
        {"wordpress_aws_domain_name": "www..example"},
        "wordpress_aws_domain_name 'www..example' is not a DNS name",
    ),
    "invalid admin CIDR": (
        {"cloudfront_waf_admin_cidrs": ["203.0.113.0/33"]},
        "cloudfront_waf_admin_cidrs entry '203.0.113.0/33' is not a network in CIDR notation",
    ),
    "domain without a certificate": (
        {"wordpress_aws_domain_name": "www.example.com"},
        "wordpress_aws_domain_name www.example.com needs wordpress_aws_hosted_zone_id",
    ),
    "edge domain set under its name before 0.7.0": (
        {
            "wordpress_aws_domain_name": "www.example.com",
            "cloudfront_waf_domain": "cdn.example.com",
            "cloudfront_waf_certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100",
        },
        "cloudfront_waf_domain is no longer read: set wordpress_aws_domain_name instead",
    ),
    "invalid alert email": (
        {"monitoring_alert_emails": ["oncall@techblogpro"]},
        "monitoring_alert_emails entry 'oncall@techblogpro' is not an email address",
    ),
    "alarm threshold out of range": (
        {"monitoring_thresholds": {"db_cpu_percent": 120}},
        "monitoring_thresholds.db_cpu_percent 120 is out of range 1..100",
    ),
    "unknown tier name": (
        {"monitoring_tiers": ["database", "cdn"]},
        "monitoring_tiers entry 'cdn' is not a tier",
    ),
    "unknown threshold name": (
        {"monitoring_thresholds": {"cpu": 80}},
        "monitoring_thresholds has an unknown entry 'cpu'",
    ),
    "webhook over plain HTTP": (
        {"monitoring_alert_https_endpoints": ["http://hooks.example/T0"]},
        "monitoring_alert_https_endpoints entry",
    ),
    "estimate above the cost limit": (
        {"cost_guard_max_monthly_usd": 50},
        "above cost_guard_max_monthly_usd 50.00",
    ),
    "negative budget": ({"cost_guard_budget_usd": -10}, "cost_guard_budget_usd -10 must be a number above 0"),
    "region missing from the price file": (
        {"wordpress_aws_region": "ap-southeast-4"},
        "region 'ap-southeast-4' is not in the price file dated 2026-11-28",
    ),
    "Spot share above 100 %": (
        {"cost_guard_spot_share_percent": 120},
        "cost_guard_spot_share_percent 120 must be between 0 and 100",
    ),
    "business hours schedule invalid": (
        {"cost_guard_business_hours": {"start": "7am", "end": "20:00", "days": "MON-FRI"}},
        "cost_guard_business_hours.start '7am' is not a time of day (HH:MM)",
    ),
    "business hours on unknown days": (
        {"cost_guard_business_hours": {"start": "07:00", "end": "20:00", "days": "MON-FUN"}},
        "cost_guard_business_hours.days 'MON-FUN'",
    ),
    "production alerting nobody": (
        {"wordpress_aws_environment": "production", "monitoring_alert_emails": []},
        "a production stack must alert someone",
    ),
}


def host_name(case: str) -> str:
    return "case-%02d" % sorted(CASES).index(case)  # noqa: UP031


def strings(value) -> list:
    """Every string in a task result (messages may sit in msg, assertion, results...)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


@pytest.fixture(scope="module")
def batch(tmp_path_factory, emulator, start_recording, ansible_environment):
    """site.yml once for every case; per host: did it fail, and the words of its failed results."""
    inventory = tmp_path_factory.mktemp("bad-input")
    (inventory / "group_vars").symlink_to(ROOT / "inventories" / "local" / "group_vars")
    hosts = {
        host_name(case): {
            "ansible_connection": "local",
            "ansible_python_interpreter": "{{ ansible_playbook_python }}",
            **extra_vars,
        }
        for case, (extra_vars, _message) in CASES.items()
    }
    (inventory / "hosts.yml").write_text(yaml.safe_dump({"all": {"children": {"wordpress_aws": {"hosts": hosts}}}}))
    env = {**ansible_environment(emulator), "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json", "ANSIBLE_FORKS": "8"}
    stop = start_recording(emulator)
    proc = subprocess.run(
        [str(BIN / "ansible-playbook"), "-i", str(inventory), str(ROOT / "playbooks" / "site.yml")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    _calls, writes = stop()
    report = json.loads(proc.stdout)
    failed = {host: [] for host in hosts}
    for play in report["plays"]:
        for task in play["tasks"]:
            for host, result in task["hosts"].items():
                if result.get("failed") and not result.get("ignore_errors"):
                    failed[host].append(" ".join(" ".join(strings(result)).split()))
    return {"returncode": proc.returncode, "writes": writes, "failed": failed, "stats": report["stats"]}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_stops_before_any_write(case, batch):
    _extra_vars, message = CASES[case]
    host = host_name(case)
    assert batch["returncode"] != 0
    assert batch["stats"][host]["failures"] >= 1, f"{case}: the run did not stop"
    assert any(message in words for words in batch["failed"][host]), f"{case}: {batch['failed'][host]}"
    assert batch["writes"] == [], batch["writes"]
    # it stopped where the checks are: the converge play never ran a task for it
    assert batch["stats"][host]["changed"] == 0


def test_production_teardown_needs_confirmation(playbook, recorded_calls):
    result = playbook("teardown.yml", {"wordpress_aws_environment": "production"})
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    assert "wordpress_aws_confirm_teardown must equal the stack name (techblog-local)" in output
    assert recorded_calls()[1] == []


def test_multi_az_database_needs_two_azs(playbook, recorded_calls):
    """Run the data tier alone (--tags rds) so its own check, not the network's, answers."""
    result = playbook("site.yml", {"rds_multi_az": True, "vpc_az_count": 1}, "--tags", "rds")
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    assert "rds_multi_az needs data subnets in two AZs; the network tier has 1" in output
    assert recorded_calls()[1] == []
