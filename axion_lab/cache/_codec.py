"""Wire format of cached values: an 8-byte header, then Arrow IPC or JSON. Never pickle.

Layout (all values, both backends)::

    offset  size  field
    0       4     magic  b"\\x93AXC"  (0x93 is neither JSON's first byte nor pickle's 0x80)
    4       1     format version (1)
    5       1     payload type: 1 JSON, 2 quote (JSON), 3 polars frame, 4 pandas frame
    6       1     flags: bit 0 set when Arrow buffers are LZ4-compressed
    7       1     reserved (0)
    8       ...   payload: UTF-8 JSON, or one Arrow IPC stream

Frames are written as an Arrow IPC *stream* whose buffers are LZ4-frame compressed
when the frame is big enough for that to pay (``COMPRESS_MIN_BYTES``) and the
compressed stream is really smaller (``COMPRESS_MAX_RATIO``); otherwise raw. The
payload type records whether a polars or a pandas frame went in, so the same kind
comes back. pandas dtypes (categoricals, ``str``, nullable integers, tz-aware
datetimes, the index) survive through the pandas metadata pyarrow stores in the
schema; polars dtypes (``Categorical``, ``Enum``) through polars' field metadata.

Decoding never executes stored code: Arrow IPC and JSON are data formats, and
pyarrow >= 14 no longer unpickles ``arrow.py_extension_type`` payloads. Anything
that does not parse raises :class:`CorruptValueError`, which the cache turns into a
miss plus a :class:`~axion_lab.cache.CacheWarning`.

Examples
--------
>>> import polars as pl
>>> df = pl.DataFrame({"symbol": ["AAA", "BBB"], "close": [10.5, 20.25]})
>>> blob = encode_frame(df)
>>> blob[:4], blob[5]
(b'\\x93AXC', 3)
>>> decode_frame(blob).equals(df)
True
>>> decode_json(encode_json({"a": [1, 2]}))
{'a': [1, 2]}
"""

from __future__ import annotations

import json
import struct
import sys
from typing import TYPE_CHECKING, Any, Final, Literal

import polars as pl
from pydantic import ValidationError

from axion_lab.cache._models import Quote
from axion_lab.exceptions import CacheError, InputError

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "COMPRESS_MAX_RATIO",
    "COMPRESS_MIN_BYTES",
    "CorruptValueError",
    "FrameType",
    "PayloadType",
    "WrongTypeError",
    "decode_frame",
    "decode_json",
    "decode_quote",
    "encode_frame",
    "encode_json",
    "encode_quote",
    "payload_type",
]

MAGIC: Final = b"\x93AXC"
VERSION: Final = 1
_HEADER: Final = struct.Struct("<4sBBBB")
HEADER_SIZE: Final = _HEADER.size

FLAG_LZ4: Final = 0x01

COMPRESS_MIN_BYTES: Final = 64 * 1024
"""Frames smaller than this are stored raw: LZ4 would save bytes nobody notices."""

COMPRESS_MAX_RATIO: Final = 0.9
"""Keep the compressed stream only if it is at most this fraction of the raw size."""

DICT_MIN_ROWS: Final = 4096
DICT_SAMPLE_ROWS: Final = 8192
DICT_MAX_DISTINCT_SHARE: Final = 0.25
"""String columns whose sample has at most this share of distinct values travel as
dictionaries (and come back as plain strings)."""

_DICT_KEY: Final = b"axion.cache.dictionary_encoded"


class PayloadType:
    """Payload type codes of the header (byte 5)."""

    JSON: Final = 1
    QUOTE: Final = 2
    POLARS: Final = 3
    PANDAS: Final = 4


FrameType = Literal["polars", "pandas"]

_NAMES: Final = {1: "JSON", 2: "quote", 3: "polars frame", 4: "pandas frame"}


class CorruptValueError(CacheError):
    """A stored value is corrupt, truncated or was not written by this cache."""


class WrongTypeError(CacheError):
    """A valid value of another type (e.g. JSON read with ``get_dataframe``)."""


def _header(ptype: int, flags: int = 0) -> bytes:
    return _HEADER.pack(MAGIC, VERSION, ptype, flags, 0)


def payload_type(data: bytes) -> int:
    """Check the header of ``data`` and return its payload type code."""
    if len(data) < HEADER_SIZE:
        raise CorruptValueError(f"value is {len(data)} bytes, shorter than the header")
    magic, version, ptype, _flags, _reserved = _HEADER.unpack_from(data)
    if magic != MAGIC:
        what = "a pickle" if data[:1] == b"\x80" else "not written by axion_lab.cache"
        raise CorruptValueError(f"foreign value ({what}; header {bytes(data[:4])!r})")
    if version != VERSION:
        raise CorruptValueError(f"format version {version}; this release reads {VERSION}")
    if ptype not in _NAMES:
        raise CorruptValueError(f"unknown payload type {ptype}")
    return int(ptype)


def _expect(data: bytes, wanted: tuple[int, ...], method: str) -> int:
    ptype = payload_type(data)
    if ptype not in wanted:
        raise WrongTypeError(
            f"the value is a {_NAMES[ptype]}, which {method} does not read; "
            "use the matching get_* method"
        )
    return ptype


# --- frames ----------------------------------------------------------------------------


def _is_pandas(df: object) -> bool:
    # pandas is only ever in play if the caller imported it: don't import it to check.
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(df, pd.DataFrame)


def _to_arrow(df: pl.DataFrame | pd.DataFrame) -> tuple[pa.Table, int]:
    import pyarrow as pa

    if isinstance(df, pl.DataFrame):
        return df.to_arrow(), PayloadType.POLARS
    if _is_pandas(df):
        try:
            return pa.Table.from_pandas(df), PayloadType.PANDAS
        except (pa.ArrowException, ValueError, TypeError) as exc:
            raise InputError(
                f"This pandas DataFrame cannot be stored as Arrow ({exc}). Give object "
                "columns one type each (e.g. df[col].astype('str')) and column names "
                "that are unique."
            ) from exc
    raise InputError(
        f"set_dataframe takes a polars or pandas DataFrame, not {type(df).__name__}. "
        "Store other values with set_json."
    )


def _dictionary_encode(table: pa.Table) -> pa.Table:
    """Dictionary-encode repetitive string columns for the trip; see :func:`_restore`.

    A bars frame repeats each symbol thousands of times: as a dictionary the column
    shrinks from 12 bytes a row to 4 (which LZ4 then nearly erases), and both the
    compressor and Redis move fewer bytes. The original types go in the schema
    metadata so the reader puts them back exactly.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if table.num_rows < DICT_MIN_ROWS:
        return table
    encoded: dict[str, str] = {}
    for i, field in enumerate(table.schema):
        if not (pa.types.is_string(field.type) or pa.types.is_large_string(field.type)):
            continue
        column = table.column(i)
        # A sample is enough to tell a symbol column from free text.
        sample = column.slice(0, DICT_SAMPLE_ROWS)
        if pc.count_distinct(sample).as_py() > DICT_MAX_DISTINCT_SHARE * len(sample):
            continue
        dictionary = column.dictionary_encode()
        table = table.set_column(i, field.with_type(dictionary.type), dictionary)
        encoded[field.name] = str(field.type)
    if not encoded:
        return table
    metadata = dict(table.schema.metadata or {})
    metadata[_DICT_KEY] = json.dumps(encoded).encode()
    return table.replace_schema_metadata(metadata)


def _restore(table: pa.Table) -> pa.Table:
    import pyarrow as pa

    metadata = dict(table.schema.metadata or {})
    raw = metadata.pop(_DICT_KEY, None)
    if raw is None:
        return table
    encoded = json.loads(raw)
    if not isinstance(encoded, dict):
        raise ValueError("bad dictionary metadata")
    types = {"string": pa.string(), "large_string": pa.large_string()}
    for name, type_name in encoded.items():
        i = table.schema.get_field_index(name)
        if i < 0 or type_name not in types:
            raise ValueError(f"bad dictionary metadata for column {name!r}")
        field = table.schema.field(i).with_type(types[type_name])
        table = table.set_column(i, field, table.column(i).cast(types[type_name]))
    return table.replace_schema_metadata(metadata)


def _write_ipc(table: pa.Table, ptype: int, compression: str | None) -> bytes:
    import pyarrow as pa
    from pyarrow import ipc

    flags = FLAG_LZ4 if compression == "lz4" else 0
    sink = pa.BufferOutputStream()
    # Header and stream share one buffer: a frame's bytes are copied once, not twice.
    sink.write(_header(ptype, flags))
    options = ipc.IpcWriteOptions(compression=compression, use_threads=True)
    with ipc.new_stream(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()  # type: ignore[no-any-return]


def encode_frame(df: pl.DataFrame | pd.DataFrame) -> bytes:
    """Encode a polars or pandas frame as header + (LZ4-compressed) Arrow IPC stream."""
    table, ptype = _to_arrow(df)
    table = _dictionary_encode(table)
    raw_size = table.nbytes
    if raw_size >= COMPRESS_MIN_BYTES:
        packed = _write_ipc(table, ptype, "lz4")
        if len(packed) <= COMPRESS_MAX_RATIO * raw_size:
            return packed
    return _write_ipc(table, ptype, None)


def decode_frame(data: bytes, to: FrameType | None = None) -> pl.DataFrame | pd.DataFrame:
    """Decode :func:`encode_frame` output as the kind of frame that went in (or ``to``)."""
    import pyarrow as pa
    from pyarrow import ipc

    ptype = _expect(data, (PayloadType.POLARS, PayloadType.PANDAS), "get_dataframe")
    body = memoryview(data)[HEADER_SIZE:]
    try:
        table = _restore(ipc.open_stream(pa.py_buffer(body)).read_all())
        want_pandas = to == "pandas" if to is not None else ptype == PayloadType.PANDAS
        if want_pandas:
            result: pd.DataFrame = table.to_pandas()
            return result
        frame = pl.from_arrow(table, rechunk=False)
    except (
        pa.ArrowException,
        pl.exceptions.PolarsError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        OSError,
    ) as exc:
        # pandas rebuilds its dtypes and index from JSON in the schema metadata: a
        # tampered blob can fail there with any of these, not only in Arrow.
        raise CorruptValueError(f"unreadable Arrow IPC payload ({exc})") from exc
    if not isinstance(frame, pl.DataFrame):  # pragma: no cover - a Table gives a frame
        raise CorruptValueError("Arrow payload did not decode to a table")
    return frame


# --- JSON and quotes -------------------------------------------------------------------


def encode_json(value: Any) -> bytes:
    """Encode a JSON-serialisable value (strict JSON: no NaN or infinity)."""
    try:
        text = json.dumps(value, separators=(",", ":"), allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"set_json takes plain JSON values (dict, list, str, int, float, bool, None) "
            f"with finite numbers ({exc}). Convert dates with .isoformat(), NaN to None, "
            "and frames with set_dataframe."
        ) from exc
    return _header(PayloadType.JSON) + text.encode()


def _load_json(data: bytes) -> Any:
    try:
        return json.loads(bytes(memoryview(data)[HEADER_SIZE:]).decode())
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CorruptValueError(f"unreadable JSON payload ({exc})") from exc


def decode_json(data: bytes) -> Any:
    """Decode :func:`encode_json` (or :func:`encode_quote`) output."""
    _expect(data, (PayloadType.JSON, PayloadType.QUOTE), "get_json")
    return _load_json(data)


def encode_quote(quote: Quote) -> bytes:
    """Encode a validated :class:`Quote` as JSON."""
    return _header(PayloadType.QUOTE) + quote.model_dump_json(exclude_none=True).encode()


def decode_quote(data: bytes) -> Quote:
    """Decode and re-validate a quote."""
    _expect(data, (PayloadType.QUOTE,), "get_quote")
    try:
        return Quote.model_validate(_load_json(data))
    except ValidationError as exc:
        raise CorruptValueError(f"stored quote fails validation ({exc})") from exc
