"""The examples in the package's docstrings are tests too."""

import doctest
import importlib
import pkgutil

import pytest

import frontera

MODULES = [m.name for m in pkgutil.walk_packages(frontera.__path__, "frontera.")]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
