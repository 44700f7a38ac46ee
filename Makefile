# Every target sets up the virtual environment it needs first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ASSIGNMENT ?=
SUBMISSION ?=

.PHONY: help venv test grade stubs check-stubs bench clean

help:
	@echo "make test                      run our own test suite"
	@echo "make grade                     grade the bundled example submissions"
	@echo "make grade ASSIGNMENT=flows_gans SUBMISSION=path/to/submission"
	@echo "make stubs                     regenerate assignments/ from solutions/"
	@echo "make bench                     time one grading against 'import torch'"

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

test: venv
	$(PY) -m autograder stubs --check
	$(PY) -m pytest -q

grade: venv
ifeq ($(SUBMISSION),)
	$(PY) scripts/grade_examples.py $(ASSIGNMENT)
else
	$(PY) -m autograder grade --assignment $(ASSIGNMENT) $(SUBMISSION) --out results.json
endif

stubs: venv
	$(PY) -m autograder stubs

bench: venv
	$(PY) scripts/benchmark.py

clean:
	rm -rf $(VENV) dist .pytest_cache
