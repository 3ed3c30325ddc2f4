"""The changes between two years, as data (:mod:`lss_rules.meaning.diff` computes and writes them).

Every change carries its ``effect`` on the files a validator accepts (:mod:`lss_rules.meaning.breaking`):
"none", "looser", "tighter" or "other"; "tighter" and "other" break a vendor's validator.
"""

from __future__ import annotations

from dataclasses import dataclass

from lss_rules.language import model as m
from lss_rules.language.history import LayoutVariant
from lss_rules.meaning.breaking import Effect, breaks

# ----------------------------------------------------------------- the diff model


@dataclass(frozen=True, slots=True)
class FieldInfo:
    name: str
    label: str
    position: int  # 1-based position in the year's record where the field is (or was)
    effect: Effect = "other"  # a field added or removed moves the fields after it (meaning.breaking)


@dataclass(frozen=True, slots=True)
class LayoutChange:
    old: LayoutVariant
    new: LayoutVariant
    order_changed: bool  # the fields both years have come in another order
    effect: Effect = "other"  # a file in the old layout is rejected


@dataclass(frozen=True, slots=True)
class FieldConditionChange:
    field: str
    part: str  # "required_when" | "empty_unless" | "differs_from"
    old: str | None  # the spec's text (JSON is data); the release notes say the change in words:
    new: str | None
    effect: Effect = "other"
    said_old: str | None = None  # the condition in words: labels, the year's values (meaning.wording)
    said_new: str | None = None
    label: str = ""  # the field's label (the release notes name it so)


@dataclass(frozen=True, slots=True)
class GroupChange:
    """A group whose members that year differ (groups hold only the fields collected in the year)."""

    name: str
    label: str
    added: tuple[str, ...]  # field names (JSON); the release notes name the members by their labels:
    removed: tuple[str, ...]
    effect: Effect = "none"  # what it does shows in the rules and fields that read the group
    added_said: tuple[str, ...] = ()
    removed_said: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ItemInfo:
    """A check or rule that starts or stops applying."""

    id: str
    title: str
    severity: str  # the severity it has in the year where it applies
    scope: str
    effect: Effect = "other"


@dataclass(frozen=True, slots=True)
class SeverityChange:
    id: str
    title: str
    old: str
    new: str
    effect: Effect = "other"


@dataclass(frozen=True, slots=True)
class TextChange:
    """A rule's condition part (``when``, ``require``, ``unique``) or message that reads differently."""

    id: str
    title: str
    part: str  # "when" | "require" | "unique" | "message"
    old: str | None  # the spec's text (JSON is data); the release notes say a condition in words:
    new: str | None
    effect: Effect = "other"
    said_old: str | None = None  # the condition in words (meaning.wording); a message is its own words
    said_new: str | None = None


@dataclass(frozen=True, slots=True)
class ParameterChange:
    name: str
    label: str
    unit: str | None
    old: int | None
    new: int | None
    effect: Effect = "other"  # that of the changes of the rules and fields that read it


@dataclass(frozen=True, slots=True)
class MunicipalityInfo:
    code: str
    name: str
    effect: Effect = "other"


@dataclass(frozen=True, slots=True)
class DateChange:
    old: m.MonthDay
    new: m.MonthDay
    effect: Effect = "other"


@dataclass(frozen=True, slots=True)
class YearDiff:
    """Every change from year ``a`` to year ``b``."""

    a: int
    b: int
    reference_date: DateChange | None
    deadline: DateChange | None
    layout: LayoutChange | None
    fields_added: tuple[FieldInfo, ...]
    fields_removed: tuple[FieldInfo, ...]
    field_conditions: tuple[FieldConditionChange, ...]
    groups: tuple[GroupChange, ...]
    started: tuple[ItemInfo, ...]
    stopped: tuple[ItemInfo, ...]
    severity_changed: tuple[SeverityChange, ...]
    rule_changes: tuple[TextChange, ...]
    parameters: tuple[ParameterChange, ...]
    municipalities_added: tuple[MunicipalityInfo, ...]
    municipalities_removed: tuple[MunicipalityInfo, ...]
    beyond_spec: tuple[int, ...]  # the years of the two that are after the last change in the spec
    last_change_year: int

    @property
    def backward(self) -> bool:
        return self.a > self.b

    @property
    def empty(self) -> bool:
        """Nothing changes between the two years."""
        return not (
            self.reference_date
            or self.deadline
            or self.layout
            or self.fields_added
            or self.fields_removed
            or self.field_conditions
            or self.groups
            or self.started
            or self.stopped
            or self.severity_changed
            or self.rule_changes
            or self.parameters
            or self.municipalities_added
            or self.municipalities_removed
        )

    def changes(self) -> tuple[Change, ...]:
        """Every change, in the order of the release notes' sections."""
        dates = tuple(c for c in (self.reference_date, self.deadline) if c is not None)
        return (
            *((self.layout,) if self.layout is not None else ()),
            *self.fields_added,
            *self.fields_removed,
            *self.field_conditions,
            *self.groups,
            *dates,
            *self.started,
            *self.stopped,
            *self.severity_changed,
            *self.rule_changes,
            *self.parameters,
            *self.municipalities_added,
            *self.municipalities_removed,
        )

    @property
    def breaking(self) -> tuple[Change, ...]:
        """The changes that break a vendor's validator written for year ``a`` (:mod:`lss_rules.meaning.breaking`)."""
        return tuple(c for c in self.changes() if breaks(c.effect))


Change = (
    LayoutChange
    | FieldInfo
    | FieldConditionChange
    | GroupChange
    | DateChange
    | ItemInfo
    | SeverityChange
    | TextChange
    | ParameterChange
    | MunicipalityInfo
)
