"""Schemathesis hooks for qualcert's API run (crates/qualcert/tests/it/api_fuzz.rs).

The signature endpoints take a detached CMS signature as application/pkcs7-signature, a
media type schemathesis cannot generate by itself: it gets DER-looking bytes here (a SEQUENCE
header and random content), which the service must refuse cleanly, never with a 5xx.
"""

from hypothesis import strategies as st

import schemathesis

schemathesis.openapi.media_type(
    "application/pkcs7-signature",
    st.binary(max_size=512).map(lambda b: b"\x30\x82" + len(b).to_bytes(2, "big") + b),
)
schemathesis.openapi.media_type("application/octet-stream", st.binary(max_size=2048))
