"""The foundation sets EBS encryption by default only when its inventory opts in (issue 21, item 14)."""

from __future__ import annotations

import yaml

from .conftest import ROOT

MODULE = "techblogpro.wordpress_aws.ec2_ebs_default_encryption"


def test_ebs_encryption_by_default_is_opt_in_and_never_turned_off():
    defaults = yaml.safe_load((ROOT / "roles/foundation/defaults/main.yml").read_text())
    assert defaults["foundation_ebs_encryption_by_default"] is False
    tasks = yaml.safe_load((ROOT / "roles/foundation/tasks/main.yml").read_text())
    [task] = [t for t in tasks if MODULE in t]
    assert task[MODULE] == {"enabled": True}  # the AWS managed key: the stack's key dies with the stack
    assert task["when"] == "foundation_ebs_encryption_by_default | bool"
    teardown = (ROOT / "roles/foundation/tasks/teardown.yml").read_text()
    assert MODULE not in teardown
