# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RDS DB instance calls and the comparison behind ``rds_db_instance``.

amazon.aws 10 ``rds_instance`` cannot ask RDS to manage the master password in Secrets Manager
(``ManageMasterUserPassword``, ``MasterUserSecretKmsKeyId``): it needs the password as a task argument,
so it would pass through Ansible. This module never takes or returns a password.
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.describe import or_none
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.propagation import propagation_retry

# Module option -> (API parameter for create/modify, attribute in DescribeDBInstances).
MODIFIABLE = {
    "db_instance_class": ("DBInstanceClass", "DBInstanceClass"),
    "engine_version": ("EngineVersion", "EngineVersion"),
    "allocated_storage": ("AllocatedStorage", "AllocatedStorage"),
    "max_allocated_storage": ("MaxAllocatedStorage", "MaxAllocatedStorage"),
    "storage_type": ("StorageType", "StorageType"),
    "backup_retention_period": ("BackupRetentionPeriod", "BackupRetentionPeriod"),
    "preferred_backup_window": ("PreferredBackupWindow", "PreferredBackupWindow"),
    "preferred_maintenance_window": ("PreferredMaintenanceWindow", "PreferredMaintenanceWindow"),
    "multi_az": ("MultiAZ", "MultiAZ"),
    "deletion_protection": ("DeletionProtection", "DeletionProtection"),
    "copy_tags_to_snapshot": ("CopyTagsToSnapshot", "CopyTagsToSnapshot"),
    "publicly_accessible": ("PubliclyAccessible", "PubliclyAccessible"),
    "auto_minor_version_upgrade": ("AutoMinorVersionUpgrade", "AutoMinorVersionUpgrade"),
    "enable_performance_insights": ("EnablePerformanceInsights", "PerformanceInsightsEnabled"),
    "performance_insights_retention_period": (
        "PerformanceInsightsRetentionPeriod",
        "PerformanceInsightsRetentionPeriod",
    ),
    # CloudWatch Database Insights (standard or advanced; advanced needs Performance Insights kept 465 days)
    "database_insights_mode": ("DatabaseInsightsMode", "DatabaseInsightsMode"),
    "monitoring_interval": ("MonitoringInterval", "MonitoringInterval"),
    "monitoring_role_arn": ("MonitoringRoleArn", "MonitoringRoleArn"),
}
# Set at creation only; a difference cannot be applied in place.
IMMUTABLE = {
    "engine": ("Engine", "Engine"),
    "master_username": ("MasterUsername", "MasterUsername"),
    "storage_encrypted": ("StorageEncrypted", "StorageEncrypted"),
    "kms_key_id": ("KmsKeyId", "KmsKeyId"),
    "db_subnet_group_name": ("DBSubnetGroupName", None),
    "db_name": ("DBName", "DBName"),
    "port": ("Port", None),
}
# Options that only matter at creation (the API has no attribute to compare them against).
CREATE_ONLY = {
    "performance_insights_kms_key_id": "PerformanceInsightsKMSKeyId",
    "master_user_secret_kms_key_id": "MasterUserSecretKmsKeyId",
}


@AWSRetry.jittered_backoff()
def describe(client, identifier: str) -> dict | None:
    response = or_none(client.describe_db_instances, "DBInstanceNotFound", DBInstanceIdentifier=identifier)
    instances = (response or {}).get("DBInstances", [])
    return instances[0] if instances else None


def security_groups_of(instance: dict) -> list:
    return sorted(g["VpcSecurityGroupId"] for g in instance.get("VpcSecurityGroups", []))


def param_group_of(instance: dict) -> str | None:
    groups = instance.get("DBParameterGroups", [])
    return groups[0].get("DBParameterGroupName") if groups else None


def subnet_group_of(instance: dict) -> str | None:
    return (instance.get("DBSubnetGroup") or {}).get("DBSubnetGroupName")


def attachment_params(p: dict) -> dict:
    """The security groups, parameter group and log exports an instance and a replica are created with."""
    params = {}
    if p.get("vpc_security_group_ids") is not None:
        params["VpcSecurityGroupIds"] = p["vpc_security_group_ids"]
    if p.get("db_parameter_group_name"):
        params["DBParameterGroupName"] = p["db_parameter_group_name"]
    if p.get("enable_cloudwatch_logs_exports") is not None:
        params["EnableCloudwatchLogsExports"] = p["enable_cloudwatch_logs_exports"]
    return params


def create_params(p: dict) -> dict:
    params = {"DBInstanceIdentifier": p["db_instance_identifier"]}
    for table in (MODIFIABLE, IMMUTABLE):
        for option, (api, _attr) in table.items():
            if p.get(option) is not None:
                params[api] = p[option]
    for option, api in CREATE_ONLY.items():
        if p.get(option):
            params[api] = p[option]
    if p.get("manage_master_user_password"):
        params["ManageMasterUserPassword"] = True
    params.update(attachment_params(p))
    params["Tags"] = ansible_dict_to_boto3_tag_list(p.get("tags") or {})
    return params


def replica_params(p: dict) -> dict:
    params = {
        "DBInstanceIdentifier": p["db_instance_identifier"],
        "SourceDBInstanceIdentifier": p["source_db_instance_identifier"],
        "Tags": ansible_dict_to_boto3_tag_list(p.get("tags") or {}),
    }
    for option in (
        "db_instance_class",
        "storage_type",
        "max_allocated_storage",
        "publicly_accessible",
        "auto_minor_version_upgrade",
        "copy_tags_to_snapshot",
        "deletion_protection",
        "enable_performance_insights",
        "performance_insights_retention_period",
        "database_insights_mode",
        "monitoring_interval",
        "monitoring_role_arn",
        "multi_az",
    ):
        if p.get(option) is not None:
            params[MODIFIABLE[option][0]] = p[option]
    for option in ("kms_key_id", "db_subnet_group_name", "port"):
        if p.get(option) is not None:
            params[IMMUTABLE[option][0]] = p[option]
    if p.get("performance_insights_kms_key_id"):
        params["PerformanceInsightsKMSKeyId"] = p["performance_insights_kms_key_id"]
    params.update(attachment_params(p))
    return params


def _same_key(have, want) -> bool:
    """KMS keys may be given as id, ARN or alias ARN; ids match the end of an ARN."""
    if have == want:
        return True
    return bool(have and want) and (have.endswith("/" + want) or want.endswith("/" + have))


def immutable_differences(current: dict, p: dict, is_replica: bool) -> list:
    problems = []
    for option, (_api, attr) in IMMUTABLE.items():
        want = p.get(option)
        if want is None:
            continue
        if option in ("engine", "master_username", "db_name") and is_replica:
            continue
        have = (
            subnet_group_of(current)
            if option == "db_subnet_group_name"
            else ((current.get("Endpoint") or {}).get("Port") if option == "port" else current.get(attr))
        )
        same = _same_key(have, want) if option == "kms_key_id" else have == want
        if have is not None and not same:
            problems.append(f"{option} is {have!r}, asked {want!r}")
    return problems


def _version(text) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in str(text).split("."))


def newer_minor(have, want) -> bool:
    """Whether ``have`` is the same major as ``want`` (8.4 of 8.4.7) and a later minor: RDS applied it
    (auto minor version upgrade), and asking the older one would be a downgrade RDS refuses."""
    h, w = _version(have), _version(want)
    return len(h) >= 3 and len(w) >= 3 and h[:2] == w[:2] and h > w


def modifications(current: dict, p: dict) -> tuple[dict, list]:
    """(ModifyDBInstance parameters, attributes the endpoint does not report and so were not compared)."""
    changes, unreported = {}, []
    for option, (api, attr) in MODIFIABLE.items():
        want = p.get(option)
        if want is None:
            continue
        have = current.get(attr)
        if have is None and attr not in current:
            unreported.append(option)
            continue
        if option == "allocated_storage" and have is not None and want < have:
            continue  # storage never shrinks; autoscaling may have grown it
        if option == "engine_version" and newer_minor(have, want):
            continue  # a newer minor of the same major: RDS upgraded it, never downgrade
        if have != want:
            changes[api] = want
    if p.get("vpc_security_group_ids") is not None and security_groups_of(current) != sorted(
        p["vpc_security_group_ids"]
    ):
        changes["VpcSecurityGroupIds"] = p["vpc_security_group_ids"]
    if p.get("db_parameter_group_name") and param_group_of(current) != p["db_parameter_group_name"]:
        changes["DBParameterGroupName"] = p["db_parameter_group_name"]
    if p.get("enable_cloudwatch_logs_exports") is not None:
        have = set(current.get("EnabledCloudwatchLogsExports") or [])
        want = set(p["enable_cloudwatch_logs_exports"])
        if have != want:
            changes["CloudwatchLogsExportConfiguration"] = {
                "EnableLogTypes": sorted(want - have),
                "DisableLogTypes": sorted(have - want),
            }
    if p.get("manage_master_user_password") and not current.get("MasterUserSecret"):
        changes["ManageMasterUserPassword"] = True
        if p.get("master_user_secret_kms_key_id"):
            changes["MasterUserSecretKmsKeyId"] = p["master_user_secret_kms_key_id"]
    return changes, unreported


# Create and modify may name a monitoring role created seconds before: IAM propagation is retried too.
@propagation_retry()
def create(client, params: dict) -> None:
    client.create_db_instance(**params)


@propagation_retry()
def create_replica(client, params: dict) -> None:
    client.create_db_instance_read_replica(**params)


@propagation_retry(catch_extra_error_codes=["InvalidDBInstanceState"])
def modify(client, identifier: str, changes: dict, apply_immediately: bool) -> None:
    client.modify_db_instance(DBInstanceIdentifier=identifier, ApplyImmediately=apply_immediately, **changes)


@AWSRetry.jittered_backoff(catch_extra_error_codes=["InvalidDBInstanceState"])
def delete(client, identifier: str, final_snapshot: str | None) -> None:
    if final_snapshot:
        client.delete_db_instance(DBInstanceIdentifier=identifier, FinalDBSnapshotIdentifier=final_snapshot)
    else:
        client.delete_db_instance(DBInstanceIdentifier=identifier, SkipFinalSnapshot=True)


def wait(client, waiter: str, identifier: str, timeout: int) -> None:
    delay = 15
    client.get_waiter(waiter).wait(
        DBInstanceIdentifier=identifier, WaiterConfig={"Delay": delay, "MaxAttempts": max(1, timeout // delay)}
    )
