"""rel_close.py A B REL: exit 0 when the numbers A and B agree to REL
relative to A (|A - B| <= REL |A|)."""
import sys
a, b, rel = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
sys.exit(abs(a - b) > rel * abs(a))
