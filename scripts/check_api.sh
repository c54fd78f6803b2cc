#!/usr/bin/env bash
# Checks `herald serve` against its OpenAPI document (Sources/HeraldServer/openapi.yaml): openapi-spec-validator
# validates the document, then schemathesis runs it against a server started here on 127.0.0.1 with a scratch
# destinations file and an admin token, with bounded examples. It fails on any 5xx, a status or content type the
# document does not list for the operation, or a response outside its schema. The server is stopped with SIGTERM
# and must exit 0. Needs python3 with pip; installs openapi-spec-validator and schemathesis when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

document="$(pwd)/Sources/HeraldServer/openapi.yaml"
python3 -c 'import openapi_spec_validator' 2>/dev/null || python3 -m pip install --quiet 'openapi-spec-validator>=0.7'
command -v schemathesis >/dev/null 2>&1 || python3 -m pip install --quiet 'schemathesis==4.32.5'
python3 -m openapi_spec_validator "$document"

# `swift test` builds `herald` (.ci/run runs it first); build it only when it is missing.
herald="$(swift build --show-bin-path)/herald"
[ -x "$herald" ] || swift build --product herald

work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill -KILL "$server"; fi
    rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/herald.yaml" <<'YAML'
outbox: outbox.sqlite
delivery: {request_timeout: 2, maximum_attempts: 2, initial_backoff: 0.1, maximum_backoff: 0.2}
services:
  markdown:
    scopes:
      lab-chat: {url_env: HERALD_API_CHECK_CHAT_URL}
server:
  tokens:
    - {name: schemathesis, token_env: HERALD_API_CHECK_TOKEN, role: admin}
  request_limit_bytes: 1048576
  rate_limit: {requests: 100000, per: 1}
  shutdown_grace_period: 2
YAML
HERALD_API_CHECK_TOKEN="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
# Nothing listens on the discard port: deliveries and test messages fail, as a destination that is down does.
HERALD_API_CHECK_CHAT_URL=http://127.0.0.1:9/hooks/chat
export HERALD_API_CHECK_TOKEN HERALD_API_CHECK_CHAT_URL

"$herald" serve --config "$work/herald.yaml" --listen 127.0.0.1:0 > "$work/serve.out" 2> "$work/serve.err" &
server=$!
for _ in $(seq 1 300); do
    grep -q '^listening on ' "$work/serve.out" && break
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.err"; echo "herald serve did not start" >&2; exit 1; }
    sleep 0.1
done
base="$(sed -n 's/^listening on //p' "$work/serve.out")"
[ -n "$base" ] || { cat "$work/serve.err"; echo "herald serve did not say where it listens" >&2; exit 1; }

# From the scratch directory, so that schemathesis's caches (.schemathesis, .hypothesis) are not left in the checkout.
status=0
(cd "$work" && schemathesis run "$document" --url "$base" \
    --header "Authorization: Bearer $HERALD_API_CHECK_TOKEN" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples 25 --seed 14 --workers 2) || status=$?

kill -TERM "$server"
exit_code=0
wait "$server" || exit_code=$?
server=""
if [ "$exit_code" -ne 0 ]; then
    tail -20 "$work/serve.err"
    echo "herald serve exited $exit_code after SIGTERM" >&2
    exit 1
fi
if grep -q "$HERALD_API_CHECK_TOKEN" "$work/serve.err"; then
    echo "the token appears in the server's log" >&2
    exit 1
fi
exit "$status"
