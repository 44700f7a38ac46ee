# Every target sets up the virtual environment it needs first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ASSIGNMENT ?=
SUBMISSION ?=
SUBMISSIONS ?=
BATCH_OUT ?= grading/$(ASSIGNMENT)
CODE ?= assignments
ARGS ?=

.PHONY: help venv test grade stubs check-stubs bench bench-batch zips clean \
	train-maf train-gan train-vae train-planar train-dirac \
	train-ps2-vae train-ps2-gmvae train-ps2-ssvae train-ps2-fsvae

help:
	@echo "make test                      run our own test suite"
	@echo "make grade                     grade the bundled example submissions"
	@echo "make grade ASSIGNMENT=flows_gans SUBMISSION=path/to/submission"
	@echo "make grade ASSIGNMENT=flows_gans SUBMISSIONS=folder [JOBS=n FORCE=1 BATCH_OUT=dir]"
	@echo "                               grade a whole class into grading/<assignment>/"
	@echo "make stubs                     regenerate assignments/ from solutions/"
	@echo "make bench                     time one grading against 'import torch'"
	@echo "make bench-batch               time batch grading against a loop of single grades"
	@echo "make zips                      dist/<assignment>-autograder.zip and -student.zip"
	@echo "make train-maf (train-gan, train-vae, train-planar, train-dirac) [ARGS=--tiny]"
	@echo "                               train on the bundled data, figures in figures/;"
	@echo "make train-ps2-vae (train-ps2-gmvae, train-ps2-ssvae, train-ps2-fsvae) [ARGS=--iwae]"
	@echo "                               vae_gmvae_iwae: main.py --model <model> --train"
	@echo "                               runs assignments/ (your code), CODE=solutions the reference"

venv: $(VENV)/.installed

# The dev extra of pyproject.toml (every pinned set, and the test tools); editable, so the
# checkout itself is what runs.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@

test: venv
	$(PY) -m autograder stubs --check
	$(PY) -m pytest -q

grade: venv
ifneq ($(SUBMISSIONS),)
	$(PY) -m autograder grade --assignment $(ASSIGNMENT) $(SUBMISSIONS) --batch $(BATCH_OUT) \
		$(if $(JOBS),--jobs $(JOBS)) $(if $(FORCE),--force)
else ifeq ($(SUBMISSION),)
	$(PY) scripts/grade_examples.py $(ASSIGNMENT)
else
	$(PY) -m autograder grade --assignment $(ASSIGNMENT) $(SUBMISSION) --out results.json
endif

stubs: venv
	$(PY) -m autograder stubs

bench: venv
	$(PY) scripts/benchmark.py

bench-batch: venv
	$(PY) scripts/benchmark_batch.py

zips: venv
	$(PY) -m autograder.delivery.package --out dist

# The provided training scripts, on the code in $(CODE)/<assignment>/.
train-maf train-gan: train-%: venv
	$(PY) $(CODE)/flows_gans/train.py $* --out figures/flows_gans $(ARGS)

train-vae train-planar train-dirac: train-%: venv
	$(PY) $(CODE)/vae_gan_planar/train.py $* --out figures/vae_gan_planar $(ARGS)

# Checkpoints, logs and results (<model name>.pkl) go there too.
train-ps2-vae train-ps2-gmvae train-ps2-ssvae train-ps2-fsvae: train-ps2-%: venv
	$(PY) $(CODE)/vae_gmvae_iwae/main.py --model $* --train --out figures/vae_gmvae_iwae $(ARGS)

clean:
	rm -rf $(VENV) dist .pytest_cache *.egg-info
