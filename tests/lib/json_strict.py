"""json_strict.py FILE: exit 0 when FILE is strict JSON.

Python's json module accepts NaN and Infinity, JSON does not.
"""
import json, sys
def bad(tok):
    raise ValueError("not JSON: " + tok)
json.load(open(sys.argv[1]), parse_constant=bad)
