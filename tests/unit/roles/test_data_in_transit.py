"""The data tier's connections as the roles declare them (the scan's "RDS instance transport not encrypted")."""

from __future__ import annotations

import yaml

from .conftest import ROOT


def test_database_connections_are_encrypted_in_transit():
    """The scan's "RDS instance transport not encrypted": the server refuses plaintext, every client uses TLS."""
    rds = yaml.safe_load((ROOT / "roles/rds/defaults/main.yml").read_text())
    assert rds["rds_parameters"]["require_secure_transport"] == 1
    php = (ROOT / "roles/ecs_wordpress/templates/config_extra.php.j2").read_text()
    assert "define('MYSQL_CLIENT_FLAGS', MYSQLI_CLIENT_SSL" in php
    for task in ("bootstrap.yml", "rotation.yml"):
        tasks = yaml.safe_load((ROOT / "roles/rds/tasks" / task).read_text())
        functions = [
            t["techblogpro.wordpress_aws.lambda_function"]
            for t in tasks
            if "techblogpro.wordpress_aws.lambda_function" in t
        ]
        assert functions and all(f["environment_variables"]["DB_TLS"] == "true" for f in functions)
