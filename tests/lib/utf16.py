"""utf16.py SRC BOM NOBOM: write the UTF-8 text file SRC as UTF-16 with its
byte-order mark to BOM, and as UTF-16-LE without one to NOBOM.
"""
import sys
t = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2], "wb").write(t.encode("utf-16"))
open(sys.argv[3], "wb").write(t.encode("utf-16-le"))
