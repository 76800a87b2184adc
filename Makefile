# appenv: the two commands a newcomer needs are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
MVN ?= mvn -B -ntp
CRD_GENERATED := operator/target/classes/META-INF/fabric8/appenvironments.platform.appenv.io-v1.yml
CRD_COMMITTED := crds/appenvironments.platform.appenv.io.yaml
GITOPS ?= false

.PHONY: help deps build test unit e2e lint prebuild crds run cluster-up cluster-down kind-up demo-rollback bench bench-backup bench-real-node bench-gitops bench-scale restore report
help:
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

build: ## compile, generate the CRD, package the operator and app jars (no tests)
	$(MVN) -q package -DskipTests

crds: ## regenerate crds/ from the Java API classes
	$(MVN) -q -pl operator process-classes
	cp $(CRD_GENERATED) $(CRD_COMMITTED)
	@echo "wrote $(CRD_COMMITTED)"

deps: ## install the Debian packages tests need when missing (chromium, postgresql-client, ...)
	hack/deps.sh

lint: ## the Java format (spotless:check), actionlint on .github/workflows/ (built from the Go module proxy), shellcheck on the scripts, the pipeline scripts' tests
	$(MVN) -q spotless:check
	hack/lint-workflows.sh
	@command -v shellcheck >/dev/null || { echo "shellcheck is missing: make deps installs it" >&2; exit 1; }
	shellcheck $$(find hack app/bench.sh .github/scripts -name '*.sh')
	python3 -B -m unittest discover -s .github/scripts -p '*_test.py'

unit: deps lint ## builder, status, mock-API-server, real PostgreSQL and real-kube-apiserver tests of all modules
	hack/build.sh --control-plane >/dev/null
	$(MVN) verify

e2e: deps build ## end-to-end tier: the local cluster with kwok nodes, and with the real node (make run on real pods)
	$(MVN) -pl operator -am test -Pe2e -Dsurefire.failIfNoSpecifiedTests=false

test: deps lint prebuild unit e2e ## all tests (what CI runs)

prebuild: ## the control plane's build, then in the background the admission webhook, the real node's add-ons, the images and Argo CD (make test starts it)
	hack/build.sh --control-plane >/dev/null
	hack/prebuild.sh --background

run: deps ## the main job: cluster (yours, or a local one with a real node), CRDs, operator, samples on real pods; GITOPS=true: Argo CD syncs them from git
	$(MVN) -q package -DskipTests
	APPENV_GITOPS=$(GITOPS) hack/run.sh

cluster-up: ## start the local cluster (control plane, kwok nodes, and the real node where the machine allows it)
	hack/cluster-up.sh

cluster-down: ## stop the local cluster started by cluster-up, real node included (iptables and mounts cleaned up)
	hack/cluster-down.sh

demo-rollback: ## release, promotion, alarm, rollback and a fixed release, told by kubectl and Events
	$(MVN) -q -pl operator -am package -DskipTests
	hack/demo-rollback.sh

restore: ## restore a logical backup: make restore NS=telemetry-prod NAME=telemetry [DUMP=latest] [TARGET=restore_check]
	@[ -n "$(NS)" ] && [ -n "$(NAME)" ] || { echo "usage: make restore NS=<namespace> NAME=<AppEnvironment> [DUMP=<file>|latest] [TARGET=<database>]" >&2; exit 2; }
	hack/restore.sh "$(NS)" "$(NAME)" "$(or $(DUMP),latest)" "$(or $(TARGET),restore_check)"

report: ## release report of an environment from the running operator: make report NS=.. NAME=.. [DAYS=30] [FORMAT=md|html]
	@[ -n "$(NS)" ] && [ -n "$(NAME)" ] || { echo "usage: make report NS=<namespace> NAME=<AppEnvironment> [DAYS=30] [FORMAT=md|html]" >&2; exit 2; }
	@hack/report.sh "$(NS)" "$(NAME)" "$(or $(DAYS),30)" "$(or $(FORMAT),md)"

bench: ## benchmarks: operator start-up/memory and webhook-to-rollback latency (figures in docs/benchmarks.md)
	$(MVN) -q -pl operator -am package -DskipTests
	hack/bench-operator.sh 5
	$(MVN) -pl operator test -Pbench -Dtest=RollbackBenchmark -Dsurefire.failIfNoSpecifiedTests=false

bench-real-node: deps build ## make run on the real node (fresh, restarted, warm) and the samples' pod start times
	hack/bench-real-node.sh

bench-gitops: deps ## push of a release commit to Argo CD synced, released and Healthy (Argo CD beside the local control plane)
	$(MVN) -pl operator -am test -Pbench -Dtest=GitOpsBenchmark -Dsurefire.failIfNoSpecifiedTests=false

bench-scale: deps build ## 1,000 environments on kwok nodes, side by side with Argo Rollouts, and the footprint (about an hour; docs/benchmarks.md)
	hack/bench-scale.sh

bench-backup: deps ## backup.sh and restore.sh on a ~1 GB database, timed (BENCH_BACKUP_ROWS to change the size)
	$(MVN) -pl operator -am test -Pbench -Dtest=BackupRestoreBenchmark -Dsurefire.failIfNoSpecifiedTests=false

kind-up: ## for machines with Docker: a kind cluster from kind-config.yaml
	kind create cluster --name appenv --config kind-config.yaml
