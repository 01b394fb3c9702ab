"""Map the top-level `models/` and `dictionaries/` folders into the package as data.

They stay the one source of truth in the repository (built by `make models`); setuptools installs
them as `vnplans._models` / `vnplans._dictionaries`, so a wheel works anywhere and an editable install
reads the checkout's folders through the same `importlib.resources` names.
"""

from setuptools import find_packages, setup

DATA = {"vnplans._models": "models", "vnplans._dictionaries": "dictionaries"}

setup(
    packages=[*find_packages("src"), *DATA],
    package_dir={"": "src", **DATA},
    package_data={name: ["*"] for name in DATA} | {"vnplans": ["py.typed"]},
)
