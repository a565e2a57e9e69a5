# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base class of this collection's modules: amazon.aws's AnsibleAWSModule with our user agent.

Its clients come from one botocore session per process and profile (``shared_session``): the service
models, endpoint rules and credentials are loaded once, not once per client. A module that builds thirty
clients (the stack inventory, the drift report) parses each service model once; a module run in a fork of
the controller (the ``inprocess`` action) inherits the models ``warm()`` loaded before the fork.
"""

from __future__ import annotations

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION

from ansible_collections.amazon.aws.plugins.module_utils.botocore import get_aws_connection_info
from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

try:
    import botocore.config
    import botocore.session
except ImportError:  # AnsibleAWSModule reports the missing SDK
    pass

COLLECTION_NAME = "techblogpro.wordpress_aws"
COLLECTION_VERSION = "0.1.0"
USER_AGENT = f"APN/1.0 Ansible/{ANSIBLE_VERSION} {COLLECTION_NAME}/{COLLECTION_VERSION}"

# The services the collection's modules call, loaded by warm().
SERVICES = (
    "acm", "application-autoscaling", "backup", "budgets", "ce", "cloudfront", "cloudwatch", "ec2", "ecs",
    "efs", "elbv2", "events", "iam", "kms", "lambda", "logs", "rds", "resourcegroupstaggingapi", "s3",
    "scheduler", "secretsmanager", "sns", "sts", "wafv2",
)  # fmt: skip

_SESSIONS = {}


def shared_session(profile=None):
    """The process's botocore session for ``profile`` (None: the default credential chain)."""
    session = _SESSIONS.get(profile)
    if session is None:
        session = botocore.session.Session(profile=profile)
        _SESSIONS[profile] = session
    return session


def warm(services=SERVICES):
    """Load the service models (and endpoint rules) of ``services`` into the default shared session.

    Builds one client per service with placeholder credentials and region: nothing is sent and no
    credential provider runs. Returns the services loaded.
    """
    session = shared_session()
    loaded = []
    for service in services:
        session.create_client(service, region_name="us-east-1", aws_access_key_id="warm", aws_secret_access_key="warm")  # noqa: S106
        loaded.append(service)
    return loaded


class WordPressAWSModule(AnsibleAWSModule):
    """AnsibleAWSModule that reports this collection in the boto3 user agent and shares one session."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        set_collection_info(collection_name=COLLECTION_NAME, collection_version=COLLECTION_VERSION)

    def client(self, service, retry_decorator=None, **extra_params):
        """A client of ``service`` from the shared session, with the module's connection parameters."""
        region, endpoint_url, params = get_aws_connection_info(self)
        params = dict(params, **extra_params)
        region = params.pop("region", region)
        endpoint_url = params.pop("endpoint", endpoint_url)
        profile = params.pop("profile_name", None)
        config = botocore.config.Config(user_agent=USER_AGENT)
        for key in ("config", "aws_config"):
            extra = params.pop(key, None)
            if extra:
                config = config.merge(
                    extra if isinstance(extra, botocore.config.Config) else botocore.config.Config(**extra)
                )
        conn = shared_session(profile).create_client(
            service, region_name=region, endpoint_url=endpoint_url, config=config, **params
        )
        return conn if retry_decorator is None else RetryingBotoClientWrapper(conn, retry_decorator)
