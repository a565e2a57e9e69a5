"""The task execution role with the image pulled through the ECR pull-through cache (issue 21 finding 11): exactly
the ECR actions a pull-through pull needs, on this stack's cached repositories only, and none without the cache."""

from __future__ import annotations

from .conftest import ACCOUNT
from .conftest import REGION
from .conftest import statements

SECRETS = {
    "blog/db/app": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:blog/db/app-a",
    "blog/wordpress/salts": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:blog/wordpress/salts-b",
}
# AmazonECSTaskExecutionRolePolicy's pull actions, and the two the first pull through a cache rule needs
# (https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-iam.html).
PULL = {"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"}
FIRST_PULL = {"ecr:BatchImportUpstreamImage", "ecr:CreateRepository"}


def _policy(render, cache):
    return render(
        "ecs_wordpress",
        "execution_policy.json.j2",
        __ecs_wordpress_use_image_cache=str(cache),
        __ecs_wordpress_secret_arns=SECRETS,
        __ecs_wordpress_key_arn=f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k",
        __ecs_wordpress_partition="aws",
        __ecs_wordpress_account_id=ACCOUNT,
    )


def _ecr_actions(policy):
    found = set()
    for statement in policy["Statement"]:
        listed = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        found.update(action for action in listed if action.startswith("ecr:"))
    return found


def test_with_the_cache_the_role_may_pull_and_fill_only_the_stacks_cached_repositories(render):
    policy = _policy(render, True)
    found = statements(policy)
    assert found["AuthenticateToTheRegistry"]["Action"] == "ecr:GetAuthorizationToken"
    assert found["AuthenticateToTheRegistry"]["Resource"] == "*"  # the action names no repository
    pull = found["PullTheImageThroughThisStacksCache"]
    assert set(pull["Action"]) == PULL | FIRST_PULL
    assert pull["Resource"] == f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/blog-public/*"
    assert _ecr_actions(policy) == PULL | FIRST_PULL | {"ecr:GetAuthorizationToken"}
    # the secrets and logs statements are still there
    assert {"ReadThisStacksWordPressSecrets", "WriteTheContainerLogGroupOnly"} <= set(found)


def test_without_the_cache_the_role_has_no_ecr_action(render):
    assert _ecr_actions(_policy(render, False)) == set()
