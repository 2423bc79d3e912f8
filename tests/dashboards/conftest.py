import pytest

from reports.dashboards.navigation import register


@pytest.fixture(autouse=True)
def _dashboards_registered():
    # ReportsConfig.ready() calls this in the project; calling it again changes nothing.
    register()
