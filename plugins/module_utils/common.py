# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base class of this collection's modules: amazon.aws's AnsibleAWSModule with our user agent."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

COLLECTION_NAME = "techblogpro.wordpress_aws"
COLLECTION_VERSION = "0.1.0"


class WordPressAWSModule(AnsibleAWSModule):
    """AnsibleAWSModule that reports this collection in the boto3 user agent."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        set_collection_info(collection_name=COLLECTION_NAME, collection_version=COLLECTION_VERSION)
