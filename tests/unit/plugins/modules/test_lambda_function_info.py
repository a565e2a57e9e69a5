"""Unit tests of the lambda_function_info module: a function read back, a missing one answered with {}."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.modules import lambda_function
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import lambda_function_info

from .test_lambda_function import fn_args
from .test_lambda_function import make_zip


def test_a_function_is_read_and_a_missing_one_is_empty(aws, role, run_module, tmp_path):
    missing = run_module(lambda_function_info, {"name": "s-fn"})
    assert missing.get("failed") is not True and missing["function"] == {} and missing["changed"] is False
    run_module(lambda_function, fn_args(role, make_zip(tmp_path / "fn.zip")))
    found = run_module(lambda_function_info, {"name": "s-fn"}, check_mode=True)
    assert (
        found["function"]["function_arn"]
        == aws("lambda").get_function(FunctionName="s-fn")["Configuration"]["FunctionArn"]
    )
    assert found["function"]["tags"] == {"wordpress_aws:stack": "s"}
