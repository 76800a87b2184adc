# appenv: the two commands a newcomer needs are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
MVN ?= mvn -B -ntp
CRD_GENERATED := operator/target/classes/META-INF/fabric8/appenvironments.platform.appenv.io-v1.yml
CRD_COMMITTED := crds/appenvironments.platform.appenv.io.yaml

.PHONY: help build test unit crds run
help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

build: ## compile, generate the CRD, package the operator and app jars (no tests)
	$(MVN) -q package -DskipTests

crds: ## regenerate crds/ from the Java API classes
	$(MVN) -q -pl operator process-classes
	cp $(CRD_GENERATED) $(CRD_COMMITTED)
	@echo "wrote $(CRD_COMMITTED)"

unit: ## unit and mock-API-server tests of all modules
	$(MVN) verify

test: unit ## all tests

run: build ## run the operator against the current kubeconfig
	@kubectl version --request-timeout=5s >/dev/null 2>&1 || { echo "no reachable cluster in KUBECONFIG/current context"; exit 1; }
	kubectl apply --server-side -f crds/
	java -jar operator/target/appenv-operator-*.jar --spring.profiles.active=plain
