# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stack's resources, found by the ``wordpress_aws:stack`` tag.

The Resource Groups Tagging API is the main source. It does not list every resource type (IAM roles,
and on some endpoints Elastic IPs and Backup plans) and may lag behind deletions, so EC2 resources come
from EC2's own describe calls, and the IAM roles under the collection's path and the Backup plans fill
the gaps. KMS keys cannot be deleted at once: a key that
is pending deletion is reported apart, not as a live resource.
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.stack import STACK_TAG_KEY

IAM_PATH_PREFIX = "/wordpress-aws/"
KMS_GONE_STATES = ("PendingDeletion", "PendingReplicaDeletion")


def parse_arn(arn: str) -> dict:
    """Service, region, resource type and id of an ARN."""
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return {"service": "", "region": "", "resource_type": "", "id": arn}
    service, region, resource = parts[2], parts[3], parts[5]
    if service == "sns":
        return {"service": service, "region": region, "resource_type": "topic", "id": resource}
    if service == "wafv2" and resource.count("/") >= 2:
        scope, rtype, name = resource.split("/")[:3]
        return {"service": service, "region": region, "resource_type": rtype, "id": f"{scope}/{name}"}
    if service == "logs" and resource.startswith("log-group:"):
        return {"service": service, "region": region, "resource_type": "log-group", "id": resource[len("log-group:") :]}
    # The resource part is "type/id" or "type:id", whichever separator comes first (ids may hold the other).
    cuts = [i for i in (resource.find("/"), resource.find(":")) if i >= 0]
    if cuts:
        cut = min(cuts)
        rtype, rid = resource[:cut], resource[cut + 1 :]
        if service == "iam":
            rid = rid.rsplit("/", 1)[-1]
        return {"service": service, "region": region, "resource_type": rtype, "id": rid}
    return {"service": service, "region": region, "resource_type": "", "id": resource}


def _entry(arn: str, tags: dict, source: str) -> dict:
    entry = parse_arn(arn)
    entry.update({"arn": arn, "tags": tags, "source": source})
    return entry


def _of_stack(stack_name: str, source: str, tagged) -> list:
    """The entries of ``tagged`` (``(arn, tags)`` pairs, tags as a dict) that carry the stack's tag."""
    return [_entry(arn, tags, source) for arn, tags in tagged if tags.get(STACK_TAG_KEY) == stack_name]


@AWSRetry.jittered_backoff()
def _tagging_resources(client, stack_name: str) -> list:
    found = []
    paginator = client.get_paginator("get_resources")
    for page in paginator.paginate(TagFilters=[{"Key": STACK_TAG_KEY, "Values": [stack_name]}]):
        for item in page.get("ResourceTagMappingList", []):
            found.append(_entry(item["ResourceARN"], boto3_tag_list_to_ansible_dict(item.get("Tags", [])), "tagging"))
    return found


# EC2 describe call -> (result key, id key, ARN resource type, states that mean gone).
EC2_DESCRIBES = {
    "describe_vpcs": ("Vpcs", "VpcId", "vpc", ()),
    "describe_subnets": ("Subnets", "SubnetId", "subnet", ()),
    "describe_security_groups": ("SecurityGroups", "GroupId", "security-group", ()),
    "describe_route_tables": ("RouteTables", "RouteTableId", "route-table", ()),
    "describe_internet_gateways": ("InternetGateways", "InternetGatewayId", "internet-gateway", ()),
    "describe_nat_gateways": ("NatGateways", "NatGatewayId", "natgateway", ("deleted",)),
    "describe_vpc_endpoints": ("VpcEndpoints", "VpcEndpointId", "vpc-endpoint", ("deleted",)),
    "describe_flow_logs": ("FlowLogs", "FlowLogId", "vpc-flow-log", ()),
    "describe_addresses": ("Addresses", "AllocationId", "elastic-ip", ()),
}


@AWSRetry.jittered_backoff()
def _ec2_describe(client, operation: str, filters: list) -> list:
    key = EC2_DESCRIBES[operation][0]
    if client.can_paginate(operation):
        items = []
        for page in client.get_paginator(operation).paginate(Filters=filters):
            items.extend(page.get(key, []))
        return items
    return getattr(client, operation)(Filters=filters).get(key, [])


def _ec2_resources(client, stack_name: str, region: str) -> list:
    """The stack's EC2 resources that exist, from each type's own describe call.

    EC2's tag index (DescribeTags) can still list resources that are gone, so it is not used here.
    """
    found = []
    filters = [{"Name": f"tag:{STACK_TAG_KEY}", "Values": [stack_name]}]
    for operation, (_key, id_key, rtype, gone_states) in EC2_DESCRIBES.items():
        for item in _ec2_describe(client, operation, filters):
            state = item.get("State")
            if isinstance(state, str) and state.lower() in gone_states:
                continue
            tags = boto3_tag_list_to_ansible_dict(item.get("Tags", []))
            if tags.get(STACK_TAG_KEY) != stack_name:
                continue
            found.append(_entry(f"arn:aws:ec2:{region}::{rtype}/{item[id_key]}", tags, "ec2"))
    return found


@AWSRetry.jittered_backoff()
def _iam_roles(client, stack_name: str) -> list:
    pages = client.get_paginator("list_roles").paginate(PathPrefix=f"{IAM_PATH_PREFIX}{stack_name}/")
    roles = pages.build_full_result().get("Roles", [])
    tagged = (
        (role["Arn"], boto3_tag_list_to_ansible_dict(client.list_role_tags(RoleName=role["RoleName"]).get("Tags", [])))
        for role in roles
    )
    return _of_stack(stack_name, "iam", tagged)


@AWSRetry.jittered_backoff()
def _backup_plans(client, stack_name: str) -> list:
    plans = client.get_paginator("list_backup_plans").paginate().build_full_result().get("BackupPlansList", [])
    tagged = (
        (plan["BackupPlanArn"], client.list_tags(ResourceArn=plan["BackupPlanArn"]).get("Tags", {})) for plan in plans
    )
    return _of_stack(stack_name, "backup", tagged)


@AWSRetry.jittered_backoff()
def _wafv2_resources(client, stack_name: str, scopes: tuple) -> list:
    """The stack's web ACLs and IP sets (the emulator's tagging index has no WAFv2)."""

    def tags(arn: str) -> dict:
        info = client.list_tags_for_resource(ResourceARN=arn).get("TagInfoForResource", {})
        return boto3_tag_list_to_ansible_dict(info.get("TagList", []))

    found = []
    for scope in scopes:
        for operation, key in (("list_web_acls", "WebACLs"), ("list_ip_sets", "IPSets")):
            marker = None
            while True:
                kwargs = {"Scope": scope, "Limit": 100, **({"NextMarker": marker} if marker else {})}
                page = getattr(client, operation)(**kwargs)
                found.extend(
                    _of_stack(stack_name, "wafv2", ((item["ARN"], tags(item["ARN"])) for item in page.get(key, [])))
                )
                marker = page.get("NextMarker")
                if not marker or not page.get(key):
                    break
    return found


@AWSRetry.jittered_backoff()
def _acm_certificates(client, stack_name: str) -> list:
    """The stack's ACM certificates (the emulator's tagging index has no ACM)."""
    pages = client.get_paginator("list_certificates").paginate()
    arns = [item["CertificateArn"] for item in pages.build_full_result().get("CertificateSummaryList", [])]
    tagged = (
        (arn, boto3_tag_list_to_ansible_dict(client.list_tags_for_certificate(CertificateArn=arn).get("Tags", [])))
        for arn in arns
    )
    return _of_stack(stack_name, "acm", tagged)


@AWSRetry.jittered_backoff()
def _cloudfront_resources(client, stack_name: str) -> list:
    """The stack's distributions (global; the emulator's tagging index has no CloudFront)."""
    pages = client.get_paginator("list_distributions").paginate()
    arns = [item["ARN"] for item in pages.build_full_result().get("DistributionList", {}).get("Items", [])]

    def tags(arn: str) -> dict:
        items = client.list_tags_for_resource(Resource=arn).get("Tags", {}).get("Items", [])
        return {tag["Key"]: tag.get("Value", "") for tag in items}

    return _of_stack(stack_name, "cloudfront", ((arn, tags(arn)) for arn in arns))


# RDS describe call -> (result key, ARN key).
RDS_DESCRIBES = {
    "describe_db_instances": ("DBInstances", "DBInstanceArn"),
    "describe_db_parameter_groups": ("DBParameterGroups", "DBParameterGroupArn"),
    "describe_db_subnet_groups": ("DBSubnetGroups", "DBSubnetGroupArn"),
    "describe_db_snapshots": ("DBSnapshots", "DBSnapshotArn"),
}


@AWSRetry.jittered_backoff()
def _rds_resources(client, stack_name: str) -> list:
    """The stack's RDS resources (the tagging index misses parameter and subnet groups on some endpoints).

    Automated snapshots belong to their instance and go with it; only manual snapshots are listed.
    """

    def tags(arn: str) -> dict:
        return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(ResourceName=arn).get("TagList", []))

    found = []
    for operation, (key, arn_key) in RDS_DESCRIBES.items():
        params = {"SnapshotType": "manual"} if operation == "describe_db_snapshots" else {}
        items = client.get_paginator(operation).paginate(**params).build_full_result().get(key, [])
        arns = [item[arn_key] for item in items if item.get(arn_key)]
        found.extend(_of_stack(stack_name, "rds", ((arn, tags(arn)) for arn in arns)))
    return found


@AWSRetry.jittered_backoff()
def _kms_state(client, key_id: str) -> str:
    try:
        return client.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"]
    except is_boto3_error_code("NotFoundException"):
        return "Deleted"


def _key(entry: dict) -> tuple:
    return (entry["service"], entry["region"] if entry["service"] != "iam" else "", entry["id"])


def merge(*sources: list) -> list:
    """Union of the sources, first source winning, sorted for stable output."""
    seen = {}
    for source in sources:
        for entry in source:
            seen.setdefault(_key(entry), entry)
    return sorted(seen.values(), key=lambda e: (e["service"], e["resource_type"], e["id"]))


@AWSRetry.jittered_backoff()
def _secret_deleted(client, arn: str) -> bool:
    try:
        return bool(client.describe_secret(SecretId=arn).get("DeletedDate"))
    except is_boto3_error_code("ResourceNotFoundException"):
        return True


@AWSRetry.jittered_backoff()
def _ecs_inactive(client, entry: dict) -> bool:
    """True for an ECS cluster or service that is deleted (AWS keeps listing it INACTIVE for a while)."""
    if entry["resource_type"] == "cluster":
        found = client.describe_clusters(clusters=[entry["arn"]]).get("clusters", [])
    elif entry["resource_type"] == "service":
        cluster = entry["id"].split("/")[0] if "/" in entry["id"] else "default"
        try:
            found = client.describe_services(cluster=cluster, services=[entry["arn"]]).get("services", [])
        except is_boto3_error_code("ClusterNotFoundException"):
            return True
    else:
        return False
    return not found or found[0].get("status") == "INACTIVE"


def collect(clients: dict, stack_name: str, region: str, include_global: bool) -> tuple[list, list, list]:
    """(live resources, resources pending deletion, resources kept on purpose) of the stack in one region.

    Kept on purpose: final DB snapshots, and the KMS key they need to be restored.

    ``clients`` maps service names (tagging, ec2, backup, kms and, with include_global, iam) to boto3 clients.
    """
    # EC2's and RDS's own describe calls are authoritative for them: the tagging index may lag behind
    # deletions or miss resource types.
    tagged = [
        e
        for e in _tagging_resources(clients["resourcegroupstaggingapi"], stack_name)
        if e["service"] not in ("ec2", "rds")
    ]
    sources = [
        tagged,
        _ec2_resources(clients["ec2"], stack_name, region),
        _backup_plans(clients["backup"], stack_name),
    ]
    if "rds" in clients:
        sources.append(_rds_resources(clients["rds"], stack_name))
    if "acm" in clients:
        sources.append(_acm_certificates(clients["acm"], stack_name))
    if "wafv2" in clients:
        scopes = ("REGIONAL", "CLOUDFRONT") if region == "us-east-1" else ("REGIONAL",)
        sources.append(_wafv2_resources(clients["wafv2"], stack_name, scopes))
    if include_global:
        sources.append(_iam_roles(clients["iam"], stack_name))
        if "cloudfront" in clients:
            sources.append(_cloudfront_resources(clients["cloudfront"], stack_name))
    live, pending, retained = [], [], []
    for entry in merge(*sources):
        if entry["service"] == "kms" and entry["resource_type"] == "key":
            state = _kms_state(clients["kms"], entry["id"])
            entry["state"] = state
            if state in KMS_GONE_STATES or state == "Deleted":
                pending.append(entry)
                continue
        if (
            entry["service"] == "secretsmanager"
            and "secretsmanager" in clients
            and _secret_deleted(clients["secretsmanager"], entry["arn"])
        ):
            pending.append(entry)
            continue
        if entry["service"] == "ecs" and "ecs" in clients and _ecs_inactive(clients["ecs"], entry):
            continue
        if entry["service"] == "rds" and entry["resource_type"] == "snapshot":
            retained.append(entry)
            continue
        live.append(entry)
    if retained:
        for entry in [e for e in live if e["service"] == "kms" and e["resource_type"] == "key"]:
            live.remove(entry)
            entry["reason"] = "kept to restore the retained snapshots"
            retained.append(entry)
    return live, pending, retained


def count_by_type(resources: list) -> dict:
    counts = {}
    for entry in resources:
        key = f"{entry['service']}:{entry['resource_type']}"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))
