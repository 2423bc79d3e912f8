"""Helpers for the load and fault scripts: a seeded PostgreSQL database, the portal under
gunicorn on loopback, and a small HTTP client that signs in like a browser.

Everything here talks only to 127.0.0.1.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
DEMO_PASSWORD = "Northbridge-demo-2026"
# Benchmarks keep mail in memory: the console backend (the settings' default) would print every
# notification into the output a benchmark reads.
LOCMEM_EMAIL = "django.core.mail.backends.locmem.EmailBackend"


def run(cmd: list[str], env: dict | None = None, timeout: int = 900) -> str:
    result = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, text=True,
                            timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{cmd} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result.stdout


def fresh_database(name: str, *, port: int = 5432, seed: bool = True, env: dict | None = None) -> str:
    url = f"postgres://postgres@127.0.0.1:{port}/{name}"
    run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", name])
    run(["createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", name])
    base = {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "safeguarding.settings.local", "CELERY_BROKER_URL": "",
            "EMAIL_BACKEND": LOCMEM_EMAIL}
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], base | (env or {}))
    if seed:
        run([PY, "manage.py", "seed_demo"], base | (env or {}))
    return url


def server_env(database_url: str, broker_url: str = "", media_root: str | None = None) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "safeguarding.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "MEDIA_ROOT": media_root or str(ROOT / "var" / "bench-media"),
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": LOCMEM_EMAIL,
    }


@contextmanager
def gunicorn(env: dict, *, port: int, workers: int = 3, threads: int = 4):
    """The portal under gunicorn (static files collected first, as in production)."""
    static_root = ROOT / "var" / "bench-static"
    env = env | {"STATIC_ROOT": str(static_root)}
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    log = open(ROOT / "var" / f"gunicorn-{port}.log", "w")  # noqa: SIM115 - closed with the server
    proc = subprocess.Popen(
        [str(Path(PY).with_name("gunicorn")), "safeguarding.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--timeout", "30", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=log,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _ = Session(port).get("/healthz")
                if status in (200, 503):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("gunicorn did not start")
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Session:
    """A browser-like client on loopback: cookies, CSRF tokens, redirects not followed."""

    def __init__(self, port: int, timeout: float = 30):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def _request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            hdrs = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", **(headers or {})}
            if self.cookies:
                hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=hdrs)
            response = conn.getresponse()
            data = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, data.decode("utf-8", "replace"), response.getheader("Location")
        finally:
            conn.close()

    def get(self, path: str):
        status, body, _ = self._request("GET", path)
        return status, body

    def post(self, path: str, form: dict, *, referer_path: str | None = None):
        status, page = self.get(referer_path or path)
        token = _CSRF_INPUT.search(page)
        data = {"csrfmiddlewaretoken": token.group(1) if token else "", **form}
        body = urllib.parse.urlencode(data, doseq=True).encode()
        return self._request("POST", path, body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://127.0.0.1{referer_path or path}",
        })

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> bool:
        status, _, location = self.post("/account/sign-in/", {"username": email, "password": password})
        if status == 302 and "/account/two-step/" in (location or ""):
            # The demo's key holders type the code of their demo authenticator (issue 11.6).
            from safeguarding.demo_totp import demo_code

            status, _, location = self.post("/account/two-step/", {"code": demo_code(email)})
        return status == 302 and "sign-in" not in (location or "") and "two-step" not in (location or "")
