# techblogpro.wordpress_aws — the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COLLECTION_LINK := .collections/ansible_collections/techblogpro/wordpress_aws
INVENTORY ?= inventories/local
EMULATOR_PORT ?= $(or $(WORDPRESS_AWS_EMULATOR_PORT),4566)
export WORDPRESS_AWS_EMULATOR_PORT := $(EMULATOR_PORT)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export PATH := $(CURDIR)/$(BIN):$(PATH)
# Unit tests and molecule scenarios run in parallel; two workers suit the 2-core CI machine.
TEST_JOBS ?= 2
# Molecule scenarios at once: full_stack mostly waits (the fault front's throttling back-offs and IAM and ENI
# windows), so a third scenario uses the CPU it leaves.
MOLECULE_JOBS ?= 3

.PHONY: help venv demo deploy summary audit teardown emulator-start emulator-stop emulator-status \
        lint sanity unit integration molecule checks test benchmark clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

venv: $(STAMP) ## Create .venv with the pinned dependencies and link the checkout as the collection

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	mkdir -p $(dir $(COLLECTION_LINK))
	ln -sfn ../../.. $(COLLECTION_LINK)
	touch $@

emulator-start: $(STAMP) ## Start the local AWS emulator (127.0.0.1:$EMULATOR_PORT)
	$(BIN)/python scripts/emulator.py start --port $(EMULATOR_PORT)

emulator-stop: ## Stop the local AWS emulator
	@if [ -x $(BIN)/python ]; then $(BIN)/python scripts/emulator.py stop --port $(EMULATOR_PORT); fi

emulator-status: $(STAMP) ## Report the local AWS emulator's state
	$(BIN)/python scripts/emulator.py status --port $(EMULATOR_PORT)

demo: emulator-start ## Deploy the whole stack to the local target, print what it holds and its Well-Architected score
	$(BIN)/ansible-playbook -i $(INVENTORY) playbooks/site.yml
	$(BIN)/ansible-playbook -i $(INVENTORY) playbooks/summary.yml
	$(BIN)/ansible-playbook -i $(INVENTORY) playbooks/audit.yml

audit: $(STAMP) ## The Well-Architected review of the stack in INVENTORY (reports in .cache/audit/)
	$(BIN)/ansible-playbook -i $(INVENTORY) playbooks/audit.yml

deploy: $(STAMP) ## Deploy to INVENTORY (e.g. make deploy INVENTORY=inventories/staging)
	$(BIN)/ansible-playbook -i $(INVENTORY) playbooks/site.yml

summary: $(STAMP) ## Print what the stack holds, per tier
	$(BIN)/ansible-playbook -i $(INVENTORY) playbooks/summary.yml

teardown: $(STAMP) ## Remove every resource of the stack in INVENTORY (local by default)
	@if [ "$(INVENTORY)" = "inventories/local" ]; then $(BIN)/python scripts/emulator.py start --port $(EMULATOR_PORT); fi
	$(BIN)/ansible-playbook -i $(INVENTORY) playbooks/teardown.yml
	@# The emulator remembers deleted backup plan names (docs/not-emulated.md): a fresh one lets `make demo` run again.
	@if [ "$(INVENTORY)" = "inventories/local" ]; then $(BIN)/python scripts/emulator.py stop --port $(EMULATOR_PORT); fi

lint: $(STAMP) ## ansible-lint (production profile), ruff and cfn-lint (the deployer role's template)
	$(BIN)/cfn-lint roles/bootstrap/files/deployer-role.yml
	$(BIN)/ruff check plugins action_plugins tests scripts benchmarks roles molecule
	$(BIN)/ruff format --check plugins action_plugins tests scripts benchmarks roles molecule
	@# A private ANSIBLE_HOME: ansible-lint and molecule install the collection into ~/.ansible/collections,
	@# and a stale copy there would shadow the checkout.
	ANSIBLE_HOME=$(CURDIR)/.cache/ansible-home ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/.collections $(BIN)/ansible-lint --offline

sanity: $(STAMP) ## ansible-test sanity (validate-modules, pylint, pep8, import, yamllint, ...)
	bash tests/sanity.sh

unit: $(STAMP) ## pytest unit tests (plugins, module_utils, scripts; AWS mocked in-process)
	$(BIN)/pytest -n $(TEST_JOBS) tests/unit

integration: $(STAMP) ## Playbook tests against private emulators (bad input stops before any write)
	$(BIN)/pytest -n $(TEST_JOBS) --dist loadgroup tests/integration

molecule: $(STAMP) ## All molecule scenarios against private emulators
	$(BIN)/python tests/run_molecule.py --jobs $(MOLECULE_JOBS)

test: $(STAMP) ## The whole suite: molecule beside lint, sanity, unit and the playbook tests (what .ci/run runs)
	@# molecule's full_stack waits more than it computes (the fault front's back-offs, the IAM and ENI windows), so
	@# molecule starts at once, three scenarios at a time, beside the other stages run one after the other; each
	@# stage prints its time, molecule its summary at its end (its scenarios log to .cache/molecule/).
	@start=$$(date +%s); $(MAKE) --no-print-directory -j2 molecule checks; \
	  echo "make test: $$(( $$(date +%s) - start )) s"

checks: $(STAMP) ## lint, sanity, unit and integration, one after the other, each timed
	@for stage in lint sanity unit integration; do \
	  start=$$(date +%s); $(MAKE) --no-print-directory $$stage; echo "stage $$stage: $$(( $$(date +%s) - start )) s"; \
	done

benchmark: $(STAMP) ## First converge, no-op, --check, teardown against the Terraform peer (if present); the fault-front chain, three seeds
	$(BIN)/python benchmarks/converge.py
	$(BIN)/python benchmarks/fault_front.py --seeds $(or $(FAULT_SEEDS),21,22,23)

clean: emulator-stop ## Remove the virtualenv and local state
	rm -rf $(VENV) .collections .emulator .pytest_cache .ruff_cache
