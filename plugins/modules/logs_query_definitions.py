#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: logs_query_definitions
short_description: The saved CloudWatch Logs Insights queries under a name prefix, as one set
version_added: 0.4.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Saves the Logs Insights queries O(definitions) (console "Saved queries"; a C(/) in a name makes a folder)
    and, with O(purge_definitions=true), deletes the saved queries under O(prefix) that are no longer listed.
  - A query is written only when its text or its log groups differ.
  - No upstream module manages saved queries.
options:
  prefix:
    description: The name prefix this module owns (for example C(wordpress-aws/<stack>/)).
    type: str
    required: true
  definitions:
    description: The queries; each name must start with O(prefix).
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The query's name.
        type: str
        required: true
      query:
        description: The query text.
        type: str
        required: true
      log_groups:
        description: The log groups it runs on by default.
        type: list
        elements: str
        default: []
  purge_definitions:
    description: Delete saved queries under O(prefix) that are not listed.
    type: bool
    default: true
    aliases: [purge]
"""

EXAMPLES = r"""
- name: Save the stack's queries
  techblogpro.wordpress_aws.logs_query_definitions:
    prefix: wordpress-aws/techblog-prod/
    definitions:
      - name: wordpress-aws/techblog-prod/php-fatal-errors
        query: "fields @timestamp, @message | filter @message like /PHP Fatal error/ | sort @timestamp desc"
        log_groups: [/wordpress-aws/techblog-prod/wordpress]
"""

RETURN = r"""
changes:
  description:
    - What changed (or would change in check mode), one sentence per saved query - C(created <name>),
      C(updated <name> (<fields>)), C(deleted <name>); empty when nothing did.
  returned: always
  type: list
  elements: str
  sample: ["updated wordpress-aws/techblog-prod/db-errors (query)"]
query_definition_set:
  description: The saved queries under the prefix after the run.
  returned: always
  type: dict
  contains:
    prefix:
      description: The prefix.
      type: str
    names:
      description: The query names, sorted.
      type: list
      elements: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_or_adopt
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import request_token
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import converge_set
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.paging import pages
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import list_of


@AWSRetry.jittered_backoff()
def existing(client, prefix):
    """The saved queries under the prefix, by name (DescribeQueryDefinitions pages with nextToken)."""
    items = pages(
        client.describe_query_definitions,
        "queryDefinitions",
        cursor="nextToken",
        queryDefinitionNamePrefix=prefix,
        maxResults=1000,
    )
    return {item["name"]: item for item in items}


def differences(want: dict, current: dict) -> list[str]:
    found = [] if current.get("queryString") == want["query"] else ["query"]
    if sorted(current.get("logGroupNames", [])) != sorted(want["log_groups"]):
        found.append("log_groups")
    return found


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            prefix=dict(type="str", required=True),
            definitions=list_of(
                default=[],
                name=dict(type="str", required=True),
                query=dict(type="str", required=True),
                log_groups=dict(type="list", elements="str", default=[]),
            ),
            purge_definitions=dict(type="bool", default=True, aliases=["purge"]),
            **common_options(name=False, tags=False),
        ),
        supports_check_mode=True,
    )
    p = module.params
    if not p["prefix"]:
        module.fail_json(msg="prefix may not be empty (it would own every saved query of the account)")
    wanted = {d["name"]: d for d in p["definitions"]}
    outside = sorted(name for name in wanted if not name.startswith(p["prefix"]))
    if outside:
        module.fail_json(msg=f"query names must start with {p['prefix']!r}: {', '.join(outside)}")
    client = aws_client(module, "logs")

    def put(name, want, current):
        # one clientToken for every retry: botocore makes a new one per call, and a resend of a lost create with
        # a new token (no queryDefinitionId yet) saves a second query of the same name
        request = {"name": name, "queryString": want["query"], "logGroupNames": want["log_groups"]}
        request["clientToken"] = request_token()
        if current is not None:
            request["queryDefinitionId"] = current["queryDefinitionId"]
        create_or_adopt(
            lambda: client.put_query_definition(**request, aws_retry=True),
            lambda: existing(client, name).get(name) if current is None else None,
        )

    converge_set(
        module,
        "query_definition_set",
        wanted,
        find=lambda: existing(client, p["prefix"]),
        differences=differences,
        put=put,
        remove=lambda name, current: client.delete_query_definition(
            queryDefinitionId=current["queryDefinitionId"], aws_retry=True
        ),
        label=f"the saved queries under {p['prefix']}",
        purge=p["purge_definitions"],
    )


if __name__ == "__main__":
    main()
