"""Sections other apps add to an agency's dashboard page: open challenges and overdue actions
(reviews) and training compliance (training).

Each reads the owning app's access helpers and selectors only, scoped to the person, and runs a
fixed number of queries. A section whose app has not shipped its selector is left out, so the
page works while the apps land one by one.
"""

from __future__ import annotations


def _challenges(user, agency) -> dict | None:
    try:
        from reviews.access import actions_for, challenges_for
        from reviews.selectors import open_challenges, overdue_actions
    except ImportError:
        return None
    challenges = open_challenges(challenges=challenges_for(user).filter(agency=agency), limit=20)
    actions = overdue_actions(actions=actions_for(user).filter(owner_agency=agency))
    return {"template": "reports/dashboards/sections/reviews.html", "challenges": challenges, "actions": actions}


def _training(user, agency, quarter) -> dict | None:
    try:
        from training.selectors.compliance import compliance_by_agency_and_level
    except ImportError:
        return None
    # The year of the quarter the page shows: the same snapshot PCI is looking at.
    table = compliance_by_agency_and_level(partnership_id=agency.partnership_id, year_start=quarter.year_start,
                                           agency_ids=[agency.pk])
    row = table.rows[0] if table.rows else None
    return {"template": "reports/dashboards/sections/training.html", "year": quarter.year_label,
            "levels": table.levels, "row": row, "cells": row.cell_list(table.levels) if row else []}


def sections_for(user, agency, quarter) -> list[dict]:
    return [section for section in (_challenges(user, agency), _training(user, agency, quarter))
            if section is not None]
