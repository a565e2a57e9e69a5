#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: efs_access_point
short_description: Manage an EFS access point with a fixed POSIX identity and root directory
version_added: 0.2.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Creates, tags, replaces and deletes an EFS access point, identified by its C(Name) tag on the file system.
  - Every request through the access point runs as O(posix_user), and its root directory is created on
    first use with the owner and permissions of O(root_directory) - so an application running as a
    non-root user (the web server's uid 33 in the official WordPress image) can write its uploads.
  - Access points are immutable. When the identity or the root directory asked for differ, the module
    creates the new access point first and then deletes the old one (files stay on the file system);
    clients must then use the new id (RV(access_point.access_point_id)).
  - Creation sends a client token derived from the request, so a run interrupted after the create call
    gets the same access point back instead of a duplicate.
options:
  name:
    description: The C(Name) tag; unique among the access points of the file system.
    type: str
    required: true
  file_system_id:
    description: The file system.
    type: str
    required: true
  posix_user:
    description: The identity every file operation runs as.
    type: dict
    suboptions:
      uid:
        description: The user id.
        type: int
        required: true
      gid:
        description: The group id.
        type: int
        required: true
      secondary_gids:
        description: Additional group ids.
        type: list
        elements: int
  root_directory:
    description: The directory the access point exposes as C(/), created on first use when missing.
    type: dict
    suboptions:
      path:
        description: Its path on the file system.
        type: str
        required: true
      owner_uid:
        description: Owner of the directory when EFS creates it.
        type: int
      owner_gid:
        description: Group of the directory when EFS creates it.
        type: int
      permissions:
        description: Octal permissions of the directory when EFS creates it.
        type: str
        default: "0755"
"""

EXAMPLES = r"""
- name: wp-content owned by www-data (33:33)
  techblogpro.wordpress_aws.efs_access_point:
    name: techblog-prod-wp-content
    file_system_id: "{{ uploads.file_system.file_system_id }}"
    posix_user: {uid: 33, gid: 33}
    root_directory: {path: /wp-content, owner_uid: 33, owner_gid: 33, permissions: "0755"}
    tags:
      wordpress_aws:stack: techblog-prod
"""

RETURN = r"""
changes:
  description: Whether the access point was V(created) or V(deleted), or which of its RV(access_point) paths moved.
  returned: always
  type: list
  elements: str
  sample: [tags.Name]
access_point:
  description: The access point as EFS describes it (empty when absent).
  returned: always
  type: dict
  contains:
    access_point_id:
      description: The id.
      type: str
      sample: fsap-0123456789abcdef0
    access_point_arn:
      description: The ARN.
      type: str
    file_system_id:
      description: The file system.
      type: str
    posix_user:
      description: The identity (C(uid), C(gid), C(secondary_gids)).
      type: dict
    root_directory:
      description: The root (C(path) and C(creation_info)).
      type: dict
    tags:
      description: The tags.
      type: dict
replaced:
  description: The id of the access point this run replaced, if any.
  returned: when an access point was replaced
  type: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import efs
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.compare import change_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import resource_view
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def _result(point):
    return resource_view(point)


def _desired_tags(p):
    return None if p["tags"] is None else {**p["tags"], "Name": p["name"]}


def present(module, client, current):
    p = module.params
    spec = efs.access_point_spec(p["posix_user"], p["root_directory"])
    extra = {}
    if current is not None and not efs.access_point_matches(current, spec):
        extra["replaced"] = current["AccessPointId"]
        replace_id, current = current["AccessPointId"], None
    else:
        replace_id = None
    if current is None:
        if module.check_mode:
            after = {
                "AccessPointId": "(new)",
                "FileSystemId": p["file_system_id"],
                **spec,
                "Tags": [{"Key": k, "Value": v} for k, v in (_desired_tags(p) or {"Name": p["name"]}).items()],
            }
            return True, after, extra
        created = efs.create_access_point(client, p["file_system_id"], p["name"], spec, p["tags"] or {})
        if replace_id:
            efs.delete_access_point(client, replace_id)
        return True, created, extra
    have_tags = boto3_tag_list_to_ansible_dict(current.get("Tags", []))
    to_add, to_remove = tagging.tag_changes(_desired_tags(p), have_tags, p["purge_tags"])
    if not to_add and not to_remove:
        return False, current, extra
    new_tags = {k: v for k, v in {**have_tags, **to_add}.items() if k not in to_remove}
    if not module.check_mode:
        tagging.set_tags(client, current["AccessPointId"], to_add, to_remove)
    return True, {**current, "Tags": [{"Key": k, "Value": v} for k, v in new_tags.items()]}, extra


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            file_system_id=dict(type="str", required=True),
            posix_user=dict(
                type="dict",
                options=dict(
                    uid=dict(type="int", required=True),
                    gid=dict(type="int", required=True),
                    secondary_gids=dict(type="list", elements="int"),
                ),
            ),
            root_directory=dict(
                type="dict",
                options=dict(
                    path=dict(type="str", required=True),
                    owner_uid=dict(type="int"),
                    owner_gid=dict(type="int"),
                    permissions=dict(type="str", default="0755"),
                ),
                required_together=[("owner_uid", "owner_gid")],
            ),
            **common_options(),
        ),
        supports_check_mode=True,
    )
    p = module.params
    root = p["root_directory"]
    if root and not root["path"].startswith("/"):
        module.fail_json(msg=f"root_directory.path {root['path']!r} must be absolute (start with /)")
    if (
        root
        and root["permissions"]
        and not (len(root["permissions"]) in (3, 4) and set(root["permissions"]) <= set("01234567"))
    ):
        module.fail_json(msg=f"root_directory.permissions {root['permissions']!r} must be octal, like 0755")
    client = module.client("efs")
    with aws_errors(module, f"manage EFS access point {p['name']}"):
        points = efs.find_access_point(efs.list_access_points(client, p["file_system_id"]), p["name"])
        if len(points) > 1:
            module.fail_json(
                msg=f"{len(points)} access points of {p['file_system_id']} are named {p['name']} "
                f"({', '.join(pt['AccessPointId'] for pt in points)}); delete the extra ones"
            )
        current = points[0] if points else None
        extra = {}
        if p["state"] == "absent":
            changed, after = current is not None, None
            if changed and not module.check_mode:
                efs.delete_access_point(client, current["AccessPointId"])
        else:
            changed, after, extra = present(module, client, current)
    view_before, view_after = _result(current), _result(after)
    changes = change_list(view_before, view_after, changed)
    exit_result(module, "access_point", view_before, view_after, changes, **extra)


if __name__ == "__main__":
    main()
