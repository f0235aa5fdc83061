"""The log tests/peers/test_agreement.py writes its results to (tests/peers/agreement_log.py);
the table is printed after the run by tests/conftest.py."""

from __future__ import annotations

import pytest
from tests.peers.agreement_log import AgreementLog


@pytest.fixture(scope="session")
def agreement_log() -> AgreementLog:
    """Where tests/peers/test_agreement.py records each case's result."""
    return AgreementLog()
