"""json_near.py FILE PATH VALUE: the number at PATH ("a/b/name=X/c": keys,
and list items picked by their "name") is VALUE within 0.01.
"""
import json, sys
f, path, want = sys.argv[1], sys.argv[2], float(sys.argv[3])
o = json.load(open(f))
for part in path.split("/"):
    if part.startswith("name="):
        hits = [x for x in o if isinstance(x, dict) and x.get("name") == part[5:]]
        if not hits:
            sys.exit("no item named %r" % part[5:])
        o = hits[0]
    else:
        o = o[part]
if not isinstance(o, (int, float)) or isinstance(o, bool) or abs(o - want) > 0.01:
    sys.exit("%s = %r, want %r" % (path, o, want))
