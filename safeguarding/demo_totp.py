"""The demo's authenticator keys (issue 11.6), without Django: ``seed_demo`` enrols the demo's
business manager, administrator and platform operator with these keys, and scripts that drive the
demo (the load benchmark) compute the same codes. Demo only: the key follows from the address."""

from __future__ import annotations

import hashlib
from binascii import unhexlify

from django_otp.oath import totp

DEMO_SEED = "northbridge-demo-two-step"


def demo_key_hex(email: str) -> str:
    """The 20-byte key (40 hex digits) of the demo authenticator for ``email`` (canonical form)."""
    return hashlib.sha1(f"{DEMO_SEED}:{email}".encode(), usedforsecurity=False).hexdigest()


def demo_code(email: str) -> str:
    """The 6-digit code the demo authenticator for ``email`` shows now (30-second steps)."""
    return f"{totp(unhexlify(demo_key_hex(email)), step=30, t0=0, digits=6):06d}"
