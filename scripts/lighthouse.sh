#!/usr/bin/env bash
# Lighthouse audit of the built site: performance, accessibility, best practices and SEO of the
# index, of one article page and of the search page, empty and with results. Prints the four scores per page; exits 1 if any is below
# LH_MIN (default 0.95). Reports (HTML and JSON) go to audit-out/lighthouse/.
#
#   bash scripts/lighthouse.sh
#
# Lighthouse is heavy (about 200 MB), so it is installed on first use into .lighthouse/, a folder
# git ignores, and is not part of the test suite (it takes about 12 s per page).
set -euo pipefail
cd "$(dirname "$0")/.."

LH_VERSION=13.5.0
LH_MIN=${LH_MIN:-0.95}
PYTHON=${PYTHON:-python}
FLAGS="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
OUT=audit-out/lighthouse

if [ ! -x /usr/bin/chromium ]; then
    echo "lighthouse.sh: /usr/bin/chromium is missing (apt-get install chromium)" >&2
    exit 2
fi

mkdir -p .lighthouse
printf '*\n' >.lighthouse/.gitignore
if [ "$(node -p "require('./.lighthouse/node_modules/lighthouse/package.json').version" 2>/dev/null)" != "$LH_VERSION" ]; then
    echo "installing lighthouse@$LH_VERSION into .lighthouse/ ..."
    npm install --prefix .lighthouse --no-audit --no-fund --loglevel=error "lighthouse@$LH_VERSION"
fi

tmp=$(mktemp -d)
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT


port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PYTHON" build.py build --content content --out "$tmp/site" --base-url "http://127.0.0.1:$port/"
article=$("$PYTHON" -c '
import json, sys
data = json.load(open(sys.argv[1], encoding="utf-8"))
print(max(data["articles"], key=lambda a: len(a["claims"]))["url"])' "$tmp/site/claims.json")
"$PYTHON" -m http.server "$port" --bind 127.0.0.1 --directory "$tmp/site" >/dev/null 2>&1 &
server_pid=$!
for _ in $(seq 50); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/index.html" && break
    sleep 0.1
done

mkdir -p "$OUT"
rm -f "$OUT"/*.report.json "$OUT"/*.report.html
# The index is audited at the site's root address, as readers reach it (and as its canonical
# link names it).
for rel in "" "$article" "search.html" "search.html?q=Bridenstein"; do
    name=$(printf '%s' "${rel%.html}" | tr '/?=.' '____')
    name=${name:-index}
    echo "lighthouse: /$rel"
    CHROME_PATH=/usr/bin/chromium .lighthouse/node_modules/.bin/lighthouse \
        "http://127.0.0.1:$port/$rel" \
        --chrome-flags="$FLAGS" \
        --only-categories=performance,accessibility,best-practices,seo \
        --output=json --output=html --output-path="$OUT/$name" --quiet
done

"$PYTHON" - "$OUT" "$LH_MIN" <<'PY'
import glob, json, sys

out, minimum = sys.argv[1], float(sys.argv[2])
low = False
for path in sorted(glob.glob(out + "/*.report.json")):
    report = json.load(open(path, encoding="utf-8"))
    scores = {key: cat["score"] for key, cat in report["categories"].items()}
    bad = {k: v for k, v in scores.items() if v is None or v < minimum}
    line = "  ".join(f"{k} {round(v * 100) if v is not None else '-'}" for k, v in scores.items())
    print(f"{report['finalDisplayedUrl']}: {line}" + (f"  BELOW {minimum}: {sorted(bad)}" if bad else ""))
    for key in sorted(bad):
        for ref in report["categories"][key]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                print(f"    {key}: {audit['id']}: {audit['title']} ({audit['score']})")
    low = low or bool(bad)
sys.exit(1 if low else 0)
PY
