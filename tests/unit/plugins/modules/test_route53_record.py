"""Unit tests of the route53_record module (split out of tests/unit/test_edge_modules.py)."""

from __future__ import annotations


def test_route53_record_values_and_aliases_converge_and_go(aws, run_module):
    from ansible_collections.techblogpro.wordpress_aws.plugins.modules import route53_record

    r53 = aws("route53")
    zone = r53.create_hosted_zone(Name="example.test", CallerReference="z")["HostedZone"]["Id"]
    cname = {
        "hosted_zone_id": zone,
        "name": "_abc.www.example.test",
        "type": "CNAME",
        "values": ["_def.acm-validations.aws."],
    }
    # The connection region module_defaults sets is only where the client connects (route53 is global).
    assert run_module(route53_record, cname, check_mode=True)["changed"] is True
    assert run_module(route53_record, cname)["changed"] is True
    assert run_module(route53_record, cname)["changed"] is False
    alias = {
        "hosted_zone_id": zone,
        "name": "www.example.test",
        "type": "A",
        "alias": {"dns_name": "d111.cloudfront.net", "hosted_zone_id": "Z2FDTNDATAQYW2"},
    }
    assert run_module(route53_record, alias)["changed"] is True
    assert run_module(route53_record, alias)["changed"] is False
    moved = {**alias, "alias": {"dns_name": "d222.cloudfront.net", "hosted_zone_id": "Z2FDTNDATAQYW2"}}
    assert run_module(route53_record, moved)["changed"] is True
    records = {
        (r["Name"], r["Type"]): r for r in r53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]
    }
    assert records[("www.example.test.", "A")]["AliasTarget"]["DNSName"] == "d222.cloudfront.net."
    assert records[("_abc.www.example.test.", "CNAME")]["ResourceRecords"] == [{"Value": "_def.acm-validations.aws."}]
    for args in (cname, moved):
        gone = {**{k: v for k, v in args.items() if k in ("hosted_zone_id", "name", "type")}, "state": "absent"}
        assert run_module(route53_record, gone)["changed"] is True
        assert run_module(route53_record, gone)["changed"] is False
    left = sorted(r["Type"] for r in r53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"])
    assert left == ["NS", "SOA"]
    refused = run_module(route53_record, {**cname, "values": []})
    assert refused["failed"] and "needs values or an alias" in refused["msg"]
