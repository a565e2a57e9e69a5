"""sns_topic, kms_key_deletion and stack_inventory."""

import json

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import inventory
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import sns
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import kms_key_deletion
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import sns_topic
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import stack_inventory

TAGS = {"wordpress_aws:stack": "blog"}
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": "*",
        }
    ],
}


def test_topic_is_encrypted_and_idempotent(aws, run_module):
    client = aws("sns")
    key = aws("kms").create_key()["KeyMetadata"]["Arn"]
    args = {"name": "blog-alerts", "kms_master_key_id": key, "policy": POLICY, "display_name": "Blog", "tags": TAGS}
    assert run_module(sns_topic, args, check_mode=True)["changed"] is True
    assert sns.find_topic_arn(client, "blog-alerts") is None

    created = run_module(sns_topic, args)
    assert created["changed"] is True
    attributes = client.get_topic_attributes(TopicArn=created["sns_topic"]["topic_arn"])["Attributes"]
    assert attributes["KmsMasterKeyId"] == key
    assert json.loads(attributes["Policy"])["Statement"][0]["Action"] == "sns:Publish"
    assert run_module(sns_topic, args)["changed"] is False
    assert run_module(sns_topic, args, check_mode=True)["changed"] is False


def test_topic_changes_only_what_differs(aws, run_module):
    run_module(sns_topic, {"name": "t", "display_name": "One", "tags": TAGS})
    result = run_module(sns_topic, {"name": "t", "display_name": "Two"})
    assert result["changed"] is True
    assert result["diff"]["before"]["attributes"]["DisplayName"] == "One"
    assert result["sns_topic"]["attributes"]["DisplayName"] == "Two"
    assert result["sns_topic"]["tags"] == TAGS  # tags unset: left alone


def test_policy_comparison_ignores_formatting():
    current = {"Policy": json.dumps(POLICY, indent=4)}
    assert sns.attribute_changes(current, sns.desired_attributes({"policy": POLICY})) == {}
    other = {**POLICY, "Statement": [{**POLICY["Statement"][0], "Action": "sns:Subscribe"}]}
    assert "Policy" in sns.attribute_changes(current, sns.desired_attributes({"policy": other}))


def test_topic_absent(aws, run_module):
    run_module(sns_topic, {"name": "t"})
    assert run_module(sns_topic, {"name": "t", "state": "absent"})["changed"] is True
    assert sns.find_topic_arn(aws("sns"), "t") is None
    assert run_module(sns_topic, {"name": "t", "state": "absent"})["changed"] is False


def test_key_deletion_is_scheduled_by_alias_once(aws, run_module):
    kms = aws("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/wordpress-aws/blog", TargetKeyId=key)
    args = {"alias": "wordpress-aws/blog", "pending_window_days": 7}
    assert run_module(kms_key_deletion, args, check_mode=True)["changed"] is True
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "Enabled"
    result = run_module(kms_key_deletion, args)
    assert result["changed"] is True
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    assert all(a["AliasName"] != "alias/wordpress-aws/blog" for a in kms.list_aliases()["Aliases"])
    assert run_module(kms_key_deletion, args)["changed"] is False


def test_key_deletion_window_is_checked(aws, run_module):
    result = run_module(kms_key_deletion, {"alias": "a", "pending_window_days": 3})
    assert result["failed"] and "between 7 and 30" in result["msg"]


def test_parse_arn():
    assert inventory.parse_arn("arn:aws:sns:eu-west-3:1:blog-alerts")["id"] == "blog-alerts"
    secret = inventory.parse_arn("arn:aws:secretsmanager:eu-west-3:1:secret:blog/db/app-AbCdEf")
    assert (secret["resource_type"], secret["id"]) == ("secret", "blog/db/app-AbCdEf")
    snapshot = inventory.parse_arn("arn:aws:rds:eu-west-3:1:snapshot:rds:blog-db-2026-11-28-01-00")
    assert (snapshot["resource_type"], snapshot["id"]) == ("snapshot", "rds:blog-db-2026-11-28-01-00")
    log = inventory.parse_arn("arn:aws:logs:eu-west-3:1:log-group:/wordpress-aws/blog/x")
    assert (log["resource_type"], log["id"]) == ("log-group", "/wordpress-aws/blog/x")
    role = inventory.parse_arn("arn:aws:iam::1:role/wordpress-aws/blog/blog-backup")
    assert (role["service"], role["resource_type"], role["id"]) == ("iam", "role", "blog-backup")
    vault = inventory.parse_arn("arn:aws:backup:eu-west-3:1:backup-vault:blog-vault")
    assert (vault["resource_type"], vault["id"]) == ("backup-vault", "blog-vault")


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
