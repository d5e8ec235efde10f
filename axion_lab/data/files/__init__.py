"""Import a user's own CSV or Parquet files into canonical frames and a ``Market``.

One function per kind returns an :class:`ImportResult` (the frame, notes on what was
cleaned, quality findings); :func:`import_files` builds a whole market and is what
``load_market("files", prices=...)`` calls.

Examples
--------
>>> import pathlib, tempfile
>>> from axion_lab.data.files import read_prices
>>> path = pathlib.Path(tempfile.mkdtemp()) / "acme.csv"
>>> _ = path.write_text("Date,Close,Volume\\n01/16/2024,\\"1,210.50\\",100\\n"
...                     "01/12/2024,\\"1,200.00\\",90\\n")
>>> result = read_prices(path, symbol="acme")
>>> result.frame.select("symbol", "close").rows()
[('ACME', 1200.0), ('ACME', 1210.5)]
>>> print("\\n".join(result.notes))  # doctest: +NORMALIZE_WHITESPACE
Mapped columns: 'Date' -> ts, 'Close' -> close, 'Volume' -> volume.
'Date': read dates as US month/day/year.
'Close': removed thousands separators.
No open, high, low column(s); left empty (null).
Sorted rows by symbol, ts (the file was not in that order).
"""

from __future__ import annotations

from axion_lab.data.files._readers import (
    import_files,
    read_dividends,
    read_fundamentals,
    read_instruments,
    read_prices,
)
from axion_lab.data.files._result import FilesImport, ImportResult
from axion_lab.data.files._spec import KINDS, RATIO_COLUMNS
from axion_lab.data.files._values import MISSING_TOKENS

__all__ = [
    "KINDS",
    "MISSING_TOKENS",
    "RATIO_COLUMNS",
    "FilesImport",
    "ImportResult",
    "import_files",
    "read_dividends",
    "read_fundamentals",
    "read_instruments",
    "read_prices",
]
