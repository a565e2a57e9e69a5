# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The application tier (role ``ecs_wordpress``): its per-environment profile, input rules (Fargate sizes, image
pins, capacity weights, cooldowns...) and derived values (the capacity provider strategy, the task size)."""

from __future__ import annotations

import re

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.logs import RETENTION_DAYS

TIER = "ecs_wordpress"
LABEL = "the application tier (ecs_wordpress)"

# Task size (Fargate CPU units, MiB), task counts (desired, min, max) and the capacity split (on-demand base and
# weight, Spot weight) per environment: local and dev on Spot only; staging keeps one on-demand task; production
# keeps its floor on-demand and puts three of every four tasks above it on Spot.
PROFILES = {
    "local": {"cpu": 512, "memory": 1024, "desired": 1, "min": 1, "max": 2, "base": 0, "ondemand": 0, "spot": 1},
    "dev": {"cpu": 512, "memory": 1024, "desired": 1, "min": 1, "max": 2, "base": 0, "ondemand": 0, "spot": 1},
    "staging": {"cpu": 1024, "memory": 2048, "desired": 2, "min": 2, "max": 4, "base": 1, "ondemand": 0, "spot": 1},
    "production": {
        "cpu": 1024,
        "memory": 2048,
        "desired": 2,
        "min": 2,
        "max": 12,
        "base": 2,
        "ondemand": 1,
        "spot": 3,
    },
}
# EFS throughput per environment: production in elastic (pays per GB read/written, never runs out of burst credits
# under a traffic peak on a small file system); elsewhere bursting (no throughput charge).
EFS_THROUGHPUT_MODE = {"local": "bursting", "dev": "bursting", "staging": "bursting", "production": "elastic"}
for _environment, _profile in PROFILES.items():
    _profile["efs_throughput_mode"] = EFS_THROUGHPUT_MODE[_environment]

# Fargate's CPU units and the memory (MiB) each allows: (low, high, step).
FARGATE_MEMORY = {
    256: [(512, 512, 1), (1024, 2048, 1024)],
    512: [(1024, 4096, 1024)],
    1024: [(2048, 8192, 1024)],
    2048: [(4096, 16384, 1024)],
    4096: [(8192, 30720, 1024)],
    8192: [(16384, 61440, 4096)],
    16384: [(32768, 122880, 8192)],
}
# name[:tag][@digest] with an optional registry host; lower-case repository path as Docker requires.
IMAGE_RE = re.compile(
    r"^(?:(?P<registry>[a-zA-Z0-9.-]+(?::[0-9]+)?)/)?"
    r"(?P<repository>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
    r"(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?"
    r"(?:@(?P<digest>sha256:[a-f0-9]{64}))?$"
)
# Docker Hub's names of itself (an image with no registry is Docker Hub's too).
DOCKER_HUB = ("docker.io", "index.docker.io", "registry-1.docker.io")
# ECR Public hosts Docker's official images under docker/library/, and its own under their path.
ECR_PUBLIC = "public.ecr.aws"
# The compressed size of the official image (wordpress:6.8.x-php8.3-apache, linux/amd64, about 250 MB): what the
# pull-through cache stores in ECR for one tag. Each upgrade caches another tag (they share the base layers) until
# the teardown purges the cached repository.
CACHED_IMAGE_GB = 0.25
ACM_ARN_RE = re.compile(r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]{36}$")
SITE_URL_RE = re.compile(r"^https?://[a-z0-9.-]+(?::\d+)?$")


def fargate_memory_choices(cpu: int) -> list[int]:
    return [m for low, high, step in FARGATE_MEMORY.get(cpu, []) for m in range(low, high + 1, step)]


def image_errors(image) -> list[str]:
    match = IMAGE_RE.match(str(image))
    if not match or len(str(image)) > 255:
        return [
            f"ecs_wordpress_image {image!r} is not an image reference such as wordpress:6.8.3-php8.3-apache "
            "(lower-case repository, optional registry, :tag or @sha256:digest)"
        ]
    if not match.group("tag") and not match.group("digest"):
        return [f"ecs_wordpress_image {image!r} has no tag: pin a version (e.g. wordpress:6.8.3-php8.3-apache)"]
    if match.group("tag") == "latest" and not match.group("digest"):
        return [
            f"ecs_wordpress_image {image!r}: 'latest' is not a pin; name a version so every task runs the same code"
        ]
    return []


def _split_registry(image: str) -> tuple[str, str]:
    """(registry, the rest) as Docker reads a reference: the first path component is a registry host only when it
    has a dot or a port, or is localhost."""
    first, _slash, rest = str(image).partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return first, rest
    return "", str(image)


def ecr_public_path(image: str) -> str | None:
    """The image's path on ECR Public with its tag or digest (``docker/library/wordpress:6.8.3-php8.3-apache``), or
    None when ECR Public does not carry it (a Docker Hub image outside the official library, another registry)."""
    registry, rest = _split_registry(image)
    if registry in ("", *DOCKER_HUB):
        if "/" not in rest.split("@")[0].split(":")[0]:
            rest = f"library/{rest}"
        return f"docker/{rest}" if rest.startswith("library/") else None
    if registry == ECR_PUBLIC:
        return rest
    return None


def cached_image(image: str, account: str, region: str, prefix: str) -> str:
    """The reference tasks pull ``image`` by through the pull-through cache rule of ``prefix`` for ECR Public:
    ``<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/docker/library/wordpress:<tag>``. ValueError when ECR
    Public does not carry the image."""
    path = ecr_public_path(image)
    if path is None:
        raise ValueError(f"{image} is not on ECR Public, so the pull-through cache cannot serve it")
    suffix = "amazonaws.com.cn" if str(region).startswith("cn-") else "amazonaws.com"
    return f"{account}.dkr.ecr.{region}.{suffix}/{prefix}/{path}"


def image_cache_errors(image, image_cache) -> list[str]:
    """With the pull-through cache on, the image must be one ECR Public carries."""
    if not image_cache or image_errors(image) or ecr_public_path(str(image)) is not None:
        return []
    return [
        f"ecs_wordpress_image {image!r} is not on ECR Public, which ecs_wordpress_image_cache pulls through: use an "
        "official Docker image (wordpress:<tag>, served as public.ecr.aws/docker/library/wordpress) or a "
        "public.ecr.aws/... image, or set ecs_wordpress_image_cache: false"
    ]


def ecs_input_errors(inputs: dict, resource_prefix: str = "") -> list[str]:
    """Errors in the ``ecs_wordpress_*`` inputs that argument specs cannot express, each naming the variable."""
    errors = []
    ints = {}
    for name in (
        "cpu",
        "memory",
        "desired_count",
        "min_count",
        "max_count",
        "ondemand_base",
        "ondemand_weight",
        "spot_weight",
        "scale_in_cooldown",
        "scale_out_cooldown",
        "log_retention_days",
        "health_check_grace_period",
        "deregistration_delay",
    ):
        value = inputs.get(name)
        try:
            ints[name] = int(str(value).strip())
        except (TypeError, ValueError):
            errors.append(f"ecs_wordpress_{name} {value!r} must be a whole number")
    errors.extend(image_errors(inputs.get("image", "")))
    errors.extend(image_cache_errors(inputs.get("image", ""), inputs.get("image_cache")))
    if errors:
        return errors
    cpu, memory = ints["cpu"], ints["memory"]
    if cpu not in FARGATE_MEMORY:
        errors.append(
            f"ecs_wordpress_cpu {cpu} is not a Fargate size (choose from {', '.join(map(str, FARGATE_MEMORY))})"
        )
    elif memory not in fargate_memory_choices(cpu):
        low, high = fargate_memory_choices(cpu)[0], fargate_memory_choices(cpu)[-1]
        errors.append(
            f"ecs_wordpress_memory {memory} MiB is not offered by Fargate with ecs_wordpress_cpu {cpu} "
            f"(from {low} to {high} MiB in steps of {FARGATE_MEMORY[cpu][-1][2]})"
        )
    for name in ("min_count", "max_count", "desired_count", "ondemand_base", "ondemand_weight", "spot_weight"):
        if ints[name] < 0:
            errors.append(f"ecs_wordpress_{name} {ints[name]} must not be negative")
    if ints["ondemand_weight"] > 1000 or ints["spot_weight"] > 1000:
        errors.append("ecs_wordpress_ondemand_weight and ecs_wordpress_spot_weight must be at most 1000")
    if ints["ondemand_base"] > 100000:
        errors.append("ecs_wordpress_ondemand_base must be at most 100000")
    if ints["max_count"] < 1 or ints["max_count"] < ints["min_count"]:
        errors.append(
            f"ecs_wordpress_max_count {ints['max_count']} must be at least 1 and at least "
            f"ecs_wordpress_min_count ({ints['min_count']})"
        )
    if not ints["min_count"] <= ints["desired_count"] <= ints["max_count"]:
        errors.append(
            f"ecs_wordpress_desired_count {ints['desired_count']} must be between ecs_wordpress_min_count "
            f"({ints['min_count']}) and ecs_wordpress_max_count ({ints['max_count']})"
        )
    if ints["ondemand_weight"] == 0 and ints["spot_weight"] == 0:
        errors.append("one of ecs_wordpress_ondemand_weight and ecs_wordpress_spot_weight must be above 0")
    arch = str(inputs.get("cpu_architecture", "X86_64"))
    if arch not in ("X86_64", "ARM64"):
        errors.append(f"ecs_wordpress_cpu_architecture {arch!r} must be X86_64 or ARM64")
    elif arch == "ARM64" and ints["spot_weight"] > 0:
        errors.append(
            f"ecs_wordpress_cpu_architecture ARM64 with ecs_wordpress_spot_weight {ints['spot_weight']}: "
            "Fargate Spot runs only X86_64 tasks. Set ecs_wordpress_spot_weight: 0 and "
            "ecs_wordpress_ondemand_weight: 1 for Graviton on-demand (cheaper than x86 on-demand, dearer than "
            "Spot), or keep X86_64 to use Spot"
        )
    if ints["scale_in_cooldown"] <= ints["scale_out_cooldown"]:
        errors.append(
            f"ecs_wordpress_scale_in_cooldown ({ints['scale_in_cooldown']} s) must be longer than "
            f"ecs_wordpress_scale_out_cooldown ({ints['scale_out_cooldown']} s): scale out fast, scale in slowly"
        )
    for name in ("scale_in_cooldown", "scale_out_cooldown"):
        if not 0 <= ints[name] <= 3600:
            errors.append(f"ecs_wordpress_{name} {ints[name]} must be between 0 and 3600 seconds")
    if ints["log_retention_days"] not in RETENTION_DAYS:
        errors.append(
            f"ecs_wordpress_log_retention_days {ints['log_retention_days']} is not a CloudWatch Logs retention "
            f"({', '.join(map(str, RETENTION_DAYS))})"
        )
    if not 0 <= ints["health_check_grace_period"] <= 2147483647:
        errors.append("ecs_wordpress_health_check_grace_period must not be negative")
    if not 0 <= ints["deregistration_delay"] <= 3600:
        errors.append(f"ecs_wordpress_deregistration_delay {ints['deregistration_delay']} must be 0-3600 seconds")
    cert = inputs.get("certificate_arn") or ""
    if cert and not ACM_ARN_RE.match(str(cert)):
        errors.append(f"ecs_wordpress_certificate_arn {cert!r} is not an ACM certificate ARN")
    url = inputs.get("site_url") or ""
    if url and not SITE_URL_RE.match(str(url)):
        errors.append(f"ecs_wordpress_site_url {url!r} must be a scheme and host such as https://www.example.com")
    if resource_prefix and len(resource_prefix) + len("-wordpress") > 32:
        errors.append(
            f"wordpress_aws_stack_name {resource_prefix!r} is too long for the load balancer and target group names "
            "(at most 22 characters)"
        )
    return errors


def errors(inputs: dict) -> list[str]:
    """Errors in the application tier's inputs (see ecs_input_errors; ``stack_name`` checks name lengths)."""
    return ecs_input_errors(inputs, str(inputs.get("stack_name") or ""))


def capacity_strategy(ondemand_base: int, ondemand_weight: int, spot_weight: int) -> list[dict]:
    """The service's capacity provider strategy: FARGATE for the base and its weight, FARGATE_SPOT for the rest."""
    strategy = []
    if ondemand_base > 0 or ondemand_weight > 0:
        strategy.append({"capacity_provider": "FARGATE", "base": ondemand_base, "weight": ondemand_weight})
    if spot_weight > 0:
        strategy.append({"capacity_provider": "FARGATE_SPOT", "base": 0, "weight": spot_weight})
    return strategy


def derive(inputs: dict) -> dict:
    """What the application tier runs for valid inputs."""
    base, ondemand, spot = (int(str(inputs[k]).strip()) for k in ("ondemand_base", "ondemand_weight", "spot_weight"))
    cpu, memory = int(str(inputs["cpu"]).strip()), int(str(inputs["memory"]).strip())
    return {
        "desired_count": int(str(inputs["desired_count"]).strip()),
        "min_count": int(str(inputs["min_count"]).strip()),
        "max_count": int(str(inputs["max_count"]).strip()),
        "cpu": cpu,
        "memory": memory,
        "vcpu": cpu / 1024,
        "memory_gb": memory / 1024,
        "ondemand_base": base,
        "ondemand_weight": ondemand,
        "spot_weight": spot,
        "capacity_strategy": capacity_strategy(base, ondemand, spot),
        # the origin-verify header's secret
        "secrets": 1,
        # the redeploy-on-rotation Lambda
        "lambda_functions": 1,
        # the image pulled through the ECR pull-through cache of ECR Public (its copy is stored in ECR)
        "image_cache": bool(inputs.get("image_cache")),
        "cached_image_gb": CACHED_IMAGE_GB if inputs.get("image_cache") else 0.0,
    }
