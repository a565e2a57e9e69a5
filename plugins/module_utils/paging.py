# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Token paging for the APIs boto3 has no paginator for (Cost Explorer, CloudWatch Logs query definitions)."""

from __future__ import annotations


def pages(call, key: str, cursor: str = "NextPageToken", **params) -> list:
    """Every item under ``key`` of every page; the API names its request and response token ``cursor``."""
    items, next_token = [], None
    while True:
        page = call(**params, **({cursor: next_token} if next_token else {}))
        items.extend(page.get(key, []))
        next_token = page.get(cursor)
        if not next_token:
            return items
