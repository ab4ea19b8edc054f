# composex-rs: the README's two commands are `make serve` and `make test`.
# Every install step here is idempotent: a fresh machine needs nothing else.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

CARGO ?= cargo
WASM_BINDGEN_VERSION := 0.2.130
CFN_LINT_VERSION := 1.58.0
MOTO_VERSION := 5.2.5
AWSCLI_VERSION := 1.46.3
VENV := target/venv
PY := $(VENV)/bin/python
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: test serve bench tools rust-tools venv apt-tools lint unit corpus-lint fmt deploy-test

## ---- tools -------------------------------------------------------------------------------

rust-tools:
	@rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (~5 min, once)"; \
	  $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); fi

apt-tools:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  export DEBIAN_FRONTEND=noninteractive; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver; }

$(VENV)/.installed-$(CFN_LINT_VERSION)-$(MOTO_VERSION)-$(AWSCLI_VERSION):
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check \
	  "cfn-lint==$(CFN_LINT_VERSION)" "moto[server]==$(MOTO_VERSION)" "awscli==$(AWSCLI_VERSION)"
	touch $@

venv: $(VENV)/.installed-$(CFN_LINT_VERSION)-$(MOTO_VERSION)-$(AWSCLI_VERSION)

tools: rust-tools apt-tools venv

## ---- checks ------------------------------------------------------------------------------

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	# the core builds for wasm32 (proves no platform IO sneaks in)
	$(CARGO) build -q -p composex-core --target wasm32-unknown-unknown

unit:
	$(CARGO) test --workspace

# The seed pipeline against moto on 127.0.0.1: both layouts, the set-image update, and a broken template.
deploy-test: venv
	$(CARGO) build -q -p composex
	$(PY) tests/deploy/run.py --composex target/debug/composex --venv $(VENV) --example examples/seed --layout both
	$(PY) tests/deploy/run.py --composex target/debug/composex --venv $(VENV) --example examples/seed --layout single --broken

test: tools lint unit deploy-test
	@echo "make test: all checks passed"
