# The README's two commands: `make report` and `make test`. Both set up the
# virtual environment first (created if missing, reinstalled when the
# dependency files change), so nothing else is needed on a fresh clone.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
KERNEL := nkwar

.PHONY: setup report test lab bench lint constraints clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (nk-war-analysis)" >/dev/null
	$(PY) -c "import analysis.places.gazetteer as g; g.load_gazetteer()"  # compiled once, ahead of first use
	touch $(STAMP)

report: $(STAMP)
	$(PY) -m analysis report --corpus seeds --out reports

test: $(STAMP)
	PYTHONHASHSEED=0 MPLBACKEND=Agg $(PY) -m pytest

lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

bench: $(STAMP)
	$(PY) -m benchmarks.run
	NKWAR_FAULT_ROUNDS=5 PYTHONHASHSEED=0 MPLBACKEND=Agg $(PY) -m pytest -q tests/test_faults.py

lint: $(STAMP)
	$(VENV)/bin/ruff check analysis benchmarks tests geo scripts
	$(VENV)/bin/ruff format --check analysis benchmarks tests geo scripts
	$(VENV)/bin/mypy

# Regenerate the pins after changing pyproject.toml (needs the registries).
constraints:
	rm -rf .venv-pins && $(PYTHON) -m venv .venv-pins
	.venv-pins/bin/pip install --quiet --disable-pip-version-check '.[dev]'
	.venv-pins/bin/pip freeze --exclude-editable | grep -v '^nk-war-analysis' > constraints.txt
	rm -rf .venv-pins

clean:
	rm -rf $(VENV) reports out .pytest_cache .mypy_cache .ruff_cache
