# Two commands for a fresh machine with Python >= 3.11 and make:
#   make run    the app with demo data on http://127.0.0.1:8000
#   make test   lint + the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench cluster-test load

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@# Directory login needs python-ldap, which compiles against libldap2-dev and libsasl2-dev (.ci/run installs
	@# them). Without them the app runs as before (LDAP_URL unset) and the directory tests say what is missing.
	$(BIN)/python -m pip install --quiet -e ".[test,ldap]" >/dev/null 2>&1 \
	  || echo "注意：未能安装目录登录组件 python-ldap（需要 apt-get install libldap2-dev libsasl2-dev），目录登录不可用。"
	touch $(STAMP)

# The development path, and the only one that turns DEBUG on (settings default it to false).
run: $(STAMP)
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py demo_data
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/python -m ruff check .

test: lint
	$(BIN)/python -m pytest $(ARGS)

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	$(BIN)/python bench/run.py $(ARGS)

# The two-node cluster on loopback (PostgreSQL, redis-server, moto's S3, two gunicorn nodes, one worker);
# needs the Debian packages postgresql and redis-server (.ci/run installs them).
cluster-test: $(STAMP)
	$(BIN)/python tests/cluster/run.py

# Deadline-day load (locust, headless, loopback, 3 minutes each): the cluster on PostgreSQL, then one SQLite
# node. A benchmark, not part of `make test`; run it on a quiet machine (figures in the README).
load: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	$(BIN)/python bench/load.py $(ARGS)
