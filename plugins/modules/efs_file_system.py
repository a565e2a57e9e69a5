#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: efs_file_system
short_description: Manage an encrypted EFS file system with its mount targets, lifecycle and policy
version_added: 0.2.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Creates, updates and deletes an Amazon EFS file system, identified by its creation token O(name).
  - Manages in one place what a shared file system needs to be usable and safe, each only when given
    (an unset option leaves that part alone) - one mount target per subnet with its security groups, the
    lifecycle policies (transition to Infrequent Access and back), the file system policy (for example
    refusing unencrypted transport), the throughput mode and the tags.
  - Unlike M(community.aws.efs), it never calls the deprecated C(DescribeTags) API.
  - O(state=absent) deletes the access points and mount targets first, then the file system and its data.
  - Encryption, the KMS key and the performance mode cannot change on an existing file system; asking
    for other values fails with a message instead of replacing the file system and its data.
options:
  name:
    description: The creation token, and the C(Name) tag. Unique per account and region.
    type: str
    required: true
  encrypted:
    description: Encrypt the file system at rest. Only used on creation.
    type: bool
    default: true
  kms_key_id:
    description: The KMS key (ARN, id or alias ARN) encrypting the file system. Only used on creation.
    type: str
  performance_mode:
    description: The performance mode. Only used on creation.
    type: str
    choices: [generalPurpose, maxIO]
    default: generalPurpose
  throughput_mode:
    description: The throughput mode. Unset leaves it alone (EFS creates V(bursting) by default).
    type: str
    choices: [bursting, elastic, provisioned]
  provisioned_throughput_mibps:
    description: Throughput with O(throughput_mode=provisioned).
    type: float
  lifecycle:
    description: The lifecycle policies. Unset leaves them alone; an empty dict removes them.
    type: dict
    suboptions:
      transition_to_ia:
        description: When files move to Infrequent Access.
        type: str
        choices: [AFTER_1_DAY, AFTER_7_DAYS, AFTER_14_DAYS, AFTER_30_DAYS, AFTER_60_DAYS, AFTER_90_DAYS,
                  AFTER_180_DAYS, AFTER_270_DAYS, AFTER_365_DAYS]
      transition_to_primary_storage_class:
        description: When files move back to Standard.
        type: str
        choices: [AFTER_1_ACCESS]
      transition_to_archive:
        description: When files move to Archive (elastic throughput only).
        type: str
        choices: [AFTER_1_DAY, AFTER_7_DAYS, AFTER_14_DAYS, AFTER_30_DAYS, AFTER_60_DAYS, AFTER_90_DAYS,
                  AFTER_180_DAYS, AFTER_270_DAYS, AFTER_365_DAYS]
  mount_targets:
    description:
      - One mount target per subnet. Unset leaves them alone; mount targets in subnets not listed are deleted.
    type: list
    elements: dict
    suboptions:
      subnet_id:
        description: The subnet.
        type: str
        required: true
      security_groups:
        description: The security groups of the mount target.
        type: list
        elements: str
        required: true
  policy:
    description: The file system policy document. Unset leaves it alone; an empty dict deletes it.
    type: json
  wait_timeout:
    description: Seconds to wait for the file system and its mount targets.
    type: int
    default: 600
"""

EXAMPLES = r"""
- name: Uploads file system, reachable from the app subnets only, TLS only
  techblogpro.wordpress_aws.efs_file_system:
    name: techblog-prod-uploads
    kms_key_id: "{{ key_arn }}"
    throughput_mode: elastic
    lifecycle:
      transition_to_ia: AFTER_30_DAYS
      transition_to_primary_storage_class: AFTER_1_ACCESS
    mount_targets: "{{ app_subnet_ids | map('community.general.dict_kv', 'subnet_id') }}"
    policy:
      Version: "2012-10-17"
      Statement:
        - Sid: DenyUnencryptedTransport
          Effect: Deny
          Principal: {AWS: "*"}
          Action: "*"
          Condition: {Bool: {"aws:SecureTransport": "false"}}
    tags:
      wordpress_aws:stack: techblog-prod
      wordpress_aws:backup: daily
"""

RETURN = r"""
changes:
  description: For a new or removed file system V(created) or V(deleted); for an existing one the RV(file_system)
    paths changed.
  returned: always
  type: list
  elements: str
  sample: [lifecycle_policies]
file_system:
  description: The file system as EFS describes it (empty when absent).
  returned: always
  type: dict
  contains:
    file_system_id:
      description: The id.
      type: str
      sample: fs-0123456789abcdef0
    file_system_arn:
      description: The ARN.
      type: str
    life_cycle_state:
      description: V(available) once usable.
      type: str
    encrypted:
      description: Whether it is encrypted at rest.
      type: bool
    kms_key_id:
      description: The key encrypting it.
      type: str
    throughput_mode:
      description: The throughput mode.
      type: str
    lifecycle_policies:
      description: The lifecycle policies.
      type: list
      elements: dict
    mount_targets:
      description: Its mount targets, each with C(mount_target_id), C(subnet_id), C(ip_address) and C(security_groups).
      type: list
      elements: dict
    policy:
      description: The file system policy (null when none).
      type: dict
    tags:
      description: The tags.
      type: dict
"""

import json

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import efs
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.compare import change_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import resource_view
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import list_of


def _describe_all(client, fs):
    """The file system with the parts this module manages, read from EFS."""
    if fs is None:
        return None
    fs_id = fs["FileSystemId"]
    out = dict(fs)
    out["Tags"] = efs.list_tags(client, fs_id)
    out["LifecyclePolicies"] = efs.get_lifecycle(client, fs_id)
    out["Policy"] = efs.get_policy(client, fs_id)
    targets = efs.list_mount_targets(client, fs_id)
    out["MountTargets"] = [
        {**mt, "SecurityGroups": sorted(efs.mount_target_groups(client, mt["MountTargetId"]))} for mt in targets
    ]
    return out


def _result(fs):
    if not fs:
        return {}
    out = resource_view(fs, drop=("Policy", "SizeInBytes", "MountTargets"))
    out["policy"] = fs.get("Policy")
    out["mount_targets"] = [
        {
            "mount_target_id": mt.get("MountTargetId"),
            "subnet_id": mt["SubnetId"],
            "availability_zone_name": mt.get("AvailabilityZoneName"),
            "ip_address": mt.get("IpAddress"),
            "life_cycle_state": mt.get("LifeCycleState"),
            "security_groups": mt.get("SecurityGroups", []),
        }
        for mt in fs.get("MountTargets", [])
    ]
    return out


def _create_params(p):
    params = {"Encrypted": p["encrypted"], "PerformanceMode": p["performance_mode"]}
    if p["kms_key_id"]:
        params["KmsKeyId"] = p["kms_key_id"]
    if p["throughput_mode"]:
        params["ThroughputMode"] = p["throughput_mode"]
        if p["throughput_mode"] == "provisioned":
            params["ProvisionedThroughputInMibps"] = p["provisioned_throughput_mibps"]
    return params


def _desired_tags(p):
    if p["tags"] is None:
        return None
    return {**p["tags"], "Name": p["name"]}


def present(module, client, current):
    """Bring the file system to the desired state; return (changed, expected-after)."""
    p = module.params
    check = module.check_mode
    changed = False
    if current is None:
        changed = True
        if check:
            after = {
                "FileSystemId": "(new)",
                "Tags": _desired_tags(p) or {"Name": p["name"]},
                "LifecyclePolicies": [],
                "Policy": None,
                "MountTargets": [],
                "LifeCycleState": "available",
                **_create_params(p),
            }
        else:
            created = efs.create_file_system(
                client, p["name"], _create_params(p), _desired_tags(p) or {"Name": p["name"]}
            )
            efs.wait_file_system(client, created["FileSystemId"], "available", timeout=p["wait_timeout"])
            after = _describe_all(client, efs.describe_file_system(client, created["FileSystemId"]))
    else:
        problems = efs.immutable_differences(current, _create_params(p))
        if problems:
            module.fail_json(
                msg=f"EFS file system {p['name']} ({current['FileSystemId']}) cannot change in place: "
                + "; ".join(problems)
                + ". Copy the data to a new file system (new name) instead."
            )
        after = dict(current)
    fs_id = after["FileSystemId"]
    real = not (check and fs_id == "(new)")

    # throughput
    if p["throughput_mode"] and after.get("ThroughputMode") != p["throughput_mode"] and current is not None:
        changed = True
        after["ThroughputMode"] = p["throughput_mode"]
        if not check:
            efs.update_throughput(client, fs_id, p["throughput_mode"], p["provisioned_throughput_mibps"])

    # tags
    to_add, to_remove = tagging.tag_changes(_desired_tags(p), after.get("Tags", {}), p["purge_tags"])
    if to_add or to_remove:
        changed = True
        after["Tags"] = {k: v for k, v in {**after["Tags"], **to_add}.items() if k not in to_remove}
        if not check:
            tagging.set_tags(client, fs_id, to_add, to_remove)

    # lifecycle
    desired_lc = efs.lifecycle_policies(p["lifecycle"])
    if desired_lc is not None and not efs.same_lifecycle(after.get("LifecyclePolicies", []), desired_lc):
        changed = True
        after["LifecyclePolicies"] = desired_lc
        if not check and real:
            efs.put_lifecycle(client, fs_id, desired_lc)

    # policy
    if p["policy"] is not None:
        desired_policy = p["policy"] or None
        have = after.get("Policy")
        if efs.policy_differs(desired_policy, have, after.get("FileSystemArn", "")):
            changed = True
            after["Policy"] = desired_policy
            if not check and real:
                if desired_policy:
                    efs.put_policy(client, fs_id, desired_policy)
                else:
                    efs.delete_policy(client, fs_id)

    # mount targets
    if p["mount_targets"] is not None:
        have_targets = after.get("MountTargets", [])
        groups = {mt["MountTargetId"]: mt.get("SecurityGroups", []) for mt in have_targets}
        plan = efs.mount_target_plan(have_targets, groups, p["mount_targets"])
        if any(plan.values()):
            changed = True
            if check or not real:
                kept = [mt for mt in have_targets if mt["MountTargetId"] not in plan["delete"]]
                regroup = {r["mount_target_id"]: r["security_groups"] for r in plan["regroup"]}
                kept = [
                    {**mt, "SecurityGroups": regroup.get(mt["MountTargetId"], mt.get("SecurityGroups", []))}
                    for mt in kept
                ]
                new = [{"SubnetId": c["subnet_id"], "SecurityGroups": c["security_groups"]} for c in plan["create"]]
                after["MountTargets"] = kept + new
            else:
                for mt_id in plan["delete"]:
                    efs.delete_mount_target(client, mt_id)
                for item in plan["regroup"]:
                    efs.set_mount_target_groups(client, item["mount_target_id"], item["security_groups"])
                for item in plan["create"]:
                    efs.create_mount_target(client, fs_id, item["subnet_id"], item["security_groups"])
                efs.wait_mount_targets(client, fs_id, timeout=p["wait_timeout"])

    if changed and not check:
        after = _describe_all(client, efs.describe_file_system(client, fs_id))
    return changed, after


def absent(module, client, current):
    if current is None:
        return False
    if module.check_mode:
        return True
    fs_id = current["FileSystemId"]
    timeout = module.params["wait_timeout"]
    for point in efs.list_access_points(client, fs_id):
        efs.delete_access_point(client, point["AccessPointId"])
    for mt in efs.list_mount_targets(client, fs_id):
        efs.delete_mount_target(client, mt["MountTargetId"])
    efs.wait_mount_targets(client, fs_id, timeout=timeout)
    efs.delete_file_system(client, fs_id)
    efs.wait_file_system(client, fs_id, "deleted", timeout=timeout)
    return True


def main():
    lifecycle_choices = [
        "AFTER_1_DAY",
        "AFTER_7_DAYS",
        "AFTER_14_DAYS",
        "AFTER_30_DAYS",
        "AFTER_60_DAYS",
        "AFTER_90_DAYS",
        "AFTER_180_DAYS",
        "AFTER_270_DAYS",
        "AFTER_365_DAYS",
    ]
    module = WordPressAWSModule(
        argument_spec=dict(
            encrypted=dict(type="bool", default=True),
            kms_key_id=dict(type="str"),
            performance_mode=dict(type="str", choices=["generalPurpose", "maxIO"], default="generalPurpose"),
            throughput_mode=dict(type="str", choices=["bursting", "elastic", "provisioned"]),
            provisioned_throughput_mibps=dict(type="float"),
            lifecycle=dict(
                type="dict",
                options=dict(
                    transition_to_ia=dict(type="str", choices=lifecycle_choices),
                    transition_to_primary_storage_class=dict(type="str", choices=["AFTER_1_ACCESS"]),
                    transition_to_archive=dict(type="str", choices=lifecycle_choices),
                ),
            ),
            mount_targets=list_of(
                subnet_id=dict(type="str", required=True),
                security_groups=dict(type="list", elements="str", required=True),
            ),
            policy=dict(type="json"),
            **common_options(wait_timeout=600),
        ),
        required_if=[("throughput_mode", "provisioned", ["provisioned_throughput_mibps"])],
        supports_check_mode=True,
    )
    p = module.params
    if p["policy"] is not None:
        p["policy"] = json.loads(p["policy"]) if isinstance(p["policy"], str) else p["policy"]
    if p["mount_targets"] is not None:
        subnets = [mt["subnet_id"] for mt in p["mount_targets"]]
        if len(subnets) != len(set(subnets)):
            module.fail_json(msg="mount_targets lists a subnet twice; EFS allows one mount target per subnet")
    client = module.client("efs")
    with aws_errors(module, f"manage EFS file system {p['name']}"):
        try:
            current = _describe_all(client, efs.find_file_system(client, p["name"]))
            if p["state"] == "absent":
                changed, after = absent(module, client, current), None
            else:
                changed, after = present(module, client, current)
        except (TimeoutError, RuntimeError) as err:
            module.fail_json(msg=f"EFS file system {p['name']}: {err}")
    view_before, view_after = _result(current), _result(after)
    exit_result(module, "file_system", view_before, view_after, change_list(view_before, view_after, changed))


if __name__ == "__main__":
    main()
