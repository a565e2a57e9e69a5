"""Issue 21 findings 8 and 11 in the tiers' Python homes: CloudFront's additional metrics by environment, and the
image reference the tasks pull through the ECR pull-through cache of ECR Public."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.techblogpro.wordpress_aws.plugins.filter.tiers import FilterModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import names
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tiers
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.tiers import ecs_wordpress

FILTERS = FilterModule().filters()
HOST = "123456789012.dkr.ecr.eu-west-3.amazonaws.com"


@pytest.mark.parametrize(
    ("environment", "on"), [("local", False), ("dev", False), ("staging", False), ("production", True)]
)
def test_additional_cloudfront_metrics_are_on_in_production_only(environment, on):
    assert FILTERS["tier_profile"](environment, "cloudfront_waf")["additional_metrics"] is on


@pytest.mark.parametrize(
    ("image", "cached"),
    [
        ("wordpress:6.8.3-php8.3-apache", f"{HOST}/s-public/docker/library/wordpress:6.8.3-php8.3-apache"),
        ("library/wordpress:6.8.3", f"{HOST}/s-public/docker/library/wordpress:6.8.3"),
        ("docker.io/library/wordpress:6.8.3", f"{HOST}/s-public/docker/library/wordpress:6.8.3"),
        (
            "wordpress@sha256:" + "a" * 64,
            f"{HOST}/s-public/docker/library/wordpress@sha256:" + "a" * 64,
        ),
        ("public.ecr.aws/docker/library/wordpress:6.8.3", f"{HOST}/s-public/docker/library/wordpress:6.8.3"),
        ("public.ecr.aws/bitnami/wordpress:6.8.3", f"{HOST}/s-public/bitnami/wordpress:6.8.3"),
    ],
)
def test_an_image_ecr_public_carries_is_pulled_through_the_stacks_cache(image, cached):
    prefix = names.names("s")["ecr_cache_prefix"]
    assert FILTERS["ecr_cached_image"](image, "123456789012", "eu-west-3", prefix) == cached


@pytest.mark.parametrize("image", ["someone/wordpress:6.8.3", "ghcr.io/org/wordpress:1", "localhost:5000/wp:1"])
def test_an_image_ecr_public_lacks_is_refused_naming_the_variables(image):
    assert ecs_wordpress.ecr_public_path(image) is None
    with pytest.raises(AnsibleFilterError, match="is not on ECR Public"):
        FILTERS["ecr_cached_image"](image, "123456789012", "eu-west-3", "s-public")
    errors = ecs_wordpress.image_cache_errors(image, True)
    assert errors and "ecs_wordpress_image" in errors[0] and "ecs_wordpress_image_cache: false" in errors[0]
    assert ecs_wordpress.image_cache_errors(image, False) == []


def test_the_cache_prefix_is_a_valid_ecr_prefix_for_the_longest_stack_name():
    from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import ecr

    longest = "a" * 20  # STACK_NAME_RE allows 20 characters
    assert ecr.prefix_errors(names.names(longest)["ecr_cache_prefix"], "public.ecr.aws") == []


def test_the_application_plan_prices_the_cached_image_only_with_the_cache():
    base = {
        "stack_name": "s", "image": "wordpress:6.8.3-php8.3-apache", "cpu": 512, "memory": 1024, "desired_count": 1,
        "min_count": 1, "max_count": 2, "ondemand_base": 0, "ondemand_weight": 0, "spot_weight": 1,
        "scale_in_cooldown": 300, "scale_out_cooldown": 60, "log_retention_days": 14,
        "health_check_grace_period": 120, "deregistration_delay": 30,
    }  # fmt: skip
    cached = tiers.plan("ecs_wordpress", {**base, "image_cache": True})
    assert (cached["image_cache"], cached["cached_image_gb"]) == (True, ecs_wordpress.CACHED_IMAGE_GB)
    direct = tiers.plan("ecs_wordpress", {**base, "image_cache": False})
    assert (direct["image_cache"], direct["cached_image_gb"]) == (False, 0.0)
    refused = tiers.plan("ecs_wordpress", {**base, "image": "someone/wordpress:1", "image_cache": True})
    assert refused["errors"] and "is not on ECR Public" in refused["errors"][0]
