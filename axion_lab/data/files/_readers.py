"""Public readers: one per kind of file, and :func:`import_files` for a whole market."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import polars as pl

from axion_lab.data.files._import import import_file, warn_quality
from axion_lab.data.files._result import FilesImport, ImportResult
from axion_lab.data.files._spec import KINDS, normalise_header
from axion_lab.data.market import Market
from axion_lab.data.schema import SCHEMAS
from axion_lab.exceptions import FileImportError, InputError

__all__ = [
    "import_files",
    "read_dividends",
    "read_fundamentals",
    "read_instruments",
    "read_prices",
]

PathLike = str | Path
Source = PathLike | ImportResult


def read_prices(
    path: PathLike,
    *,
    columns: Mapping[str, str] | None = None,
    symbol: str | None = None,
    date_format: str | None = None,
    warn: bool = True,
) -> ImportResult:
    """Read daily prices from CSV or Parquet into canonical ``bars``.

    Needs a date and a close column and, unless ``symbol`` is given, a ticker
    column. Headers are matched case- and space-insensitively (Date, Datetime,
    Timestamp -> ``ts``; Ticker, Symbol -> ``symbol``; Open, High, Low, Close,
    Volume); ``Adj Close`` is ignored unless mapped with ``columns={"Adj Close":
    "close"}``. Other columns are kept as extras.

    Parameters
    ----------
    path
        A ``.csv``/``.tsv``/``.txt`` or ``.parquet``/``.pq`` file.
    columns
        Your column name -> canonical name, for headers the aliases do not catch.
    symbol
        The ticker of a single-symbol file that has no ticker column.
    date_format
        A strftime format (``"%d/%m/%Y"``) to settle ambiguous dates.
    warn
        Emit one :class:`~axion_lab.exceptions.DataQualityWarning` when the quality
        checks find warnings or errors.

    Returns
    -------
    ImportResult
        ``.frame`` (canonical bars), ``.notes`` (what was cleaned) and ``.quality``.

    Raises
    ------
    FileImportError
        Naming the file, and where it applies the row (1-based, header = row 1)
        and column, with the bad value.
    """
    return import_file(
        path, "prices", columns=columns, symbol=symbol, date_format=date_format, warn=warn
    )


def read_fundamentals(
    path: PathLike,
    *,
    columns: Mapping[str, str] | None = None,
    symbol: str | None = None,
    date_format: str | None = None,
    publication_lag: int | None = None,
    warn: bool = True,
) -> ImportResult:
    """Read quarterly statements into canonical ``fundamentals``.

    Needs ``period_end`` and a publication date (``published``, ``filed``, ``report
    date``...), or ``publication_lag`` days to assume one. Missing fiscal year and
    quarter are derived from ``period_end`` (calendar quarters). Other options as
    in :func:`read_prices`.
    """
    return import_file(
        path,
        "fundamentals",
        columns=columns,
        symbol=symbol,
        date_format=date_format,
        publication_lag=publication_lag,
        warn=warn,
    )


def read_dividends(
    path: PathLike,
    *,
    columns: Mapping[str, str] | None = None,
    symbol: str | None = None,
    date_format: str | None = None,
    warn: bool = True,
) -> ImportResult:
    """Read cash dividends per share into canonical ``dividends``.

    Needs ``ex_date`` and ``amount``. Without declaration dates the ex-date is used
    (never a look-ahead); ``kind`` defaults to ``"regular"``; ``frequency`` is
    inferred from the median spacing of ex-dates. Other options as in
    :func:`read_prices`.
    """
    return import_file(
        path, "dividends", columns=columns, symbol=symbol, date_format=date_format, warn=warn
    )


def read_instruments(
    path: PathLike,
    *,
    columns: Mapping[str, str] | None = None,
    date_format: str | None = None,
) -> ImportResult:
    """Read an instrument list (symbol, name, sector, ...) into canonical ``instruments``.

    ``indexes`` cells list index names separated by ``;`` or ``|``.
    """
    return import_file(path, "instruments", columns=columns, date_format=date_format, warn=False)


def import_files(
    prices: Source,
    fundamentals: Source | None = None,
    dividends: Source | None = None,
    instruments: Source | None = None,
    *,
    columns: Mapping[str, str] | Mapping[str, Mapping[str, str]] | None = None,
    symbol: str | None = None,
    date_format: str | None = None,
    publication_lag: int | None = None,
    warn: bool = True,
) -> FilesImport:
    """Import several files into one :class:`~axion_lab.data.Market`.

    Each source is a path or an :class:`ImportResult` you already read (to give
    one file its own options). ``columns`` is either one mapping shared by every
    file (a key need only be in one of them) or one mapping per kind, e.g.
    ``{"prices": {"Datum": "ts"}}``. Instruments not listed (or all of them, with
    no instruments file) are inferred from the symbols, other columns null. One
    :class:`~axion_lab.exceptions.DataQualityWarning` sums up the findings.
    """
    per_kind = bool(columns) and set(columns or {}) <= set(KINDS)
    sources = {
        "prices": prices,
        "fundamentals": fundamentals,
        "dividends": dividends,
        "instruments": instruments,
    }
    results: dict[str, ImportResult] = {}
    for kind, source in sources.items():
        if source is None:
            continue
        if isinstance(source, ImportResult):
            if source.kind != kind:
                raise InputError(
                    f"{kind}= got an ImportResult of {source.kind}; pass a {kind} file or result."
                )
            results[kind] = source
            continue
        results[kind] = import_file(
            source,
            kind,
            columns=_mapping_for(kind, columns, per_kind=per_kind),
            symbol=symbol if kind != "instruments" else None,
            date_format=date_format,
            publication_lag=publication_lag if kind == "fundamentals" else None,
            warn=False,
            lenient_columns=not per_kind,
        )
    if columns and not per_kind:
        _check_shared_mapping(list(columns), results)
    frames = {KINDS[kind].frame: result.frame for kind, result in results.items()}
    notes: list[str] = []
    frames["instruments"] = _instruments(frames, notes)
    names = ", ".join(Path(r.path).name for r in results.values())
    market = Market.from_frames(
        frames, provider="files", description=f"Files: {names}", is_synthetic=False
    )
    imported = FilesImport(market=market, results=results, notes=tuple(notes))
    if warn:
        warn_quality(imported.quality, source=f"Files ({names})", stacklevel=3)
    return imported


def _mapping_for(
    kind: str,
    columns: Mapping[str, str] | Mapping[str, Mapping[str, str]] | None,
    *,
    per_kind: bool,
) -> Mapping[str, str] | None:
    if not columns:
        return None
    if per_kind:
        value = columns.get(kind)
        if value is not None and not isinstance(value, Mapping):
            raise InputError(f"columns[{kind!r}] must be a mapping of column names.")
        return value
    flat: dict[str, str] = {}
    for src, dst in columns.items():
        if not isinstance(dst, str):
            raise InputError(
                f"columns= maps {src!r} to {dst!r}; use column names, or one mapping per "
                f"kind keyed by {sorted(KINDS)}."
            )
        flat[src] = dst
    return flat


def _check_shared_mapping(columns: list[str], results: dict[str, ImportResult]) -> None:
    used = {normalise_header(src) for r in results.values() for src in r.columns}
    unused = [k for k in columns if normalise_header(k) not in used]
    if unused:
        raise FileImportError(
            f"columns= maps {unused}, found in none of the files "
            f"({', '.join(r.path for r in results.values())})."
        )


def _instruments(frames: dict[str, pl.DataFrame], notes: list[str]) -> pl.DataFrame:
    schema = SCHEMAS["instruments"]
    given = frames.get("instruments", pl.DataFrame(schema=schema))
    symbols = set()
    for name, frame in frames.items():
        if name != "instruments" and "symbol" in frame.columns:
            symbols |= set(frame["symbol"].drop_nulls().to_list())
    missing = sorted(symbols - set(given["symbol"].to_list()))
    if not missing:
        return given
    inferred = (
        pl.DataFrame({"symbol": missing})
        .with_columns(
            *(pl.lit(None, dtype=dt).alias(c) for c, dt in schema.items() if c != "symbol")
        )
        # A user's price file is, by default, stocks: assume "equity" (and say so) so the
        # market's equity universe is not empty. An instruments file overrides this.
        .with_columns(
            pl.lit(False).alias("is_fictional"),
            pl.lit("equity").alias("asset_class"),
            pl.lit([], dtype=pl.List(pl.String)).alias("indexes"),
        )
    )
    notes.append(
        f"Inferred {len(missing)} instrument(s) from the data (symbol only, assumed "
        "asset class 'equity'; pass instruments= to set it): "
        f"{', '.join(missing[:10])}{' ...' if len(missing) > 10 else ''}."
    )
    return pl.concat([given, inferred.select(given.columns)], how="diagonal_relaxed")
