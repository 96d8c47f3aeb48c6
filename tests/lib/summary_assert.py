"""summary_assert.py DIR PROGRAM: run the Python statements PROGRAM (asserts,
as tests/cli/answers.sh writes them) with d bound to DIR/summary.json,
alt(NAME) to its alternative NAME and page(FILE) to the text of DIR/FILE;
exit 0 when they all hold.
"""
import html, json, math, sys
dir = sys.argv[1]
d = json.load(open(dir + "/summary.json", encoding="utf-8"))
def alt(n): return [a for a in d["alternatives"] if a["name"] == n][0]
def page(f): return open(dir + "/" + f, encoding="utf-8").read()
exec(sys.argv[2])
