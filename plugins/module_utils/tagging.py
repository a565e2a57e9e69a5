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


_TAGS = {"dict": dict, "list": ansible_dict_to_boto3_tag_list, "items": _items, "ecs": ecs_tags}
_KEYS = {"list": list, "keys": lambda keys: [{"Key": key} for key in keys], "items": lambda keys: {"Items": list(keys)}}

# The calls most services take: tag_resource(Tags=[{"Key": k, "Value": v}]) and untag_resource(TagKeys=[k]).
_STANDARD = ("tag_resource", "Tags", "list", "untag_resource", "TagKeys", "list")
# service: (resource parameter, resource in a list, tag call, tags parameter, tags shape, untag call, keys parameter,
# keys shape)
_WRITERS = {
    "acm": (
        "CertificateArn",
        False,
        "add_tags_to_certificate",
        "Tags",
        "list",
        "remove_tags_from_certificate",
        "Tags",
        "keys",
    ),
    "backup": ("ResourceArn", False, "tag_resource", "Tags", "dict", "untag_resource", "TagKeyList", "list"),
    "cloudfront": ("Resource", False, "tag_resource", "Tags", "items", "untag_resource", "TagKeys", "items"),
    "ec2": ("Resources", True, "create_tags", "Tags", "list", "delete_tags", "Tags", "keys"),
    "ecs": ("resourceArn", False, "tag_resource", "tags", "ecs", "untag_resource", "tagKeys", "list"),
    "efs": ("ResourceId", False, *_STANDARD),
    "elbv2": ("ResourceArns", True, "add_tags", "Tags", "list", "remove_tags", "TagKeys", "list"),
    "rds": (
        "ResourceName",
        False,
        "add_tags_to_resource",
        "Tags",
        "list",
        "remove_tags_from_resource",
        "TagKeys",
        "list",
    ),
    "secretsmanager": ("SecretId", False, *_STANDARD),
    "sns": ("ResourceArn", False, *_STANDARD),
    "wafv2": ("ResourceARN", False, *_STANDARD),
}


def service_of(client) -> str:
    return client.meta.service_model.service_name


@AWSRetry.jittered_backoff()
def set_tags(client, resource: str, to_set: dict, to_remove: list, service: str | None = None) -> None:
    """Remove then add tags on ``resource`` (an ARN, or an id where the service tags by id: EC2, EFS, secrets).

    The service is the client's own unless ``service`` names it.
    """
    param, in_list, tag, tags_param, tags_shape, untag, keys_param, keys_shape = _WRITERS[service or service_of(client)]
    target = {param: [resource] if in_list else resource}
    if to_remove:
        getattr(client, untag)(**target, **{keys_param: _KEYS[keys_shape](to_remove)})
    if to_set:
        getattr(client, tag)(**target, **{tags_param: _TAGS[tags_shape](dict(to_set))})


def converge_tags(client, resource: str, desired: dict | None, actual: dict | None, purge_tags: bool, check_mode: bool):
    """Decide and (unless ``check_mode``) write the tag changes; returns ``(to_set, to_remove)``."""
    to_set, to_remove = tag_changes(desired, actual, purge_tags)
    if (to_set or to_remove) and not check_mode:
        set_tags(client, resource, to_set, to_remove)
    return to_set, to_remove
