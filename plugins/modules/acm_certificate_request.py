#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: acm_certificate_request
short_description: A DNS-validated ACM certificate, found by its Name tag, with the records that validate it
version_added: 0.3.0
extends_documentation_fragment:
  [techblogpro.wordpress_aws.attributes, techblogpro.wordpress_aws.attributes.state, amazon.aws.common.modules,
   amazon.aws.region.modules, amazon.aws.tags, amazon.aws.boto3]
description:
  - Requests an Amazon-issued certificate for O(domain_name) and O(subject_alternative_names) with DNS
    validation, or finds the one already requested (its C(Name) tag is O(name)), and returns the DNS records that
    prove control of the names. Put those in the zone (M(amazon.aws.route53)), then run again with O(wait=true)
    until it is issued.
  - A certificate's names cannot change. When they differ, a new certificate is requested and the old ones are
    returned in RV(superseded) for the caller to delete once nothing uses them.
  - M(amazon.aws.acm_certificate) only imports certificates; it cannot request one.
options:
  name:
    description: The certificate's identity (its C(Name) tag).
    type: str
    required: true
  domain_name:
    description: The main name. Required with O(state=present).
    type: str
  subject_alternative_names:
    description: Further names.
    type: list
    elements: str
    default: []
  wait:
    description: Wait until the certificate is issued.
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait for the validation records, and with O(wait=true) for the certificate.
    type: int
    default: 600
"""

EXAMPLES = r"""
- name: CloudFront's certificate (us-east-1)
  techblogpro.wordpress_aws.acm_certificate_request:
    name: techblog-prod-edge
    domain_name: www.techblogpro.example
    region: us-east-1
    tags:
      wordpress_aws:stack: techblog-prod
  register: edge_certificate
"""

RETURN = r"""
changes:
  description: A certificate V(created) (requested) or V(deleted); on an existing one the RV(certificate) paths
    that changed.
  returned: always
  type: list
  elements: str
  sample: [created]
certificate:
  description: The certificate (empty when absent).
  returned: always
  type: dict
  contains:
    arn:
      description: The ARN.
      type: str
    status:
      description: C(PENDING_VALIDATION), C(ISSUED), ...
      type: str
    names:
      description: Every name it covers.
      type: list
      elements: str
    validation_records:
      description: The DNS records (name, type, value) that validate it.
      type: list
      elements: dict
superseded:
  description: ARNs of certificates with the same Name tag but other names (delete them once unused).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import acm
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import tagging
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.common import WordPressAWSModule
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.compare import change_list
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import aws_errors
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.converge import exit_result
from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils.specs import common_options


def _result(certificate):
    if not certificate:
        return {}
    return {
        "arn": certificate.get("CertificateArn", ""),
        "status": certificate.get("Status", ""),
        "names": acm.names_of(certificate) if certificate.get("DomainName") else [],
        "validation_records": acm.validation_records(certificate),
    }


def main():
    module = WordPressAWSModule(
        argument_spec=dict(
            domain_name=dict(type="str"),
            subject_alternative_names=dict(type="list", elements="str", default=[]),
            **common_options(wait=False, wait_timeout=600),
        ),
        required_if=[("state", "present", ["domain_name"])],
        supports_check_mode=True,
    )
    p = module.params
    client = module.client("acm")
    changed, superseded = False, []
    with aws_errors(module, f"manage the certificate {p['name']}"):
        try:
            existing = acm.find(client, p["name"])
            if p["state"] == "absent":
                current, after = (existing[0] if existing else None), None
                if existing:
                    changed = True
                    if not module.check_mode:
                        for certificate in existing:
                            acm.delete(client, certificate["CertificateArn"])
            else:
                wanted = sorted({p["domain_name"], *p["subject_alternative_names"]})
                matching = [c for c in existing if c["DomainName"] == p["domain_name"] and acm.names_of(c) == wanted]
                superseded = [c["CertificateArn"] for c in existing if c not in matching]
                current = matching[0] if matching else None
                after = current
                if current is None:
                    changed = True
                    after = {
                        "DomainName": p["domain_name"],
                        "SubjectAlternativeNames": wanted,
                        "Status": "PENDING_VALIDATION",
                    }
                    if not module.check_mode:
                        arn = acm.request(
                            client, p["name"], p["domain_name"], p["subject_alternative_names"], p["tags"] or {}
                        )
                        after = acm.wait_for_records(client, arn, p["wait_timeout"])
                if current is not None and p["tags"] is not None:
                    before_tags = acm.tags(client, current["CertificateArn"])
                    desired_tags = {**p["tags"], "Name": p["name"]}
                    to_add, to_remove = tagging.tag_changes(desired_tags, before_tags, p["purge_tags"])
                    if to_add or to_remove:
                        changed = True
                        if not module.check_mode:
                            tagging.set_tags(client, current["CertificateArn"], to_add, to_remove)
                if p["wait"] and not module.check_mode and after.get("CertificateArn"):
                    after = acm.wait_issued(client, after["CertificateArn"], p["wait_timeout"])
        except (TimeoutError, RuntimeError) as err:
            module.fail_json(msg=str(err))
    view_before, view_after = _result(current), _result(after)
    changes = change_list(view_before, view_after, changed)
    exit_result(module, "certificate", view_before, view_after, changes, superseded=superseded)


if __name__ == "__main__":
    main()
