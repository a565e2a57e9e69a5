# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small generic input checks (minimal copy for the modules branch: the integrator keeps the full file)."""

from __future__ import annotations

import re

# An email address as AWS Budgets and SNS accept it (the same regex as monitoring.EMAIL_RE).
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
