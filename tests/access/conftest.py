"""The access matrix's whole world (every app's objects), for the walks over every page."""

import pytest

from .test_matrix import BUILDERS


@pytest.fixture
def fuzz_world(world):
    for build in BUILDERS:
        build(world)
    return world
