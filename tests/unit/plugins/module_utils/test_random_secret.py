"""Unit tests of plugins/module_utils/random_secret.py (split out of tests/unit/test_random_secret.py)."""

import string

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import random_secret as rs


def test_generated_values_avoid_connection_string_breakers():
    chars = rs.alphabet()
    assert not set(chars) & set("\"'`\\/@:% ")
    values = [rs.generate(24, chars) for _value in range(200)]
    assert len(set(values)) == 200
    for value in values:
        assert set(value) <= set(chars)
        assert set(value) & set(string.ascii_lowercase) and set(value) & set(string.ascii_uppercase)
        assert set(value) & set(string.digits)
