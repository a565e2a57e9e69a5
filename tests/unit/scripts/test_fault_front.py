"""scripts/fault_front.py: each fault kind, through boto3, in front of a real moto server.

One moto server (ThreadedMotoServer) for the module; each test starts a front of its own on another loopback
port with the faults it needs, and checks what botocore parses, what the emulator holds behind the front,
and what the ledger counts.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from pathlib import Path
from types import SimpleNamespace

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.exceptions import ConnectionClosedError
from botocore.retries.standard import RetryContext
from botocore.retries.standard import ThrottledRetryableChecker
from botocore.retries.standard import TransientRetryableChecker

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))
import fault_front
from daemon import free_port

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

REGION = "eu-west-3"
NO_RETRY = Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30)
ONE_RETRY = Config(retries={"total_max_attempts": 2, "mode": "standard"}, connect_timeout=5, read_timeout=30)
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
)

LOGS = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]})


def _client(service: str, port: int, config: Config = NO_RETRY):
    region = "us-east-1" if service in ("cloudfront", "route53", "iam") else REGION
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=f"http://127.0.0.1:{port}",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=config,
    )


@pytest.fixture
def front(emulator, tmp_path):
    """``front(**config)`` -> (a boto3 client factory through a new front, its Faults, the ledger path)."""
    started = []

    def start(**config):
        port = free_port()
        ledger = tmp_path / f"ledger-{port}.json"
        server = fault_front.serve(port, emulator, config, ledger)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        started.append(server)

        def client(service, config=NO_RETRY):
            return _client(service, port, config)

        return client, server.faults, ledger

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def _direct(emulator, service):
    return _client(service, emulator)


def _error(call) -> ClientError:
    with pytest.raises(ClientError) as caught:
        call()
    return caught.value


def _ledger(path: Path) -> dict:
    return json.loads(path.read_text())


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return event\n")
    return buf.getvalue()


def _role(iam, name: str) -> str:
    return iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]


THROTTLED_CALLS = [
    # (service, call, the code AWS answers with, the protocol)
    ("ec2", lambda c: c.describe_vpcs(), "RequestLimitExceeded", "ec2"),
    ("sns", lambda c: c.list_topics(), "Throttling", "query"),
    ("rds", lambda c: c.describe_db_instances(), "Throttling", "query"),
    ("sqs", lambda c: c.list_queues(), "RequestThrottled", "json"),
    ("dynamodb", lambda c: c.list_tables(), "ThrottlingException", "json"),
    ("kms", lambda c: c.list_keys(), "ThrottlingException", "json"),
    ("cloudwatch", lambda c: c.list_metrics(), "Throttling", "json"),
    ("lambda", lambda c: c.list_functions(), "TooManyRequestsException", "rest-json"),
    ("efs", lambda c: c.describe_file_systems(), "ThrottlingException", "rest-json"),
    ("cloudfront", lambda c: c.list_distributions(), "Throttling", "rest-xml"),
    ("route53", lambda c: c.list_hosted_zones(), "Throttling", "rest-xml"),
    ("s3", lambda c: c.list_buckets(), "SlowDown", "rest-xml"),
]


def test_throttling_parses_in_botocore_as_each_protocols_throttling_code(front):
    client, _faults, ledger = front(seed=1, rates={"throttle": 1.0})
    for service, call, code, protocol in THROTTLED_CALLS:
        aws = client(service)
        assert protocol in aws.meta.service_model.metadata.get("protocols", [aws.meta.service_model.protocol])
        err = _error(lambda aws=aws, call=call: call(aws))
        assert err.response["Error"]["Code"] == code, (service, err.response)
        assert err.response["ResponseMetadata"]["HTTPStatusCode"] in (400, 429, 503)
        context = RetryContext(attempt_number=1, parsed_response=err.response)
        assert ThrottledRetryableChecker().is_retryable(context), (service, code)
    recorded = _ledger(ledger)
    assert recorded["counts"]["throttle"] == len(THROTTLED_CALLS)
    assert recorded["requests"] == len(THROTTLED_CALLS)
    operations = {(fault["service"], fault["operation"]) for fault in recorded["faults"]}
    assert ("lambda", "ListFunctions") in operations
    assert ("elasticfilesystem", "DescribeFileSystems") in operations
    assert ("cloudfront", "ListDistributions") in operations
    assert ("ec2", "DescribeVpcs") in operations
    assert ("monitoring", "ListMetrics") in operations


def test_5xx_answers_are_retryable_server_errors_and_apply_nothing(front, emulator):
    client, _faults, ledger = front(seed=1, rates={"5xx": 1.0})
    name = f"t-{uuid.uuid4().hex[:8]}"
    calls = [
        ("ec2", lambda c: c.create_security_group(GroupName=name, Description="d")),
        ("sns", lambda c: c.create_topic(Name=name)),
        ("dynamodb", lambda c: c.list_tables()),
        ("lambda", lambda c: c.list_functions()),
        ("route53", lambda c: c.list_hosted_zones()),
        ("cloudwatch", lambda c: c.list_metrics()),
    ]
    statuses = set()
    for service, call in calls:
        err = _error(lambda service=service, call=call: call(client(service)))
        code = err.response["Error"]["Code"]
        status = err.response["ResponseMetadata"]["HTTPStatusCode"]
        statuses.add(status)
        assert status in (500, 503), (service, err.response)
        assert AWSRetry.found(code), (service, code)
        http = SimpleNamespace(status_code=status)
        assert TransientRetryableChecker().is_retryable(
            RetryContext(1, parsed_response=err.response, http_response=http)
        )
    assert _ledger(ledger)["counts"]["5xx"] == len(calls)
    # Answered without forwarding: nothing was created.
    assert not any(t["TopicArn"].endswith(f":{name}") for t in _direct(emulator, "sns").list_topics()["Topics"])
    groups = _direct(emulator, "ec2").describe_security_groups(Filters=[{"Name": "group-name", "Values": [name]}])
    assert groups["SecurityGroups"] == []


def test_a_lost_write_answer_was_applied_in_the_emulator_and_reads_are_never_lost(front, emulator):
    client, _faults, ledger = front(seed=1, rates={"lost_response": 1.0})
    name = f"lost-{uuid.uuid4().hex[:8]}"
    err = _error(lambda: client("sns").create_topic(Name=name))
    assert err.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert err.response["Error"]["Code"] == "InternalFailure"
    # The write happened behind the lost answer; a read through the front is never lost.
    assert any(t["TopicArn"].endswith(f":{name}") for t in _direct(emulator, "sns").list_topics()["Topics"])
    listed = client("sns").list_topics()
    assert any(t["TopicArn"].endswith(f":{name}") for t in listed["Topics"])
    assert listed["ResponseMetadata"]["HTTPHeaders"]["date"].count("GMT") == 1  # the emulator's headers, once
    # The retry the caller makes fails the way real code then fails: the group exists already.
    ec2 = client("ec2")
    _error(lambda: ec2.create_security_group(GroupName=name, Description="d"))
    duplicate = _error(lambda: ec2.create_security_group(GroupName=name, Description="d"))
    assert duplicate.response["Error"]["Code"] == "InvalidGroup.Duplicate"
    recorded = _ledger(ledger)
    assert recorded["counts"]["lost_response"] == 2
    assert [f["operation"] for f in recorded["faults"]] == ["CreateTopic", "CreateSecurityGroup"]


def test_a_lost_answer_can_be_a_closed_connection(front, emulator):
    client, _faults, ledger = front(seed=1, rates={"lost_response": 1.0}, lost_response_mode="close")
    name = f"closed-{uuid.uuid4().hex[:8]}"
    with pytest.raises(ConnectionClosedError):
        client("ec2").create_security_group(GroupName=name, Description="d")
    groups = _direct(emulator, "ec2").describe_security_groups(Filters=[{"Name": "group-name", "Values": [name]}])
    assert len(groups["SecurityGroups"]) == 1
    assert _ledger(ledger)["faults"][0]["detail"] == "closed"


def test_a_repeated_idempotency_token_gets_the_first_answer_and_creates_nothing_twice(front, emulator):
    client, _faults, ledger = front(seed=1, rates={"lost_response": 1.0})
    # botocore fills in ClientRequestToken and resends it on its own retry: the lost answer is answered again.
    name = f"secret-{uuid.uuid4().hex[:8]}"
    created = client("secretsmanager", ONE_RETRY).create_secret(Name=name, SecretString="x")
    assert created["Name"] == name
    versions = _direct(emulator, "secretsmanager").list_secret_version_ids(SecretId=name)["Versions"]
    assert [v["VersionId"] for v in versions] == [created["VersionId"]]
    # EC2 (query protocol): the same ClientToken twice -> the same template, once; other parameters -> mismatch.
    ec2 = client("ec2", ONE_RETRY)
    token = uuid.uuid4().hex
    template = f"lt-{token[:8]}"
    data = {"InstanceType": "t3.micro"}
    first = ec2.create_launch_template(LaunchTemplateName=template, LaunchTemplateData=data, ClientToken=token)
    again = ec2.create_launch_template(LaunchTemplateName=template, LaunchTemplateData=data, ClientToken=token)
    assert again["LaunchTemplate"]["LaunchTemplateId"] == first["LaunchTemplate"]["LaunchTemplateId"]
    found = _direct(emulator, "ec2").describe_launch_templates(LaunchTemplateNames=[template])["LaunchTemplates"]
    assert len(found) == 1
    mismatch = _error(
        lambda: ec2.create_launch_template(
            LaunchTemplateName=f"{template}-b", LaunchTemplateData=data, ClientToken=token
        )
    )
    assert mismatch.response["Error"]["Code"] == "IdempotentParameterMismatch"
    # CloudFront's CallerReference (REST-XML body) is a token too.
    ref = uuid.uuid4().hex
    config = {
        "CallerReference": ref,
        "Comment": "c",
        "Enabled": False,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "o",
                    "DomainName": "example.com",
                    "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"},
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "o",
            "ViewerProtocolPolicy": "allow-all",
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "MinTTL": 0,
        },
    }
    distribution = client("cloudfront", ONE_RETRY).create_distribution(DistributionConfig=config)["Distribution"]
    listed = _direct(emulator, "cloudfront").list_distributions()["DistributionList"].get("Items", [])
    assert [d["Id"] for d in listed if d["Comment"] == "c" and d["Id"] == distribution["Id"]] == [distribution["Id"]]
    assert sum(1 for d in listed if d["Comment"] == "c") == 1
    recorded = _ledger(ledger)
    # Each create: one lost answer (the first attempt), then the first answer replayed to the retry.
    assert recorded["counts"]["lost_response"] == 3
    assert recorded["token_replays"] == 4
    assert {r["operation"] for r in recorded["replays"]} == {
        "CreateSecret",
        "CreateLaunchTemplate",
        "CreateDistribution",
    }


def test_iam_propagation_window_opens_after_a_role_change_and_closes(front, emulator):
    client, _faults, ledger = front(seed=1, windows={"iam_propagation": 3.0})
    suffix = uuid.uuid4().hex[:8]
    role = _role(client("iam"), f"fresh-{suffix}")
    old_role = _role(_direct(emulator, "iam"), f"old-{suffix}")  # not seen by the front: no window
    lam = client("lambda")
    spec = {"Runtime": "python3.12", "Handler": "index.handler", "Code": {"ZipFile": _zip()}}
    err = _error(lambda: lam.create_function(FunctionName=f"f-{suffix}", Role=role, **spec))
    assert err.response["Error"]["Code"] == "InvalidParameterValueException"
    assert err.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert err.response["Error"]["Message"] == "The role defined for the function cannot be assumed by Lambda."

    rds = client("rds")
    err = _error(
        lambda: rds.create_db_instance(
            DBInstanceIdentifier=f"db-{suffix}",
            DBInstanceClass="db.t4g.micro",
            Engine="mysql",
            AllocatedStorage=20,
            MasterUsername="admin",
            MasterUserPassword="password123",
            MonitoringInterval=60,
            MonitoringRoleArn=role,
        )
    )
    assert err.response["Error"]["Code"] == "InvalidParameterValue"
    assert "ENHANCED_MONITORING" in err.response["Error"]["Message"]

    scheduler = client("scheduler")
    schedule = {
        "ScheduleExpression": "rate(1 hour)",
        "FlexibleTimeWindow": {"Mode": "OFF"},
        "Target": {"Arn": "arn:aws:lambda:eu-west-3:123456789012:function:x", "RoleArn": role},
    }
    err = _error(lambda: scheduler.create_schedule(Name=f"s-{suffix}", **schedule))
    assert err.response["Error"]["Code"] == "ValidationException"
    assert "EventBridge Scheduler to assume the role" in err.response["Error"]["Message"]

    lam.create_function(FunctionName=f"old-{suffix}", Role=old_role, **spec)
    # A policy put on the old role opens its window too.
    client("iam").put_role_policy(RoleName=f"old-{suffix}", PolicyName="p", PolicyDocument=LOGS)
    err = _error(lambda: lam.update_function_configuration(FunctionName=f"old-{suffix}", Role=old_role))
    assert err.response["Error"]["Code"] == "InvalidParameterValueException"

    time.sleep(3.1)
    assert lam.create_function(FunctionName=f"f-{suffix}", Role=role, **spec)["FunctionName"] == f"f-{suffix}"
    scheduler.create_schedule(Name=f"s-{suffix}", **schedule)
    lam.update_function_configuration(FunctionName=f"old-{suffix}", Role=old_role, Timeout=10)
    recorded = _ledger(ledger)
    assert recorded["counts"]["iam_propagation"] == 4
    assert [f["operation"] for f in recorded["faults"]] == [
        "CreateFunction",
        "CreateDBInstance",
        "CreateSchedule",
        "UpdateFunctionConfiguration",
    ]


def test_slow_release_window_holds_a_deleted_vpc_lambdas_groups_and_subnets(front, emulator):
    client, _faults, ledger = front(seed=1, windows={"slow_release": 1.5})
    direct = _direct(emulator, "ec2")
    vpc = direct.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
    subnet = direct.create_subnet(VpcId=vpc, CidrBlock="10.42.1.0/24")["Subnet"]["SubnetId"]
    group = direct.create_security_group(GroupName="fn", Description="d", VpcId=vpc)["GroupId"]
    other = direct.create_security_group(GroupName="other", Description="d", VpcId=vpc)["GroupId"]
    suffix = uuid.uuid4().hex[:8]
    role = _role(_direct(emulator, "iam"), f"vpc-{suffix}")
    lam = client("lambda")
    lam.create_function(
        FunctionName=f"vpc-{suffix}",
        Role=role,
        Runtime="python3.12",
        Handler="index.handler",
        Code={"ZipFile": _zip()},
        VpcConfig={"SubnetIds": [subnet], "SecurityGroupIds": [group]},
    )
    lam.delete_function(FunctionName=f"vpc-{suffix}")
    ec2 = client("ec2")
    err = _error(lambda: ec2.delete_security_group(GroupId=group))
    assert err.response["Error"]["Code"] == "DependencyViolation"
    err = _error(lambda: ec2.delete_subnet(SubnetId=subnet))
    assert err.response["Error"]["Code"] == "DependencyViolation"
    ec2.delete_security_group(GroupId=other)  # not the function's: released at once
    time.sleep(1.6)
    ec2.delete_security_group(GroupId=group)
    ec2.delete_subnet(SubnetId=subnet)
    assert _ledger(ledger)["counts"]["slow_release"] == 2


def _outcomes(client, calls: int) -> list[str]:
    sns = client("sns")
    out = []
    for _call in range(calls):
        try:
            sns.list_topics()
            out.append("ok")
        except ClientError as err:
            out.append(err.response["Error"]["Code"])
    return out


def test_a_seed_replays_the_same_faults_and_the_ledger_counts_them(front):
    runs = {}
    for label, seed in (("a", 7), ("b", 7), ("c", 8)):
        client, faults, ledger = front(seed=seed, rates={"throttle": 0.3, "5xx": 0.2})
        runs[label] = _outcomes(client, 30)
        recorded = _ledger(ledger)
        assert recorded["counts"]["throttle"] == runs[label].count("Throttling")
        assert recorded["counts"]["5xx"] == 30 - runs[label].count("ok") - runs[label].count("Throttling")
        assert faults.ledger()["counts"] == recorded["counts"]
    assert runs["a"] == runs["b"]
    assert runs["a"] != runs["c"]
    assert "ok" in runs["a"] and "Throttling" in runs["a"]


def test_the_script_starts_stops_and_prints_the_ledger(emulator, tmp_path):
    port = free_port()
    env = {**os.environ, "WORDPRESS_AWS_EMULATOR_DIR": str(tmp_path)}
    script = [sys.executable, str(ROOT / "scripts" / "fault_front.py")]

    def run(*args):
        return subprocess.run(
            [*script, *args, "--port", str(port)], env=env, capture_output=True, text=True, timeout=60, check=False
        )

    config = tmp_path / "faults.json"
    config.write_text(json.dumps({"seed": 3, "rates": {"throttle": 1.0}}))
    bad = run("start", "--upstream-port", str(emulator), "--rate", "nonsense=1")
    assert bad.returncode != 0 and "KIND=NUMBER" in bad.stderr
    started = run("start", "--upstream-port", str(emulator), "--config", str(config))
    try:
        assert started.returncode == 0, started.stderr
        assert run("start", "--upstream-port", str(emulator)).stdout.startswith("fault_front: already running")
        # Another checkout (its own state dir) cannot take the port: its front fails, it does not adopt this one.
        other = {**env, "WORDPRESS_AWS_EMULATOR_DIR": str(tmp_path / "other")}
        taken = subprocess.run(
            [*script, "start", "--port", str(port), "--upstream-port", str(emulator)],
            env=other,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert taken.returncode == 1 and "failed to start" in taken.stderr, taken
        assert run("status").returncode == 0
        _error(lambda: _client("sns", port).list_topics())
        shown = run("ledger")
        assert shown.returncode == 0, shown.stderr
        summary = json.loads(shown.stdout)
        assert summary["counts"]["throttle"] == 1
        assert summary["by_operation"] == {"throttle": {"sns:ListTopics": 1}}
    finally:
        assert run("stop").returncode == 0
    assert run("status").returncode == 3
    assert not (tmp_path / f"front-{port}.pid").exists()
    # A scenario stops its front with WORDPRESS_AWS_EMULATOR_PORT naming the front's own port (the playbooks' port).
    same = {**env, "WORDPRESS_AWS_EMULATOR_PORT": str(port)}
    stopped = subprocess.run(
        [*script, "stop", "--port", str(port)], env=same, capture_output=True, text=True, check=False
    )
    assert stopped.returncode == 0 and "not running" in stopped.stdout, stopped.stderr
