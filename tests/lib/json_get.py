"""json_get.py [--test] FILE EXPR: evaluate the Python expression EXPR with
j bound to the JSON document in FILE and print the result; with --test,
print nothing and exit 0 exactly when the result is true."""
import json, sys
test = sys.argv[1] == "--test"
f, expr = sys.argv[1 + test], sys.argv[2 + test]
j = json.load(open(f, encoding="utf-8"))
v = eval(expr, {"j": j})
if test:
    sys.exit(0 if v else 1)
print(v)
