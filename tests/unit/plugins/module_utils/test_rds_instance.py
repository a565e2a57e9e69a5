"""Unit tests of plugins/module_utils/rds_instance.py (split out of tests/unit/test_rds_db_instance.py)."""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import rds_instance as ri


def test_modifications_skip_unreported_attributes():
    current = {"DBInstanceClass": "db.t4g.micro", "MultiAZ": False}
    changes, unreported = ri.modifications(
        current, {"db_instance_class": "db.t4g.small", "enable_performance_insights": True}
    )
    assert changes == {"DBInstanceClass": "db.t4g.small"}
    assert unreported == ["enable_performance_insights"]
