"""Unit tests of plugins/module_utils/sns.py (split out of tests/unit/test_foundation_modules.py)."""

import json

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import sns

from ..modules.test_sns_topic import POLICY


def test_policy_comparison_ignores_formatting():
    current = {"Policy": json.dumps(POLICY, indent=4)}
    assert sns.attribute_changes(current, sns.desired_attributes({"policy": POLICY})) == {}
    other = {**POLICY, "Statement": [{**POLICY["Statement"][0], "Action": "sns:Subscribe"}]}
    assert "Policy" in sns.attribute_changes(current, sns.desired_attributes({"policy": other}))
