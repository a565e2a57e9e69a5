# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""WAFv2 IP set calls: found by name and scope, created so that a lost answer's retry adopts the set.

``CreateIPSet`` has no idempotency token: after a lost answer botocore's resend answers
``WAFDuplicateItemException`` (community.aws ``wafv2_ip_set`` fails there). Here the create is sent once per attempt
(botocore's resend vetoed) and after a lost answer the set is looked up by name before it is created again, so no
resend is needed to meet the set (the emulator takes a second set of the same name, AWS refuses it); a duplicate
answer adopts it too (module_utils/adopt.py). Addresses are compared as sets of normalised networks.
"""

from __future__ import annotations

import ipaddress

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_once
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import no_blind_retry
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.waf import tags

# WAF's duplicate answer; moto (the local emulator) names the same error WafV2DuplicateItem
DUPLICATE = ("WAFDuplicateItemException", "WafV2DuplicateItem")


def networks(addresses: list) -> list:
    """The addresses as sorted, normalised CIDR strings (``10.0.0.1/24`` -> ``10.0.0.0/24``)."""
    return sorted({str(ipaddress.ip_network(a, strict=False)) for a in addresses or []})


@AWSRetry.jittered_backoff()
def find(client, name: str, scope: str) -> dict | None:
    """The IP set named ``name`` with its ``LockToken`` and tags (a dict under ``Tags``), or None."""
    marker = None
    while True:
        kwargs = {"Scope": scope, "Limit": 100}
        if marker:
            kwargs["NextMarker"] = marker
        page = client.list_ip_sets(**kwargs)
        for summary in page.get("IPSets", []):
            if summary["Name"] == name:
                response = client.get_ip_set(Name=name, Scope=scope, Id=summary["Id"])
                found = response["IPSet"]
                return {**found, "LockToken": response["LockToken"], "Tags": tags(client, found["ARN"])}
        marker = page.get("NextMarker")
        if not marker or not page.get("IPSets"):
            return None


def differences(current: dict, description: str | None, version: str, addresses: list) -> list:
    found = []
    if current.get("IPAddressVersion") != version:
        found.append("ip_address_version")
    if networks(current.get("Addresses")) != networks(addresses):
        found.append("addresses")
    if description is not None and (current.get("Description") or "") != description:
        found.append("description")
    return found


def _create(client, request: dict) -> None:
    with no_blind_retry(client, "CreateIPSet"):
        client.create_ip_set(**request)


def create(client, name: str, scope: str, description: str | None, version: str, addresses: list, set_tags: dict):
    """Create the set once per attempt; after a lost answer (or a duplicate answer) the set found by name is adopted."""
    request = {"Name": name, "Scope": scope, "IPAddressVersion": version, "Addresses": networks(addresses)}
    if description:
        request["Description"] = description
    if set_tags:
        request["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(set_tags.items())]
    found, _adopted = create_once(lambda: _create(client, request), lambda: find(client, name, scope), DUPLICATE)
    return found


@AWSRetry.jittered_backoff(catch_extra_error_codes=["WAFOptimisticLockException"])
def update(client, name: str, scope: str, description: str | None, addresses: list) -> None:
    current = find(client, name, scope)  # a fresh LockToken on each attempt
    request = {"Name": name, "Scope": scope, "Id": current["Id"], "LockToken": current["LockToken"]}
    request["Addresses"] = networks(addresses)
    request["Description"] = description if description is not None else current.get("Description", "")
    if not request["Description"]:
        del request["Description"]
    client.update_ip_set(**request)


@AWSRetry.jittered_backoff(catch_extra_error_codes=["WAFOptimisticLockException"])
def delete(client, name: str, scope: str) -> None:
    current = find(client, name, scope)
    if current is not None:
        client.delete_ip_set(Name=name, Scope=scope, Id=current["Id"], LockToken=current["LockToken"])
