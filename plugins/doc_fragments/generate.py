# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The O(generate) option of the modules that draw secret values (random_secret, secret_version)."""

from __future__ import annotations


class ModuleDocFragment:
    # Its argument spec: module_utils/random_secret.py GENERATE.
    DOCUMENTATION = r"""
options:
  generate:
    description:
      - The JSON fields whose values the module draws (when, the module's description says).
      - Values are made inside the module and never returned, logged or shown in a diff.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The field name.
        type: str
        required: true
      length:
        description: Characters to generate (8-4096).
        type: int
        default: 32
      punctuation:
        description: Include punctuation (less the excluded characters).
        type: bool
        default: true
      exclude_characters:
        description: Characters never to use. The default leaves out quotes, backslash, slash, C(@), C(:),
          C(%) and other characters that break connection strings, shells and URLs.
        type: str
"""
