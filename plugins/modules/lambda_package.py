#!/usr/bin/python
# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: lambda_package
short_description: Build a reproducible Lambda deployment package from files and installed packages
version_added: 0.1.0
extends_documentation_fragment: [techblogpro.wordpress_aws.attributes]
description:
  - Writes a zip of O(sources) (at the archive root), the installed Python O(packages) (as found by the
    Python running the module, for example the controller's pinned virtualenv) and the data O(files) under the
    names given.
  - The same inputs always give the same bytes, so the package, and Lambda's C(CodeSha256), change only
    when the code does; the file is rewritten only then.
  - Makes no AWS call. Run it on the controller (C(delegate_to) V(localhost)).
options:
  dest:
    description: Path of the zip to write.
    type: path
    required: true
  sources:
    description: Files placed at the root of the archive (the handler module).
    type: list
    elements: path
    required: true
  packages:
    description: Importable top-level package names to bundle, for example V(pymysql).
    type: list
    elements: str
    default: []
  files:
    description:
      - Data files the code reads from its package, as archive name (a relative path of letters, digits, V(_),
        V(.), V(-) and V(/); no V(..)) to file on disk, for example V(rds-ca-bundle.pem) to a downloaded CA bundle.
      - The archive name is fixed whatever the file's own name; a name another file already takes fails.
      - Their bytes are part of the package, so a changed file changes C(code_sha256).
    type: dict
    default: {}
    version_added: 0.7.0
"""

EXAMPLES = r"""
- name: Package the DB bootstrap Lambda with PyMySQL
  techblogpro.wordpress_aws.lambda_package:
    dest: "{{ playbook_dir }}/../.cache/lambda/db_bootstrap.zip"
    sources:
      - "{{ role_path }}/files/db_bootstrap.py"
    packages:
      - pymysql
  delegate_to: localhost

- name: Package it with the RDS CA bundle under a fixed name
  techblogpro.wordpress_aws.lambda_package:
    dest: "{{ playbook_dir }}/../.cache/lambda/db_bootstrap.zip"
    sources:
      - "{{ role_path }}/files/db_bootstrap.py"
    packages:
      - pymysql
    files:
      rds-ca-bundle.pem: /tmp/eu-west-3-bundle.pem
  delegate_to: localhost
"""

RETURN = r"""
changes:
  description: V(created) when the package did not exist, V(code_sha256) when its content changed (or would).
  returned: always
  type: list
  elements: str
  sample: [code_sha256]
path:
  description: The package path.
  returned: always
  type: str
code_sha256:
  description: Base64 SHA-256 of the package, as Lambda reports C(CodeSha256).
  returned: always
  type: str
size:
  description: Bytes.
  returned: always
  type: int
files:
  description: How many files the package holds.
  returned: always
  type: int
"""

import os
from pathlib import Path

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.techblogpro.wordpress_aws.plugins.module_utils import lambda_package as lp


def main():
    # No AWS call, so the plain AnsibleModule: the AWS connection options would mean nothing here.
    module = AnsibleModule(
        argument_spec=dict(
            dest=dict(type="path", required=True),
            sources=dict(type="list", elements="path", required=True),
            packages=dict(type="list", elements="str", default=[]),
            files=dict(type="dict", default={}),
        ),
        supports_check_mode=True,
    )
    dest = Path(module.params["dest"])
    try:
        files = {str(name): str(path) for name, path in module.params["files"].items()}
        data = lp.build(module.params["sources"], module.params["packages"], files)
        count = len(lp.entries(module.params["sources"], module.params["packages"], files))
    except (lp.PackageError, OSError) as err:
        module.fail_json(msg=str(err))
    new_sha = lp.code_sha256(data)
    old_sha = lp.code_sha256(dest.read_bytes()) if dest.is_file() else None
    changes = [] if old_sha == new_sha else ["created" if old_sha is None else "code_sha256"]
    changed = bool(changes)
    if changed and not module.check_mode:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_suffix(dest.suffix + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, dest)
    module.exit_json(
        changed=changed,
        changes=changes,
        path=str(dest),
        code_sha256=new_sha,
        size=len(data),
        files=count,
        diff={"before": {"code_sha256": old_sha}, "after": {"code_sha256": new_sha}},
    )


if __name__ == "__main__":
    main()
