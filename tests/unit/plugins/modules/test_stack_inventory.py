"""Unit tests of the stack_inventory module (split out of tests/unit/test_foundation_modules.py)."""

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import stack_inventory

TAGS = {"wordpress_aws:stack": "blog"}


def _tag_list(tags):
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def test_inventory_finds_live_resources_only(aws, run_module):
    ec2, kms, iam = aws("ec2"), aws("kms"), aws("iam")
    spec = [{"ResourceType": "vpc", "Tags": _tag_list(TAGS)}]
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=spec)["Vpc"]["VpcId"]
    gone = ec2.create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=spec)["Vpc"]["VpcId"]
    ec2.delete_vpc(VpcId=gone)
    ec2.allocate_address(Domain="vpc", TagSpecifications=[{"ResourceType": "elastic-ip", "Tags": _tag_list(TAGS)}])
    ec2.create_vpc(CidrBlock="10.2.0.0/16")  # another stack's: untagged
    aws("sns").create_topic(Name="blog-alerts", Tags=_tag_list(TAGS))
    iam.create_role(
        RoleName="blog-backup", Path="/wordpress-aws/blog/", AssumeRolePolicyDocument="{}", Tags=_tag_list(TAGS)
    )
    iam.create_role(RoleName="other", Path="/wordpress-aws/other/", AssumeRolePolicyDocument="{}")
    key = kms.create_key(Tags=[{"TagKey": "wordpress_aws:stack", "TagValue": "blog"}])["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)

    result = run_module(stack_inventory, {"stack_name": "blog"})
    assert result["by_type"] == {"ec2:elastic-ip": 1, "ec2:vpc": 1, "iam:role": 1, "sns:topic": 1}
    assert [r["id"] for r in result["resources"] if r["resource_type"] == "vpc"] == [vpc]
    assert [k["id"] for k in result["pending_deletion"]] == [key]
    assert run_module(stack_inventory, {"stack_name": "nothing"})["count"] == 0


def test_inventory_keeps_final_snapshots_and_their_key_apart(aws, run_module):
    rds, kms, sm = aws("rds"), aws("kms"), aws("secretsmanager")
    key = kms.create_key(Tags=[{"TagKey": "wordpress_aws:stack", "TagValue": "blog"}])["KeyMetadata"]["KeyId"]
    rds.create_db_instance(
        DBInstanceIdentifier="blog-db",
        DBInstanceClass="db.t4g.micro",
        Engine="mysql",
        MasterUsername="a",
        MasterUserPassword="x" * 12,
        AllocatedStorage=20,
        Tags=_tag_list(TAGS),
        CopyTagsToSnapshot=True,
    )
    rds.create_db_parameter_group(
        DBParameterGroupName="blog-pg", DBParameterGroupFamily="mysql8.0", Description="d", Tags=_tag_list(TAGS)
    )
    live = run_module(stack_inventory, {"stack_name": "blog"})
    assert live["by_type"] == {"kms:key": 1, "rds:db": 1, "rds:pg": 1}
    assert live["retained"] == []

    rds.delete_db_instance(DBInstanceIdentifier="blog-db", FinalDBSnapshotIdentifier="blog-db-final")
    rds.delete_db_parameter_group(DBParameterGroupName="blog-pg")
    secret = sm.create_secret(Name="blog/db/app", SecretString="{}", Tags=_tag_list(TAGS))["ARN"]
    sm.delete_secret(SecretId=secret, RecoveryWindowInDays=7)
    after = run_module(stack_inventory, {"stack_name": "blog"})
    assert after["count"] == 0, (after["resources"], after["retained"], after["pending_deletion"])
    assert sorted(r["id"] for r in after["retained"]) == sorted(["blog-db-final", key])
    assert [p["resource_type"] for p in after["pending_deletion"]] == ["secret"]


def test_inventory_finds_the_edge_tier_in_us_east_1_once(aws, run_module):
    """CloudFront (global), WAFv2 web ACLs and IP sets, ACM certificates: each listed once, other stacks' not."""
    wafv2, acm, cf = aws("wafv2", "us-east-1"), aws("acm", "us-east-1"), aws("cloudfront", "us-east-1")
    visibility = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "m"}
    for name, tags in (("blog-edge", TAGS), ("other-edge", {"wordpress_aws:stack": "other"})):
        wafv2.create_web_acl(
            Name=name,
            Scope="CLOUDFRONT",
            DefaultAction={"Allow": {}},
            VisibilityConfig=visibility,
            Tags=_tag_list(tags),
        )
    wafv2.create_ip_set(
        Name="blog-admins-v4",
        Scope="CLOUDFRONT",
        IPAddressVersion="IPV4",
        Addresses=["203.0.113.0/24"],
        Tags=_tag_list(TAGS),
    )
    acm.request_certificate(DomainName="www.example.test", ValidationMethod="DNS", Tags=_tag_list(TAGS))
    origin = {
        "Id": "alb",
        "DomainName": "blog-alb.eu-west-3.elb.amazonaws.com",
        "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only"},
    }
    config = {
        "CallerReference": "wordpress-aws-blog",
        "Comment": "",
        "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [origin]},
        "DefaultCacheBehavior": {"TargetOriginId": "alb", "ViewerProtocolPolicy": "redirect-to-https"},
    }
    cf.create_distribution_with_tags(
        DistributionConfigWithTags={"DistributionConfig": config, "Tags": {"Items": _tag_list(TAGS)}}
    )

    result = run_module(stack_inventory, {"stack_name": "blog", "regions": ["us-east-1"]})
    assert result["by_type"] == {
        "acm:certificate": 1,
        "cloudfront:distribution": 1,
        "wafv2:ipset": 1,
        "wafv2:webacl": 1,
    }
    assert {r["id"] for r in result["resources"] if r["service"] == "wafv2"} == {
        "global/blog-edge",
        "global/blog-admins-v4",
    }
