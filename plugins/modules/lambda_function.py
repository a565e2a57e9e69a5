#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: lambda_function
short_description: Manage a Lambda function from a zip, surviving a role created seconds before
version_added: 0.7.0
description:
  - Creates, updates (configuration, then code) and deletes a Lambda function deployed from a local zip file,
    with its environment, VPC configuration and tags.
  - A function is usually created seconds after its execution role. IAM is eventually consistent, and until the
    role has propagated Lambda answers C(InvalidParameterValueException) "The role defined for the function cannot
    be assumed by Lambda" (or, in a VPC, that the role may not call C(CreateNetworkInterface)). amazon.aws's
    C(lambda) module retries throttling only and fails there on a first deploy; this module retries those answers
    with a backoff of about two minutes, and still fails at once on any other error.
  - Lambda refuses a second update while one is in progress (C(ResourceConflictException)); the module waits for
    each update to finish (C(LastUpdateStatus)) before the next and, with O(wait=true), for a new function to be
    C(Active).
  - The code is compared by its SHA-256 (what Lambda reports as C(CodeSha256)), so an unchanged zip uploads nothing.
options:
  name:
    description: The function name.
    type: str
    required: true
  description:
    description: The function's description.
    type: str
    default: ""
  runtime:
    description: The runtime, for example V(python3.12). Required to create the function.
    type: str
  handler:
    description: The handler, C(<module>.<function>). Required to create the function.
    type: str
  role:
    description: The ARN of the execution role. Required to create the function.
    type: str
  zip_file:
    description: The local zip file holding the code. Required to create the function.
    type: path
  timeout:
    description: Seconds an invocation may run.
    type: int
    default: 3
  memory_size:
    description: Memory, MiB.
    type: int
    default: 128
  architecture:
    description: The instruction set.
    type: str
    choices: [x86_64, arm64]
    default: x86_64
  environment_variables:
    description: The environment (names to values); V({}) for none.
    type: dict
    default: {}
  vpc_subnet_ids:
    description: Subnets of the function's network interfaces; V([]) for a function outside any VPC.
    type: list
    elements: str
    default: []
  vpc_security_group_ids:
    description: Security groups of its network interfaces (with O(vpc_subnet_ids)).
    type: list
    elements: str
    default: []
  wait:
    description: Wait until a created function is C(Active) (updates are always waited for).
    type: bool
    default: true
  tags:
    description: Tags of the function; V(null) leaves them alone.
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description: Remove the tags not in O(tags).
    type: bool
    default: true
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
"""

EXAMPLES = r"""
- name: The DB bootstrap Lambda, in the app subnets
  techblogpro.wordpress_aws.lambda_function:
    name: techblog-prod-db-bootstrap
    runtime: python3.12
    handler: db_bootstrap.handler
    role: "{{ bootstrap_role.iam_role.arn }}"
    zip_file: /tmp/techblog-prod/db-bootstrap.zip
    timeout: 60
    memory_size: 256
    vpc_subnet_ids: "{{ app_subnet_ids }}"
    vpc_security_group_ids: ["{{ lambda_sg }}"]
    environment_variables:
      DB_NAME: wordpress
    tags:
      wordpress_aws:stack: techblog-prod
"""

RETURN = r"""
changes:
  description: V(created), V(deleted), or what was updated (C(configuration <field>), C(code), C(tags)).
  returned: always
  type: list
  elements: str
  sample: [configuration timeout, code]
function:
  description: The function as Lambda describes it (empty when absent).
  returned: always
  type: dict
  contains:
    function_name:
      description: The name.
      type: str
    function_arn:
      description: The ARN.
      type: str
    runtime:
      description: The runtime.
      type: str
    role:
      description: The execution role.
      type: str
    code_sha256:
      description: The base64 SHA-256 of the deployed zip.
      type: str
    state:
      description: C(Pending), C(Active), C(Inactive) or C(Failed).
      type: str
    last_update_status:
      description: C(InProgress), C(Successful) or C(Failed).
      type: str
    tags:
      description: The tags.
      type: dict
"""

import base64
import hashlib

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.adopt import create_or_adopt
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.lambdas import find
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.lambdas import view
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.propagation import propagation_retry

REQUIRED_TO_CREATE = ("runtime", "handler", "role", "zip_file")
# The option that sets each configuration field, for the change sentences.
OPTION_OF = {
    "Description": "description",
    "Runtime": "runtime",
    "Handler": "handler",
    "Role": "role",
    "Timeout": "timeout",
    "MemorySize": "memory_size",
    "Environment": "environment_variables",
    "VpcConfig": "vpc_subnet_ids/vpc_security_group_ids",
}
WAIT = {"Delay": 2, "MaxAttempts": 150}


def code_sha256(path: str) -> tuple:
    """The zip's bytes and their SHA-256 as Lambda reports it (base64)."""
    with open(path, "rb") as handle:
        data = handle.read()
    return data, base64.b64encode(hashlib.sha256(data).digest()).decode()


def desired_configuration(p: dict) -> dict:
    """The configuration fields as UpdateFunctionConfiguration takes them (None: not asked)."""
    return {
        "Description": p["description"],
        "Runtime": p["runtime"],
        "Handler": p["handler"],
        "Role": p["role"],
        "Timeout": p["timeout"],
        "MemorySize": p["memory_size"],
        "Environment": {"Variables": {k: str(v) for k, v in p["environment_variables"].items()}},
        "VpcConfig": {"SubnetIds": list(p["vpc_subnet_ids"]), "SecurityGroupIds": list(p["vpc_security_group_ids"])},
    }


def live_configuration(config: dict) -> dict:
    """The same fields of a described function, shaped for comparison."""
    vpc = config.get("VpcConfig") or {}
    return {
        "Description": config.get("Description", ""),
        "Runtime": config.get("Runtime"),
        "Handler": config.get("Handler"),
        "Role": config.get("Role"),
        "Timeout": config.get("Timeout"),
        "MemorySize": config.get("MemorySize"),
        "Environment": {"Variables": (config.get("Environment") or {}).get("Variables") or {}},
        "VpcConfig": {"SubnetIds": vpc.get("SubnetIds") or [], "SecurityGroupIds": vpc.get("SecurityGroupIds") or []},
    }


def configuration_changes(wanted: dict, live: dict) -> list:
    """The configuration fields that differ (subnets and groups compared as sets; None asks nothing)."""
    changed = []
    for field, value in wanted.items():
        if value is None:
            continue
        have = live.get(field)
        same = all(sorted(value[k]) == sorted(have[k]) for k in value) if field == "VpcConfig" else value == have
        if not same:
            changed.append(field)
    return changed


def _wait(client, waiter: str, name: str) -> None:
    client.get_waiter(waiter).wait(FunctionName=name, WaiterConfig=WAIT)


def create(client, p: dict, code: bytes) -> None:
    wanted = {k: v for k, v in desired_configuration(p).items() if v is not None}
    # no token in CreateFunction: a retry after a lost answer meets the function the first attempt made
    create_or_adopt(
        lambda: client.create_function(
            FunctionName=p["name"],
            Code={"ZipFile": code},
            Architectures=[p["architecture"]],
            Tags=dict(p["tags"] or {}),
            aws_retry=True,
            **wanted,
        ),
        lambda: find(client, p["name"]),
        ("ResourceConflictException",),
    )
    if p["wait"]:
        _wait(client, "function_active_v2", p["name"])


def update(client, module, found: dict, code: bytes, sha) -> list:
    """Apply what differs (configuration, then code, then tags); returns the change sentences."""
    p = module.params
    config = found["Configuration"]
    changes = []
    wanted = desired_configuration(p)
    fields = configuration_changes(wanted, live_configuration(config))
    changes += [f"configuration {OPTION_OF[field]}" for field in fields]
    arch_changed = p["architecture"] not in (config.get("Architectures") or ["x86_64"])
    code_changed = sha is not None and sha != config.get("CodeSha256")
    if code_changed or arch_changed:
        changes.append("code")
    to_set, to_remove = tagging.tag_changes(p["tags"], found.get("Tags") or {}, p["purge_tags"])
    if to_set or to_remove:
        changes.append("tags")
    if module.check_mode or not changes:
        return changes
    if fields:
        client.update_function_configuration(FunctionName=p["name"], aws_retry=True, **{f: wanted[f] for f in fields})
        _wait(client, "function_updated_v2", p["name"])
    if code_changed or arch_changed:
        client.update_function_code(
            FunctionName=p["name"], ZipFile=code, Architectures=[p["architecture"]], aws_retry=True
        )
        _wait(client, "function_updated_v2", p["name"])
    if to_remove:
        client.untag_resource(Resource=config["FunctionArn"], TagKeys=list(to_remove), aws_retry=True)
    if to_set:
        client.tag_resource(Resource=config["FunctionArn"], Tags=dict(to_set), aws_retry=True)
    return changes


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            description=dict(type="str", default=""),
            runtime=dict(type="str"),
            handler=dict(type="str"),
            role=dict(type="str"),
            zip_file=dict(type="path"),
            timeout=dict(type="int", default=3),
            memory_size=dict(type="int", default=128),
            architecture=dict(type="str", choices=["x86_64", "arm64"], default="x86_64"),
            environment_variables=dict(type="dict", default={}),
            vpc_subnet_ids=dict(type="list", elements="str", default=[]),
            vpc_security_group_ids=dict(type="list", elements="str", default=[]),
            wait=dict(type="bool", default=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    p = module.params
    if bool(p["vpc_subnet_ids"]) != bool(p["vpc_security_group_ids"]):
        module.fail_json(msg="vpc_subnet_ids and vpc_security_group_ids go together: give both or neither")
    # One client for every call: throttling and IAM propagation retried (module_utils/propagation.py).
    client = module.client("lambda", retry_decorator=propagation_retry())
    code, sha = None, None
    if p["state"] == "present" and p["zip_file"]:
        try:
            code, sha = code_sha256(p["zip_file"])
        except OSError as err:
            module.fail_json(msg=f"zip_file {p['zip_file']}: {err.strerror}")
    before, after, changes = {}, {}, []
    with aws_errors(module, f"manage Lambda function {p['name']}"):
        found = find(client, p["name"])
        before = view(found)
        after = before
        if p["state"] == "absent":
            if found is not None:
                changes, after = ["deleted"], {}
                if not module.check_mode:
                    client.delete_function(FunctionName=p["name"], aws_retry=True)
        elif found is None:
            missing = [name for name in REQUIRED_TO_CREATE if not p[name]]
            if missing:
                module.fail_json(msg=f"to create the function {p['name']}, give {', '.join(missing)}")
            changes = ["created"]
            if not module.check_mode:
                create(client, p, code)
                after = view(find(client, p["name"]))
        else:
            changes = update(client, module, found, code, sha)
            if changes and not module.check_mode:
                after = view(find(client, p["name"]))
    exit_result(module, "function", before, after, changes)


if __name__ == "__main__":
    main()
