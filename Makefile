# Two commands for a new user:  make demo  (set up, ingest the bundled reports, serve the app)
#                                make test  (set up, run every test, print the scorer's figures)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SHARED := ../shared

.PHONY: demo test bench setup browser score clean

$(BIN)/baogao: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $(BIN)/baogao

setup: $(BIN)/baogao

# Debian's chromium for the browser tests (the machine may lack it; root or sudo installs it).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk; }

demo: setup
	rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/baogao ingest examples/ --db demo.db
	$(BIN)/baogao facts --db demo.db --wide
	@echo
	@echo "Serving the sample corpus at http://127.0.0.1:8000  (Ctrl-C to stop)"
	$(BIN)/baogao serve --db demo.db --host 127.0.0.1 --port 8000

test: setup browser
	$(BIN)/python -m pytest tests -q -p no:cacheprovider

score: setup
	rm -rf build/seeds && $(BIN)/baogao parse $(SHARED)/corpus/seeds/*.txt --out build/seeds
	$(PYTHON) $(SHARED)/bench/score.py --gold $(SHARED)/bench/gold/seeds --pred build/seeds

bench: setup
	bash bench/run.sh

clean:
	rm -rf build demo.db* .pytest_cache
