#!/bin/sh
# CLI tests for `capmix help TOPIC`: every scenario section and key group
# has a page, `capmix help` lists them all, each page lists the loader's
# keys, and each topic's example is a complete scenario that `capmix
# validate` accepts; and the command line as a whole: no command, an
# unknown command, --help, -h, --version, help on a kind.  POSIX sh, from
# the repository root; last line "cli: N passed, M failed" (see
# tests/run-all.sh).
set -u
LC_ALL=C
export LC_ALL
. tests/lib/cli.sh
cli_setup help

"$BIN" help >"$T/list" 2>&1
rc=$?
if [ "$rc" = 0 ]; then ok "help lists kinds, topics and commands"; else not_ok "help lists kinds, topics and commands" "exit $rc"; fi
topics=$(awk '/^scenario topics/ { f = 1; next } f && /^  / { print $1 } f && /^$/ { f = 0 }' "$T/list")

# the topics the issue asks for are all listed
for want in work people outcomes throughput tokens oversight overheads fixed_bid stop_loss \
    decision correlations sweep breakeven calendar metrics; do
    if printf '%s\n' "$topics" | grep -qx "$want"; then ok "help lists the topic '$want'"
    else not_ok "help lists the topic '$want'" "$(cat "$T/list")"; fi
done

for t in $topics; do
    "$BIN" help "$t" >"$T/page" 2>"$T/err"
    rc=$?
    if [ "$rc" = 0 ] && grep -q '^keys of \|^metrics:' "$T/page" && grep -q '^example' "$T/page"; then
        ok "help $t: a page with its keys and an example"
    else
        not_ok "help $t: a page with its keys and an example" "exit $rc" "$(head -5 "$T/page" "$T/err")"
    fi
    "$BIN" help "$t" --example >"$T/$t.yaml" 2>"$T/err"
    if "$BIN" validate "$T/$t.yaml" >"$T/out" 2>"$T/err"; then ok "help $t --example validates"
    else not_ok "help $t --example validates" "$(head -5 "$T/err")"; fi
    # the example printed on the page is the one that validated
    if sed -n '/^example/,$p' "$T/page" | sed '1,2d' | cmp -s - "$T/$t.yaml"; then
        ok "help $t: the page's example is the --example text"
    else not_ok "help $t: the page's example is the --example text"; fi
    # a section topic's example uses that section
    case $t in
    metrics | sources | scenario | alternatives) ;;
    *)
        if grep -q "^ *$t:" "$T/$t.yaml"; then ok "help $t --example uses '$t:'"
        else not_ok "help $t --example uses '$t:'" "$(cat "$T/$t.yaml")"; fi ;;
    esac
done

# keys come from the loader's tables: every key on a page is accepted by it
# (spot checks against the loader's own error for a typo)
"$BIN" help work >"$T/page"
if grep -q '^keys of work: outcomes, horizon_days, horizon_months, target_day, cost_of_delay, replace_superseded, start_date$' "$T/page" \
    && grep -q '^keys of work.cost_of_delay: per_day, annual_value, days_per_year$' "$T/page"; then
    ok "help work lists the loader's work and cost_of_delay keys"
else not_ok "help work lists the loader's work and cost_of_delay keys" "$(grep '^keys' "$T/page")"; fi
sed 's/^  horizon_days:/  horizon_dayz:/' "$T/work.yaml" >"$T/typo.yaml"
"$BIN" validate "$T/typo.yaml" >"$T/out" 2>"$T/err"
if grep -q "did you mean 'horizon_days'" "$T/err"; then ok "a typo of a listed key is caught by the same table"
else not_ok "a typo of a listed key is caught by the same table" "$(head -3 "$T/err")"; fi
"$BIN" help tokens >"$T/page"
if grep -q '^keys of tokens: monthly, growth_per_month, per_item$' "$T/page"; then ok "help tokens lists the reader's token keys"
else not_ok "help tokens lists the reader's token keys" "$(grep '^keys' "$T/page")"; fi

# commands that share a name with a section: the command's help, then the section's
"$BIN" help sweep >"$T/page" 2>&1
if grep -q '^usage: capmix sweep' "$T/page" && grep -q '^keys of sweep: set, metric, between$' "$T/page"; then
    ok "help sweep: the command's options, then the sweep section"
else not_ok "help sweep: the command's options, then the sweep section" "$(head -3 "$T/page")"; fi
"$BIN" help run >"$T/page" 2>&1
if grep -q '^usage: capmix run' "$T/page" && ! grep -q '^keys of' "$T/page"; then ok "help run: the command's options alone"
else not_ok "help run: the command's options alone"; fi

# errors
"$BIN" help wrk >"$T/out" 2>"$T/err"; rc=$?
if [ "$rc" = 2 ] && grep -q "did you mean 'work'" "$T/err"; then ok "help with a typo of a topic: exit 2 and the topic"
else not_ok "help with a typo of a topic: exit 2 and the topic" "exit $rc" "$(cat "$T/err")"; fi
"$BIN" help work --examples >"$T/out" 2>"$T/err"; rc=$?
if [ "$rc" = 2 ] && [ ! -s "$T/out" ]; then ok "help TOPIC with an unknown option: exit 2, nothing printed"
else not_ok "help TOPIC with an unknown option: exit 2, nothing printed" "exit $rc"; fi
"$BIN" help offshore_pod >"$T/out" 2>&1; rc=$?
if [ "$rc" = 0 ] && grep -q '^pay keys:' "$T/out"; then ok "help KIND still describes the kind"
else not_ok "help KIND still describes the kind" "exit $rc"; fi

# --- the command line as a whole (from the old run.sh) ---------------------
usage_error "no command prints the usage" "usage: capmix COMMAND"
usage_error "unknown command suggests the nearest" "unknown command 'rn' (did you mean 'run'?)" rn
usage_error "help on an unknown kind" "help: unknown kind 'nosuchkind'" help nosuchkind
usage_error "help on a misspelt kind suggests the nearest" "(did you mean 'in_house'?)" help in_hose
help_ok "capmix --help" "usage: capmix COMMAND" --help
help_ok "capmix -h" "usage: capmix COMMAND" -h
help_ok "capmix --version" "capmix " --version
help_ok "capmix help lists the kinds" "offshore_pod" help
help_ok "capmix help offshore_pod" "required: headcount, hourly_rate" help offshore_pod

finish
