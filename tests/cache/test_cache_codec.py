"""Wire format: frames round-trip with dtypes intact; bad bytes are misses, never code."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from axion_lab.cache import CacheWarning, MemoryCache, Quote, TTLPolicy
from axion_lab.cache import _codec as codec
from axion_lab.exceptions import InputError


def _polars_rich() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "symbol": ["AAA", None, "CCC"],
            "sector": pl.Series(["Energy", "Utilities", "Energy"], dtype=pl.Categorical),
            "side": pl.Series(["buy", "sell", "buy"], dtype=pl.Enum(["buy", "sell"])),
            "ts": [dt.datetime(2024, 1, 2, 9, 30), None, dt.datetime(2024, 1, 4, 16)],
            "ts_ny": pl.Series([dt.datetime(2024, 1, 2, 14, 30)] * 3).dt.replace_time_zone(
                "America/New_York"
            ),
            "date": [dt.date(2024, 1, 2), dt.date(2024, 1, 3), None],
            "qty": pl.Series([1, None, 3], dtype=pl.Int32),
            "close": [1.5, float("nan"), None],
            "flag": [True, None, False],
            "tags": [["a"], [], None],
            "fill": [{"px": 1.0, "n": 2}, None, {"px": 3.0, "n": 4}],
            "cents": pl.Series([Decimal("1.10"), Decimal("2.25"), None], dtype=pl.Decimal(10, 2)),
            "hold": [dt.timedelta(days=1), None, dt.timedelta(minutes=5)],
        }
    )


def _pandas_rich() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "symbol": pd.Series(["AAA", None, "CCC"], dtype="str"),
            "sector": pd.Categorical(["Energy", "Utilities", "Energy"]),
            "rating": pd.Categorical(
                ["low", "high", "low"], categories=["low", "high"], ordered=True
            ),
            "ts": pd.to_datetime(["2024-01-02 09:30", None, "2024-01-04 16:00"]),
            "ts_utc": pd.to_datetime(["2024-01-02 14:30"] * 3).tz_localize("UTC"),
            "qty": pd.array([1, None, 3], dtype="Int64"),
            "close": [1.5, np.nan, 3.0],
            "flag": [True, False, True],
            "maybe": pd.array([True, None, False], dtype="boolean"),
        },
        index=pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-04"], name="session"),
    )


def test_polars_round_trip_keeps_every_dtype_and_null() -> None:
    df = _polars_rich()
    back = codec.decode_frame(codec.encode_frame(df))
    assert isinstance(back, pl.DataFrame)
    assert back.schema == df.schema
    assert_frame_equal(back, df)


def test_pandas_round_trip_keeps_dtypes_index_and_nulls() -> None:
    df = _pandas_rich()
    back = codec.decode_frame(codec.encode_frame(df))
    assert isinstance(back, pd.DataFrame)
    pd.testing.assert_frame_equal(back, df)
    assert back["sector"].dtype == df["sector"].dtype
    assert back["rating"].cat.ordered
    assert str(back["ts_utc"].dt.tz) == "UTC"


def test_big_repetitive_frame_is_compressed_and_dictionary_round_trips() -> None:
    n = 50_000
    rng = np.random.default_rng(1)
    symbols = np.array(["AAA", "BBB", "CCC", None], dtype=object)[rng.integers(0, 4, n)]
    df = pl.DataFrame(
        {
            "symbol": symbols,
            "note": [f"free text {i}" for i in range(n)],  # high cardinality: stays plain
            "close": np.round(rng.uniform(10, 20, n), 2),
        }
    )
    blob = codec.encode_frame(df)
    assert blob[6] & codec.FLAG_LZ4
    assert len(blob) < 0.75 * df.estimated_size()
    back = codec.decode_frame(blob)
    assert_frame_equal(back, df)  # String, not Categorical, with its nulls
    pdf = df.to_pandas()
    pd.testing.assert_frame_equal(codec.decode_frame(codec.encode_frame(pdf)), pdf)


def test_incompressible_frame_is_stored_raw() -> None:
    noise = np.random.default_rng(2).integers(0, 256, 200_000, dtype=np.uint8)
    df = pl.DataFrame({"noise": noise})
    blob = codec.encode_frame(df)
    assert not blob[6] & codec.FLAG_LZ4
    assert_frame_equal(codec.decode_frame(blob), df)


def test_small_frame_is_not_compressed() -> None:
    blob = codec.encode_frame(pl.DataFrame({"a": [1, 2, 3]}))
    assert blob[:4] == codec.MAGIC
    assert blob[6] == 0


def test_frame_converts_on_request() -> None:
    df = pl.DataFrame({"symbol": ["AAA", "BBB"], "close": [1.0, 2.0]})
    as_pandas = codec.decode_frame(codec.encode_frame(df), to="pandas")
    assert isinstance(as_pandas, pd.DataFrame)
    assert as_pandas["close"].tolist() == [1.0, 2.0]
    back = codec.decode_frame(codec.encode_frame(df.to_pandas()), to="polars")
    assert_frame_equal(back, df)


def test_unsupported_inputs_are_input_errors() -> None:
    with pytest.raises(InputError, match="polars or pandas DataFrame"):
        codec.encode_frame({"a": [1]})  # type: ignore[arg-type]
    mixed = pd.DataFrame({"a": pd.Series([1, "x"], dtype=object)})
    with pytest.raises(InputError, match="cannot be stored as Arrow"):
        codec.encode_frame(mixed)
    with pytest.raises(InputError, match="finite"):
        codec.encode_json({"x": float("nan")})
    with pytest.raises(InputError, match="isoformat"):
        codec.encode_json({"when": dt.date(2024, 1, 1)})


def test_json_and_quote_round_trip() -> None:
    value = {"universe": ["AAA", "BBB"], "n": 2, "ok": True, "none": None, "ünï": 1.5}
    assert codec.decode_json(codec.encode_json(value)) == value
    quote = Quote(symbol="AAA", price=10.25, ts=dt.datetime(2024, 1, 2, 15, 59, tzinfo=dt.UTC))
    assert codec.decode_quote(codec.encode_quote(quote)) == quote
    # A quote is JSON too: get_json reads it as a dict.
    assert codec.decode_json(codec.encode_quote(quote))["price"] == 10.25


def test_wrong_type_is_not_corruption() -> None:
    with pytest.raises(codec.WrongTypeError, match="get_dataframe"):
        codec.decode_frame(codec.encode_json([1]))
    with pytest.raises(codec.WrongTypeError):
        codec.decode_quote(codec.encode_json({"symbol": "A"}))


@pytest.mark.parametrize(
    ("blob", "reason"),
    [
        (b"", "shorter than the header"),
        (bytes(np.random.default_rng(3).integers(0, 256, 500, dtype=np.uint8)), "foreign"),
        (pickle.dumps({"a": 1}), "a pickle"),
        (b'{"symbol": "AAA"}', "foreign"),
        (b"\x93AXC\x09\x03\x00\x00payload", "format version 9"),
        (b"\x93AXC\x01\x07\x00\x00payload", "unknown payload type"),
        (b"\x93AXC\x01\x03\x00\x00not arrow at all", "unreadable Arrow"),
        (b"\x93AXC\x01\x01\x00\x00{not json", "unreadable JSON"),
        (b"\x93AXC\x01\x01\x00\x00\xff\xfe", "unreadable JSON"),
    ],
)
def test_garbage_is_a_corrupt_value(blob: bytes, reason: str) -> None:
    is_json = len(blob) > 5 and blob[5] in (1, 2)
    decode = codec.decode_json if is_json else codec.decode_frame
    with pytest.raises(codec.CorruptValueError, match=reason):
        decode(blob)


def test_truncated_ipc_payload_is_corrupt() -> None:
    df = pl.DataFrame({"x": np.arange(100_000), "s": ["a", "b"] * 50_000})
    blob = codec.encode_frame(df)
    for cut in (codec.HEADER_SIZE + 10, len(blob) // 2, len(blob) - 1):
        with pytest.raises(codec.CorruptValueError):
            codec.decode_frame(blob[:cut])


def test_stored_quote_failing_validation_is_corrupt() -> None:
    blob = codec._header(codec.PayloadType.QUOTE) + b'{"symbol":"A","price":-1,"ts":"x"}'
    with pytest.raises(codec.CorruptValueError, match="validation"):
        codec.decode_quote(blob)


class _Canary:
    """Unpickling this touches a file: the side effect the cache must never trigger."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[Path]]:
        return (Path.touch, (self.path,))


def test_malicious_pickle_is_a_miss_and_never_runs(tmp_path: Path, ttls: TTLPolicy) -> None:
    control = tmp_path / "control"
    pickle.loads(pickle.dumps(_Canary(control)))  # proves the payload is live
    assert control.exists()

    canary = tmp_path / "pwned"
    payload = pickle.dumps(_Canary(canary))
    c = MemoryCache(ttls=ttls)
    # Both a bare pickle and one smuggled behind our header.
    for key, blob in [
        ("bare", payload),
        ("smuggled", codec._header(codec.PayloadType.PANDAS) + payload),
        ("json", codec._header(codec.PayloadType.JSON) + payload),
    ]:
        c.store.set(c.key(key), blob, ttl=60)
        with pytest.warns(CacheWarning, match="unreadable"):
            got = c.get_dataframe_sync(key) if key != "json" else c.get_json_sync(key)
        assert got is None
        assert not c.exists_sync(key)
    assert not canary.exists()
