# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading a Lambda function, for lambda_function and lambda_function_info."""

from __future__ import annotations

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code


def find(client, name: str) -> dict | None:
    """GetFunction's answer (configuration, code location, tags), or None when there is no such function.

    ``client`` is a retrying client (``aws_retry=True``).
    """
    try:
        return client.get_function(FunctionName=name, aws_retry=True)
    except is_boto3_error_code("ResourceNotFoundException"):
        return None


def view(found: dict | None) -> dict:
    """The function's configuration in snake_case with its tags as a dict; ``{}`` when it does not exist."""
    if not found:
        return {}
    out = camel_dict_to_snake_dict(found["Configuration"])
    out["tags"] = dict(found.get("Tags") or {})
    return out
