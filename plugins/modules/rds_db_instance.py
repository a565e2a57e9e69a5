#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: rds_db_instance
short_description: Manage an RDS DB instance whose master password RDS keeps in Secrets Manager
version_added: 0.1.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Creates, modifies and deletes an RDS DB instance, or a read replica of one.
  - With O(manage_master_user_password), RDS generates the master password and keeps it in Secrets Manager
    under O(master_user_secret_kms_key_id); no password is ever a task argument or a result.
    M(amazon.aws.rds_instance) cannot do this.
  - Only options that are set are compared. Storage never shrinks. Attributes fixed at creation (engine,
    encryption, key, subnet group, master user) are compared and a difference fails with a clear message.
  - Deleting keeps a final snapshot when O(final_snapshot_identifier) is set; an instance with deletion
    protection is refused unless O(disable_deletion_protection) is set.
options:
  db_instance_identifier:
    description: The instance identifier.
    type: str
    required: true
  source_db_instance_identifier:
    description: Create a read replica of this instance instead of a primary.
    type: str
  engine:
    description: The engine, for example V(mysql). Required to create a primary.
    type: str
  engine_version:
    description: The engine version.
    type: str
  db_instance_class:
    description: The instance class.
    type: str
  db_name:
    description: A database to create with the instance.
    type: str
  master_username:
    description: The master user name.
    type: str
  manage_master_user_password:
    description: Let RDS generate and keep the master password in Secrets Manager.
    type: bool
    default: true
  master_user_secret_kms_key_id:
    description: The KMS key of the RDS-managed master secret.
    type: str
  allocated_storage:
    description: Storage in GiB.
    type: int
  max_allocated_storage:
    description: Storage autoscaling limit in GiB.
    type: int
  storage_type:
    description: The storage type, for example V(gp3).
    type: str
  storage_encrypted:
    description: Encrypt the storage.
    type: bool
  kms_key_id:
    description: The storage encryption key.
    type: str
  db_subnet_group_name:
    description: The DB subnet group.
    type: str
  vpc_security_group_ids:
    description: The VPC security groups.
    type: list
    elements: str
  db_parameter_group_name:
    description: The DB parameter group.
    type: str
  port:
    description: The port.
    type: int
  multi_az:
    description: A standby in another AZ.
    type: bool
  publicly_accessible:
    description: A public endpoint.
    type: bool
  backup_retention_period:
    description: Days of automated backups (0-35).
    type: int
  preferred_backup_window:
    description: The daily backup window, C(hh24:mi-hh24:mi) UTC.
    type: str
  preferred_maintenance_window:
    description: The weekly maintenance window, C(ddd:hh24:mi-ddd:hh24:mi) UTC.
    type: str
  deletion_protection:
    description: Refuse deletion.
    type: bool
  copy_tags_to_snapshot:
    description: Copy the instance tags to its snapshots.
    type: bool
  auto_minor_version_upgrade:
    description: Apply minor engine upgrades in the maintenance window.
    type: bool
  enable_cloudwatch_logs_exports:
    description: Log types exported to CloudWatch Logs, for example V(error) and V(slowquery).
    type: list
    elements: str
  enable_performance_insights:
    description: Performance Insights.
    type: bool
  performance_insights_kms_key_id:
    description: The Performance Insights key (set at creation).
    type: str
  performance_insights_retention_period:
    description: Days Performance Insights keeps its data (V(7), or V(465) with O(database_insights_mode=advanced)).
    type: int
  database_insights_mode:
    description:
      - CloudWatch Database Insights, V(standard) or V(advanced) (advanced needs Performance Insights kept 465 days).
      - A live engine version that is a later minor of O(engine_version)'s major is kept (RDS applied it).
    type: str
    choices: [standard, advanced]
  monitoring_interval:
    description: Enhanced monitoring interval in seconds (0 disables it).
    type: int
  monitoring_role_arn:
    description: The role enhanced monitoring uses.
    type: str
  apply_immediately:
    description: Apply modifications now rather than in the next maintenance window.
    type: bool
    default: true
  final_snapshot_identifier:
    description: With O(state=absent), the final snapshot to keep; without it no snapshot is taken.
    type: str
  disable_deletion_protection:
    description: With O(state=absent), turn deletion protection off first.
    type: bool
    default: false
  wait:
    description: Wait until the instance is available (or deleted).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait.
    type: int
    default: 3600
"""

EXAMPLES = r"""
- name: MySQL 8.0, Multi-AZ, encrypted, master password kept by RDS
  techblogpro.wordpress_aws.rds_db_instance:
    db_instance_identifier: techblog-prod-db
    engine: mysql
    engine_version: "8.0.39"
    db_instance_class: db.m7g.large
    master_username: wpadmin
    master_user_secret_kms_key_id: "{{ key_arn }}"
    allocated_storage: 50
    max_allocated_storage: 500
    storage_type: gp3
    storage_encrypted: true
    kms_key_id: "{{ key_arn }}"
    multi_az: true
    publicly_accessible: false
    deletion_protection: true
    tags:
      wordpress_aws:stack: techblog-prod
"""

RETURN = r"""
db_instance:
  description: The instance as RDS describes it (empty when absent), snake_cased.
  returned: always
  type: dict
changes:
  description:
    - What changed (or would in check mode) - V(created), V(deleted), the names of the ModifyDBInstance parameters
      applied and V(tags).
  returned: always
  type: list
  elements: str
  sample: [BackupRetentionPeriod, tags]
modifications:
  description: The ModifyDBInstance parameters applied (or that would be in check mode), with their values.
  returned: always
  type: dict
  sample: {BackupRetentionPeriod: 14}
master_user_secret_arn:
  description: The ARN of the RDS-managed master secret (never its value).
  returned: when RDS manages the master password
  type: str
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import rds_instance as ri
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_or_adopt
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import resource_view
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import typed


def _result(instance):
    return resource_view(instance, "TagList")


def absent(module, client, current):
    p = module.params
    if current is None or current.get("DBInstanceStatus") == "deleting":
        return False
    if current.get("DeletionProtection"):
        if not p["disable_deletion_protection"]:
            module.fail_json(
                msg=f"DB instance {p['db_instance_identifier']} has deletion protection; "
                "set disable_deletion_protection to delete it"
            )
        if not module.check_mode:
            ri.modify(client, p["db_instance_identifier"], {"DeletionProtection": False}, True)
    if not module.check_mode:
        ri.delete(client, p["db_instance_identifier"], p["final_snapshot_identifier"])
        if p["wait"]:
            ri.wait(client, "db_instance_deleted", p["db_instance_identifier"], p["wait_timeout"])
    return True


def present(module, client, current):
    p = module.params
    identifier = p["db_instance_identifier"]
    is_replica = bool(p["source_db_instance_identifier"])
    if current is None:
        if not is_replica and not p["engine"]:
            module.fail_json(msg=f"engine is required to create DB instance {identifier}")
        if module.check_mode:
            return ["created"], {"DBInstanceIdentifier": identifier}, {}

        # CreateDBInstance has no token: a retry after a lost answer meets the instance the first attempt made
        def write():
            if is_replica:
                ri.create_replica(client, ri.replica_params(p))
            else:
                ri.create(client, ri.create_params(p))

        create_or_adopt(write, lambda: ri.describe(client, identifier), ("DBInstanceAlreadyExists",))
        if p["wait"]:
            ri.wait(client, "db_instance_available", identifier, p["wait_timeout"])
        return ["created"], ri.describe(client, identifier), {}

    problems = ri.immutable_differences(current, p, is_replica)
    if problems:
        module.fail_json(msg=f"DB instance {identifier} cannot change in place: {'; '.join(problems)}")
    changes, unreported = ri.modifications(current, p)
    for option in unreported:
        module.warn(f"the endpoint does not report {option} of {identifier}; it was not compared")
    to_add, to_remove = ({}, [])
    if p["tags"] is not None:
        to_add, to_remove = tagging.tag_changes(p["tags"], tagging.tags_of(current, "TagList"), p["purge_tags"])
    said = sorted(changes) + (["tags"] if to_add or to_remove else [])
    if not said:
        return [], current, {}
    if module.check_mode:
        return said, current, changes
    if changes:
        ri.modify(client, identifier, changes, p["apply_immediately"])
    tagging.set_tags(client, current["DBInstanceArn"], to_add, to_remove)
    if p["wait"] and changes and p["apply_immediately"]:
        ri.wait(client, "db_instance_available", identifier, p["wait_timeout"])
    return said, ri.describe(client, identifier), changes


def main():
    argument_spec = dict(
        db_instance_identifier=dict(type="str", required=True),
        **typed(
            "str",
            "source_db_instance_identifier engine engine_version db_instance_class db_name master_username "
            "storage_type db_subnet_group_name db_parameter_group_name preferred_backup_window "
            "preferred_maintenance_window monitoring_role_arn final_snapshot_identifier",
        ),
        **typed("str", "master_user_secret_kms_key_id kms_key_id performance_insights_kms_key_id", no_log=False),
        **typed("int", "allocated_storage max_allocated_storage port backup_retention_period monitoring_interval"),
        **typed(
            "bool",
            "storage_encrypted multi_az publicly_accessible deletion_protection copy_tags_to_snapshot "
            "auto_minor_version_upgrade enable_performance_insights",
        ),
        **typed("list", "vpc_security_group_ids enable_cloudwatch_logs_exports", elements="str"),
        manage_master_user_password=dict(type="bool", default=True, no_log=False),
        performance_insights_retention_period=dict(type="int"),
        database_insights_mode=dict(type="str", choices=["standard", "advanced"]),
        apply_immediately=dict(type="bool", default=True),
        disable_deletion_protection=dict(type="bool", default=False),
        **common_options(name=False, wait=True, wait_timeout=3600),
    )
    module = WordPressAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("rds")
    identifier = module.params["db_instance_identifier"]
    with aws_errors(module, f"manage DB instance {identifier}"):
        current = ri.describe(client, identifier)
        if module.params["state"] == "absent":
            said, after, modifications = ["deleted"] if absent(module, client, current) else [], None, {}
        else:
            said, after, modifications = present(module, client, current)
    secret = (after or {}).get("MasterUserSecret") or {}
    extra = {"master_user_secret_arn": secret["SecretArn"]} if secret.get("SecretArn") else {}
    exit_result(module, "db_instance", _result(current), _result(after), said, modifications=modifications, **extra)


if __name__ == "__main__":
    main()
