#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: ecr_pull_through_cache_rule
short_description: An ECR pull-through cache rule for a public upstream registry (ECR Public by default)
version_added: 0.7.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Creates, replaces or deletes the pull-through cache rule of the private registry's repository prefix
    O(ecr_repository_prefix). With the rule, an image pulled as
    C(<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/<upstream path>:<tag>) is fetched once from the upstream
    registry, cached in a repository ECR creates, and served from ECR afterwards - so tasks in private subnets pull
    through the ECR endpoints, without Docker Hub's anonymous pull limits on a shared NAT address.
  - Only upstream registries that need no credentials are supported (V(public.ecr.aws), V(quay.io),
    V(registry.k8s.io)); the official Docker images are on ECR Public under C(docker/library/).
  - A rule's upstream cannot be changed in place; a different O(upstream_registry_url) replaces the rule.
  - With O(state=absent) and O(purge_cached_repositories), the repositories ECR created under the prefix are
    deleted too (with their cached images), also when the rule itself is already gone.
  - The first pull of an image needs C(ecr:BatchImportUpstreamImage) and C(ecr:CreateRepository) on the cached
    repositories besides the usual pull actions
    (U(https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-iam.html)).
options:
  ecr_repository_prefix:
    description: The repository prefix of the rule (2-30 characters); cached repositories are named under it.
    type: str
    required: true
  upstream_registry_url:
    description: The upstream registry.
    type: str
    choices: [public.ecr.aws, quay.io, registry.k8s.io]
    default: public.ecr.aws
  purge_cached_repositories:
    description: With O(state=absent), also delete the repositories named C(<prefix>/...).
    type: bool
    default: false
  state:
    description: Whether the rule should exist.
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Cache ECR Public (the official WordPress image is public.ecr.aws/docker/library/wordpress)
  techblogpro.wordpress_aws.ecr_pull_through_cache_rule:
    ecr_repository_prefix: techblog-prod-public

- name: Remove the rule and the repositories it filled
  techblogpro.wordpress_aws.ecr_pull_through_cache_rule:
    ecr_repository_prefix: techblog-prod-public
    purge_cached_repositories: true
    state: absent
"""

RETURN = r"""
changes:
  description: V(created), V(deleted), the replaced upstream, and each deleted cached repository.
  returned: always
  type: list
  elements: str
  sample: [deleted, deleted cached repository techblog-prod-public/docker/library/wordpress]
pull_through_cache_rule:
  description: The rule (empty when absent).
  returned: always
  type: dict
  contains:
    ecr_repository_prefix:
      description: The rule's repository prefix.
      type: str
      sample: techblog-prod-public
    upstream_registry_url:
      description: The upstream registry.
      type: str
      sample: public.ecr.aws
    upstream_registry:
      description: ECR's name of the upstream registry type.
      type: str
      sample: ecr-public
    registry_id:
      description: The account of the private registry.
      type: str
      sample: "123456789012"
cached_repositories:
  description: The cached repositories found under the prefix (only read with O(purge_cached_repositories)).
  returned: always
  type: list
  elements: str
  sample: [techblog-prod-public/docker/library/wordpress]
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ecr
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            ecr_repository_prefix=dict(type="str", required=True),
            upstream_registry_url=dict(type="str", choices=sorted(ecr.NO_CREDENTIALS), default="public.ecr.aws"),
            purge_cached_repositories=dict(type="bool", default=False),
            **common_options(name=False, tags=False),
        ),
        supports_check_mode=True,
    )
    p = module.params
    prefix, upstream = p["ecr_repository_prefix"], p["upstream_registry_url"]
    found_errors = ecr.prefix_errors(prefix, upstream)
    if found_errors:
        module.fail_json(msg="; ".join(found_errors))
    client = aws_client(module, "ecr")
    absent = p["state"] == "absent"
    wanted = {"ecr_repository_prefix": prefix, "upstream_registry_url": upstream,
              "upstream_registry": ecr.NO_CREDENTIALS[upstream]}  # fmt: skip
    before, after, changes, repositories = {}, {}, [], []
    with aws_errors(module, f"manage the pull-through cache rule {prefix}"):
        found = ecr.describe_rule(client, prefix)
        before = after = ecr.rule_view(found)
        if absent:
            repositories = ecr.cached_repositories(client, prefix) if p["purge_cached_repositories"] else []
            after = {}
            if found:
                changes.append("deleted")
                if not module.check_mode:
                    ecr.delete_rule(client, prefix)
            for name in repositories:
                changes.append(f"deleted cached repository {name}")
                if not module.check_mode:
                    ecr.delete_repository(client, name)
        elif found is None:
            changes.append("created")
            after = wanted if module.check_mode else ecr.rule_view(ecr.create_rule(client, prefix, upstream))
        elif found.get("upstreamRegistryUrl") != upstream:
            changes.append(f"upstream_registry_url {found.get('upstreamRegistryUrl')} -> {upstream} (rule replaced)")
            if module.check_mode:
                after = {**before, **wanted}
            else:
                ecr.delete_rule(client, prefix)
                after = ecr.rule_view(ecr.create_rule(client, prefix, upstream))
    exit_result(module, "pull_through_cache_rule", before, after, changes, cached_repositories=repositories)


if __name__ == "__main__":
    main()
