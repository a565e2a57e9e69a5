#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: route53_record
short_description: One Route 53 record set (simple or alias), compared before it is written
version_added: 0.3.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state,
   amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Creates, updates (UPSERT) or deletes the record set O(name)/O(type) in the zone O(hosted_zone_id), either with
    O(values) and O(ttl) or as an O(alias) (a CloudFront distribution, a load balancer).
  - M(amazon.aws.route53) names the latency-routing region of a record C(region), the same name as the connection
    region every AWS module takes, so C(module_defaults) for the AWS group turns each of its records into a
    latency record ("missing parameter(s) required by 'region' - identifier"); this module has no such clash.
options:
  hosted_zone_id:
    description: The zone's id (with or without C(/hostedzone/)).
    type: str
    required: true
  name:
    description: The record name; a trailing dot is added when missing.
    type: str
    required: true
  type:
    description: The record type.
    type: str
    required: true
    choices: [A, AAAA, CNAME, TXT, MX, CAA, NS, SRV]
  ttl:
    description: Seconds resolvers may cache the record (not for aliases).
    type: int
    default: 300
  values:
    description: The record's values (not for aliases).
    type: list
    elements: str
    default: []
  alias:
    description: Point the record at an AWS resource instead of values.
    type: dict
    suboptions:
      dns_name:
        description: The target's DNS name (for CloudFront, the C(*.cloudfront.net) name).
        type: str
        required: true
      hosted_zone_id:
        description: The target's hosted zone (C(Z2FDTNDATAQYW2) for every CloudFront distribution).
        type: str
        required: true
      evaluate_target_health:
        description: Answer only while the target is healthy.
        type: bool
        default: false
"""

EXAMPLES = r"""
- name: The site's name points at CloudFront
  techblogpro.wordpress_aws.route53_record:
    hosted_zone_id: Z0123456789ABCDEFGHIJ
    name: www.techblogpro.example
    type: A
    alias:
      dns_name: d111111abcdef8.cloudfront.net
      hosted_zone_id: Z2FDTNDATAQYW2
"""

RETURN = r"""
changes:
  description: V(created) or V(deleted) for the record set, or its name and type when its values changed.
  returned: always
  type: list
  elements: str
  sample: ["www.example.com A: values"]
record:
  description: The record set as Route 53 reports it (empty when absent).
  returned: always
  type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import converge
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def _dotted(name: str) -> str:
    return name if name.endswith(".") else f"{name}."


def _normal(name: str) -> str:
    # Route 53 answers names in lower case, with characters outside [a-z0-9-_.] escaped as \\ooo.
    return _dotted(name).lower().replace("\\052", "*")


@AWSRetry.jittered_backoff()
def _current(client, zone, name, rtype):
    response = client.list_resource_record_sets(
        HostedZoneId=zone, StartRecordName=_dotted(name), StartRecordType=rtype, MaxItems="1"
    )
    for record in response.get("ResourceRecordSets", []):
        if _normal(record["Name"]) == _normal(name) and record["Type"] == rtype:
            return record
    return None


def _desired(p) -> dict:
    record = {"Name": _dotted(p["name"]), "Type": p["type"]}
    if p["alias"]:
        record["AliasTarget"] = {
            "HostedZoneId": p["alias"]["hosted_zone_id"],
            "DNSName": _dotted(p["alias"]["dns_name"]),
            "EvaluateTargetHealth": p["alias"]["evaluate_target_health"],
        }
    else:
        record["TTL"] = p["ttl"]
        record["ResourceRecords"] = [{"Value": value} for value in p["values"]]
    return record


def _same(current: dict, desired: dict) -> bool:
    if "AliasTarget" in desired:
        have = current.get("AliasTarget") or {}
        want = desired["AliasTarget"]
        return (
            _normal(have.get("DNSName", "")) == _normal(want["DNSName"])
            and have.get("HostedZoneId") == want["HostedZoneId"]
            and bool(have.get("EvaluateTargetHealth")) == want["EvaluateTargetHealth"]
        )
    values = sorted(r["Value"] for r in current.get("ResourceRecords", []))
    return current.get("TTL") == desired["TTL"] and values == sorted(r["Value"] for r in desired["ResourceRecords"])


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            hosted_zone_id=dict(type="str", required=True),
            type=dict(type="str", required=True, choices=["A", "AAAA", "CNAME", "TXT", "MX", "CAA", "NS", "SRV"]),
            ttl=dict(type="int", default=300),
            values=dict(type="list", elements="str", default=[]),
            alias=dict(
                type="dict",
                options=dict(
                    dns_name=dict(type="str", required=True),
                    hosted_zone_id=dict(type="str", required=True),
                    evaluate_target_health=dict(type="bool", default=False),
                ),
            ),
            **common_options(tags=False),
        ),
        mutually_exclusive=[("alias", "values")],
        supports_check_mode=True,
    )
    p = module.params
    if p["state"] == "present" and not p["alias"] and not p["values"]:
        module.fail_json(msg=f"record {p['name']} {p['type']} needs values or an alias")
    zone = p["hosted_zone_id"].split("/")[-1]
    client = aws_client(module, "route53")
    desired = _desired(p) if p["state"] == "present" else {}

    def change(action, record):
        batch = {"Changes": [{"Action": action, "ResourceRecordSet": record}]}
        client.change_resource_record_sets(HostedZoneId=zone, ChangeBatch=batch, aws_retry=True)
        return record

    converge(
        module,
        "record",
        find=lambda: _current(client, zone, p["name"], p["type"]),
        differences=lambda current: [] if _same(current, desired) else [f"{p['name']} {p['type']}: values"],
        create=lambda: change("UPSERT", desired),
        update=lambda _current_record, _changes: change("UPSERT", desired),
        delete=lambda current: change("DELETE", current),
        planned=lambda _current_record: desired,
        label=f"the record {p['name']} {p['type']}",
    )


if __name__ == "__main__":
    main()
