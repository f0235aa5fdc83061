"""pandas' full case mapping step gives what `Lower.apply_full` / `Upper.apply_full` give."""

from __future__ import annotations

import narwhals.stable.v2 as nw
import pandas as pd
import pyarrow as pa
import pytest

from rowsift.engines._pandas.cases import case_mapped
from rowsift.engines.protocol import CaseJob
from rowsift.transforms import Lower, Upper

VALUES = [
    "straße", "ﬁne", "ŉ x", "ǰΣ", "ᾳΣ1", "ΑΣ", "ΑΣ b", "ΣΑ", "ΑΣΣ ", "1Σ", "İstanbul",
    "ßİΣ", "plain", "", None, "Ωμέγα ΟΔΟΣ.",
]  # fmt: skip


@pytest.mark.parametrize("transform", [Lower(), Upper()], ids=["lower", "upper"])
@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()], ids=str)
def test_the_step_gives_the_expressions_values(transform: Lower | Upper, kind: pa.DataType) -> None:
    chunks = pa.chunked_array([pa.array(VALUES[:7], kind), pa.array(VALUES[7:], kind)])
    frame = pd.DataFrame({"a": pd.arrays.ArrowExtensionArray(chunks)})
    expected = nw.from_native(frame).select(transform.apply_full(nw.col("a"))).to_native()["a"]
    job = CaseJob(source="a", target="b", how=transform.name)  # type: ignore[arg-type]
    mapped = case_mapped(frame, [job])["b"]
    assert mapped.dtype == expected.dtype
    assert mapped.tolist() == expected.tolist()


def test_a_column_without_special_letters_is_only_case_mapped() -> None:
    frame = pd.DataFrame({"a": pd.array(["ab", None, "Cd"], dtype=pd.ArrowDtype(pa.string()))})
    mapped = case_mapped(frame, [CaseJob(source="a", target="b", how="upper")])
    assert pa.array(mapped["b"].array).to_pylist() == ["AB", None, "CD"]
