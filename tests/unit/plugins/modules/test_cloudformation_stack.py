"""cloudformation_stack against botocore's Stubber.

The emulator's CloudFormation answers an unchanged UpdateStack without "No updates are to be performed", lists every
resource as "Add" in an update's change set and does not update a managed policy's document: the module's own
comparison, its previews and its update path are tested here, on AWS's answers.
"""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import cloudformation_stack as cfn
from ansible_collections.techblogpro.wordpress_aws.plugins.modules import cloudformation_stack as mod

NAME = "blog-deployer"
STACK_ID = f"arn:aws:cloudformation:eu-west-3:123456789012:stack/{NAME}/0a1b2c3d-0000-1111-2222-333344445555"
ROLE_ARN = "arn:aws:iam::123456789012:role/wordpress-aws/blog/blog-deployer"
NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  StackName: {Type: String}
  MaxSessionDuration: {Type: Number, Default: 3600}
Conditions:
  Always: !Equals [!Ref StackName, !Ref StackName]
Resources:
  DeployerRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "${StackName}-deployer"
      Path: !Sub "/wordpress-aws/${StackName}/"
      MaxSessionDuration: !Ref MaxSessionDuration
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"},
                     Action: sts:AssumeRole}]
  ReadPolicy:
    Type: AWS::IAM::ManagedPolicy
    Condition: Always
    Properties:
      ManagedPolicyName: !Sub "${StackName}-deployer-read-${AWS::Region}"
      Roles: [!Ref DeployerRole]
      PolicyDocument: {Statement: [{Effect: Allow, Action: [ec2:DescribeVpcs], Resource: "*"}]}
Outputs:
  RoleArn: {Value: !GetAtt DeployerRole.Arn}
"""
TAGS = {"wordpress_aws:stack": "blog"}
ARGS = {"name": NAME, "template_body": TEMPLATE, "parameters": {"StackName": "blog"}, "tags": TAGS}
REQUEST = {
    "StackName": NAME,
    "TemplateBody": TEMPLATE,
    "Parameters": [{"ParameterKey": "StackName", "ParameterValue": "blog"}],
    "Tags": [{"Key": "wordpress_aws:stack", "Value": "blog"}],
    "Capabilities": ["CAPABILITY_NAMED_IAM"],
}


def stack(status="CREATE_COMPLETE", parameters=None, tags=None):
    return {
        "StackName": NAME,
        "StackId": STACK_ID,
        "StackStatus": status,
        "CreationTime": NOW,
        "Parameters": parameters
        or [
            {"ParameterKey": "StackName", "ParameterValue": "blog"},
            {"ParameterKey": "MaxSessionDuration", "ParameterValue": "3600"},
        ],
        "Tags": [{"Key": k, "Value": v} for k, v in (TAGS if tags is None else tags).items()],
        "Outputs": [{"OutputKey": "RoleArn", "OutputValue": ROLE_ARN}],
    }


def missing(stub):
    stub.add_client_error(
        "describe_stacks", "ValidationError", f"Stack with id {NAME} does not exist", 400, {"StackName": NAME}
    )


def described(stub, **kwargs):
    stub.add_response("describe_stacks", {"Stacks": [stack(**kwargs)]}, {"StackName": NAME})


def deployed(stub, body=TEMPLATE):
    stub.add_response("get_template", {"TemplateBody": body}, {"StackName": NAME, "TemplateStage": "Original"})


@pytest.fixture
def stub(stubbed, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda _seconds: None)  # the waiters' delay
    return stubbed("cloudformation")


def test_check_mode_on_a_new_stack_previews_it_from_the_template_and_writes_nothing(stub, run_module):
    missing(stub)
    result = run_module(mod, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["changes"] == ["created"]
    assert result["change_set"] == [
        {
            "action": "Add",
            "logical_resource_id": "DeployerRole",
            "resource_type": "AWS::IAM::Role",
            "physical_resource_id": "blog-deployer",
        },
        # a name from a pseudo parameter is not known before deployment; the condition is named, not evaluated
        {
            "action": "Add",
            "logical_resource_id": "ReadPolicy",
            "resource_type": "AWS::IAM::ManagedPolicy",
            "condition": "Always",
        },
    ]
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["parameters"] == {"StackName": "blog", "MaxSessionDuration": "3600"}


def test_creates_the_stack_deleting_a_failed_creation_and_returns_its_outputs(stub, run_module):
    missing(stub)
    stub.add_response("create_stack", {"StackId": STACK_ID}, {**REQUEST, "OnFailure": "DELETE"})
    described(stub, status="CREATE_IN_PROGRESS")  # the waiter
    described(stub)
    described(stub)  # the stack returned
    result = run_module(mod, ARGS)
    assert result["changed"] is True and result["changes"] == ["created"]
    assert result["stack"]["outputs"] == {"RoleArn": ROLE_ARN}
    assert result["stack"]["stack_status"] == "CREATE_COMPLETE"
    assert [item["logical_resource_id"] for item in result["change_set"]] == ["DeployerRole", "ReadPolicy"]


def test_an_unchanged_stack_sends_no_write_even_when_comments_and_layout_differ(stub, run_module):
    described(stub)
    deployed(
        stub,
        "# deployed by hand from the console\n"
        + TEMPLATE.replace("  StackName: {Type: String}", "  StackName:\n    Type: String"),
    )
    result = run_module(mod, ARGS)
    assert result["changed"] is False
    assert result["changes"] == []
    assert result["stack"]["outputs"]["RoleArn"] == ROLE_ARN


def test_check_mode_on_a_changed_stack_shows_cloudformations_change_set_and_deletes_it(stub, run_module):
    described(stub)
    deployed(stub, TEMPLATE.replace("[ec2:DescribeVpcs]", "[ec2:DescribeVpcs, ec2:DescribeSubnets]"))
    change_set_id = f"arn:aws:cloudformation:eu-west-3:123456789012:changeSet/preview-{NAME}/0f"
    stub.add_response(
        "create_change_set",
        {"Id": change_set_id, "StackId": STACK_ID},
        {**REQUEST, "ChangeSetName": f"preview-{NAME}", "ChangeSetType": "UPDATE"},
    )
    stub.add_response(
        "describe_change_set",
        {
            "ChangeSetName": f"preview-{NAME}",
            "StackName": NAME,
            "Status": "CREATE_COMPLETE",
            "Changes": [
                {
                    "Type": "Resource",
                    "ResourceChange": {
                        "Action": "Modify",
                        "LogicalResourceId": "ReadPolicy",
                        "PhysicalResourceId": "arn:aws:iam::123456789012:policy/wordpress-aws/blog/blog-deployer-read",
                        "ResourceType": "AWS::IAM::ManagedPolicy",
                        "Replacement": "False",
                    },
                }
            ],
        },
        {"ChangeSetName": change_set_id},
    )
    stub.add_response("delete_change_set", {}, {"ChangeSetName": change_set_id})
    result = run_module(mod, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["changes"] == ["template"]
    assert result["change_set"] == [
        {
            "action": "Modify",
            "logical_resource_id": "ReadPolicy",
            "resource_type": "AWS::IAM::ManagedPolicy",
            "physical_resource_id": "arn:aws:iam::123456789012:policy/wordpress-aws/blog/blog-deployer-read",
            "replacement": "False",
        }
    ]


def test_updates_a_changed_parameter_and_a_default_the_deployed_stack_does_not_have(stub, run_module):
    described(
        stub,
        parameters=[
            {"ParameterKey": "StackName", "ParameterValue": "blog"},
            {"ParameterKey": "MaxSessionDuration", "ParameterValue": "7200"},  # set once, no longer given: the default
        ],
    )
    deployed(stub)
    stub.add_response("update_stack", {"StackId": STACK_ID}, REQUEST)
    described(stub, status="UPDATE_COMPLETE")  # the waiter
    described(stub, status="UPDATE_COMPLETE")
    result = run_module(mod, ARGS)
    assert result["changed"] is True
    assert result["changes"] == ["parameter MaxSessionDuration: '7200' -> '3600'"]


def test_nothing_to_update_as_cloudformation_sees_it_is_no_change(stub, run_module):
    described(stub, tags={})
    deployed(stub)
    stub.add_client_error("update_stack", "ValidationError", "No updates are to be performed.", 400, REQUEST)
    described(stub, tags={})
    result = run_module(mod, ARGS)
    assert result["changed"] is False


def test_tags_are_compared_and_kept_without_purge(stub, run_module):
    described(stub, tags={"wordpress_aws:stack": "blog", "owner": "ops"})
    deployed(stub)
    result = run_module(mod, {**ARGS, "purge_tags": False})
    assert result["changed"] is False


def test_a_failed_update_reports_the_resources_reasons(stub, run_module):
    described(stub)
    deployed(stub, TEMPLATE.replace("3600", "7200"))
    stub.add_response("update_stack", {"StackId": STACK_ID}, REQUEST)
    described(stub, status="UPDATE_ROLLBACK_COMPLETE")  # the waiter's failure state
    stub.add_response(
        "describe_stack_events",
        {
            "StackEvents": [
                {
                    "StackId": STACK_ID,
                    "EventId": "1",
                    "StackName": NAME,
                    "Timestamp": NOW,
                    "LogicalResourceId": "ReadPolicy",
                    "ResourceType": "AWS::IAM::ManagedPolicy",
                    "ResourceStatus": "UPDATE_FAILED",
                    "ResourceStatusReason": "Cannot exceed quota for PolicySize: 6144",
                },
                {
                    "StackId": STACK_ID,
                    "EventId": "0",
                    "StackName": NAME,
                    "Timestamp": NOW,
                    "LogicalResourceId": NAME,
                    "ResourceType": "AWS::CloudFormation::Stack",
                    "ResourceStatus": "UPDATE_IN_PROGRESS",
                },
            ]
        },
        {"StackName": NAME},
    )
    result = run_module(mod, ARGS)
    assert result["failed"] is True
    assert "could not update stack blog-deployer" in result["msg"]
    assert (
        "ReadPolicy (AWS::IAM::ManagedPolicy): UPDATE_FAILED Cannot exceed quota for PolicySize: 6144" in result["msg"]
    )


@pytest.mark.parametrize("status", ["REVIEW_IN_PROGRESS", "ROLLBACK_COMPLETE", "UPDATE_IN_PROGRESS"])
def test_a_stack_that_cannot_be_updated_now_is_refused_with_its_status(stub, run_module, status):
    described(stub, status=status)
    result = run_module(mod, ARGS)
    assert result["failed"] is True
    assert f"stack blog-deployer is {status}" in result["msg"]


def test_absent_deletes_and_waits_then_finds_nothing(stub, run_module):
    described(stub)
    deployed(stub)
    stub.add_response("delete_stack", {}, {"StackName": NAME})
    missing(stub)  # the waiter: a stack that does not exist is deleted
    result = run_module(mod, {"name": NAME, "state": "absent"})
    assert result["changed"] is True and result["changes"] == ["deleted"]
    missing(stub)
    assert run_module(mod, {"name": NAME, "state": "absent"})["changed"] is False


def test_a_template_that_is_no_mapping_is_refused_before_any_write(stub, run_module):
    missing(stub)
    result = run_module(mod, {**ARGS, "template_body": "- just\n- a list\n"})
    assert result["failed"] is True
    assert "is not a CloudFormation template" in result["msg"]


def test_the_loader_reads_short_intrinsic_tags_as_their_long_form():
    template = cfn.load_template(TEMPLATE)
    role = template["Resources"]["DeployerRole"]["Properties"]
    assert role["RoleName"] == {"Fn::Sub": "${StackName}-deployer"}
    assert role["MaxSessionDuration"] == {"Ref": "MaxSessionDuration"}
    assert template["Outputs"]["RoleArn"]["Value"] == {"Fn::GetAtt": ["DeployerRole", "Arn"]}
    assert template["Conditions"]["Always"] == {"Fn::Equals": [{"Ref": "StackName"}, {"Ref": "StackName"}]}
    assert cfn.load_template({"Resources": {}}) == {"Resources": {}}  # boto3's answer for a JSON template
