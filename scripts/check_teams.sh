#!/usr/bin/env bash
# Checks Herald's Microsoft Teams payloads with scripts/validate_teams.py: the validator's unit tests, its
# self-test on the official Adaptive Cards samples, then every golden teams.json.
# Needs python3 with the jsonschema package, and the reference specifications in the folder $HERALD_SPECS names.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m unittest discover --start-directory scripts --pattern 'test_validate_teams.py'
python3 scripts/validate_teams.py --self-test | { grep -v '^PASS ' || true; }  # failures and the summary
python3 scripts/validate_teams.py golden/*/teams.json
