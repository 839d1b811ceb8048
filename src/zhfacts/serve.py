"""`zhfacts review serve`: review facts in the browser, one at a time, by keyboard.

A local web app over the store on the standard library's threading HTTP server (no
framework to install, nothing fetched from a network).  Every decision is written to
the store when it is made, with its time, reviewer and source, through the same
`Store.save_reviews` a spreadsheet import uses; `facts.csv` shows it after the next
export (on stop, `zhfacts review export` or any ingest).

Safe on a shared machine: it listens on 127.0.0.1 unless told otherwise; a random token
in the printed URL must come with every request (403 without it); writes also check
`Host` and `Origin` (no cross-site writes, no DNS rebinding); request bodies are capped;
the page builds every piece of article text with `textContent` under a Content Security
Policy that allows no inline script.
"""
from __future__ import annotations

import hmac
import ipaddress
import json
import secrets
import signal
import socket
import sys
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .review import HELP, parse_decision
from .store import Store

MAX_BODY = 16 * 1024  # bytes: a decision and a note are a few hundred
QUEUE_LIMIT = 5000  # facts sent to the page at once: filter to reach the others
PARAGRAPH = 300  # characters of context either side of the evidence, within its paragraph
FILTERS = ("metric", "status", "state", "article", "province", "period")
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; script-src 'self'; style-src 'self'; "
                                "connect-src 'self'; img-src 'self'; base-uri 'none'; "
                                "form-action 'none'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the token is in the URL: never send it on
    "Cache-Control": "no-store",
}
ASSETS = {"/app.js": "text/javascript; charset=utf-8", "/app.css": "text/css; charset=utf-8"}


class Refused(Exception):
    """A request the server will not serve: its status and why."""

    def __init__(self, status: HTTPStatus, reason: str):
        super().__init__(reason)
        self.status = status


@dataclass
class ReviewApp:
    """What the request handlers share: the store (one connection, one call at a time),
    the token, the reviewer's name and the addresses the page may be reached at."""

    out: Path
    token: str
    reviewer: str
    store: Store
    lock: threading.Lock
    hosts: frozenset = frozenset()
    decided: int = 0

    # -- reading -------------------------------------------------------------------------
    def queue(self, filters: dict[str, str]) -> dict:
        """The facts the filters select, in article order, with the progress line."""
        where, params = [], []
        for key, value in filters.items():
            if not value:
                continue
            if key == "state":
                where.append({"unreviewed": "r.review IS NULL OR r.review = ''", "ok": "r.review = 'ok'",
                              "wrong": "r.review = 'wrong'",
                              "corrected": "r.review NOT IN ('', 'ok', 'wrong')"}.get(value, "0"))
            else:
                where.append({"metric": "f.metric = ?", "status": "f.status = ?", "article": "f.article_id = ?",
                              "province": "f.province = ?", "period": "f.period = ?"}[key])
                params.append(value)
        sql = ("SELECT f.fact_id, f.article_id, a.source_file, a.title, f.metric, f.value, f.value_max, "
               "f.unit, f.status, f.province, f.city, f.county, f.period, r.review, r.note "
               "FROM facts f JOIN articles a USING(article_id) LEFT JOIN reviews r USING(fact_id)"
               + (" WHERE " + " AND ".join(f"({w})" for w in where) if where else "")
               + " ORDER BY a.source_file, f.seq")
        with self.lock:
            cursor = self.store.db.execute(sql, params)
            rows = cursor.fetchmany(QUEUE_LIMIT)
            rest = cursor.fetchall()  # beyond the queue's length: counted, not sent
        facts = [dict(zip(("fact_id", "article_id", "source_file", "title", "metric", "value", "value_max",
                           "unit", "status", "province", "city", "county", "period", "review", "note"), r))
                 for r in rows]
        for f in facts:
            f["review"], f["note"] = f["review"] or "", f["note"] or ""
        return {"facts": facts, "total": len(facts) + len(rest),
                "reviewed": sum(1 for f in facts if f["review"]) + sum(1 for r in rest if r[13])}

    def options(self) -> dict:
        """The values each filter offers."""
        with self.lock:
            q = lambda sql: [r[0] for r in self.store.db.execute(sql) if r[0]]
            articles = self.store.db.execute(
                "SELECT article_id, source_file, title FROM articles WHERE article_id IN "
                "(SELECT DISTINCT article_id FROM facts) ORDER BY source_file").fetchall()
            return {"metric": q("SELECT DISTINCT metric FROM facts ORDER BY 1"),
                    "status": q("SELECT DISTINCT status FROM facts ORDER BY 1"),
                    "state": ["unreviewed", "ok", "wrong", "corrected"],
                    "province": q("SELECT DISTINCT province FROM facts ORDER BY 1"),
                    "period": q("SELECT DISTINCT period FROM facts ORDER BY 1"),
                    "article": [[a, f"{Path(s).name} {t or ''}"[:60]] for a, s, t in articles]}

    def fact(self, fact_id: str) -> dict:
        """One fact with its article's title, source and date, the paragraph around its
        evidence cut into pieces (text, kind: '', 'evidence' or 'number'), and its
        history of decisions."""
        with self.lock:
            row = self.store.db.execute(
                "SELECT f.fact_id, f.metric, f.value, f.value_max, f.unit, f.qualifier, f.status, f.evidence, "
                "f.start, f.\"end\", f.rule_id, f.province, f.city, f.county, f.period, f.place_from, "
                "f.period_from, a.title, a.source, a.published, a.author, a.source_file, a.original, "
                "r.review, r.note FROM facts f JOIN articles a USING(article_id) "
                "LEFT JOIN reviews r USING(fact_id) WHERE f.fact_id = ?", (fact_id,)).fetchone()
            if row is None:
                raise Refused(HTTPStatus.NOT_FOUND, f"no fact {fact_id!r} in the store (re-extracted since?)")
            history = self.store.history(fact_id)
        keys = ("fact_id", "metric", "value", "value_max", "unit", "qualifier", "status", "evidence", "start",
                "end", "rule_id", "province", "city", "county", "period", "place_from", "period_from",
                "title", "source", "published", "author", "source_file", "original", "review", "note")
        f = dict(zip(keys, row))
        original = f.pop("original") or ""
        f["paragraph"] = paragraph(original, f["start"], f["end"], f["value"])
        f["review"], f["note"] = f["review"] or "", f["note"] or ""
        f["history"] = history
        return f

    # -- writing -------------------------------------------------------------------------
    def decide(self, body: dict) -> dict:
        """Store one decision: `review` (ok, wrong, a number as typed) and/or `note`;
        a key left out keeps what is there."""
        fact_id = str(body.get("fact_id", ""))
        with self.lock:
            exists = self.store.db.execute("SELECT 1 FROM facts WHERE fact_id=?", (fact_id,)).fetchone()
            if not exists:
                raise Refused(HTTPStatus.NOT_FOUND, f"no fact {fact_id!r} in the store")
            current = self.store.review(fact_id)
            review = current[0]
            if "review" in body:
                review = parse_decision(str(body["review"]))
                if review is None:
                    raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY,
                                  f"{str(body['review'])!r} is not {HELP}")
            note = str(body["note"]).strip() if "note" in body else current[1]
            self.store.save_reviews([{"fact_id": fact_id, "review": review, "note": note}],
                                    reviewer=self.reviewer, source="browser")
            self.decided += 1
        return {"fact_id": fact_id, "review": review, "note": note}

    def undo(self, body: dict) -> dict:
        fact_id = str(body.get("fact_id", ""))
        with self.lock:
            found = self.store.undo_review(fact_id, reviewer=self.reviewer, source="browser")
            self.decided += found is not None
        if found is None:
            raise Refused(HTTPStatus.CONFLICT, f"no decision on {fact_id!r} to undo")
        return {"fact_id": fact_id, "review": found[0], "note": found[1]}


def paragraph(original: str, start: int, end: int, value: float) -> list[list[str]]:
    """The line of `original` holding the evidence, at most PARAGRAPH characters either
    side, as pieces [text, kind]: the number the fact reads is 'number', the rest of the
    evidence 'evidence'."""
    from .numbers import find_quantities

    lo = max(original.rfind("\n", 0, start) + 1, start - PARAGRAPH)
    hi = original.find("\n", end)
    hi = min(len(original) if hi < 0 else hi, end + PARAGRAPH)
    evidence = original[start:end]
    a = b = None
    for q in find_quantities(evidence):
        if abs(q.value - value) < 1e-6 * max(1.0, abs(value)):
            a, b = q.start, q.end
            break
    pieces = [[original[lo:start], ""]]
    if a is None:
        pieces.append([evidence, "evidence"])
    else:
        pieces += [[evidence[:a], "evidence"], [evidence[a:b], "number"], [evidence[b:], "evidence"]]
    pieces.append([original[end:hi], ""])
    return [p for p in pieces if p[0]]


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The `Host` values the page may be reached under: the address it listens on and
    its loopback names; on every interface (0.0.0.0, ::), "*" and this machine's names
    (any IP literal then passes too, see host_allowed)."""
    if host in ("0.0.0.0", "::", ""):
        names = {"*", "localhost", "127.0.0.1", "[::1]", socket.gethostname().lower(), socket.getfqdn().lower()}
    elif host in ("127.0.0.1", "localhost"):
        names = {host, "127.0.0.1", "localhost"}
    elif host in ("::1", "[::1]"):
        names = {"[::1]", "localhost"}
    else:
        names = {f"[{host}]" if ":" in host else host}
    return frozenset(f"{n}:{port}" for n in names)


def host_allowed(value: str, hosts: frozenset[str]) -> bool:
    """Whether a `Host` (or an Origin's host:port) names this server.  A DNS name must be
    one of ours (a rebinding attack comes under its own name); on every interface an IP
    literal with our port passes too (a colleague on the LAN types the address).

    >>> hosts = allowed_hosts("127.0.0.1", 8765)
    >>> [host_allowed(h, hosts) for h in ["127.0.0.1:8765", "localhost:8765", "evil.example:8765", "127.0.0.1:80"]]
    [True, True, False, False]
    >>> hosts = allowed_hosts("0.0.0.0", 8765)
    >>> [host_allowed(h, hosts) for h in ["192.168.1.20:8765", "[fe80::1]:8765", "evil.example:8765"]]
    [True, True, False]
    """
    value = value.lower()
    if value in hosts:
        return True
    if not any(h.startswith("*:") for h in hosts):
        return False
    name, _, port = value.rpartition(":")
    if f"*:{port}" not in hosts:
        return False
    try:
        ipaddress.ip_address(name.strip("[]"))
        return True
    except ValueError:
        return False


def asset(name: str) -> str:
    return resources.files("zhfacts").joinpath("data", "review", name).read_text(encoding="utf-8")


def make_handler(app: ReviewApp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "zhfacts-review"
        sys_version = ""

        def do_GET(self) -> None:  # noqa: N802 (the standard library's names)
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def do_PUT(self) -> None:  # noqa: N802
            self._send_error(HTTPStatus.METHOD_NOT_ALLOWED, "only GET and POST")

        do_DELETE = do_PATCH = do_PUT

        def log_message(self, format: str, *args) -> None:  # quiet: the token is in every URL
            pass

        def _serve(self, method: str) -> None:
            try:
                url = urlsplit(self.path)
                self._check_host()
                self._check_token(url)
                if method == "POST":
                    self._check_origin()
                    body = self._body()
                    result = {"/api/decide": app.decide, "/api/undo": app.undo}.get(url.path)
                    if result is None:
                        raise Refused(HTTPStatus.NOT_FOUND, f"no {url.path}")
                    self._send_json(result(body))
                    return
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/":
                    page = asset("index.html").replace("{{token}}", app.token)  # token_urlsafe: no markup
                    self._send(HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8")
                elif url.path in ASSETS:
                    self._send(HTTPStatus.OK, asset(url.path[1:]).encode("utf-8"), ASSETS[url.path])
                elif url.path == "/api/queue":
                    self._send_json(app.queue({k: query.get(k, "") for k in FILTERS}))
                elif url.path == "/api/options":
                    self._send_json(app.options())
                elif url.path == "/api/fact":
                    self._send_json(app.fact(query.get("id", "")))
                else:
                    raise Refused(HTTPStatus.NOT_FOUND, f"no {url.path}")
            except Refused as e:
                self._send_error(e.status, str(e))

        # -- checks ----------------------------------------------------------------------
        def _check_host(self) -> None:
            if not host_allowed(self.headers.get("Host", ""), app.hosts):  # DNS rebinding: a foreign name for us
                raise Refused(HTTPStatus.FORBIDDEN, "unknown Host")

        def _check_token(self, url) -> None:
            given = parse_qs(url.query).get("token", [""])[0] or self.headers.get("X-Zhfacts-Token", "")
            if not hmac.compare_digest(given.encode(), app.token.encode()):
                raise Refused(HTTPStatus.FORBIDDEN, "missing or wrong token: open the URL zhfacts printed")

        def _check_origin(self) -> None:
            origin = self.headers.get("Origin")
            site = self.headers.get("Sec-Fetch-Site")
            if origin is not None and not host_allowed(urlsplit(origin).netloc, app.hosts):
                raise Refused(HTTPStatus.FORBIDDEN, "cross-origin write")
            if origin is None and site not in (None, "same-origin", "none"):
                raise Refused(HTTPStatus.FORBIDDEN, "cross-site write")

        def _body(self) -> dict:
            length = self.headers.get("Content-Length")
            if length is None or not length.isdigit():
                raise Refused(HTTPStatus.LENGTH_REQUIRED, "a write needs a Content-Length")
            if int(length) > MAX_BODY:
                self.close_connection = True  # the rest of an oversized body is never read
                raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"body over {MAX_BODY} bytes")
            try:
                body = json.loads(self.rfile.read(int(length)) or b"{}")
            except (ValueError, UnicodeDecodeError):
                raise Refused(HTTPStatus.BAD_REQUEST, "the body is not JSON") from None
            if not isinstance(body, dict):
                raise Refused(HTTPStatus.BAD_REQUEST, "the body must be a JSON object")
            return body

        # -- answers ---------------------------------------------------------------------
        def _send(self, status: HTTPStatus, data: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for k, v in SECURITY_HEADERS.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _send_json(self, obj) -> None:
            self._send(HTTPStatus.OK, json.dumps(obj, ensure_ascii=False).encode("utf-8"),
                       "application/json; charset=utf-8")

        def _send_error(self, status: HTTPStatus, reason: str) -> None:
            self._send(status, json.dumps({"error": reason}, ensure_ascii=False).encode("utf-8"),
                       "application/json; charset=utf-8")

    return Handler


def start(out: Path, host: str = "127.0.0.1", port: int = 0, reviewer: str = "reviewer",
          token: str | None = None) -> tuple[ThreadingHTTPServer, ReviewApp, str]:
    """A running server (in a thread of its own) over `out`'s store: (server, app, URL)."""
    path = Path(out) / "zhfacts.sqlite"
    if not path.exists():
        raise FileNotFoundError(f"no store in {out}/ (zhfacts.sqlite); run zhfacts ingest DUMP --out {out} first")
    store = Store(path, threads=True)
    app = ReviewApp(Path(out), token or secrets.token_urlsafe(24), reviewer, store, threading.Lock())
    server_class = ThreadingHTTPServer
    if ":" in host:  # an IPv6 address
        server_class = type("ThreadingHTTPServer6", (ThreadingHTTPServer,), {"address_family": socket.AF_INET6})
    server = server_class((host.strip("[]"), port), make_handler(app))
    server.daemon_threads = True
    port = server.server_address[1]
    app.hosts = allowed_hosts(host, port)
    threading.Thread(target=server.serve_forever, name="zhfacts-review", daemon=True).start()
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else "[::1]" if host == "::" else (
        f"[{host}]" if ":" in host and not host.startswith("[") else host)
    return server, app, f"http://{shown}:{port}/?token={app.token}"


def stop(server: ThreadingHTTPServer, app: ReviewApp) -> None:
    server.shutdown()
    server.server_close()
    with app.lock:
        app.store.close()


def serve(out: Path, host: str = "127.0.0.1", port: int = 0, reviewer: str = "reviewer") -> int:
    """Serve until Ctrl-C; then write the exports if anything was decided."""
    try:
        server, app, url = start(out, host, port, reviewer)
    except (FileNotFoundError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"zhfacts: warning: listening on {host}: anyone who can reach it and has the URL can review",
              file=sys.stderr)
    print(f"zhfacts: reviewing {out}/ as {reviewer!r}; open\n  {url}\nzhfacts: Ctrl-C stops", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())  # a kill stops as cleanly as Ctrl-C
    try:
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    decided = app.decided
    stop(server, app)
    if decided:
        from .engine import write_exports

        store = Store(Path(out) / "zhfacts.sqlite")
        try:
            write_exports(store, Path(out))
        finally:
            store.close()
        print(f"\nzhfacts: stopped; {decided} decision(s) this session, now in {out}/facts.csv")
    else:
        print("\nzhfacts: stopped")
    return 0
