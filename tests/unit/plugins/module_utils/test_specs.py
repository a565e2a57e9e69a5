"""specs: the shared options, spelled once."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import list_of
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import typed


def test_common_options_are_name_state_and_tags_without_wait_unless_asked():
    assert common_options() == {
        "name": {"type": "str", "required": True},
        "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
        "tags": {"type": "dict", "aliases": ["resource_tags"]},
        "purge_tags": {"type": "bool", "default": True},
    }


def test_wait_options_take_the_module_s_own_defaults_and_the_rest_can_be_left_out():
    spec = common_options(name=False, tags=False, wait=True, wait_timeout=3600)
    assert spec == {
        "wait": {"type": "bool", "default": True},
        "wait_timeout": {"type": "int", "default": 3600},
        "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
    }
    assert common_options(name=False, state=False, tags=False, wait_timeout=600) == {
        "wait_timeout": {"type": "int", "default": 600}
    }


def test_each_call_returns_fresh_dicts_a_module_may_change():
    first = common_options()
    first["name"]["required"] = False
    assert common_options()["name"]["required"] is True


def test_list_of_has_a_default_only_when_given():
    name = {"name": {"type": "str", "required": True}}
    assert list_of(**name) == {"type": "list", "elements": "dict", "options": name}
    assert list_of(default=[], **name) == {"type": "list", "elements": "dict", "options": name, "default": []}


def test_typed_makes_one_option_per_name_with_the_settings():
    assert typed("str", "a b", no_log=False) == {
        "a": {"type": "str", "no_log": False},
        "b": {"type": "str", "no_log": False},
    }
    assert typed("list", "ids", elements="str") == {"ids": {"type": "list", "elements": "str"}}
