"""Training compliance for the dataset's training indicators (issue 13.8, ``datasets.linked``)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from safeguarding.uploads import word_key
from safeguarding.workflow import ReturnStatus

from .models import TrainingFigure


def dataset_training_counts(agency_id: int, quarter_id: int, indicators: list) -> dict:
    """``{indicator_id: LinkedCounts}`` from the agency's accepted training return for the quarter:
    trained over eligible summed over its staff groups at the indicator's ``training_level``
    (matched by level name, ignoring case). Lines without both figures are left out (1 query)."""
    from datasets.linked import LinkedCounts

    by_level = {word_key(i.training_level): i for i in indicators}
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    label = ""
    for level, trained, eligible, agency in TrainingFigure.objects.filter(
            ret__agency_id=agency_id, ret__quarter_id=quarter_id, ret__status=ReturnStatus.ACCEPTED,
            trained__isnull=False, eligible__isnull=False).values_list(
            "level__name", "trained", "eligible", "ret__agency__name"):
        key = word_key(level)
        if key in by_level:
            sums[key][0] += trained
            sums[key][1] += eligible
            label = agency
    out = {}
    for key, (trained, eligible) in sums.items():
        if eligible:
            out[by_level[key].pk] = LinkedCounts(Decimal(trained), Decimal(eligible),
                                                 f"{label}'s accepted training return for the quarter")
    return out


def dataset_conflicts(ret) -> list[str]:
    """Why ``ret`` (a training return about to be accepted) would disagree with the agency's
    accepted dataset return for the quarter: one line per linked indicator whose accepted figure
    differs from this return's compliance at its level (issue 13.8). 2 queries."""
    from datasets.models import Indicator, ReturnValue
    from datasets.validation import TYPED_RATIO_TOLERANCE, compute_ratio
    from safeguarding.formatting import format_figure

    linked = list(Indicator.objects.filter(partnership_id=ret.agency.partnership_id).exclude(training_level=""))
    if not linked:
        return []
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for figure in ret.figures.select_related("level"):
        if figure.trained is not None and figure.eligible is not None:
            sums[word_key(figure.level.name)][0] += figure.trained
            sums[word_key(figure.level.name)][1] += figure.eligible
    accepted = dict(ReturnValue.objects.filter(
        ret__agency_id=ret.agency_id, ret__quarter_id=ret.quarter_id, ret__status=ReturnStatus.ACCEPTED,
        part__isnull=True, indicator__in=linked, value__isnull=False).values_list("indicator_id", "value"))
    problems = []
    for indicator in linked:
        trained, eligible = sums.get(word_key(indicator.training_level), (0, 0))
        if indicator.pk not in accepted or not eligible:
            continue
        mine = compute_ratio(indicator.unit, Decimal(trained), Decimal(eligible))
        if abs(mine - accepted[indicator.pk]) > TYPED_RATIO_TOLERANCE:
            problems.append(f"{indicator.training_level}: this return gives {format_figure(mine, indicator)}, but the "
                            f"accepted dataset return holds {format_figure(accepted[indicator.pk], indicator)} for "
                            f"{indicator.code}. Ask the business manager to reopen the dataset return and clear "
                            "that figure (it is then filled from this return), then accept again.")
    return problems
