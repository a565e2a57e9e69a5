# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ECR calls for ecr_pull_through_cache_rule: the rule of one repository prefix, and the repositories ECR creates
under it when an image is first pulled through it (https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html)."""

from __future__ import annotations

import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.describe import or_none

# CreatePullThroughCacheRule's ecrRepositoryPrefix: 2-30 characters, lower-case path components.
PREFIX_RE = re.compile(r"^(?=.{2,30}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$")
# Upstream registries that need no credentials (Docker Hub, GitHub, GitLab and Azure need a secret).
NO_CREDENTIALS = {
    "public.ecr.aws": "ecr-public",
    "registry.k8s.io": "k8s",
    "quay.io": "quay",
}


def prefix_errors(prefix: str, upstream_registry_url: str) -> list[str]:
    """Errors in the rule's parameters, each naming its option."""
    out = []
    if not PREFIX_RE.match(str(prefix)) or str(prefix).upper() == "ROOT":
        out.append(
            f"ecr_repository_prefix {prefix!r} must be 2-30 lower-case letters, digits and . _ - (path components "
            "separated by /)"
        )
    if upstream_registry_url not in NO_CREDENTIALS:
        out.append(
            f"upstream_registry_url {upstream_registry_url!r} must be one of {', '.join(sorted(NO_CREDENTIALS))} "
            "(registries that need credentials are not supported by this module)"
        )
    return out


def rule_view(rule: dict | None) -> dict:
    """The rule as the module returns it."""
    if not rule:
        return {}
    return {
        "ecr_repository_prefix": rule.get("ecrRepositoryPrefix", ""),
        "upstream_registry_url": rule.get("upstreamRegistryUrl", ""),
        "upstream_registry": rule.get("upstreamRegistry", ""),
        "registry_id": rule.get("registryId", ""),
    }


@AWSRetry.jittered_backoff()
def describe_rule(client, prefix: str) -> dict | None:
    """The pull-through cache rule of ``prefix``, or None."""
    found = or_none(
        client.describe_pull_through_cache_rules,
        "PullThroughCacheRuleNotFoundException",
        ecrRepositoryPrefixes=[prefix],
    )
    rules = [r for r in (found or {}).get("pullThroughCacheRules", []) if r.get("ecrRepositoryPrefix") == prefix]
    return rules[0] if rules else None


@AWSRetry.jittered_backoff()
def create_rule(client, prefix: str, upstream_registry_url: str) -> dict:
    """Create the rule; an answer lost after ECR created it is found again rather than failing the retry."""
    try:
        return client.create_pull_through_cache_rule(
            ecrRepositoryPrefix=prefix,
            upstreamRegistryUrl=upstream_registry_url,
            upstreamRegistry=NO_CREDENTIALS[upstream_registry_url],
        )
    except is_boto3_error_code("PullThroughCacheRuleAlreadyExistsException"):
        existing = describe_rule(client, prefix)
        if existing and existing.get("upstreamRegistryUrl") == upstream_registry_url:
            return existing
        raise


@AWSRetry.jittered_backoff()
def delete_rule(client, prefix: str) -> None:
    or_none(client.delete_pull_through_cache_rule, "PullThroughCacheRuleNotFoundException", ecrRepositoryPrefix=prefix)


@AWSRetry.jittered_backoff()
def cached_repositories(client, prefix: str) -> list[str]:
    """The names of the repositories under ``prefix/`` (ECR creates them on the first pull through the rule)."""
    pages = client.get_paginator("describe_repositories").paginate().build_full_result()
    names = [repo["repositoryName"] for repo in pages.get("repositories", [])]
    return sorted(name for name in names if name.startswith(f"{prefix}/"))


@AWSRetry.jittered_backoff()
def delete_repository(client, name: str) -> None:
    """Delete a cached repository with its images (they are copies of the upstream's)."""
    or_none(client.delete_repository, "RepositoryNotFoundException", repositoryName=name, force=True)
