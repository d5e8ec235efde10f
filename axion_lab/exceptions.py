"""One exception tree for Axion Lab.

Every error the package raises on purpose is an :class:`AxionError`. Messages say
what was wrong and how to fix it; where a name was misspelt they suggest the
closest valid names. Lower-level errors are re-raised with ``from`` so the cause
stays visible.

::

    AxionError
    ├── ConfigError                  a setting or AXION_* variable is invalid
    ├── DataError                    data could not be produced or read
    │   ├── UnknownSymbolError       (also LookupError) a ticker the market does not have
    │   ├── DateRangeError           (also ValueError) a date or range outside the data
    │   ├── ProviderError            a data provider failed
    │   │   ├── UnknownProviderError (also LookupError) no provider of that name
    │   │   └── ServiceUnavailableError  a live service (TradingView, Redis...) is down
    │   ├── FileImportError          (also ValueError) a malformed user file: file, row, column
    │   └── DataQualityError         data failed a quality check that cannot be ignored
    ├── CacheError                   the cache could not be used
    ├── DatabaseError                the database could not be used
    │   └── MigrationError           a schema migration failed or is inconsistent
    ├── InputError                   (also ValueError) bad input to an engine or API
    │   ├── UnknownNameError         (also LookupError) no field, preset, parameter... of that name
    │   └── ExpressionError          a custom formula does not parse; carries the position
    ├── ReportError                  a notebook report could not be produced
    │   ├── UnknownReportError       (also LookupError) no curated notebook of that name
    │   ├── ReportParameterError     (also ValueError) unknown parameter or wrong type
    │   └── ReportExecutionError     the notebook raised while executing
    └── CopilotError                 the AI copilot could not complete a request

    DataQualityWarning (a UserWarning)  loaded data has quality findings worth a look

Examples
--------
>>> from axion_lab.exceptions import UnknownNameError, AxionError
>>> err = UnknownNameError.for_name("field", "pe_ratoi", ["pe_ratio", "roe", "price"])
>>> print(err)
Unknown field 'pe_ratoi'. Did you mean 'pe_ratio'?
>>> isinstance(err, AxionError) and isinstance(err, LookupError)
True
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Self

__all__ = [
    "AxionError",
    "CacheError",
    "ConfigError",
    "CopilotError",
    "DataError",
    "DataQualityError",
    "DataQualityWarning",
    "DatabaseError",
    "DateRangeError",
    "ExpressionError",
    "FileImportError",
    "InputError",
    "MigrationError",
    "ProviderError",
    "ReportError",
    "ReportExecutionError",
    "ReportParameterError",
    "ServiceUnavailableError",
    "UnknownNameError",
    "UnknownProviderError",
    "UnknownReportError",
    "UnknownSymbolError",
    "closest",
]


def closest(name: str, choices: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Return up to ``n`` choices closest to ``name``, case-insensitively.

    Examples
    --------
    >>> closest("technolgy", ["Technology", "Energy", "Utilities"])
    ['Technology']
    """
    pool = list(dict.fromkeys(str(c) for c in choices))
    by_lower: dict[str, str] = {}
    for c in pool:
        by_lower.setdefault(c.lower(), c)
    hits = difflib.get_close_matches(name.lower(), list(by_lower), n=n, cutoff=cutoff)
    return [by_lower[h] for h in hits]


def _did_you_mean(suggestions: list[str]) -> str:
    if not suggestions:
        return ""
    quoted = ", ".join(repr(s) for s in suggestions)
    return f" Did you mean {quoted}?"


class AxionError(Exception):
    """Base class of every error Axion Lab raises on purpose."""


class _UnknownMixin(AxionError):
    """Builds "Unknown <kind> 'x'. Did you mean ...?" messages."""

    def __init__(self, message: str, *, name: str = "", suggestions: list[str] | None = None):
        super().__init__(message)
        self.name = name
        self.suggestions = suggestions or []

    @classmethod
    def for_name(
        cls,
        kind: str,
        name: str,
        choices: Iterable[str],
        *,
        hint: str = "",
    ) -> Self:
        """Build the error for an unknown ``name`` of the given ``kind``.

        ``choices`` are the valid names; the closest ones are suggested.
        """
        pool = list(choices)
        suggestions = closest(str(name), pool)
        message = f"Unknown {kind} {name!r}.{_did_you_mean(suggestions)}"
        if not suggestions and 0 < len(pool) <= 12:
            message += " Valid choices: " + ", ".join(repr(c) for c in pool) + "."
        if hint:
            message += f" {hint}"
        return cls(message, name=str(name), suggestions=suggestions)

    def __str__(self) -> str:
        # LookupError/KeyError would repr() the message; keep it readable.
        return str(self.args[0]) if self.args else ""


class ConfigError(AxionError, ValueError):
    """A setting, ``AXION_*`` variable or config file value is invalid."""


class DataError(AxionError):
    """Data could not be produced, read or validated."""


class UnknownSymbolError(_UnknownMixin, DataError, LookupError):
    """A ticker symbol the market does not have."""


class DateRangeError(DataError, ValueError):
    """A date or date range that is malformed or outside the available data."""


class ProviderError(DataError):
    """A data provider failed to deliver."""


class UnknownProviderError(_UnknownMixin, ProviderError, LookupError):
    """No data provider is registered under that name."""


class ServiceUnavailableError(ProviderError):
    """A live outside service (TradingView, Redis, PostgreSQL, Anthropic...) is unreachable."""


class FileImportError(DataError, ValueError):
    """A user's CSV or Parquet file is malformed.

    Carries ``path``, ``row`` (1-based, counting the header as row 1 where known)
    and ``column`` so the message can point at the offending cell.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        where = []
        if path is not None:
            where.append(str(path))
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        full = f"{', '.join(where)}: {message}" if where else message
        super().__init__(full)
        self.path = path
        self.row = row
        self.column = column


class DataQualityError(DataError):
    """Data failed a quality check that cannot be ignored."""


class DataQualityWarning(UserWarning):
    """Loaded data has quality warnings or errors; the report says which and where.

    Not an :class:`AxionError`: a warning, raised by ``warnings.warn``, so it can be
    filtered with ``warnings.simplefilter("ignore", DataQualityWarning)``.
    """


class CacheError(AxionError):
    """The cache could not be used."""


class DatabaseError(AxionError):
    """The database could not be used."""


class MigrationError(DatabaseError):
    """A schema migration failed or the schema is inconsistent."""


class InputError(AxionError, ValueError):
    """Bad input to an engine or a public function."""


class UnknownNameError(_UnknownMixin, InputError, LookupError):
    """A field, preset, parameter or other named thing that does not exist."""


class ExpressionError(InputError):
    """A custom formula that does not parse or type-check.

    ``position`` is the 0-based character offset of the problem in ``expression``.
    ``message`` is the explanation without the caret drawing and ``suggestions`` the
    close names offered, so a live-validation panel can show them on its own.
    """

    def __init__(
        self,
        message: str,
        *,
        expression: str = "",
        position: int | None = None,
        suggestions: list[str] | None = None,
    ):
        text = message
        if expression and position is not None:
            caret = " " * position + "^"
            text = f"{message}\n  {expression}\n  {caret}"
        super().__init__(text)
        self.message = message
        self.expression = expression
        self.position = position
        self.suggestions = suggestions or []


class ReportError(AxionError):
    """A notebook report could not be produced."""


class UnknownReportError(_UnknownMixin, ReportError, LookupError):
    """No curated notebook of that name."""


class ReportParameterError(ReportError, ValueError):
    """A report parameter is unknown or of the wrong type."""


class ReportExecutionError(ReportError):
    """A notebook raised while it was being executed."""


class CopilotError(AxionError):
    """The AI copilot could not complete a request."""
