"""utf8_escape.py: copy stdin to stdout, decoding it as UTF-8 with every
ill-formed byte written as \\xHH, as capmix echoes a source line under an
error (sim/base/textesc.h)."""
import sys
sys.stdout.write(sys.stdin.buffer.read().decode("utf-8", "backslashreplace"))
