# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tag calls shared by AWS Backup resources (vaults and plans)."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


@AWSRetry.jittered_backoff()
def list_tags(client, arn: str) -> dict:
    tags, params = {}, {"ResourceArn": arn}
    while True:  # botocore has no paginator for backup ListTags
        page = client.list_tags(**params)
        tags.update(page.get("Tags", {}))
        if not page.get("NextToken"):
            return tags
        params["NextToken"] = page["NextToken"]
