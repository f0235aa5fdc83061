"""The two severities a rule can have."""

from __future__ import annotations

from typing import Literal

Severity = Literal["error", "warn"]
