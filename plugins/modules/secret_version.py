#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: secret_version
short_description: Rotate a secret by hand in steps - stage new values, promote them, or run its rotation Lambda
version_added: 0.6.0
description:
  - O(action=stage) writes a new version of the JSON secret labelled C(AWSPENDING), with the O(generate) fields drawn
    afresh and every other field kept. A pending version that is not current yet is kept (an interrupted rotation
    resumes with the same values).
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
  generate:
    description: The fields O(action=stage) draws afresh.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The field name.
        type: str
        required: true
      length:
        description: Characters to generate.
        type: int
        default: 32
      punctuation:
        description: Include punctuation (less the excluded characters).
        type: bool
        default: true
  wait_timeout:
    description: How long O(action=rotate) waits for the rotation to finish, seconds.
    type: int
    default: 600
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
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

import json
import time

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import random_secret as rs
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result


def labelled(stages, label):
    return next((v for v, s in stages.items() if label in s), "")


def stage(module, client, arn, stages):
    current, pending = labelled(stages, "AWSCURRENT"), labelled(stages, "AWSPENDING")
    if pending and pending != current:
        try:
            client.get_secret_value(SecretId=arn, VersionId=pending, VersionStage="AWSPENDING", aws_retry=True)
            return [], pending
        except client.exceptions.ResourceNotFoundException:
            pass  # a label without a value (a rotation Lambda's unfinished createSecret): write one
    if module.check_mode:
        return ["staged a new version as AWSPENDING"], ""
    value = json.loads(client.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT", aws_retry=True)["SecretString"])
    for spec in module.params["generate"]:
        value[spec["name"]] = rs.generate(spec["length"], rs.alphabet(punctuation=spec["punctuation"]))
        module.no_log_values.add(value[spec["name"]])
    written = client.put_secret_value(
        SecretId=arn, SecretString=json.dumps(value), VersionStages=["AWSPENDING"], aws_retry=True
    )
    return [f"staged version {written['VersionId']} as AWSPENDING"], written["VersionId"]


def promote(module, client, arn, stages):
    current, pending = labelled(stages, "AWSCURRENT"), labelled(stages, "AWSPENDING")
    if not pending or pending == current:
        if pending and not module.check_mode:  # a promoted version keeps no pending label
            client.update_secret_version_stage(
                SecretId=arn, VersionStage="AWSPENDING", RemoveFromVersionId=pending, aws_retry=True
            )
        return [f"removed AWSPENDING from the current version {pending}"] if pending else [], current
    if not module.check_mode:
        client.update_secret_version_stage(
            SecretId=arn,
            VersionStage="AWSCURRENT",
            MoveToVersionId=pending,
            RemoveFromVersionId=current,
            aws_retry=True,
        )
        client.update_secret_version_stage(
            SecretId=arn, VersionStage="AWSPENDING", RemoveFromVersionId=pending, aws_retry=True
        )
    return [f"promoted version {pending} to AWSCURRENT"], pending


def rotate(module, client, arn):
    if module.check_mode:
        return ["rotated by the rotation Lambda"], ""
    token = client.rotate_secret(SecretId=arn, aws_retry=True)["VersionId"]
    deadline = time.monotonic() + module.params["wait_timeout"]
    while time.monotonic() < deadline:
        stages = client.describe_secret(SecretId=arn, aws_retry=True).get("VersionIdsToStages", {})
        if "AWSCURRENT" in stages.get(token, []):
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
            generate=dict(
                type="list",
                elements="dict",
                default=[],
                options=dict(
                    name=dict(type="str", required=True),
                    length=dict(type="int", default=32),
                    punctuation=dict(type="bool", default=True),
                ),
            ),
            wait_timeout=dict(type="int", default=600),
        ),
        required_if=[("action", "stage", ["generate"])],
        supports_check_mode=True,
    )
    p = module.params
    for spec in p["generate"]:
        if not 8 <= spec["length"] <= 4096:
            module.fail_json(msg=f"generate[{spec['name']}].length {spec['length']} must be between 8 and 4096")
    client = aws_client(module, "secretsmanager")
    before, after, changes, version = {}, {}, [], ""
    with aws_errors(module, f"{p['action']} a version of secret {p['secret_id']}"):
        secret = client.describe_secret(SecretId=p["secret_id"], aws_retry=True)
        arn, stages = secret["ARN"], secret.get("VersionIdsToStages", {})
        if p["action"] == "stage":
            changes, version = stage(module, client, arn, stages)
        elif p["action"] == "promote":
            changes, version = promote(module, client, arn, stages)
        else:
            changes, version = rotate(module, client, arn)
        if not module.check_mode:
            stages_after = client.describe_secret(SecretId=arn, aws_retry=True).get("VersionIdsToStages", {})
        else:
            stages_after = stages
        before = {"arn": arn, "version_id": labelled(stages, "AWSCURRENT"), "stages": stages}
        after = {"arn": arn, "version_id": version, "stages": stages_after}
    exit_result(module, "secret_version", before, after, changes, version_id=version, stages=after.get("stages", {}))


if __name__ == "__main__":
    main()
