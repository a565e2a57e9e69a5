# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resource policy every stack secret carries: deny every principal but the stack's own roles and its admins.

The policy only denies; what a principal may do still comes from its own (identity) policy, which for the stack's
roles names each secret it reads. The resource policy closes the account-wide door: an administrator's, a CI job's
or another workload's ``secretsmanager:*`` grant no longer reaches the stack's secrets.

Allowed (``aws:PrincipalArn`` is the role ARN for an assumed-role session, with its path):

- the stack's roles, by IAM path (``arn:<partition>:iam::<account>:role/wordpress-aws/<stack>/*``): the ECS execution
  role, the rotation and bootstrap Lambdas' roles (Secrets Manager's rotation runs as the rotation Lambda's role);
- the principal running the module (the deployer: Ansible reads and writes the secrets on every converge), so a
  converge never locks itself out;
- the account's root user (the last resort that can always repair the policy) and the ARNs listed as admins.

Principals without an ARN (AWS services acting as themselves) are denied as well: nothing of the stack needs them.
"""

from __future__ import annotations

import re

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

SID = "DenyAllButTheStackRolesAndAdmins"
IAM_PATH = re.compile(r"^/([\w+=,.@-]+/)*$")
ARN = re.compile(r"^arn:[\w-]+:(iam|sts)::(\d{12}|\*):\S+$")


@AWSRetry.jittered_backoff()
def caller_arn(sts_client) -> str:
    """The ARN of the principal making the calls (an assumed role's session ARN for a role)."""
    return sts_client.get_caller_identity()["Arn"]


def caller_patterns(caller: str) -> list[str]:
    """``aws:PrincipalArn`` patterns matching the caller: an assumed role's session becomes its role, in any path."""
    parts = caller.split(":", 5)
    if len(parts) == 6 and parts[2] == "sts" and parts[5].startswith("assumed-role/"):
        role = parts[5].split("/")[1]
        base = f"arn:{parts[1]}:iam::{parts[4]}:role"
        return [f"{base}/{role}", f"{base}/*/{role}"]
    return [caller]


def allowed_patterns(caller: str, iam_paths: list, admin_arns: list) -> list[str]:
    """Every principal pattern the policy spares, sorted and deduplicated."""
    parts = caller.split(":", 5)
    partition, account = parts[1], parts[4]
    patterns = {f"arn:{partition}:iam::{account}:root", *caller_patterns(caller), *admin_arns}
    patterns.update(f"arn:{partition}:iam::{account}:role{path}*" for path in iam_paths)
    return sorted(patterns)


def deny_others(patterns: list[str]) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": SID,
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": "secretsmanager:*",
                "Resource": "*",
                "Condition": {"ArnNotLike": {"aws:PrincipalArn": list(patterns)}},
            }
        ],
    }


def differs(desired: dict, actual: dict | None) -> bool:
    """Whether the attached policy is not the desired one (normalised: order, single values, ``"*"``)."""
    if actual is None:
        return True
    return bool(compare_policies(actual, desired))


def input_errors(iam_paths: list, admin_arns: list) -> list[str]:
    errors = [
        f"allowed_principals.iam_paths entry {path!r} must be an IAM path such as /wordpress-aws/<stack>/"
        for path in iam_paths
        if not IAM_PATH.match(path)
    ]
    errors += [
        f"allowed_principals.arns entry {arn!r} must be an IAM principal ARN (arn:aws:iam::<account>:role/...)"
        for arn in admin_arns
        if not ARN.match(arn)
    ]
    return errors
