# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stack contract: the shared ``wordpress_aws_*`` inputs, their rules, the stack tags and the teardown guard.

Pure functions, no AWS calls: the filter plugin ``techblogpro.wordpress_aws.stack`` exposes them to the common
role, and the unit tests call them directly. Derived names are in ``names.py``; each tier's own inputs, rules and
derived values are in ``tiers/<tier>.py``.
"""

from __future__ import annotations

import re

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.validation import REGION_RE

STACK_TAG_KEY = "wordpress_aws:stack"
ENVIRONMENTS = ("local", "dev", "staging", "production")
# Stack names end up in resource names with tight limits (ALB/target group names: 32 characters).
STACK_NAME_RE = re.compile(r"^[a-z][a-z0-9-]{1,18}[a-z0-9]$")
# AWS tag limits: keys 1-128 characters, values 0-256, and the aws: prefix is reserved.
TAG_KEY_MAX = 128
TAG_VALUE_MAX = 256
MAX_TAGS = 50


def stack_tags(
    stack_name: str,
    environment: str,
    project: str = "",
    cost_centre: str = "",
    extra: dict | None = None,
) -> dict:
    """The tags every resource of the stack carries: the basis of discovery, audit, teardown, cost."""
    tags = dict(extra or {})
    tags.update(
        {
            STACK_TAG_KEY: stack_name,
            "wordpress_aws:environment": environment,
            "wordpress_aws:managed-by": "ansible-techblogpro.wordpress_aws",
        }
    )
    if project:
        tags["wordpress_aws:project"] = project
    if cost_centre:
        tags["wordpress_aws:cost-centre"] = cost_centre
    return tags


def stack_input_errors(
    stack_name,
    environment,
    region,
    extra_tags=None,
) -> list[str]:
    """Errors in the shared ``wordpress_aws_*`` inputs, each naming the variable."""
    errors = []
    if not isinstance(stack_name, str) or not stack_name.strip():
        errors.append("wordpress_aws_stack_name must not be empty")
    elif not STACK_NAME_RE.match(stack_name):
        errors.append(
            f"wordpress_aws_stack_name {stack_name!r} must be 3-20 characters of lowercase letters, digits and "
            "hyphens, start with a letter and end with a letter or digit (it prefixes resource names with "
            "tight length limits)"
        )
    elif "--" in stack_name:
        # RDS identifiers (DB instance, subnet and parameter groups, snapshots) refuse two consecutive hyphens
        errors.append(
            f"wordpress_aws_stack_name {stack_name!r} must not contain two consecutive hyphens: RDS identifiers "
            "built from it (DB instance, parameter and subnet groups, snapshots) refuse them"
        )
    if environment not in ENVIRONMENTS:
        errors.append(f"wordpress_aws_environment {environment!r} is not one of {', '.join(ENVIRONMENTS)}")
    if not isinstance(region, str) or not REGION_RE.match(region):
        errors.append(f"wordpress_aws_region {region!r} is not an AWS region name such as eu-west-3")
    if extra_tags is not None:
        if not isinstance(extra_tags, dict):
            errors.append("wordpress_aws_extra_tags must be a mapping of tag keys to values")
        else:
            if len(extra_tags) + 5 > MAX_TAGS:
                errors.append(
                    f"wordpress_aws_extra_tags has {len(extra_tags)} tags; AWS allows {MAX_TAGS - 5} besides ours"
                )
            for key, value in extra_tags.items():
                key_s = str(key)
                if not key_s or len(key_s) > TAG_KEY_MAX:
                    errors.append(f"wordpress_aws_extra_tags key {key_s!r} must be 1-{TAG_KEY_MAX} characters")
                elif key_s.lower().startswith("aws:") or key_s.startswith("wordpress_aws:"):
                    errors.append(
                        f"wordpress_aws_extra_tags key {key_s!r} uses a reserved prefix (aws:, wordpress_aws:)"
                    )
                if len(str(value)) > TAG_VALUE_MAX:
                    errors.append(
                        f"wordpress_aws_extra_tags value of {key_s!r} is longer than {TAG_VALUE_MAX} characters"
                    )
    return errors


def teardown_errors(stack_name, environment, confirm="") -> list[str]:
    """Refuse to tear a production stack down unless the confirmation names it."""
    if environment == "production" and confirm != stack_name:
        return [
            f"wordpress_aws_confirm_teardown must equal the stack name ({stack_name}) to tear down the production "
            f"stack; it is {confirm!r}. Re-run with -e wordpress_aws_confirm_teardown={stack_name}"
        ]
    return []


__all__ = ["REGION_RE", "stack_input_errors", "stack_tags", "teardown_errors"]
