#!/usr/bin/env python3
"""No drift between the docs and the tool.

Every paragraph of README.md and docs/*.md that follows a marker line

    <!-- quote: ARGS [; ARGS ...] -->

quotes capmix.  Each ARGS is run (`capmix ARGS`, with `--no-plots -o TMP` for
the commands that write a folder); the paragraph's double-quoted text (split
at '…' into fragments) and every money figure in it ($459k, $15,500) must
appear in what those runs printed or wrote to summary.json.  Prints one
"ok - ..." or "not ok - ..." line per marker.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

BIN = os.environ.get("CAPMIX", "bin/capmix")
WRITES = {"run", "bid", "envelope", "sweep", "breakeven", "tornado"}


def strings(v, out):
    if isinstance(v, str):
        out.append(v)
    elif isinstance(v, dict):
        for x in v.values():
            strings(x, out)
    elif isinstance(v, list):
        for x in v:
            strings(x, out)


def norm(s):
    return re.sub(r"\s+", " ", s.replace("*", "")).strip()


def produce(args, tmp):
    argv = [BIN] + args.split()
    out_dir = None
    if argv[1] in WRITES:
        out_dir = os.path.join(tmp, "o%d" % len(os.listdir(tmp)))
        argv += ["--no-plots", "-o", out_dir]
    p = subprocess.run(argv, capture_output=True, text=True)
    if p.returncode != 0:
        return None, "capmix %s: exit %d: %s" % (args, p.returncode, p.stderr.strip()[:300])
    text = [p.stdout]
    if out_dir and os.path.exists(os.path.join(out_dir, "summary.json")):
        with open(os.path.join(out_dir, "summary.json"), encoding="utf-8") as f:
            strings(json.load(f), text)
    return norm("\n".join(text)), None


def main(files):
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            lines = open(path, encoding="utf-8").read().splitlines()
            for i, line in enumerate(lines):
                m = re.match(r"\s*<!-- quote: (.*?) -->\s*$", line)
                if not m:
                    continue
                para = []
                for l in lines[i + 1:]:
                    if not l.strip() or "<!-- quote:" in l:
                        break
                    para.append(l)
                para = norm(" ".join(para))
                text, why = "", []
                for args in m.group(1).split(";"):
                    t, err = produce(args.strip(), tmp)
                    if err:
                        why.append(err)
                    else:
                        text += " " + t
                for q in re.findall(r'"([^"]+)"', para):
                    for frag in q.split("…"):
                        frag = norm(frag).strip(" .;:")
                        if frag and frag not in text:
                            why.append("quoted text not in the output: %r" % frag)
                for fig in re.findall(r"\$[0-9][0-9,.]*[kM]?", para):
                    fig = fig.rstrip(".,")
                    if fig not in text and fig[1:] not in text:
                        why.append("figure %s not in the output" % fig)
                desc = "%s:%d quotes capmix %s" % (path, i + 1, m.group(1))
                if why:
                    failed += 1
                    print("not ok - " + desc)
                    for w in why:
                        print("#   " + w)
                else:
                    print("ok - " + desc)
    return failed


if __name__ == "__main__":
    sys.exit(1 if main(sys.argv[1:]) else 0)
