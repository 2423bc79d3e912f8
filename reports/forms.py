from __future__ import annotations

from decimal import Decimal

from django import forms

from safeguarding.formatting import plain_number
from safeguarding.forms import DateInput, GovukForm, VersionedForm
from safeguarding.parsing import NotANumber, parse_figure
from safeguarding.periods import FinancialQuarter, FinancialYear

from . import chapters as catalogue
from .markdown import MARKDOWN_HELP
from .models import FigureUnit, Recipient
from .services import MAX_NARRATIVE


class YearForm(GovukForm):
    year = forms.CharField(label="Financial year", help_text="For example, 2024/25.", max_length=9)

    def clean_year(self) -> FinancialYear:
        try:
            return FinancialYear.parse(self.cleaned_data["year"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc))


class QuarterForm(GovukForm):
    quarter = forms.CharField(label="Quarter", help_text="For example, 2024/25-Q3.", max_length=12)

    def clean_quarter(self) -> FinancialQuarter:
        try:
            return FinancialQuarter.parse(self.cleaned_data["quarter"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc))


def _text_field(label: str, rows: int = 12, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=MAX_NARRATIVE, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


PLAIN_TEXT_HELP = MARKDOWN_HELP


class NarrativeForm(VersionedForm):
    body = _text_field("Text", 16, PLAIN_TEXT_HELP)

    def __init__(self, *args, label: str = "Text", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = label


class AgencySectionForm(VersionedForm):
    achievements = _text_field("Achievements this year", 10, PLAIN_TEXT_HELP)
    challenges = _text_field("Challenges and what you are doing about them", 10, PLAIN_TEXT_HELP)


class DistributionForm(VersionedForm):
    distribution = _text_field("Who receives the report", 8, "One a line, for example: Chief executive, "
                                                               "Testshire County Council.")


class CompositionForm(VersionedForm):
    """Which chapters the report carries and in what order, and the context chapter's indicators.

    One number field a chapter: its position (1 first); blank leaves the chapter out. Issue 15.5.
    """

    DEFAULT_RULE = "default"
    CHOSEN = "chosen"
    indicator_rule = forms.ChoiceField(
        label="Key indicators in the safeguarding context chapter", widget=forms.RadioSelect,
        choices=[(DEFAULT_RULE, "Every indicator with a target, a red rating or a comparator"),
                 (CHOSEN, "Only the indicators ticked below")])
    key_indicators = forms.MultipleChoiceField(label="Indicators", required=False,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, report=None, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        order = catalogue.ordered(report.chapters if report is not None else None)
        positions = {key: n for n, key in enumerate(order, start=1)}
        for kind in catalogue.CATALOGUE:
            self.fields[f"pos_{kind.key}"] = forms.IntegerField(
                label=kind.title, required=False, min_value=1, max_value=len(catalogue.CATALOGUE),
                help_text="Position in the report; leave blank to leave this chapter out.",
                initial=positions.get(kind.key), widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}))
        self.fields["key_indicators"].choices = [(str(i.pk), f"{i.name} ({i.code})") for i in indicators]
        if report is not None and not self.is_bound:
            chosen = report.key_indicators
            self.fields["indicator_rule"].initial = self.DEFAULT_RULE if chosen is None else self.CHOSEN
            self.fields["key_indicators"].initial = [str(pk) for pk in chosen or []]
        # The fields in the order the form shows them: chapters, then the indicators.
        self.order_fields([*(f"pos_{k.key}" for k in catalogue.CATALOGUE), "indicator_rule", "key_indicators",
                           "version"])

    def clean(self):
        data = super().clean()
        chosen = [(data.get(f"pos_{k.key}"), k.key) for k in catalogue.CATALOGUE
                  if data.get(f"pos_{k.key}") is not None]
        if not chosen and not self.errors:
            raise forms.ValidationError("Give at least one chapter a position.")
        seen: dict[int, str] = {}
        for position, key in chosen:
            if position in seen:
                self.add_error(f"pos_{key}", f"Position {position} is already taken by "
                                             f"‘{catalogue.title(seen[position])}’: give each chapter its own.")
            seen[position] = key
        data["chapters"] = [key for _, key in sorted(chosen)]
        if data.get("indicator_rule") == self.CHOSEN:
            data["indicator_ids"] = [int(pk) for pk in data.get("key_indicators", [])]
        else:
            data["indicator_ids"] = None
        return data


FIGURE_ROWS = 6
DECIMAL_INPUT = {"inputmode": "decimal", "class": "govuk-input--width-10"}


class ChapterFiguresForm(VersionedForm):
    """Up to six figures of a chapter: label, then a value with its unit or an indicator. Issue 15.8."""

    def __init__(self, *args, figures=(), indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        figures = list(figures)
        indicator_choices = [("", "None: I will enter the value")] + [(str(i.pk), f"{i.name} ({i.code})")
                                                                       for i in indicators]
        self.indicators = {str(i.pk): i for i in indicators}
        for n in range(1, FIGURE_ROWS + 1):
            f = figures[n - 1] if n <= len(figures) else None
            self.fields[f"label_{n}"] = forms.CharField(label=f"Figure {n}: what it counts", required=False,
                                                        max_length=200, initial=f.label if f else "")
            # Read in ``clean`` by the one figure parser, once the row's unit is known: "1,234",
            # "35.5%" for a percentage, "£1,200" for pounds.
            self.fields[f"value_{n}"] = forms.CharField(label=f"Figure {n}: value", required=False, max_length=30,
                                                        initial=plain_number(f.value) if f else "",
                                                        widget=forms.TextInput(attrs=DECIMAL_INPUT))
            self.fields[f"unit_{n}"] = forms.ChoiceField(label=f"Figure {n}: unit", choices=FigureUnit.choices,
                                                         required=False, initial=f.unit if f else FigureUnit.COUNT)
            self.fields[f"indicator_{n}"] = forms.ChoiceField(
                label=f"Figure {n}: or take it from an indicator", choices=indicator_choices, required=False,
                initial=str(f.indicator_id) if f and f.indicator_id else "")

    def clean(self):
        """Each row's value read by ``safeguarding.parsing.parse_figure`` for its unit (a "%" for a
        percentage, 0 to 100; a "£" for pounds), 0 or more, to 2 decimal places; a field error
        naming the row otherwise. ``cleaned_data["value_<n>"]`` is a ``Decimal`` or ``None``."""
        data = super().clean()
        for n in range(1, FIGURE_ROWS + 1):
            text, unit = data.get(f"value_{n}") or "", data.get(f"unit_{n}") or FigureUnit.COUNT
            try:
                value = parse_figure(text, percent_ok=unit == FigureUnit.PERCENTAGE,
                                     pounds_ok=unit == FigureUnit.POUNDS, label=f"Figure {n}: the value")
            except NotANumber as exc:
                self.add_error(f"value_{n}", exc.message)
                continue
            if value is not None and value < 0:
                self.add_error(f"value_{n}", f"Figure {n}: the value must be 0 or more.")
            elif value is not None and (value != value.quantize(Decimal("0.01")) or abs(value) >= Decimal("1e12")):
                self.add_error(f"value_{n}", f"Figure {n}: the value may have at most 2 decimal places.")
            else:
                data[f"value_{n}"] = value
        return data

    def rows(self):
        """The cleaned rows, as ``reports.composition.FigureRow``."""
        from .composition import FigureRow

        out = []
        for n in range(1, FIGURE_ROWS + 1):
            d = self.cleaned_data
            out.append(FigureRow(label=d.get(f"label_{n}") or "", value=d.get(f"value_{n}"),
                                 unit=d.get(f"unit_{n}") or FigureUnit.COUNT,
                                 indicator=self.indicators.get(d.get(f"indicator_{n}") or "")))
        return out


class DispatchForm(GovukForm):
    """Who the published report was sent to and when (issue 15.9)."""

    recipient = forms.ChoiceField(label="Sent to", choices=Recipient.choices, widget=forms.RadioSelect)
    recipient_name = forms.CharField(label="Who (for another recipient)", required=False, max_length=200)
    sent_on = forms.DateField(label="Date sent", required=False, widget=DateInput,
                              help_text="Today if blank; it cannot be after today.")
