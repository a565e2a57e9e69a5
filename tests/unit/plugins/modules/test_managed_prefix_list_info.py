"""Unit tests of the managed_prefix_list_info module (split out of tests/unit/test_network_modules.py)."""

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import managed_prefix_list_info


def test_cloudfront_prefix_list_is_found_by_name(aws, run_module):
    name = "com.amazonaws.global.cloudfront.origin-facing"
    result = run_module(managed_prefix_list_info, {"names": [name]})
    assert result["by_name"][name].startswith("pl-")
    missing = run_module(managed_prefix_list_info, {"names": ["no.such.list"]})
    assert missing["failed"] and "no.such.list" in missing["msg"]
