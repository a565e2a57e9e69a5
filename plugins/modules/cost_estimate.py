#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cost_estimate
short_description: What a WordPress stack's configuration costs per month, before it is deployed
version_added: 0.5.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes.info]
description:
  - Prices the configuration O(config) for the traffic O(traffic) with the dated list-price table O(prices) (the
    collection ships one in C(roles/cost_guard/files/prices.yml), each entry citing its AWS pricing page) and returns
    the monthly cost per component, per tier and in total.
  - Components - NAT gateways, the ALB (hours and LCUs from the origin traffic), Fargate on demand and on Spot at the
    configured mix, the RDS instance (two with Multi-AZ), its storage and backups, the replica, EFS, CloudFront
    traffic and requests by price class, WAF (web ACL, rules, requests), KMS keys, Secrets Manager, CloudWatch
    (alarms, dashboard, log ingestion and storage), Lambda.
  - With O(max_monthly_usd) the module fails when the total exceeds it - the gate C(site.yml) runs before any write.
  - Reads nothing from AWS and writes nothing; list prices, before taxes, credits, savings plans and the free tier.
options:
  region:
    description: The stack's region (its entry in O(prices)).
    type: str
    required: true
  prices:
    description: The price table (C(date), C(currency), C(regions.<region>.<key>.price) and C(.source)).
    type: dict
    required: true
  config:
    description:
      - What the inventory asks for; unset keys take the local inventory's shape. Keys - C(nat_gateways), C(nat_gb),
        C(fargate_tasks), C(fargate_vcpu), C(fargate_memory_gb), C(ondemand_base), C(ondemand_weight),
        C(spot_weight), C(spot_share_percent), C(rds_class), C(rds_multi_az), C(rds_replica), C(rds_storage_gb),
        C(rds_backup_retention_days), C(rds_daily_change_ratio), C(efs_gb), C(price_class), C(waf_rules),
        C(kms_keys), C(secrets), C(alarms), C(dashboards), C(log_gb), C(log_retention_months),
        C(lambda_invocations), C(lambda_gb_seconds).
    type: dict
    default: {}
  traffic:
    description:
      - The traffic profile - C(monthly_page_views), C(average_page_weight_kb), C(requests_per_page) (the page and its
        assets) and C(cache_hit_ratio) (0 to 1, the share CloudFront answers without the origin).
    type: dict
    default: {}
  max_monthly_usd:
    description: Fail when the monthly total exceeds this (unset - no gate).
    type: float
"""

EXAMPLES = r"""
- name: Price the stack before building it, and stop above 400 USD a month
  techblogpro.wordpress_aws.cost_estimate:
    region: eu-west-3
    prices: "{{ lookup('ansible.builtin.file', 'prices.yml') | from_yaml }}"
    config:
      nat_gateways: 1
      fargate_tasks: 2
      fargate_vcpu: 1
      fargate_memory_gb: 2
      ondemand_base: 1
      spot_weight: 1
      rds_class: db.t4g.medium
      rds_multi_az: true
    traffic:
      monthly_page_views: 2000000
      average_page_weight_kb: 1800
      cache_hit_ratio: 0.92
    max_monthly_usd: 400
  register: estimate
"""

RETURN = r"""
estimate:
  description: The estimate.
  returned: always
  type: dict
  contains:
    components:
      description: One entry per component - C(component), C(tier), C(monthly_usd) and the C(basis) of the figure.
      type: list
      elements: dict
    lines:
      description: The components as aligned text lines (name, monthly cost, basis).
      type: list
      elements: str
    by_tier:
      description: Monthly cost per tier.
      type: dict
    total_monthly_usd:
      description: The monthly total.
      type: float
    spot_share:
      description: The share of the tasks expected on Fargate Spot.
      type: float
    price_date:
      description: The date of the price table.
      type: str
    currency:
      description: The currency.
      type: str
    config:
      description: The configuration priced, defaults filled in (the counts of rules, keys, secrets and alarms).
      type: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cost
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            region=dict(type="str", required=True),
            prices=dict(type="dict", required=True),
            config=dict(type="dict", default={}),
            traffic=dict(type="dict", default={}),
            max_monthly_usd=dict(type="float"),
        ),
        supports_check_mode=True,
    )
    p = module.params
    try:
        errors = cost.input_errors(p["config"], p["traffic"], p["prices"], p["region"], p["max_monthly_usd"])
    except (TypeError, ValueError) as err:
        errors = [f"an input is not a number where one is needed: {err}"]
    if errors:
        module.fail_json(msg="; ".join(errors))
    result = cost.estimate(p["config"], p["traffic"], p["prices"], p["region"])
    limit = p["max_monthly_usd"]
    if limit is not None and result["total_monthly_usd"] > limit:
        module.fail_json(
            msg=(
                f"the estimate is {result['total_monthly_usd']:.2f} {result['currency']} a month, above "
                f"cost_guard_max_monthly_usd {limit:.2f}: "
                + ", ".join(f"{c['component']} {c['monthly_usd']:.2f}" for c in result["components"])
            ),
            estimate=result,
        )
    exit_result(module, "estimate", result, result, [])


if __name__ == "__main__":
    main()
