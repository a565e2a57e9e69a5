"""Render a role's JSON policy templates as the template lookup does (trim_blocks, to_json), without AWS."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.names import names

ROOT = Path(__file__).resolve().parents[3]
ACCOUNT = "123456789012"
REGION = "eu-west-3"


@pytest.fixture
def render():
    def _render(role: str, template: str, stack: str = "blog", **variables) -> dict:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(ROOT / "roles" / role / "templates")),
            trim_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
        env.filters["to_json"] = json.dumps
        # Ansible's bool filter, for flags the role's vars render as strings ("True"/"False")
        env.filters["bool"] = lambda value: str(value).strip().lower() in ("true", "yes", "on", "1")
        context = {
            "wordpress_aws_stack_name": stack,
            "wordpress_aws_region": REGION,
            "wordpress_aws_names": names(stack),
            **variables,
        }
        return json.loads(env.get_template(template).render(**context))

    return _render


def statements(policy: dict) -> dict:
    return {statement["Sid"]: statement for statement in policy["Statement"]}
