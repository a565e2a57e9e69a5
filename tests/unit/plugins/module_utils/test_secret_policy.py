"""Unit tests of plugins/module_utils/secret_policy.py: who the stack secrets' resource policy spares."""

from __future__ import annotations

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import secret_policy


def test_an_assumed_role_session_is_spared_as_its_role_in_any_path():
    session = "arn:aws:sts::111122223333:assumed-role/Deployer/awx-job-42"
    assert secret_policy.caller_patterns(session) == [
        "arn:aws:iam::111122223333:role/Deployer",
        "arn:aws:iam::111122223333:role/*/Deployer",
    ]
    assert secret_policy.caller_patterns("arn:aws:iam::111122223333:user/ops/alice") == [
        "arn:aws:iam::111122223333:user/ops/alice"
    ]


def test_allowed_patterns_keep_root_the_caller_the_stack_path_and_admins_in_the_callers_partition():
    patterns = secret_policy.allowed_patterns(
        "arn:aws-cn:sts::111122223333:assumed-role/Deployer/s", ["/wordpress-aws/blog/"], ["arn:aws-cn:iam::1:role/A"]
    )
    assert patterns == [
        "arn:aws-cn:iam::111122223333:role/*/Deployer",
        "arn:aws-cn:iam::111122223333:role/Deployer",
        "arn:aws-cn:iam::111122223333:role/wordpress-aws/blog/*",
        "arn:aws-cn:iam::111122223333:root",
        "arn:aws-cn:iam::1:role/A",
    ]


def test_policies_compare_normalised():
    desired = secret_policy.deny_others(["b", "a"])
    assert not secret_policy.differs(desired, secret_policy.deny_others(["a", "b"]))
    assert secret_policy.differs(desired, secret_policy.deny_others(["a"]))
    assert secret_policy.differs(desired, None)
