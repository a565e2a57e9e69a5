# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One Python home per tier: ``tiers/<tier>.py`` holds the tier's per-environment profile (``PROFILES``, which the
role's defaults read through the filter ``tier_profile``), every
rule on its inputs (``errors(inputs) -> list[str]``, each message naming the variable) and what it derives from
them (``derive(inputs) -> dict``). Each role's ``tasks/validate.yml`` asserts ``errors`` through the filter
``tier_plan`` and publishes the plan in the shared fact ``wordpress_aws_tier_plans``; the cost tier prices the
stack from those plans alone.
"""

from __future__ import annotations

import importlib

# tier name (the role's name) -> module under tiers/
NAMES = ("foundation", "vpc", "rds", "ecs_wordpress", "cloudfront_waf", "monitoring", "cost_guard", "certificates")


def module(tier: str):
    """The module of ``tier``; ValueError for a name that is no tier."""
    if tier not in NAMES:
        raise ValueError(f"{tier!r} is not a tier (choose from {', '.join(NAMES)})")
    return importlib.import_module(f"{__name__}.{tier}")


def errors(tier: str, inputs: dict) -> list[str]:
    return list(module(tier).errors(dict(inputs or {})))


def profile(tier: str, environment: str) -> dict:
    """The defaults of ``tier`` that differ by environment ({} when the tier has none)."""
    return dict((getattr(module(tier), "PROFILES", {}) or {}).get(environment, {}))


def plan(tier: str, inputs: dict) -> dict:
    """The tier's plan: ``errors`` (empty when the inputs are right) and, when they are, what ``derive`` returns.

    With errors, the plan carries only what the tier's ``partial(inputs)`` can say safely (the network's AZ
    count, for the data tier's Multi-AZ rule), so a run that skips the tier's assert still knows it is wrong.
    """
    mod = module(tier)
    inputs = dict(inputs or {})
    found = list(mod.errors(inputs))
    if found:
        partial = getattr(mod, "partial", None)
        return {"tier": tier, "errors": found, **(partial(inputs) if partial else {})}
    return {"tier": tier, "errors": [], **mod.derive(inputs)}
