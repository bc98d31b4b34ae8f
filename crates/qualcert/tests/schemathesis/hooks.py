"""Schemathesis hooks for qualcert's API run (crates/qualcert/tests/it/api_fuzz.rs).

The signature endpoints take a detached CMS signature as application/pkcs7-signature, a
media type schemathesis cannot generate by itself: it gets DER-looking bytes here (a SEQUENCE
header and random content), which the service must refuse cleanly, never with a 5xx.
"""

import datetime

from hypothesis import strategies as st

import schemathesis

schemathesis.openapi.media_type(
    "application/pkcs7-signature",
    st.binary(max_size=512).map(lambda b: b"\x30\x82" + len(b).to_bytes(2, "big") + b),
)
schemathesis.openapi.media_type("application/octet-stream", st.binary(max_size=2048))


def _iin(birth, century_sex, serial):
    """A valid IIN: YYMMDD, the century-and-sex digit, a serial and the check digit
    (weights 1..11, then 3..11,1,2 when the first pass gives 10; a 10 again is no IIN)."""
    body = [int(c) for c in birth.strftime("%y%m%d")] + [century_sex] + [int(c) for c in f"{serial:04d}"]
    for start in (1, 3):
        weights = [(start + i - 1) % 11 + 1 for i in range(11)]
        check = sum(d * w for d, w in zip(body, weights)) % 11
        if check != 10:
            return "".join(map(str, body)) + str(check)
    return None


def _century_digit(birth):
    # 1800s: 1/2, 1900s: 3/4, 2000s: 5/6 (odd for men, even for women).
    return {18: 1, 19: 3, 20: 5}[birth.year // 100]


# An IIN is 12 digits whose last is a check digit over a real birth date: a pattern cannot say
# that, so the schema names the format and this draws IINs the service must accept.
IINS = (
    st.tuples(
        st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31)),
        st.booleans(),
        st.integers(min_value=0, max_value=9999),
    )
    .map(lambda t: _iin(t[0], _century_digit(t[0]) + int(t[1]), t[2]))
    .filter(lambda v: v is not None)
)
schemathesis.openapi.format("iin", IINS)
# An employer is named by a BIN or, for a sole proprietor, an IIN; an IIN is always one of them.
schemathesis.openapi.format("iin-or-bin", IINS)

# A date the schema calls `format: date` is a real calendar day.
schemathesis.openapi.format("date", st.dates().map(lambda d: d.isoformat()))

# The built-in "schema-valid request rejected" check counts every 422 as the schema's fault.
# The service answers 422 for two different things: the edge could not read what the schema
# allows (`/problems/invalid`, a bug in the schema or the edge), and the law refuses what
# was read (`/problems/refused` with its paragraph, a document not uploaded, an
# Idempotency-Key reused for another body). Only the first is a schema-valid request refused;
# the second is the service doing its job, and no schema can say which documents exist. So
# the run excludes the built-in check (see api_fuzz.rs) and uses this one.
EDGE_REFUSALS = {400, 413, 415}


@schemathesis.check
def schema_valid_request_read(ctx, response, case):
    """A request the schema allows is never refused as unreadable: no 400, 413 or 415, and no
    422 that names a field (`/problems/invalid`)."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    kind = None
    if response.status_code == 422:
        try:
            kind = response.json().get("type")
        except ValueError:
            kind = None
    if response.status_code in EDGE_REFUSALS or kind == "/problems/invalid":
        raise AssertionError(
            f"A schema-valid request was refused as unreadable: {response.status_code} {response.text[:300]}"
        )
    return None
