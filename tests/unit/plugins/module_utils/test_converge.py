"""The module skeleton: the retried client, the one result shape, state dispatch, check mode and diff."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import converge


class Exited(Exception):
    def __init__(self, result: dict):
        super().__init__(result)
        self.result = result


class FakeModule:
    """What converge uses of AnsibleAWSModule: params, check_mode, client, exit_json and fail_json_aws."""

    def __init__(self, check_mode: bool = False, **params):
        self.params = {"state": "present", "name": "n1", **params}
        self.check_mode = check_mode
        self.client_calls: list[tuple] = []

    def client(self, service, retry_decorator=None, **extra):
        self.client_calls.append((service, retry_decorator, extra))
        return boto3.client(
            service,
            region_name=extra.get("region", "eu-west-3"),
            aws_access_key_id="a",
            aws_secret_access_key="b",
        )

    def exit_json(self, **result):
        raise Exited(result)

    def fail_json_aws(self, err, msg=""):
        raise Exited({"failed": True, "msg": msg, "error": str(err)})


def run(module, **callables):
    defaults = {
        "find": lambda: None,
        "differences": lambda found: [],
        "create": lambda: None,
        "update": lambda found, changes: None,
        "delete": lambda found: None,
    }
    with pytest.raises(Exited) as done:
        converge.converge(module, "thing", **{**defaults, **callables})
    return done.value.result


class Store:
    """An in-memory resource with a log of writes."""

    def __init__(self, value=None):
        self.value = value
        self.writes: list[str] = []

    def find(self):
        return None if self.value is None else dict(self.value)

    def create(self, value):
        self.writes.append("create")
        self.value = dict(value)

    def update(self, value):
        self.writes.append("update")
        self.value = {**self.value, **value}

    def delete(self):
        self.writes.append("delete")
        self.value = None


def callables(store: Store, wanted: dict) -> dict:
    return {
        "find": store.find,
        "differences": lambda found: [f"{k} {found.get(k)} -> {v}" for k, v in wanted.items() if found.get(k) != v],
        "create": lambda: store.create(wanted),
        "update": lambda found, changes: store.update(wanted),
        "delete": lambda found: store.delete(),
        "result": lambda found: {"size": found["Size"]},
    }


def test_aws_client_asks_for_a_retrying_client_and_keeps_the_module_region_unless_told():
    module = FakeModule()
    client = converge.aws_client(module, "sns")
    assert isinstance(client, RetryingBotoClientWrapper)
    service, decorator, extra = module.client_calls[0]
    assert service == "sns" and decorator is not None and extra == {}
    converge.aws_client(module, "budgets", region="us-east-1")
    assert module.client_calls[1][2] == {"region": "us-east-1"}


def test_aws_client_wraps_a_plain_client_so_aws_retry_is_accepted():
    module = FakeModule()
    client = converge.aws_client(module, "sns")
    with Stubber(client.client) as stub:
        stub.add_response("list_topics", {"Topics": []}, {})
        assert client.list_topics(aws_retry=True)["Topics"] == []
        stub.assert_no_pending_responses()


def test_aws_client_retries_a_throttled_call(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    client = converge.aws_client(FakeModule(), "sns")
    with Stubber(client.client) as stub:
        stub.add_client_error("list_topics", service_error_code="Throttling", http_status_code=400)
        stub.add_response("list_topics", {"Topics": [{"TopicArn": "arn:aws:sns:eu-west-3:1:t"}]}, {})
        assert client.list_topics(aws_retry=True)["Topics"][0]["TopicArn"].endswith(":t")


def test_exit_result_has_the_one_shape_with_diff_always():
    with pytest.raises(Exited) as done:
        converge.exit_result(FakeModule(), "web_acl", None, {"name": "a"}, ("created",), associations=[])
    assert done.value.result == {
        "changed": True,
        "web_acl": {"name": "a"},
        "changes": ["created"],
        "diff": {"before": {}, "after": {"name": "a"}},
        "associations": [],
    }


def test_exit_result_without_changes_is_unchanged_and_absent_is_an_empty_dict():
    with pytest.raises(Exited) as done:
        converge.exit_result(FakeModule(), "budget", None, None, [])
    assert done.value.result["changed"] is False and done.value.result["budget"] == {}
    assert done.value.result["diff"] == {"before": {}, "after": {}}


def test_converge_creates_a_missing_resource_and_describes_it_again():
    store = Store()
    result = run(FakeModule(), **callables(store, {"Size": 2}))
    assert result["changed"] is True and result["changes"] == ["created"]
    assert result["thing"] == {"size": 2} and result["diff"] == {"before": {}, "after": {"size": 2}}
    assert store.writes == ["create"]


def test_check_mode_writes_nothing_and_reports_the_planned_resource():
    store = Store()
    result = run(FakeModule(check_mode=True), **callables(store, {"Size": 2}), planned=lambda found: {"size": 2})
    assert result["changed"] is True and result["thing"] == {"size": 2} and store.writes == []
    store = Store({"Size": 1})
    result = run(FakeModule(check_mode=True), **callables(store, {"Size": 2}), planned=lambda found: {"size": 2})
    assert result["changes"] == ["Size 1 -> 2"] and result["diff"]["before"] == {"size": 1}
    assert result["diff"]["after"] == {"size": 2} and store.writes == []


def test_converge_updates_only_what_differs_and_is_idempotent():
    store = Store({"Size": 1})
    first = run(FakeModule(), **callables(store, {"Size": 2}))
    assert first["changes"] == ["Size 1 -> 2"] and first["diff"] == {"before": {"size": 1}, "after": {"size": 2}}
    again = run(FakeModule(), **callables(store, {"Size": 2}))
    assert again["changed"] is False and again["changes"] == [] and again["thing"] == {"size": 2}
    assert store.writes == ["update"]


def test_absent_deletes_once_and_check_mode_keeps_it():
    store = Store({"Size": 1})
    checked = run(FakeModule(check_mode=True, state="absent"), **callables(store, {}))
    assert checked["changes"] == ["deleted"] and checked["thing"] == {} and store.writes == []
    gone = run(FakeModule(state="absent"), **callables(store, {}))
    assert gone["changes"] == ["deleted"] and gone["diff"] == {"before": {"size": 1}, "after": {}}
    again = run(FakeModule(state="absent"), **callables(store, {}))
    assert again["changed"] is False and store.writes == ["delete"]


def test_extra_keys_come_from_the_returned_resource():
    store = Store({"Size": 3})
    result = run(FakeModule(), **callables(store, {"Size": 3}), extra=lambda after: {"doubled": after["size"] * 2})
    assert result["doubled"] == 6


def test_a_boto3_error_reaches_the_user_through_fail_json_aws_naming_the_resource():
    def refuse():
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "Describe")

    result = run(FakeModule(name="blog"), find=refuse)
    assert result["failed"] is True and result["msg"] == "Unable to manage thing blog"
    result = run(FakeModule(), find=refuse, label="the budget b")
    assert result["msg"] == "Unable to manage the budget b"


def test_reconcile_puts_the_missing_and_different_and_purges_the_unlisted():
    writes: list[tuple] = []
    module = FakeModule()
    changes = converge.reconcile(
        module,
        {"a": 1, "b": 2, "c": 3},
        {"b": 2, "c": 4, "d": 5},
        differences=lambda wanted, have: [] if wanted == have else [f"{have} -> {wanted}"],
        put=lambda name, wanted, have: writes.append(("put", name, have)),
        remove=lambda name, have: writes.append(("remove", name)),
        noun="alarm",
    )
    assert changes == ["created alarm a", "updated alarm c (4 -> 3)", "deleted alarm d"]
    assert writes == [("put", "a", None), ("put", "c", 4), ("remove", "d")]
    assert converge.named(changes, "updated", "alarm") == ["c"]


def test_reconcile_without_purge_keeps_the_unlisted_and_check_mode_writes_nothing():
    writes: list = []
    module = FakeModule(check_mode=True)
    changes = converge.reconcile(
        module,
        {"a b": 1},
        {"z": 1},
        differences=lambda wanted, have: [] if wanted == have else [f"{have} -> {wanted}"],
        put=lambda *a: writes.append(a),
        remove=lambda *a: writes.append(a),
        purge=False,
    )
    assert changes == ["created a b"] and writes == []
    assert converge.named(changes, "created") == ["a b"]


def test_aws_errors_reports_a_boto3_error_and_lets_other_errors_through():
    module = FakeModule()
    with pytest.raises(Exited) as done, converge.aws_errors(module, "read the thing t"):
        raise ClientError({"Error": {"Code": "Throttling", "Message": "slow down"}}, "Describe")
    assert done.value.result["failed"] is True and done.value.result["msg"] == "Unable to read the thing t"
    with pytest.raises(KeyError), converge.aws_errors(module, "read the thing t"):
        raise KeyError("not an AWS error")


def test_resource_view_snake_cases_the_resource_and_returns_its_tags_as_a_dict():
    resource_view = converge.resource_view
    instance = {"DBInstanceIdentifier": "db", "TagList": [{"Key": "a", "Value": "1"}], "Secret": "x"}
    assert resource_view(instance, "TagList", drop=["Secret"]) == {"db_instance_identifier": "db", "tags": {"a": "1"}}
    cluster = {"clusterName": "c", "status": "ACTIVE", "tags": [{"key": "k", "value": "v"}]}
    assert resource_view(cluster, "tags", keep=["clusterName"]) == {"cluster_name": "c", "tags": {"k": "v"}}
    assert resource_view({"Name": "v", "Tags": {"x": "y"}}) == {"name": "v", "tags": {"x": "y"}}
    assert resource_view(None) == {}
