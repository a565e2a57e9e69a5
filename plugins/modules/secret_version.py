#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: secret_version
short_description: Rotate a secret by hand in steps - stage new values, promote them, or run its rotation Lambda
version_added: 0.6.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.generate, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
description:
  - O(action=stage) writes a new version of the JSON secret labelled C(AWSPENDING), with the O(generate) fields
    (required with O(action=stage)) drawn afresh and every other field kept. A pending version that is not current
    yet is kept (an interrupted rotation resumes with the same values).
  - O(action=promote) moves C(AWSCURRENT) to the pending version (Secrets Manager labels the old one C(AWSPREVIOUS))
    and takes C(AWSPENDING) off it. Nothing pending, nothing to do.
  - O(action=rotate) starts the secret's configured rotation now (RotateSecret) and waits until the new version is
    current; the rotation Lambda does the work.
  - Values are generated inside the module and never returned, logged or shown in a diff.
options:
  secret_id:
    description: The secret, by name or ARN.
    type: str
    required: true
  action:
    description: What to do.
    type: str
    choices: [stage, promote, rotate]
    required: true
  wait_timeout:
    description: How long O(action=rotate) waits for the rotation to finish, seconds.
    type: int
    default: 600
"""

EXAMPLES = r"""
- name: Stage a new origin-verify value
  techblogpro.wordpress_aws.secret_version:
    secret_id: blog/cloudfront/origin-verify
    action: stage
    generate:
      - {name: value, length: 48, punctuation: false}

- name: Make it current
  techblogpro.wordpress_aws.secret_version:
    secret_id: blog/cloudfront/origin-verify
    action: promote

- name: Rotate the DB credentials now with their rotation Lambda
  techblogpro.wordpress_aws.secret_version:
    secret_id: blog/db/app
    action: rotate
"""

RETURN = r"""
changes:
  description: What was staged, promoted or rotated (or would be in check mode), as sentences; ids only.
  returned: always
  type: list
  elements: str
  sample: ["promoted version 4b1f3c9e-0d2a-4f5e-9b8c-7a6d5e4f3c2b to AWSCURRENT"]
secret_version:
  description: The secret's ARN, the version this run staged, promoted or rotated to, and every version's labels.
  returned: always
  type: dict
  contains:
    arn:
      description: The secret's ARN.
      type: str
    version_id:
      description: The version (empty when there was none).
      type: str
    stages:
      description: The versions and their staging labels (ids only, never values).
      type: dict
version_id:
  description: The version staged, promoted or rotated to (empty when there was none).
  returned: always
  type: str
stages:
  description: The secret's versions and their staging labels after the run (ids only, never values).
  returned: always
  type: dict
"""

import time

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import random_secret as rs
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import secretsmanager as sm_api
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options

CURRENT = sm_api.CURRENT
PENDING = sm_api.PENDING


def stage(module, client, secret):
    arn = secret["ARN"]
    current, pending = sm_api.labelled(secret, CURRENT), sm_api.labelled(secret, PENDING)
    # A label without a value (a rotation Lambda's unfinished createSecret) gets one written.
    if pending and pending != current and sm_api.get_value(client, arn, PENDING, pending) is not None:
        return [], pending
    if module.check_mode:
        return [f"staged a new version as {PENDING}"], ""
    value = sm_api.read_json(client, arn)
    if value is None:
        module.fail_json(msg=f"secret {arn} holds no JSON object in its {CURRENT} version")
    drawn = rs.build_value({}, module.params["generate"])
    module.no_log_values.update(drawn.values())
    version = sm_api.put_value(client, arn, {**value, **drawn}, [PENDING])
    return [f"staged version {version} as {PENDING}"], version


def promote(module, client, secret):
    arn = secret["ARN"]
    current, pending = sm_api.labelled(secret, CURRENT), sm_api.labelled(secret, PENDING)
    if not pending or pending == current:
        if pending and not module.check_mode:  # a promoted version keeps no pending label
            sm_api.move_stage(client, arn, PENDING, from_version=pending)
        return [f"removed {PENDING} from the current version {pending}"] if pending else [], current
    if not module.check_mode:
        sm_api.move_stage(client, arn, CURRENT, to_version=pending, from_version=current)
        sm_api.move_stage(client, arn, PENDING, from_version=pending)
    return [f"promoted version {pending} to {CURRENT}"], pending


def rotate(module, client, secret):
    arn = secret["ARN"]
    if module.check_mode:
        return ["rotated by the rotation Lambda"], ""
    token = sm_api.rotate(client, arn)
    deadline = time.monotonic() + module.params["wait_timeout"]
    while time.monotonic() < deadline:
        if CURRENT in sm_api.versions(sm_api.describe(client, arn)).get(token, []):
            return [f"rotated to version {token}"], token
        time.sleep(5)
    module.fail_json(
        msg=f"the rotation of {arn} (version {token}) did not finish within {module.params['wait_timeout']} s; "
        "see the rotation Lambda's log group"
    )


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            secret_id=dict(type="str", required=True),
            action=dict(type="str", choices=["stage", "promote", "rotate"], required=True),
            generate=rs.GENERATE,
            **common_options(name=False, state=False, tags=False, wait_timeout=600),
        ),
        required_if=[("action", "stage", ["generate"])],
        supports_check_mode=True,
    )
    p = module.params
    errors = rs.generate_errors(p["generate"])
    if errors:
        module.fail_json(msg="; ".join(errors))
    client = aws_client(module, "secretsmanager")
    before, after, changes, version = {}, {}, [], ""
    with aws_errors(module, f"{p['action']} a version of secret {p['secret_id']}"):
        secret = sm_api.describe(client, p["secret_id"])
        if secret is None:
            module.fail_json(msg=f"Unable to {p['action']} a version of secret {p['secret_id']}: it does not exist")
        action = {"stage": stage, "promote": promote, "rotate": rotate}[p["action"]]
        changes, version = action(module, client, secret)
        arn, stages = secret["ARN"], sm_api.versions(secret)
        stages_after = stages if module.check_mode else sm_api.versions(sm_api.describe(client, arn))
        before = {"arn": arn, "version_id": sm_api.labelled(secret, CURRENT), "stages": stages}
        after = {"arn": arn, "version_id": version, "stages": stages_after}
    exit_result(module, "secret_version", before, after, changes, version_id=version, stages=after.get("stages", {}))


if __name__ == "__main__":
    main()
