"""Filter rows of the screen builder: one condition each, widgets that fit the field.

A :class:`FilterRow` picks a field by category, an operator valid for the field's
dtype (:func:`~axion_lab.screener.operators_for_dtype` through the filter registry)
and shows only the value widgets that operator needs: a number with its unit, two
bounds, a count and a ranking scope, another field to compare with, text with the
values the market has, tags for a list, a date, true/false. Percent-like fields are
typed in percent; :mod:`~axion_lab.panels.screen_inputs` converts them.

A :class:`FixedRow` holds a node the rows cannot edit (an OR group, a formula):
it is shown in words, kept in its place, and can be removed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from axion_lab.exceptions import InputError
from axion_lab.fields import FIELD_REGISTRY
from axion_lab.panels.screen_inputs import shows_percent, to_display, to_engine
from axion_lab.screener import FILTER_REGISTRY, FilterCondition, FilterNode, Operator
from axion_lab.screener.config import RANK_OPS, REF_OPS, SCOPES, VALUELESS_OPS, Scope

if TYPE_CHECKING:
    import ipywidgets as w

__all__ = ["FilterRow", "FixedRow", "field_label"]

Choices = Callable[[str], list[str]]
_RANGE: Final = frozenset({Operator.BETWEEN, Operator.NOT_BETWEEN})
_MEMBER: Final = frozenset({Operator.IN, Operator.NOT_IN})
_COUNT: Final = frozenset({Operator.TOP_N, Operator.BOTTOM_N})
_PCT: Final = frozenset({Operator.PCT_ABOVE, Operator.PCT_BELOW})
_UNIT_HINT: Final = {
    "percent": "(0-100)",
    "price": "$ / share",
    "money": "$",
    "ratio": "x",
    "days": "days",
    "years": "years",
    "shares": "shares",
}
_DEFAULT_REF: Final = "sma_200"
_NUMERIC: Final = tuple((f"{f.label} ({f.id})", f.id) for f in FIELD_REGISTRY if f.is_numeric)


def field_label(fid: str) -> str:
    """How a field reads in the pickers: ``P/E (pe_ratio)``."""
    f = FIELD_REGISTRY.get(fid)
    return f"{f.label} ({f.id})"


def _category_label(name: str) -> str:
    return name.replace("_", " ").capitalize()


class FilterRow:
    """One editable condition. ``node()`` reads it; ``set_condition()`` writes it.

    Widgets: ``category``, ``field``, ``op``, then the value widgets (only those the
    operator needs are shown, in ``values``): ``value`` and ``value_hi`` (numbers, in
    percent for fraction fields), ``ref`` (another field; blank compares with the
    value), ``count`` (top/bottom N), ``within`` (ranking scope), ``numbers`` (a
    comma-separated list), ``text``, ``tags``, ``flag``, ``date``, ``date_hi``; and
    ``remove_button``.
    """

    def __init__(
        self,
        field: str,
        *,
        choices: Choices,
        on_remove: Callable[[FilterRow | FixedRow], None],
    ) -> None:
        import ipywidgets as w

        self._choices = choices
        narrow = w.Layout(width="110px")
        groups = FIELD_REGISTRY.by_category()
        self.category = w.Dropdown(
            options=[(_category_label(str(c)), str(c)) for c in groups],
            layout=w.Layout(width="140px"),
        )
        self.field = w.Dropdown(layout=w.Layout(width="260px"))
        self.op = w.Dropdown(layout=w.Layout(width="130px"))
        self.ref = w.Dropdown(options=[("a value", ""), *_NUMERIC], layout=w.Layout(width="220px"))
        self.value = w.FloatText(value=0.0, layout=narrow)
        self.value_hi = w.FloatText(value=0.0, layout=narrow)
        self.count = w.BoundedIntText(value=10, min=1, max=1_000_000, layout=narrow)
        self.within = w.Dropdown(options=list(SCOPES), value="universe", layout=narrow)
        self.numbers = w.Text(placeholder="1, 2.5, 10", layout=w.Layout(width="200px"))
        self.text = w.Combobox(layout=w.Layout(width="220px"))
        self.tags = w.TagsInput(layout=w.Layout(width="320px"))
        self.flag = w.Dropdown(options=[("true", True), ("false", False)], layout=narrow)
        self.date = w.DatePicker(layout=w.Layout(width="150px"))
        self.date_hi = w.DatePicker(layout=w.Layout(width="150px"))
        self.unit = w.Label()
        self.remove_button = w.Button(icon="trash", tooltip="Remove this filter")
        self.remove_button.layout.width = "40px"
        self.remove_button.on_click(lambda _: on_remove(self))
        self.values = w.HBox()
        self.widget = w.HBox([self.category, self.field, self.op, self.values, self.remove_button])
        # Fill the pickers once by hand: observers fire on changes only, and the first
        # category (or field) may already be the one asked for.
        self._on_category({"new": self.category.value})
        self.category.observe(self._on_category, names="value")
        self.field.observe(self._on_field, names="value")
        self.op.observe(self._on_op, names="value")
        self.ref.observe(lambda _: self._layout(), names="value")
        self._on_field({"new": self.field.value})
        self.set_field(field)
        self.op.value = self.op.options[0][1]

    # --- state --------------------------------------------------------------------
    @property
    def field_id(self) -> str:
        """The chosen field id."""
        return str(self.field.value)

    @property
    def operator(self) -> Operator:
        """The chosen operator."""
        return Operator(self.op.value)

    def set_field(self, name: str) -> None:
        """Pick a field by id or alias (its category first)."""
        f = FIELD_REGISTRY.get(name)
        self.category.value = str(f.category)
        self.field.value = f.id

    def _on_category(self, change: dict[str, Any]) -> None:
        fields = FIELD_REGISTRY.by_category()
        chosen = next(c for c in fields if str(c) == change["new"])
        self.field.options = [(f"{f.label} ({f.id})", f.id) for f in fields[chosen]]
        # ipywidgets picks the first option only if a value was set before.
        self.field.value = fields[chosen][0].id

    def _on_field(self, change: dict[str, Any]) -> None:
        if change["new"] is None:
            return
        spec = FILTER_REGISTRY.get(change["new"])
        before = self.op.value
        valid = [o.value for o in spec.operators]
        self.op.options = [(o.symbol, o.value) for o in spec.operators]
        self.op.value = before if before in valid else valid[0]
        if spec.dtype in ("str", "list[str]"):
            options = self._choices(spec.field)
            self.text.options = tuple(options)
            self.tags.allowed_tags = list(options)
            self.text.value, self.tags.value = "", []
        self._layout()

    def _on_op(self, change: dict[str, Any]) -> None:
        if change["new"] is not None and Operator(change["new"]) in _PCT and not self.ref.value:
            # A percent margin means nothing without a level to measure it from.
            self.ref.value = _DEFAULT_REF
        self._layout()

    def _shown(self) -> list[w.Widget]:
        """The value widgets the field's dtype and the operator need, in reading order."""
        spec = FILTER_REGISTRY.get(self.field_id)
        op = self.operator
        self.unit.value = "%" if shows_percent(spec.unit, op) else _UNIT_HINT.get(spec.unit, "")
        if op in VALUELESS_OPS:
            return []
        if op in _COUNT:
            return [self.count, self.within]
        if op in RANK_OPS:
            self.unit.value = "percentile (0-100)"
            return [self.value, self.unit, self.within]
        if op in _PCT:
            return [self.value, self.unit, self.ref]
        if spec.dtype in ("float", "int"):
            if op in _RANGE:
                return [self.value, self.value_hi, self.unit]
            if op in _MEMBER:
                return [self.numbers, self.unit]
            if op in REF_OPS and self.ref.value:
                return [self.ref]
            return [self.ref, self.value, self.unit]
        if spec.dtype == "date":
            return [self.date, self.date_hi] if op in _RANGE else [self.date]
        if spec.dtype == "bool":
            return [self.flag]
        if spec.dtype == "list[str]" or op in _MEMBER:
            return [self.tags]
        return [self.text]

    def _layout(self) -> None:
        if self.field.value is None or self.op.value is None:
            return
        self.values.children = tuple(self._shown())

    # --- read and write ---------------------------------------------------------------
    def node(self) -> FilterCondition:
        """The condition the row shows, in the engine's units.

        Raises
        ------
        InputError
            A list of numbers that does not parse.
        """
        spec = FILTER_REGISTRY.get(self.field_id)
        op, unit = self.operator, spec.unit
        shown = self._shown()
        ref = self.ref.value if self.ref in shown and self.ref.value else None
        within: Scope = self.within.value if self.within in shown else "universe"
        value: Any = None
        if ref is not None and op in REF_OPS - _PCT:
            value = None
        elif self.count in shown:
            value = int(self.count.value)
        elif self.value_hi in shown:
            value = (
                to_engine(self.value.value, unit, op),
                to_engine(self.value_hi.value, unit, op),
            )
        elif self.value in shown:
            value = to_engine(self.value.value, unit, op)
        elif self.numbers in shown:
            value = tuple(to_engine(x, unit, op) for x in self._parse_numbers())
        elif self.date_hi in shown:
            value = (self.date.value, self.date_hi.value)
        elif self.date in shown:
            value = self.date.value
        elif self.flag in shown:
            value = bool(self.flag.value)
        elif self.tags in shown:
            value = tuple(self.tags.value)
        elif self.text in shown:
            value = self.text.value
        return FilterCondition(spec.field, op, value, ref=ref, within=within)

    def _parse_numbers(self) -> list[float]:
        out = []
        for part in self.numbers.value.split(","):
            if not part.strip():
                continue
            try:
                out.append(float(part.strip().replace("_", "")))
            except ValueError:
                raise InputError(
                    f"{self.field_id} {self.operator.value}: {part.strip()!r} is not a number; "
                    "list numbers separated by commas, e.g. 1, 2.5, 10."
                ) from None
        return out

    def set_condition(self, cond: FilterCondition) -> None:
        """Show ``cond`` (validated first, so aliases and field-name values resolve)."""
        cond = FILTER_REGISTRY.validate(cond)
        self.set_field(cond.field)
        self.ref.value = cond.ref or ""
        self.op.value = cond.op.value
        self.ref.value = cond.ref or ""  # after the operator, which may default it
        self.within.value = cond.within
        op, unit, v = cond.op, FILTER_REGISTRY.get(cond.field).unit, cond.value
        shown = self._shown()
        if v is None or op in VALUELESS_OPS:
            return
        if self.count in shown:
            self.count.value = int(v)
        elif self.value_hi in shown:
            self.value.value = to_display(v[0], unit, op)
            self.value_hi.value = to_display(v[1], unit, op)
        elif self.value in shown:
            self.value.value = to_display(v, unit, op)
        elif self.numbers in shown:
            self.numbers.value = ", ".join(f"{to_display(x, unit, op):g}" for x in v)
        elif self.date_hi in shown:
            self.date.value, self.date_hi.value = v
        elif self.date in shown:
            self.date.value = v
        elif self.flag in shown:
            self.flag.value = bool(v)
        elif self.tags in shown:
            tags = list(v) if isinstance(v, tuple | list) else [v]
            if self.tags.allowed_tags:
                # A saved screen may name a value this market lacks; keep it visible.
                self.tags.allowed_tags = sorted({*self.tags.allowed_tags, *tags})
            self.tags.value = tags
        elif self.text in shown:
            self.text.value = str(v)

    def __repr__(self) -> str:
        try:
            return f"<FilterRow {self.node()}>"
        except InputError as exc:
            return f"<FilterRow {self.field_id} {self.op.value}: {exc}>"


class FixedRow:
    """A filter the rows cannot edit (an OR group, a formula), kept as it is."""

    def __init__(
        self, node: FilterNode, *, on_remove: Callable[[FilterRow | FixedRow], None]
    ) -> None:
        import html

        import ipywidgets as w

        self._node = node
        text = str(node) if isinstance(node, FilterCondition) else _node_words(node)
        self.label = w.HTML(f"<code>{html.escape(text)}</code>")
        self.remove_button = w.Button(icon="trash", tooltip="Remove this filter")
        self.remove_button.layout.width = "40px"
        self.remove_button.on_click(lambda _: on_remove(self))
        self.widget = w.HBox([self.label, self.remove_button])

    def node(self) -> FilterNode:
        """The node as loaded."""
        return self._node

    def __repr__(self) -> str:
        return f"<FixedRow {_node_words(self._node)}>"


def _node_words(node: FilterNode) -> str:
    text = getattr(node, "text", None)
    if isinstance(text, str):
        return f"formula: {text}"
    return str(node)
