"""No boto3 client call outside a retried wrapper: the sources of plugins/ are scanned (ast), not run.

A call on a boto3 client passes when it says ``aws_retry=True`` (a client from ``converge.aws_client`` or
``module.client(..., retry_decorator=...)``) or when it sits in a function decorated with ``AWSRetry`` (the
service wrappers of module_utils). Paginators cannot take ``aws_retry``, so ``get_paginator``/``paginate`` must
sit in a decorated function, and so must a client method handed on uncalled (``pages(client.list_x, ...)``).

A client is recognised by how this tree names and makes one: the name ``client`` or ``*_client``, any name (or
``self.<name>``) a file assigns from ``module.client(...)``/``aws_client(...)``/``boto3.client(...)``, a
subscript of a dict of such clients, a call made straight on ``module.client(...)``, and a function parameter
named like a client some file of the tree makes (``def ensure_rule(module, events, ...)``).

One exception is deliberate: a create that must not be resent blindly (no idempotency token, so botocore's resend
of a lost answer makes a second resource) sits in a ``with no_blind_retry(client, "Operation"):`` block
(module_utils/adopt.py), inside the ``create`` that ``create_once`` calls and retries after looking the resource
up. Such a call passes; anything else in the block is still checked. Likewise a call on ``once_client``: the EC2
client built with ``ec2_writes.no_retry_config()`` (botocore's retries off) that ec2_writes' ``create_once`` retries
itself after looking the lost resource up.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = next(parent for parent in Path(__file__).resolve().parents if (parent / "galaxy.yml").exists())
SOURCES = sorted([*ROOT.glob("plugins/modules/*.py"), *ROOT.glob("plugins/module_utils/**/*.py")])

# Files allowed to fail the scan for now: "path": "why, and who converts it". Empty since every module and
# module_utils of the tree is converted; an entry is a debt to name in the report and remove when it passes.
ALLOWED: dict[str, str] = {}

# Decorators that retry: amazon.aws's AWSRetry and module_utils/propagation.py's subclass of it.
RETRYING = ("AWSRetry", "PropagationRetry", "propagation_retry")
FACTORIES = {"client", "aws_client"}  # module.client(...), aws_client(module, ...), boto3.client(...)
NOT_CALLS = {"get_waiter", "can_paginate", "exceptions", "meta", "close"}
PAGINATING = {"get_paginator", "paginate", "build_full_result"}


def _is_factory(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id in FACTORIES) or (
        isinstance(func, ast.Attribute) and func.attr in FACTORIES
    )


def _holds_clients(value: ast.AST) -> bool:
    """A dict (or dict comprehension) of clients: ``{name: module.client(name) for name in SERVICES}``."""
    if isinstance(value, ast.DictComp):
        return _is_factory(value.value)
    return isinstance(value, ast.Dict) and any(_is_factory(v) for v in value.values)


def _single_shot(node: ast.AST) -> bool:
    """``no_blind_retry(client, "Operation")``: create_once owns the retry of what the block sends."""
    return isinstance(node, ast.Call) and ast.unparse(node.func).rsplit(".", maxsplit=1)[-1] == "no_blind_retry"


def _retry_names(tree: ast.Module) -> set[str]:
    """Module-level names bound to an AWSRetry decorator (``RETRY = AWSRetry.jittered_backoff()``)."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and "AWSRetry" in ast.unparse(node.value):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _client_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """(names of clients, names of dicts of clients) that this file makes."""
    clients, dicts = {"client"}, set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            for target in targets:
                name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", None)
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and _is_factory(value):
                    dicts.add(target.value.id)
                elif name and _is_factory(value):
                    clients.add(name)
                elif name and _holds_clients(value):
                    dicts.add(name)
    return clients, dicts


def _is_client(node: ast.AST, clients: set[str], dicts: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in clients or node.id.endswith("_client")
    if isinstance(node, ast.Attribute):
        return node.attr in clients or node.attr.endswith("_client")
    if isinstance(node, ast.Subscript):
        return isinstance(node.value, ast.Name) and node.value.id in dicts
    return _is_factory(node)


def _decorated(func: ast.AST, retry_names: set[str]) -> bool:
    for decorator in getattr(func, "decorator_list", []):
        text = ast.unparse(decorator)
        if any(name in text for name in RETRYING) or text.split("(", maxsplit=1)[0] in retry_names:
            return True
    return False


def _parameters(tree: ast.Module) -> set[str]:
    return {arg.arg for node in ast.walk(tree) if isinstance(node, ast.arguments) for arg in node.args}


def unretried_calls(source: str, known: frozenset[str] = frozenset()) -> list[str]:
    """``line: call`` for every boto3 client call of ``source`` outside a retried wrapper.

    ``known`` are the names other files give their clients: a function of this file taking a parameter of such
    a name (``def ensure_rule(module, events, ...)``) is handed a client.
    """
    tree = ast.parse(source)
    clients, dicts = _client_names(tree)
    clients |= known & _parameters(tree)
    retry_names = _retry_names(tree)
    problems: list[str] = []

    def visit(node: ast.AST, retried: bool) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            retried = retried or _decorated(node, retry_names)
        if isinstance(node, ast.With) and any(_single_shot(item.context_expr) for item in node.items):
            retried = True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not retried:
            method, receiver = node.func.attr, node.func.value
            by_keyword = any(
                k.arg == "aws_retry" and isinstance(k.value, ast.Constant) and k.value.value is True
                for k in node.keywords
            )
            if method in PAGINATING and method != "get_paginator" and not _is_client(receiver, clients, dicts):
                problems.append(f"{node.lineno}: {ast.unparse(node)[:80]} (a paginator outside an AWSRetry function)")
            elif (
                _is_client(receiver, clients, dicts)
                and ast.unparse(receiver) != "once_client"
                and method not in NOT_CALLS
                and not method.startswith("_")
                and not by_keyword
            ):
                problems.append(f"{node.lineno}: {ast.unparse(node)[:80]}")
        if isinstance(node, ast.Call) and not retried:
            # A client method handed on uncalled (pages(client.list_x, ...), (a if c else b)(...)) escapes aws_retry.
            handed = [*node.args, *(k.value for k in node.keywords)]
            if isinstance(node.func, ast.IfExp):
                handed += [node.func.body, node.func.orelse]
            for ref in handed:
                if (
                    isinstance(ref, ast.Attribute)
                    and _is_client(ref.value, clients, dicts)
                    and ref.attr not in NOT_CALLS | PAGINATING
                ):
                    problems.append(f"{node.lineno}: {ast.unparse(ref)} (a client method handed on)")
        for child in ast.iter_child_nodes(node):
            visit(child, retried)

    visit(tree, False)
    return problems


def _known_client_names() -> frozenset[str]:
    names: set[str] = set()
    for path in SOURCES:
        names |= _client_names(ast.parse(path.read_text()))[0]
    return frozenset(names)


KNOWN = _known_client_names()


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_every_boto3_call_goes_through_a_retried_wrapper(path):
    relative = str(path.relative_to(ROOT))
    problems = unretried_calls(path.read_text(), KNOWN)
    if relative in ALLOWED:
        pytest.skip(f"allowed for now: {ALLOWED[relative]}")
    assert not problems, f"{relative} calls boto3 without retry:\n" + "\n".join(problems)


GOOD = """
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

@AWSRetry.jittered_backoff()
def find(client, name):
    pages = client.get_paginator("list_things").paginate(Name=name).build_full_result()
    return client.describe_thing(Name=name), pages

def main(module):
    client = aws_client(module, "things")
    client.delete_thing(Name="a", aws_retry=True)
    waiter = client.get_waiter("thing_gone")
    waiter.wait(Name="a")
    with no_blind_retry(client, "CreateThing"):
        client.create_thing(Name="a")
    return client.exceptions.NotFound
"""

BAD = """
def main(module):
    client = module.client("things")
    client.delete_thing(Name="a")
    events = module.client("events")
    events.put_rule(Name="r", aws_retry=False)
    clients = {name: module.client(name) for name in ("a", "b")}
    clients["a"].list_a()
    module.client("sts").get_caller_identity()
    pages = client.get_paginator("list_things").paginate()
    self.lambda_client.invoke(FunctionName="f")
    items = pages(client.list_things, "Things")
    (client.create_thing if True else client.update_thing)(Name="a")


def ensure(module, events):
    events.put_rule(Name="r")
    with open_something(events):
        events.put_targets(Rule="r")
"""


def test_the_scan_accepts_retried_calls_paginators_in_wrappers_and_waiters():
    assert unretried_calls(GOOD) == []


def test_the_scan_finds_each_kind_of_unretried_call():
    found = unretried_calls(BAD, frozenset({"events"}))
    assert [line.split(":")[0] for line in found] == [
        "4",
        "6",
        "8",
        "9",
        "10",
        "10",
        "11",
        "12",
        "13",
        "13",
        "17",
        "19",
    ]


def test_the_allow_list_names_only_files_that_still_exist_and_still_fail():
    for relative in ALLOWED:
        path = ROOT / relative
        assert path.exists(), f"{relative} is allowed but gone: remove it from ALLOWED"
        assert unretried_calls(path.read_text(), KNOWN), f"{relative} passes now: remove it from ALLOWED"
