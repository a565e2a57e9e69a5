#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cost_report_info
short_description: What a stack cost last month, by service and tier, and Cost Explorer's purchase recommendations
version_added: 0.5.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes.info, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Asks Cost Explorer for one month's unblended cost of the resources tagged O(tag_key)=O(stack) (a cost
    allocation tag, activated once per account), grouped by service and usage type, and sums it per tier of the
    stack (NAT gateways under C(EC2 - Other) are the network's, RDS and Secrets Manager the data tier's, and so
    on). It also counts Fargate vCPU-hours on Spot and on demand, which gives the share of Spot actually billed.
  - With O(recommendations), it asks for RDS reserved-instance and Compute Savings Plans purchase recommendations
    (account-wide; Cost Explorer does not scope them to a tag). Compute Savings Plans cover Fargate on demand and
    Lambda.
  - One GetCostAndUsage call a page, plus one call a page for each recommendation; each Cost Explorer call is
    billed by AWS (0.01 USD at the time of writing).
  - Cost Explorer's API lives in us-east-1 whatever the stack region.
options:
  stack:
    description: The stack name, the value of the tag O(tag_key).
    type: str
    required: true
  tag_key:
    description: The cost allocation tag that carries the stack name.
    type: str
    default: wordpress_aws:stack
  month:
    description:
      - The month to report, C(YYYY-MM). It must have ended and be within the 13 months Cost Explorer keeps.
      - The last complete month when omitted.
    type: str
  recommendations:
    description: Also ask for RDS reservation and Compute Savings Plans recommendations.
    type: bool
    default: true
  db_instance_class:
    description: The stack's DB instance class; RDS recommendations for it are marked C(matches_stack).
    type: str
    default: ""
  lookback:
    description: How much past usage the recommendations are based on.
    type: str
    choices: [SEVEN_DAYS, THIRTY_DAYS, SIXTY_DAYS]
    default: THIRTY_DAYS
  term:
    description: The commitment term the recommendations are for.
    type: str
    choices: [ONE_YEAR, THREE_YEARS]
    default: ONE_YEAR
  payment_option:
    description: The payment option the recommendations are for.
    type: str
    choices: [NO_UPFRONT, PARTIAL_UPFRONT, ALL_UPFRONT]
    default: NO_UPFRONT
"""

EXAMPLES = r"""
- name: What techblog-prod cost in October, with purchase recommendations
  techblogpro.wordpress_aws.cost_report_info:
    stack: techblog-prod
    month: "2026-10"
    db_instance_class: db.m7g.large
    region: us-east-1
  register: cost

- name: Write it as Markdown
  ansible.builtin.copy:
    content: "{{ cost.report | techblogpro.wordpress_aws.cost_report_markdown(estimate) }}"
    dest: reports/techblog-prod-cost-2026-10.md
    mode: "0644"
"""

RETURN = r"""
report:
  description: The month, the cost by service and tier, Fargate's Spot share and the recommendations.
  returned: always
  type: dict
  contains:
    stack:
      description: The stack.
      type: str
    tag_key:
      description: The tag the costs were filtered on.
      type: str
    period:
      description: C(label) (YYYY-MM), C(Start) and C(End) (exclusive) as Cost Explorer took them.
      type: dict
    usage:
      description: C(currency), C(estimated), C(by_service), C(by_tier), C(total_usd) and C(fargate).
      type: dict
    recommendations:
      description: C(rds) and C(savings_plans) lists and the C(term), C(payment), C(lookback) asked; null if not asked.
      type: dict
    recommendations_skipped:
      description: Why there are no recommendations, when not asked.
      type: str
calls:
  description: Cost Explorer calls made (each is billed by AWS).
  returned: always
  type: int
"""

from datetime import datetime
from datetime import timezone

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cost_report
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.paging import pages

LOOKBACK_WORDS = {"SEVEN_DAYS": "7 days", "THIRTY_DAYS": "30 days", "SIXTY_DAYS": "60 days"}


class Counter:
    """Calls one method of a retrying client (``aws_retry=True``) and counts the calls (Cost Explorer bills each)."""

    def __init__(self, client, method: str):
        self.client, self.method = client, method
        self.count = 0

    def __call__(self, **params):
        self.count += 1
        return getattr(self.client, self.method)(**params, aws_retry=True)


def usage(counter, request):
    return pages(counter, "ResultsByTime", **request)


def reservations(counter, p):
    return pages(
        counter,
        "Recommendations",
        Service="Amazon Relational Database Service",
        LookbackPeriodInDays=p["lookback"],
        TermInYears=p["term"],
        PaymentOption=p["payment_option"],
    )


def savings_plan_details(counter, p):
    """The recommendation of every page, its details joined (the details are what pages)."""
    joined, token = {}, None
    while True:
        page = counter(
            SavingsPlansType="COMPUTE_SP",
            LookbackPeriodInDays=p["lookback"],
            TermInYears=p["term"],
            PaymentOption=p["payment_option"],
            **({"NextPageToken": token} if token else {}),
        )
        rec = page.get("SavingsPlansPurchaseRecommendation", {})
        details = joined.get("SavingsPlansPurchaseRecommendationDetails", [])
        joined = {
            **rec,
            "SavingsPlansPurchaseRecommendationDetails": details
            + rec.get("SavingsPlansPurchaseRecommendationDetails", []),
        }
        token = page.get("NextPageToken")
        if not token:
            return joined


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            stack=dict(type="str", required=True),
            tag_key=dict(type="str", default="wordpress_aws:stack", no_log=False),
            month=dict(type="str"),
            recommendations=dict(type="bool", default=True),
            db_instance_class=dict(type="str", default=""),
            lookback=dict(type="str", choices=list(LOOKBACK_WORDS), default="THIRTY_DAYS"),
            term=dict(type="str", choices=["ONE_YEAR", "THREE_YEARS"], default="ONE_YEAR"),
            payment_option=dict(
                type="str", choices=["NO_UPFRONT", "PARTIAL_UPFRONT", "ALL_UPFRONT"], default="NO_UPFRONT"
            ),
        ),
        supports_check_mode=True,
    )
    p = module.params
    try:
        time_period = cost_report.period(datetime.now(timezone.utc).date(), p["month"])  # noqa: UP017
    except ValueError as err:
        module.fail_json(msg=str(err))
    client = aws_client(module, "ce")
    cost_calls = Counter(client, "get_cost_and_usage")
    ri_calls = Counter(client, "get_reservation_purchase_recommendation")
    sp_calls = Counter(client, "get_savings_plans_purchase_recommendation")
    report = {"stack": p["stack"], "tag_key": p["tag_key"], "period": time_period, "recommendations": None}
    with aws_errors(module, f"read the cost of stack {p['stack']} from Cost Explorer"):
        results = usage(cost_calls, cost_report.usage_request(p["tag_key"], p["stack"], time_period))
        report["usage"] = cost_report.summarize_usage(results)
        if p["recommendations"]:
            report["recommendations"] = {
                "term": p["term"].replace("_", " ").lower(),
                "payment": p["payment_option"].replace("_", " ").lower(),
                "lookback": LOOKBACK_WORDS[p["lookback"]],
                "rds": cost_report.rds_reservations(reservations(ri_calls, p), p["db_instance_class"]),
                "savings_plans": cost_report.savings_plans(savings_plan_details(sp_calls, p)),
            }
        else:
            report["recommendations_skipped"] = "recommendations were not requested"
    exit_result(module, "report", report, report, [], calls=cost_calls.count + ri_calls.count + sp_calls.count)


if __name__ == "__main__":
    main()
