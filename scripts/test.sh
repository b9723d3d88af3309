#!/usr/bin/env bash
# The one test command (README: `npm test`). On a fresh machine it installs what the tests need:
# Debian's chromium (for Playwright, through playwright-core: no browser download) and ffmpeg, then
# the npm dependencies; then runs lint, typecheck, unit + integration tests (real Postgres, real
# ffmpeg, real servers) and the Playwright end-to-end tests, and prints one closing line
# "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/.data/test-results"
rm -rf "$results" && mkdir -p "$results"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || need_apt+=(ffmpeg)
fc-list 2>/dev/null | grep -qi dejavu || need_apt+=(fonts-dejavu-core)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing Debian packages: ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${need_apt[*]}. Install them (sudo apt-get install ${need_apt[*]}) and run again." >&2
    exit 1
  fi
fi

if [ "${CI:-}" = "true" ] || [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

echo "== lint"
npm run -s lint
echo "== typecheck"
npm run -s typecheck

status=0
echo "== unit and integration tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json" || status=1

echo "== end-to-end tests (Playwright, Debian chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$results/playwright.json" npm run -s -w @reelhouse/e2e test -- --reporter=list,json || status=1

echo "== took ${SECONDS}s"
node scripts/lib/summarize-results.mjs "$results" || status=1
exit $status
