#!/bin/sh
# report.html checks: its text (always), and its rendering in a real
# browser when Debian's chromium is installed (`make check-browser`
# installs it): the DOM after rendering has the answer, the comparison
# table and the charts, and a screenshot is kept in build/report-screenshot.png.
# Last line: "browser: N passed, M failed".
set -u
CAPMIX=${CAPMIX:-bin/capmix}
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/#   /'; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capmix-browser.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# A scenario whose free text tries to inject markup.
sed -e 's/^name: fixed-bid-offer$/name: "<script>alert(1)<\/script> \& co"/' \
    scenarios/fixed-bid-offer.yaml >"$tmp/evil.yaml"
if "$CAPMIX" bid "$tmp/evil.yaml" --trials 2000 -q -o "$tmp/out" 2>"$tmp/err"; then
    ok "bid writes report.html"
else
    not_ok "bid writes report.html" "$(cat "$tmp/err")"
fi
R="$tmp/out/report.html"
if [ -f "$R" ] && ! grep -q '<script>' "$R" && grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &amp; co' "$R"; then
    ok "user text is escaped in report.html"
else
    not_ok "user text is escaped in report.html"
fi
for id in answer comparison bid scenario provenance; do
    if grep -q "id=\"$id\"" "$R" 2>/dev/null; then ok "report.html has #$id"; else not_ok "report.html has #$id"; fi
done
if grep -q 'verdict' "$R" 2>/dev/null && grep -q 'break-even price' "$R"; then
    ok "report.html states the verdict"
else
    not_ok "report.html states the verdict"
fi
if [ -f "$tmp/out/report.md" ] && grep -q '^## Comparison' "$tmp/out/report.md"; then
    ok "report.md has the comparison"
else
    not_ok "report.md has the comparison"
fi
if command -v gnuplot >/dev/null 2>&1; then
    n=$(grep -c '<svg' "$R")
    if [ "$n" -ge 5 ]; then ok "report.html inlines the charts as SVG ($n)"; else not_ok "report.html inlines the charts as SVG" "found $n"; fi
    if grep -q 'src="http\|href="http\|<link ' "$R"; then not_ok "report.html needs no external asset"; else ok "report.html needs no external asset"; fi
fi

# The real browser.
if command -v chromium >/dev/null 2>&1; then
    flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=$tmp/profile"
    # shellcheck disable=SC2086
    timeout 90 chromium $flags --dump-dom "file://$R" >"$tmp/dom.html" 2>/dev/null
    if [ -s "$tmp/dom.html" ]; then
        why=""
        grep -q 'id="answer"' "$tmp/dom.html" || why="no #answer in the rendered DOM
"
        grep -q 'id="comparison"' "$tmp/dom.html" || why="${why}no #comparison
"
        n=$(grep -o '<svg' "$tmp/dom.html" | wc -l)
        command -v gnuplot >/dev/null 2>&1 && [ "$n" -lt 5 ] && why="${why}only $n charts rendered
"
        grep -q 'partner-fixed-bid' "$tmp/dom.html" || why="${why}the bid's name is missing
"
        if [ -z "$why" ]; then ok "chromium renders report.html with its answer, table and $n charts"; else not_ok "chromium renders report.html" "$why"; fi
        mkdir -p build
        # shellcheck disable=SC2086
        if timeout 90 chromium $flags --window-size=1100,2600 --screenshot="$tmp/shot.png" "file://$R" >/dev/null 2>&1 &&
            [ -s "$tmp/shot.png" ]; then
            cp "$tmp/shot.png" build/report-screenshot.png
            ok "screenshot saved to build/report-screenshot.png"
        else
            not_ok "screenshot of report.html"
        fi
    else
        echo "# skip: chromium did not start here; the rendering was not checked"
    fi
else
    echo "# skip: chromium is not installed (make check-browser installs it)"
fi
echo "browser: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
