#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: price_list_info
short_description: Read the cost tier's price table afresh from the AWS Price List API
version_added: 0.5.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes.info, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Takes the price table O(prices) (the content of C(roles/cost_guard/files/prices.yml)) and asks the AWS Price
    List API (GetProducts) for every price of every region in it, and for every RDS class and CloudFront price class
    the table lists. Returns the table with the prices found and today's date, what changed, and what was kept.
  - A price is taken only when exactly one usage type of the service answers its query with one on-demand price
    (the lowest paid tier); otherwise the table keeps its value and RV(kept) says why. Fargate Spot prices vary and
    may be missing from the catalogue; they are then kept.
  - Reads only; writing the table is the caller's (C(playbooks/refresh_prices.yml)). The Price List API is served
    from us-east-1 (also eu-central-1 and ap-south-1); O(region) is where it is asked, not the prices' region.
options:
  prices:
    description: The current price table (C(date), C(currency), C(regions) with an entry per price key).
    type: dict
    required: true
  regions:
    description: Refresh only these regions of the table (all when empty).
    type: list
    elements: str
    default: []
"""

EXAMPLES = r"""
- name: Read the prices afresh
  techblogpro.wordpress_aws.price_list_info:
    prices: "{{ lookup('ansible.builtin.file', 'roles/cost_guard/files/prices.yml') | from_yaml }}"
    region: us-east-1
  register: fresh
"""

RETURN = r"""
price_table:
  description: The table with the prices found (each refreshed entry gains C(price_list), the usage type read).
  returned: always
  type: dict
changes:
  description: Always empty - the module only reads (what differs from the table is RV(price_changes)).
  returned: always
  type: list
  elements: str
price_changes:
  description: Every price that changed, as C(region key [class]) then the old and new price.
  returned: always
  type: list
  elements: str
kept:
  description: Every price the API did not answer with one value, and why; the table keeps it.
  returned: always
  type: list
  elements: str
calls:
  description: GetProducts calls made.
  returned: always
  type: int
"""

import json
from datetime import datetime
from datetime import timezone

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import price_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.paging import pages


class Catalogue:
    """GetProducts answers, asked once per distinct query (several prices share a service's products)."""

    def __init__(self, client):
        self.client = client
        self.cache = {}
        self.calls = 0

    def _call(self, **params):
        self.calls += 1
        return self.client.get_products(**params, aws_retry=True)

    def products(self, params):
        key = json.dumps(params, sort_keys=True)
        if key not in self.cache:
            self.cache[key] = pages(self._call, "PriceList", cursor="NextToken", MaxResults=100, **params)
        return self.cache[key]


def refresh_region(catalogue, region, entries):
    found = {}
    for key, entry in entries.items():
        if key in price_list.CLOUDFRONT:
            products = catalogue.products(price_list.cloudfront_query(key, "US")["params"])
            found[key] = {pc: price_list.cloudfront_price(products, key, pc) for pc in entry["price"]}
        elif key == "rds_instance_hour":
            found[key] = {}
            for cls in entry["price"]:
                query = price_list.regional_query(key, region, cls)
                found[key][cls] = price_list.pick(catalogue.products(query["params"]), query)
        elif key in price_list.REGIONAL:
            query = price_list.regional_query(key, region)
            found[key] = price_list.pick(catalogue.products(query["params"]), query)
    return found


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            prices=dict(type="dict", required=True),
            regions=dict(type="list", elements="str", default=[]),
        ),
        supports_check_mode=True,
    )
    table = module.params["prices"]
    regions = module.params["regions"] or sorted(table.get("regions", {}))
    missing = [r for r in regions if r not in table.get("regions", {})]
    if missing:
        module.fail_json(msg=f"the price table has no region {', '.join(missing)}")
    unknown = sorted(
        {k for r in regions for k in table["regions"][r]}
        - set(price_list.REGIONAL)
        - set(price_list.CLOUDFRONT)
        - {"rds_instance_hour"}
    )
    if unknown:
        module.fail_json(msg=f"no Price List query for the table's keys {', '.join(unknown)}")
    catalogue = Catalogue(aws_client(module, "pricing"))
    found = {}
    with aws_errors(module, "read prices from the AWS Price List API"):
        for region in regions:
            found[region] = refresh_region(catalogue, region, table["regions"][region])
    today = datetime.now(timezone.utc).date().isoformat()  # noqa: UP017
    new_table, price_changes = price_list.refreshed(table, found, today)
    exit_result(
        module,
        "price_table",
        table,
        new_table,
        [],
        price_changes=price_changes,
        kept=price_list.kept(found),
        calls=catalogue.calls,
    )


if __name__ == "__main__":
    main()
