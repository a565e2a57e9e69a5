#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: cloudformation_stack
short_description: Deploy a CloudFormation stack, with a preview of its changes in check mode
version_added: 0.9.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.boto3]
description:
  - Creates, updates or deletes one CloudFormation stack from a template (the collection deploys its deployer role
    this way, P(techblogpro.wordpress_aws.bootstrap#role)).
  - The stack is compared with what is asked before anything is sent - the template as data (comments and layout
    alone are no change), every parameter (one not given takes the template's default, as CloudFormation applies
    it on an update) and the stack tags - so a re-run of an unchanged stack sends no write and reports no change.
    Unlike M(amazon.aws.cloudformation), that does not rely on CloudFormation refusing an empty update.
  - Check mode writes nothing to a new stack and previews it from the template (each resource it adds, with its
    name where the template derives it from the parameters alone). For an existing stack that differs, check mode
    asks CloudFormation for a change set, reads it and deletes it (M(amazon.aws.cloudformation) reports nothing for
    a new stack).
  - A failed creation deletes what it made (C(OnFailure=DELETE)) and the module fails with the resources' failure
    reasons; a failed update is rolled back by CloudFormation and reported the same way.
options:
  name:
    description: The stack name.
    type: str
    required: true
  template_body:
    description:
      - The template, YAML or JSON text. Required with O(state=present).
    type: str
  parameters:
    description:
      - The template parameters, name to value (values are sent as strings). Those not given take the template's
        defaults.
    type: dict
    default: {}
  capabilities:
    description: The capabilities the template needs (C(CAPABILITY_NAMED_IAM) for named IAM resources).
    type: list
    elements: str
    default: [CAPABILITY_NAMED_IAM]
  tags:
    description:
      - The stack tags; CloudFormation also puts them on the resources that take tags. Unset leaves them alone.
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description: Remove the stack tags not in O(tags) (only when O(tags) is set).
    type: bool
    default: true
  wait_timeout:
    description: How long to wait for the stack operation, in seconds.
    type: int
    default: 900
"""

EXAMPLES = r"""
- name: Preview the deployer role's stack (check mode writes nothing to a new stack)
  techblogpro.wordpress_aws.cloudformation_stack:
    name: techblog-prod-deployer
    template_body: "{{ lookup('ansible.builtin.file', 'deployer-role.yml') }}"
    parameters:
      StackName: techblog-prod
      TrustedPrincipalArn: arn:aws:iam::123456789012:role/awx-execution
    tags:
      wordpress_aws:stack: techblog-prod
  check_mode: true
  register: preview

- name: Deploy it
  techblogpro.wordpress_aws.cloudformation_stack:
    name: techblog-prod-deployer
    template_body: "{{ lookup('ansible.builtin.file', 'deployer-role.yml') }}"
    parameters:
      StackName: techblog-prod
      TrustedPrincipalArn: arn:aws:iam::123456789012:role/awx-execution
    tags:
      wordpress_aws:stack: techblog-prod

- name: Delete it
  techblogpro.wordpress_aws.cloudformation_stack:
    name: techblog-prod-deployer
    state: absent
"""

RETURN = r"""
changes:
  description:
    - "V(created), V(deleted), or what differs: V(template), V(parameter <name>: <old> -> <new>), V(tags)."
  returned: always
  type: list
  elements: str
  sample: ["template", "parameter MaxSessionDuration: '3600' -> '7200'"]
change_set:
  description:
    - The resource changes, in check mode and after a create or update; in check mode on a new stack, read from
      the template (each resource V(Add)); on an existing one, CloudFormation's change set.
  returned: always
  type: list
  elements: dict
  sample:
    - action: Add
      logical_resource_id: DeployerRole
      resource_type: AWS::IAM::Role
      physical_resource_id: techblog-prod-deployer
stack:
  description: The stack as CloudFormation describes it (empty when absent, or when check mode would create it).
  returned: always
  type: dict
  contains:
    stack_name:
      description: The stack name.
      type: str
      sample: techblog-prod-deployer
    stack_id:
      description: The stack ARN.
      type: str
    stack_status:
      description: Its status.
      type: str
      sample: CREATE_COMPLETE
    outputs:
      description: Its outputs, name to value.
      type: dict
      sample: {RoleArn: "arn:aws:iam::123456789012:role/wordpress-aws/techblog-prod/techblog-prod-deployer"}
    parameters:
      description: Its parameters, name to value.
      type: dict
    tags:
      description: Its tags.
      type: dict
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudformation_stack as cfn
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_client
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result


def _view(stack, body=None, parameters=None):
    """What the diff shows: the stack's template, parameters and tags (and its status and outputs)."""
    if not stack:
        return {}
    view = cfn.stack_view(stack)
    if body is not None:
        view["template"] = body if isinstance(body, str) else cfn.load_template(body)
    if parameters is not None:
        view["parameters"] = parameters
    return view


def _fail_operation(module, name, operation, err):
    module.fail_json(msg=f"CloudFormation could not {operation} stack {name}: {err}")


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            template_body=dict(type="str"),
            parameters=dict(type="dict", default={}),
            capabilities=dict(type="list", elements="str", default=["CAPABILITY_NAMED_IAM"]),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            wait_timeout=dict(type="int", default=900),
        ),
        required_if=[("state", "present", ["template_body"])],
        supports_check_mode=True,
    )
    p = module.params
    name = p["name"]
    client = aws_client(module, "cloudformation")
    given = {key: str(value) for key, value in (p["parameters"] or {}).items()}

    with aws_errors(module, f"read stack {name}"):
        stack = cfn.describe_stack(client, name)
        settled = stack is not None and stack["StackStatus"] in cfn.SETTLED
        deployed = cfn.deployed_template(client, name) if settled else None
    before = _view(stack, deployed)

    if p["state"] == "absent":
        if stack is None:
            exit_result(module, "stack", before, {}, [], change_set=[])
        if not module.check_mode:
            with aws_errors(module, f"delete stack {name}"):
                cfn.delete_stack(client, name)
                try:
                    cfn.wait(client, "stack_delete_complete", name, p["wait_timeout"])
                except cfn.OperationFailed as err:
                    _fail_operation(module, name, "delete", err)
        exit_result(module, "stack", before, {}, ["deleted"], change_set=[])

    try:
        template = cfn.load_template(p["template_body"])
    except ValueError as err:
        module.fail_json(msg=f"template_body of stack {name} is not a CloudFormation template: {err}")
    wanted_parameters = cfn.template_parameters(template, given)

    if stack is not None and stack["StackStatus"] not in cfn.SETTLED:
        module.fail_json(
            msg=(
                f"stack {name} is {stack['StackStatus']}: it cannot be updated now "
                "(wait for its operation to end; a REVIEW_IN_PROGRESS or ROLLBACK_COMPLETE stack must be deleted)"
            ),
            stack=cfn.stack_view(stack),
        )

    tags = cfn.desired_tags(cfn.stack_tags(stack), p["tags"], p["purge_tags"])
    stack_request = cfn.request(name, p["template_body"], given, tags, p["capabilities"])
    wanted_view = {
        "stack_name": name,
        "template": p["template_body"],
        "parameters": wanted_parameters,
        "tags": tags,
    }

    if stack is None:
        change_set = cfn.planned_resources(template, given)
        if module.check_mode:
            exit_result(module, "stack", {}, wanted_view, ["created"], change_set=change_set)
        with aws_errors(module, f"create stack {name}"):
            cfn.create_stack(client, stack_request)
            try:
                cfn.wait(client, "stack_create_complete", name, p["wait_timeout"])
            except cfn.OperationFailed as err:
                _fail_operation(module, name, "create", err)
            created = cfn.describe_stack(client, name)
        exit_result(module, "stack", {}, _view(created, p["template_body"]), ["created"], change_set=change_set)

    with aws_errors(module, f"compare stack {name}"):
        changes = cfn.differences(template, deployed, given, stack, p["tags"], p["purge_tags"])
    if not changes:
        exit_result(module, "stack", before, before, [], change_set=[])

    if module.check_mode:
        with aws_errors(module, f"preview the update of stack {name}"):
            try:
                change_set, _reason = cfn.preview_change_set(client, stack_request, f"preview-{name}"[:128])
            except cfn.ChangeSetFailed as err:
                module.fail_json(msg=f"CloudFormation could not preview the update of stack {name}: {err}")
        exit_result(module, "stack", before, {**before, **wanted_view}, changes, change_set=change_set)

    with aws_errors(module, f"update stack {name}"):
        updated = cfn.update_stack(client, stack_request)
        if updated:
            try:
                cfn.wait(client, "stack_update_complete", name, p["wait_timeout"])
            except cfn.OperationFailed as err:
                _fail_operation(module, name, "update", err)
        after_stack = cfn.describe_stack(client, name)
    exit_result(
        module, "stack", before, _view(after_stack, p["template_body"]), changes if updated else [], change_set=[]
    )


if __name__ == "__main__":
    main()
