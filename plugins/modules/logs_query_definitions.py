#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: logs_query_definitions
short_description: The saved CloudWatch Logs Insights queries under a name prefix, as one set
version_added: 0.4.0
description:
  - Saves the Logs Insights queries O(definitions) (console "Saved queries"; a C(/) in a name makes a folder)
    and, with O(purge=true), deletes the saved queries under O(prefix) that are no longer listed.
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
  purge:
    description: Delete saved queries under O(prefix) that are not listed.
    type: bool
    default: true
extends_documentation_fragment:
  - techblogpro.wordpress_aws.attributes
  - techblogpro.wordpress_aws.attributes.state
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - techblogpro platform team (@techblogpro)
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
created:
  description: Names of the queries saved for the first time.
  returned: always
  type: list
  elements: str
updated:
  description: Names of the queries rewritten.
  returned: always
  type: list
  elements: str
deleted:
  description: Names of the queries deleted.
  returned: always
  type: list
  elements: str
"""

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.paging import pages


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


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            prefix=dict(type="str", required=True),
            definitions=dict(
                type="list",
                elements="dict",
                default=[],
                options=dict(
                    name=dict(type="str", required=True),
                    query=dict(type="str", required=True),
                    log_groups=dict(type="list", elements="str", default=[]),
                ),
            ),
            purge=dict(type="bool", default=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        supports_check_mode=True,
    )
    p = module.params
    if not p["prefix"]:
        module.fail_json(msg="prefix may not be empty (it would own every saved query of the account)")
    wanted = {} if p["state"] == "absent" else {d["name"]: d for d in p["definitions"]}
    outside = sorted(name for name in wanted if not name.startswith(p["prefix"]))
    if outside:
        module.fail_json(msg=f"query names must start with {p['prefix']!r}: {', '.join(outside)}")
    client = module.client("logs")
    created, updated, deleted = [], [], []
    try:
        have = existing(client, p["prefix"])
        for name, want in sorted(wanted.items()):
            current = have.get(name)
            request = {"name": name, "queryString": want["query"], "logGroupNames": want["log_groups"]}
            if current is None:
                created.append(name)
            elif current.get("queryString") == want["query"] and sorted(current.get("logGroupNames", [])) == sorted(
                want["log_groups"]
            ):
                continue
            else:
                updated.append(name)
                request["queryDefinitionId"] = current["queryDefinitionId"]
            if not module.check_mode:
                client.put_query_definition(**request)
        if p["purge"] or p["state"] == "absent":
            for name, current in sorted(have.items()):
                if name not in wanted:
                    deleted.append(name)
                    if not module.check_mode:
                        client.delete_query_definition(queryDefinitionId=current["queryDefinitionId"])
    except (BotoCoreError, ClientError) as err:
        module.fail_json_aws(err, msg=f"Unable to manage the saved queries under {p['prefix']}")
    before = sorted(have)
    after = sorted({*have, *created} - set(deleted))
    module.exit_json(
        changed=bool(created or updated or deleted),
        created=created,
        updated=updated,
        deleted=deleted,
        diff={"before": {"queries": before}, "after": {"queries": after}},
    )


if __name__ == "__main__":
    main()
