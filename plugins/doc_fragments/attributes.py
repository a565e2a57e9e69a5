# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Documentation shared by this collection's modules: attributes, author, the state option."""

from __future__ import annotations


class ModuleDocFragment:
    # Modules that write: full check mode and diff support.
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode).
    support: full
author:
  - techblogpro platform team (@techblogpro)
"""

    # Info modules: they only read.
    INFO = r"""
options: {}
attributes:
  check_mode:
    description: Reads only; runs in check mode.
    support: full
  diff_mode:
    description: Reads only, so there is nothing to diff.
    support: none
author:
  - techblogpro platform team (@techblogpro)
"""

    # The state option of a resource that exists or not.
    STATE = r"""
options:
  state:
    description: Whether the resource should exist.
    type: str
    choices: [present, absent]
    default: present
"""
