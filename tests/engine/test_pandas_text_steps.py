"""pandas' text steps give what the transforms' expressions give: `NullTokens.apply`,
`Lower.apply_full` and `Upper.apply_full`."""

from __future__ import annotations

import narwhals.stable.v2 as nw
import pandas as pd
import pyarrow as pa
import pytest

from rowsift.engines._pandas.text import text_steps
from rowsift.engines.protocol import TextJob
from rowsift.transforms import Lower, NullTokens, Upper

VALUES = [
    "straße", "ﬁne", "ŉ x", "ǰΣ", "ᾳΣ1", "ΑΣ", "ΑΣ b", "ΣΑ", "ΑΣΣ ", "1Σ", "İstanbul",
    "ßİΣ", "plain", "", None, "Ωμέγα ΟΔΟΣ.", "NA", " ",
]  # fmt: skip


def _frame(kind: pa.DataType) -> pd.DataFrame:
    chunks = pa.chunked_array([pa.array(VALUES[:7], kind), pa.array(VALUES[7:], kind)])
    return pd.DataFrame({"a": pd.arrays.ArrowExtensionArray(chunks)})


TRANSFORMS = [Lower(), Upper(), NullTokens(("",)), NullTokens(("NA", " ")), NullTokens(("x",))]


@pytest.mark.parametrize("transform", TRANSFORMS, ids=repr)
@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()], ids=str)
def test_a_step_gives_the_expressions_values(
    transform: Lower | Upper | NullTokens, kind: pa.DataType
) -> None:
    frame = _frame(kind)
    if isinstance(transform, NullTokens):
        expr = transform.apply(nw.col("a"))
        job = TextJob(source="a", target="b", how="null_tokens", tokens=transform.tokens)
    else:
        expr = transform.apply_full(nw.col("a"))
        job = TextJob(source="a", target="b", how=transform.name)  # type: ignore[arg-type]
    expected = nw.from_native(frame).select(expr).to_native()["a"]
    result = text_steps(frame, [job])["b"]
    assert result.dtype == expected.dtype
    assert pa.array(result.array).to_pylist() == pa.array(expected.array).to_pylist()


def test_a_column_without_special_letters_is_only_case_mapped() -> None:
    frame = pd.DataFrame({"a": pd.array(["ab", None, "Cd"], dtype=pd.ArrowDtype(pa.string()))})
    result = text_steps(frame, [TextJob(source="a", target="b", how="upper")])
    assert pa.array(result["b"].array).to_pylist() == ["AB", None, "CD"]
