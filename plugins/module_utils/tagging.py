# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tags for every service this collection tags: what to change, reading them off a resource, writing them.

``tag_changes`` decides (amazon.aws ``compare_aws_tags`` underneath); ``set_tags`` writes the decision with
the call each service spells its own way (key/value lists, ``Items`` wrappers, ARNs or ids).
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags


def tag_changes(desired: dict | None, actual: dict | None, purge_tags: bool) -> tuple[dict, list]:
    """``(to_set, to_remove)`` turning ``actual`` into ``desired``; ``desired`` None leaves the tags alone."""
    if desired is None:
        return {}, []
    return compare_aws_tags(actual or {}, desired, purge_tags=purge_tags)


def tags_of(resource: dict | None, key: str = "Tags") -> dict:
    """The tags held under ``key`` as a dict, whether AWS gives a dict, ``Key``/``Value`` or ``key``/``value`` items."""
    found = (resource or {}).get(key) or {}
    if isinstance(found, dict):
        return dict(found)
    return {item.get("Key", item.get("key")): item.get("Value", item.get("value", "")) for item in found}


def ecs_tags(tags: dict) -> list:
    """ECS spells tags in lower case: ``[{"key": ..., "value": ...}]``."""
    return [{"key": k, "value": v} for k, v in sorted(tags.items())]


def _items(tags: dict) -> dict:
    return {"Items": [{"Key": k, "Value": v} for k, v in tags.items()]}


# service -> (tag(client, resource, tags), untag(client, resource, keys))
_WRITERS = {
    "acm": (
        lambda c, r, t: c.add_tags_to_certificate(CertificateArn=r, Tags=ansible_dict_to_boto3_tag_list(t)),
        lambda c, r, k: c.remove_tags_from_certificate(CertificateArn=r, Tags=[{"Key": key} for key in k]),
    ),
    "backup": (
        lambda c, r, t: c.tag_resource(ResourceArn=r, Tags=t),
        lambda c, r, k: c.untag_resource(ResourceArn=r, TagKeyList=k),
    ),
    "cloudfront": (
        lambda c, r, t: c.tag_resource(Resource=r, Tags=_items(t)),
        lambda c, r, k: c.untag_resource(Resource=r, TagKeys={"Items": k}),
    ),
    "ec2": (
        lambda c, r, t: c.create_tags(Resources=[r], Tags=ansible_dict_to_boto3_tag_list(t)),
        lambda c, r, k: c.delete_tags(Resources=[r], Tags=[{"Key": key} for key in k]),
    ),
    "ecs": (
        lambda c, r, t: c.tag_resource(resourceArn=r, tags=ecs_tags(t)),
        lambda c, r, k: c.untag_resource(resourceArn=r, tagKeys=k),
    ),
    "efs": (
        lambda c, r, t: c.tag_resource(ResourceId=r, Tags=ansible_dict_to_boto3_tag_list(t)),
        lambda c, r, k: c.untag_resource(ResourceId=r, TagKeys=k),
    ),
    "elbv2": (
        lambda c, r, t: c.add_tags(ResourceArns=[r], Tags=ansible_dict_to_boto3_tag_list(t)),
        lambda c, r, k: c.remove_tags(ResourceArns=[r], TagKeys=k),
    ),
    "rds": (
        lambda c, r, t: c.add_tags_to_resource(ResourceName=r, Tags=ansible_dict_to_boto3_tag_list(t)),
        lambda c, r, k: c.remove_tags_from_resource(ResourceName=r, TagKeys=k),
    ),
    "secretsmanager": (
        lambda c, r, t: c.tag_resource(SecretId=r, Tags=ansible_dict_to_boto3_tag_list(t)),
        lambda c, r, k: c.untag_resource(SecretId=r, TagKeys=k),
    ),
    "sns": (
        lambda c, r, t: c.tag_resource(ResourceArn=r, Tags=ansible_dict_to_boto3_tag_list(t)),
        lambda c, r, k: c.untag_resource(ResourceArn=r, TagKeys=k),
    ),
    "wafv2": (
        lambda c, r, t: c.tag_resource(ResourceARN=r, Tags=ansible_dict_to_boto3_tag_list(t)),
        lambda c, r, k: c.untag_resource(ResourceARN=r, TagKeys=k),
    ),
}


def service_of(client) -> str:
    return client.meta.service_model.service_name


@AWSRetry.jittered_backoff()
def set_tags(client, resource: str, to_set: dict, to_remove: list, service: str | None = None) -> None:
    """Remove then add tags on ``resource`` (an ARN, or an id where the service tags by id: EC2, EFS, secrets).

    The service is the client's own unless ``service`` names it.
    """
    tag, untag = _WRITERS[service or service_of(client)]
    if to_remove:
        untag(client, resource, list(to_remove))
    if to_set:
        tag(client, resource, dict(to_set))


def converge_tags(client, resource: str, desired: dict | None, actual: dict | None, purge_tags: bool, check_mode: bool):
    """Decide and (unless ``check_mode``) write the tag changes; returns ``(to_set, to_remove)``."""
    to_set, to_remove = tag_changes(desired, actual, purge_tags)
    if (to_set or to_remove) and not check_mode:
        set_tags(client, resource, to_set, to_remove)
    return to_set, to_remove
