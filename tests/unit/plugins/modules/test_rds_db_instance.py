"""Unit tests of the rds_db_instance module (split out of tests/unit/test_rds_db_instance.py)."""

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import rds_instance as ri
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import rds_db_instance

TAGS = {"wordpress_aws:stack": "blog", "wordpress_aws:backup": "daily"}


@pytest.fixture
def base(aws):
    key = aws("kms").create_key()["KeyMetadata"]["Arn"]
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"eu-west-3{az}")["Subnet"][
            "SubnetId"
        ]
        for i, az in enumerate("ab")
    ]
    aws("rds").create_db_subnet_group(DBSubnetGroupName="blog-data", DBSubnetGroupDescription="d", SubnetIds=subnets)
    sg = ec2.create_security_group(GroupName="blog-db", Description="d", VpcId=vpc)["GroupId"]
    return {
        "db_instance_identifier": "blog-db",
        "engine": "mysql",
        "engine_version": "8.0.39",
        "db_instance_class": "db.t4g.micro",
        "master_username": "wpadmin",
        "master_user_secret_kms_key_id": key,
        "allocated_storage": 20,
        "max_allocated_storage": 100,
        "storage_type": "gp3",
        "storage_encrypted": True,
        "kms_key_id": key,
        "db_subnet_group_name": "blog-data",
        "vpc_security_group_ids": [sg],
        "multi_az": False,
        "publicly_accessible": False,
        "backup_retention_period": 7,
        "preferred_backup_window": "02:00-02:30",
        "preferred_maintenance_window": "sun:03:00-sun:04:00",
        "deletion_protection": False,
        "copy_tags_to_snapshot": True,
        "enable_cloudwatch_logs_exports": ["error", "slowquery"],
        "tags": TAGS,
    }


def test_create_with_rds_managed_master_password_and_converge(aws, run_module, base):
    client = aws("rds")
    assert run_module(rds_db_instance, base, check_mode=True)["changed"] is True
    assert ri.describe(client, "blog-db") is None

    created = run_module(rds_db_instance, base)
    assert created["changed"] is True and created["changes"] == ["created"]
    instance = ri.describe(client, "blog-db")
    assert instance["MasterUserSecret"]["KmsKeyId"] == base["kms_key_id"]
    assert created["master_user_secret_arn"] == instance["MasterUserSecret"]["SecretArn"]
    assert instance["StorageEncrypted"] and instance["KmsKeyId"] == base["kms_key_id"]
    assert instance["PubliclyAccessible"] is False
    assert sorted(instance["EnabledCloudwatchLogsExports"]) == ["error", "slowquery"]
    assert tagging.tags_of(instance, "TagList") == TAGS
    assert "password" not in str(created).lower().replace("manage_master_user_password", "")

    assert run_module(rds_db_instance, base)["changed"] is False
    assert run_module(rds_db_instance, base, check_mode=True)["changed"] is False


def test_modifications_apply_only_what_changed(aws, run_module, base):
    run_module(rds_db_instance, base)
    changed = {
        **base,
        "backup_retention_period": 14,
        "enable_cloudwatch_logs_exports": ["error"],
        "allocated_storage": 10,
    }
    planned = run_module(rds_db_instance, changed, check_mode=True)
    assert planned["changes"] == ["BackupRetentionPeriod", "CloudwatchLogsExportConfiguration"]
    assert planned["modifications"] == {
        "BackupRetentionPeriod": 14,
        "CloudwatchLogsExportConfiguration": {"EnableLogTypes": [], "DisableLogTypes": ["slowquery"]},
    }
    assert ri.describe(aws("rds"), "blog-db")["BackupRetentionPeriod"] == 7
    applied = run_module(rds_db_instance, changed)
    assert applied["changed"] is True
    instance = ri.describe(aws("rds"), "blog-db")
    assert instance["BackupRetentionPeriod"] == 14 and instance["EnabledCloudwatchLogsExports"] == ["error"]
    assert instance["AllocatedStorage"] == 20  # never shrinks
    assert run_module(rds_db_instance, changed)["changed"] is False


def test_creation_only_attributes_cannot_change(aws, run_module, base):
    run_module(rds_db_instance, base)
    result = run_module(rds_db_instance, {**base, "storage_encrypted": False, "master_username": "root2"})
    assert result["failed"]
    assert "storage_encrypted is True, asked False" in result["msg"] and "master_username" in result["msg"]


def test_read_replica(aws, run_module, base):
    run_module(rds_db_instance, base)
    replica = {
        "db_instance_identifier": "blog-db-replica",
        "source_db_instance_identifier": "blog-db",
        "db_instance_class": "db.t4g.micro",
        "kms_key_id": base["kms_key_id"],
        "tags": TAGS,
    }
    assert run_module(rds_db_instance, replica)["changed"] is True
    instance = ri.describe(aws("rds"), "blog-db-replica")
    assert instance["ReadReplicaSourceDBInstanceIdentifier"] == "blog-db"
    assert run_module(rds_db_instance, replica)["changed"] is False


def test_delete_keeps_a_final_snapshot_and_respects_deletion_protection(aws, run_module, base):
    client = aws("rds")
    run_module(rds_db_instance, {**base, "deletion_protection": True})
    gone = {"db_instance_identifier": "blog-db", "state": "absent", "final_snapshot_identifier": "blog-db-final"}
    refused = run_module(rds_db_instance, gone)
    assert refused["failed"] and "deletion protection" in refused["msg"]
    assert ri.describe(client, "blog-db") is not None

    deleted = run_module(rds_db_instance, {**gone, "disable_deletion_protection": True})
    assert deleted["changed"] is True and deleted["changes"] == ["deleted"] and deleted["db_instance"] == {}
    assert ri.describe(client, "blog-db") is None
    snapshot = client.describe_db_snapshots(DBSnapshotIdentifier="blog-db-final")["DBSnapshots"][0]
    assert snapshot["Encrypted"] is True
    assert run_module(rds_db_instance, gone)["changed"] is False


def test_engine_needed_to_create(aws, run_module):
    result = run_module(rds_db_instance, {"db_instance_identifier": "x"})
    assert result["failed"] and "engine is required" in result["msg"]


def test_a_newer_live_minor_of_the_same_major_is_kept_and_an_older_one_upgraded(aws, run_module, base):
    asked = {**base, "engine_version": "8.4.7", "auto_minor_version_upgrade": True}
    run_module(rds_db_instance, asked)
    client = aws("rds")
    # RDS applied a minor version in the maintenance window (auto minor version upgrade)
    client.modify_db_instance(DBInstanceIdentifier="blog-db", EngineVersion="8.4.8", ApplyImmediately=True)
    kept = run_module(rds_db_instance, asked)
    assert kept["changed"] is False and kept["changes"] == [] and kept["modifications"] == {}
    assert ri.describe(client, "blog-db")["EngineVersion"] == "8.4.8"
    client.modify_db_instance(DBInstanceIdentifier="blog-db", EngineVersion="8.4.6", ApplyImmediately=True)
    assert run_module(rds_db_instance, asked, check_mode=True)["modifications"] == {"EngineVersion": "8.4.7"}


def test_a_newer_minor_is_told_apart_from_another_major_and_from_an_older_minor():
    assert ri.newer_minor("8.4.8", "8.4.7") and ri.newer_minor("8.4.10", "8.4.9")
    assert not ri.newer_minor("8.4.6", "8.4.7") and not ri.newer_minor("8.4.7", "8.0.39")
    assert not ri.newer_minor("8.4.7", "8.4.7")


def test_database_insights_advanced_is_applied_with_its_retention(stubbed, run_module):
    stub = stubbed("rds")
    live = {
        "DBInstanceIdentifier": "blog-db",
        "DBInstanceArn": "arn:aws:rds:eu-west-3:123456789012:db:blog-db",
        "DBInstanceStatus": "available",
        "EngineVersion": "8.4.7",
        "PerformanceInsightsEnabled": False,
        "PerformanceInsightsRetentionPeriod": 7,
        "DatabaseInsightsMode": "standard",
        "MasterUserSecret": {"SecretArn": "arn:aws:secretsmanager:eu-west-3:123456789012:secret:rds-x"},
    }
    wanted = {
        "DBInstanceIdentifier": "blog-db",
        "ApplyImmediately": True,
        "EnablePerformanceInsights": True,
        "PerformanceInsightsRetentionPeriod": 465,
        "DatabaseInsightsMode": "advanced",
    }
    stub.add_response("describe_db_instances", {"DBInstances": [live]}, {"DBInstanceIdentifier": "blog-db"})
    stub.add_response("modify_db_instance", {"DBInstance": live}, wanted)
    after = {**live, "PerformanceInsightsEnabled": True, "PerformanceInsightsRetentionPeriod": 465,
             "DatabaseInsightsMode": "advanced"}  # fmt: skip
    stub.add_response("describe_db_instances", {"DBInstances": [after]}, {"DBInstanceIdentifier": "blog-db"})
    params = {
        "db_instance_identifier": "blog-db",
        "engine_version": "8.4.7",
        "enable_performance_insights": True,
        "performance_insights_retention_period": 465,
        "database_insights_mode": "advanced",
        "wait": False,
    }
    result = run_module(rds_db_instance, params)
    assert result.get("changed") is True, result
    assert result["modifications"] == {
        k: v for k, v in wanted.items() if k not in ("DBInstanceIdentifier", "ApplyImmediately")
    }
    assert result["db_instance"]["database_insights_mode"] == "advanced"


def test_a_lost_create_answer_adopts_the_instance_the_first_attempt_made(stubbed, run_module, monkeypatch):
    """CreateDBInstance has no token: 500 (applied), then DBInstanceAlreadyExists on the retry -> adopted, once."""
    monkeypatch.setattr("time.sleep", lambda _s: None)
    stub = stubbed("rds")
    by_id = {"DBInstanceIdentifier": "blog-db"}
    live = {**by_id, "DBInstanceArn": "arn:aws:rds:eu-west-3:123456789012:db:blog-db", "DBInstanceStatus": "creating"}
    stub.add_client_error("describe_db_instances", "DBInstanceNotFound", expected_params=by_id)
    stub.add_client_error("create_db_instance", "InternalFailure", http_status_code=500)
    stub.add_client_error("create_db_instance", "DBInstanceAlreadyExists")
    stub.add_response("describe_db_instances", {"DBInstances": [live]}, by_id)  # the adoption's find
    stub.add_response("describe_db_instances", {"DBInstances": [live]}, by_id)  # the result
    params = {"db_instance_identifier": "blog-db", "engine": "mysql", "db_instance_class": "db.t4g.micro"}
    result = run_module(rds_db_instance, {**params, "allocated_storage": 20, "wait": False})
    stub.assert_no_pending_responses()
    assert result.get("failed") is not True, result
    assert result["changed"] is True and result["changes"] == ["created"]
    assert result["db_instance"]["db_instance_arn"] == live["DBInstanceArn"]
