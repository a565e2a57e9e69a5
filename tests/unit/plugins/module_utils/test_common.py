"""WordPressAWSModule.client: one botocore session per process and profile, the module's connection settings."""

from __future__ import annotations

import botocore.config
from ansible.module_utils.testing import patch_module_args

from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import common


def module(**args):
    with patch_module_args({"region": "eu-west-3", "access_key": "AKIDEXAMPLE", "secret_key": "s3cr3t", **args}):
        return common.WordPressAWSModule(argument_spec={}, supports_check_mode=True)


def test_clients_share_one_session_and_keep_the_modules_settings(monkeypatch):
    monkeypatch.setattr(common, "_SESSIONS", {})
    mod = module(endpoint_url="http://127.0.0.1:1")
    ec2 = mod.client("ec2")
    iam = mod.client("iam", region="us-east-1")
    assert list(common._SESSIONS) == [None]
    assert ec2.meta.region_name == "eu-west-3"
    assert iam.meta.region_name == "us-east-1"
    assert ec2.meta.endpoint_url == "http://127.0.0.1:1"
    credentials = ec2._request_signer._credentials
    assert (credentials.access_key, credentials.secret_key) == ("AKIDEXAMPLE", "s3cr3t")
    assert common.COLLECTION_NAME in ec2.meta.config.user_agent
    # the models were parsed once: the second client of a service reuses the session's loader cache
    loader = common.shared_session().get_component("data_loader")
    assert any("ec2" in str(key) for key in loader._cache)


def test_extra_config_is_merged_and_the_retry_wrapper_applies(monkeypatch):
    monkeypatch.setattr(common, "_SESSIONS", {})
    mod = module()
    conn = mod.client(
        "sts", config=botocore.config.Config(retries={"total_max_attempts": 1}), retry_decorator=lambda f: f
    )
    assert isinstance(conn, RetryingBotoClientWrapper)
    assert conn.client.meta.config.retries["total_max_attempts"] == 1
    assert common.COLLECTION_NAME in conn.client.meta.config.user_agent
    plain = mod.client("sts", aws_config={"connect_timeout": 7})
    assert plain.meta.config.connect_timeout == 7


def test_a_profile_gets_its_own_session(monkeypatch, tmp_path):
    monkeypatch.setattr(common, "_SESSIONS", {})
    config = tmp_path / "config"
    config.write_text("[profile blog]\nregion = eu-west-1\naws_access_key_id = A\naws_secret_access_key = B\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    with patch_module_args({"region": "eu-west-3", "profile": "blog"}):
        mod = common.WordPressAWSModule(argument_spec={})
    mod.client("sts")
    assert set(common._SESSIONS) == {"blog"}
    assert common._SESSIONS["blog"].profile == "blog"


def test_warm_loads_the_models_without_sending_anything(monkeypatch):
    monkeypatch.setattr(common, "_SESSIONS", {})
    assert common.warm(("sns", "logs")) == ["sns", "logs"]
    loader = common.shared_session().get_component("data_loader")
    cached = " ".join(str(key) for key in loader._cache)
    assert "sns" in cached and "logs" in cached
