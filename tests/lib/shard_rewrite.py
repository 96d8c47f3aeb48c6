"""shard_rewrite.py FILE WHAT: rewrite the header of the capmix shard FILE
as another capmix would have written it (WHAT: version, old-release,
format or index)
and put a valid SHA-256 trailer back, so that only the header is wrong.
"""
import hashlib, sys
p, what = sys.argv[1], sys.argv[2]
b = bytearray(open(p, 'rb').read()[:-32])
if what == 'version':
    b[16:32] = b'9.9.9'.ljust(16, b'\0')
elif what == 'old-release':
    b[16:32] = b'0.1.0'.ljust(16, b'\0')
else:
    b[12:16] = (2).to_bytes(4, 'little')
open(p, 'wb').write(bytes(b) + hashlib.sha256(b).digest())
