"""Drive headless Chromium over the Chrome DevTools Protocol (test code, no Playwright).

The OS package (``chromium`` on Debian) is started with a fresh profile and
``--remote-debugging-port=0``; the port it picked is read from ``DevToolsActivePort`` in
the profile folder, and one page target is driven over a websocket (``websocket-client``).
:meth:`Chromium.visit` loads a local page at a given window width (CSS pixels, as a desktop
window that narrow) and returns what the report must not do there: console errors, requests
beyond the page's own file (``data:`` images are part of the file), content wider than the
window (a table may scroll inside its own box), table cells aligned against their content
(numbers right, text left), images shown at another aspect ratio than they were drawn, and
a page without ``<meta name="viewport">`` (a phone would show it shrunk).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import websocket

#: Executables tried in order (``CHROMIUM`` in the environment overrides them).
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: How to get the browser when it is missing (Debian/Ubuntu, as root).
INSTALL_HINT = "install it with `apt-get install -y chromium` (Debian/Ubuntu)"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-port=0",
)

#: Page-side measurement: the document's scroll width, the outermost elements that stick
#: out of the window without a scrolling box around them, table cells aligned against
#: their content (numbers right, text left) and images shown at another aspect ratio.
MEASURE_JS = r"""(() => {
  const vw = document.documentElement.clientWidth;
  const scrolls = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p).overflowX;
      if (s === 'auto' || s === 'scroll') return true;
    }
    return false;
  };
  const sticks = el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && (r.right > vw + 1 || r.left < -1) && !scrolls(el);
  };
  const name = el => el.tagName.toLowerCase()
    + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim()
       ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const short = t => t.replace(/\s+/g, ' ').trim().slice(0, 60);
  const overflowing = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!sticks(el) || (el.parentElement && sticks(el.parentElement))) continue;
    const r = el.getBoundingClientRect();
    const text = short(el.innerText || el.getAttribute('alt') || '');
    overflowing.push(`${name(el)} [${Math.round(r.left)}..${Math.round(r.right)} px] ${text}`);
    if (overflowing.length >= 10) break;
  }
  // a number: digits with separators, signs, %, ×, ranges and ratios, a currency or a unit
  const units = /pts|pp|n=|P(?=\d)|[A-Z]{3}(?= ?\d)/g;
  const isNumber = t => /\d/.test(t) && /^[\d\s.,%\/:+−\-–→×¥$€£()]*$/.test(t.replace(units, ''));
  const isText = t => /[A-Za-z\u4e00-\u9fff]{2,}/.test(t.replace(units, ''));
  const misaligned = [];
  for (const cell of document.querySelectorAll('td')) {
    const text = short(cell.innerText || '');
    if (/^\d{4}-\d{2}-\d{2}/.test(text)) continue;  // a date reads either way
    const right = ['right', 'end'].includes(getComputedStyle(cell).textAlign);
    if ((isNumber(text) && !right) || (isText(text) && right)) {
      misaligned.push(`${right ? 'text' : 'number'} "${text}" aligned ${right ? 'right' : 'left'}`);
    }
  }
  const distorted = [];
  for (const img of document.images) {
    const r = img.getBoundingClientRect();
    if (!img.naturalWidth || !r.width || !r.height) continue;
    const drawn = img.naturalWidth / img.naturalHeight, shown = r.width / r.height;
    if (Math.abs(shown / drawn - 1) > 0.02) {
      distorted.push(`${short(img.alt || 'image')}: drawn ${drawn.toFixed(2)}:1, `
        + `shown ${shown.toFixed(2)}:1 (${Math.round(r.width)}×${Math.round(r.height)} px)`);
    }
  }
  return JSON.stringify({
    scrollWidth: document.documentElement.scrollWidth, clientWidth: vw, overflowing,
    misaligned: [...new Set(misaligned)], distorted,
    viewport: !!document.querySelector('meta[name=viewport][content*="width=device-width"]'),
  });
})()"""


def find_chromium() -> str | None:
    """Return the path of a Chromium (or Chrome) executable, or None when there is none."""
    override = os.environ.get("CHROMIUM")
    if override:
        return shutil.which(override) or (override if Path(override).exists() else None)
    return next((path for name in CANDIDATES if (path := shutil.which(name))), None)


@dataclass
class Visit:
    """What one page did at one window width."""

    url: str
    width: int
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    scroll_width: int = 0
    client_width: int = 0
    overflowing: list[str] = field(default_factory=list)
    misaligned: list[str] = field(default_factory=list)
    distorted: list[str] = field(default_factory=list)
    has_viewport_meta: bool = False

    def problems(self) -> list[str]:
        """Return every problem found, one line each (empty: the page is clean)."""
        where = f"{Path(self.url).name} at {self.width} px"
        found = [f"{where}: console error: {m}" for m in self.console_errors]
        found += [f"{where}: request beyond the page: {u}" for u in self.requests]
        if self.scroll_width > self.client_width:
            found.append(
                f"{where}: content {self.scroll_width} px wide in a {self.client_width} px "
                f"window: " + "; ".join(self.overflowing or ["(no single element)"])
            )
        elif self.overflowing:
            found += [f"{where}: cut off at the window's edge: {o}" for o in self.overflowing]
        found += [f"{where}: table cell: {m}" for m in self.misaligned]
        found += [f"{where}: image out of proportion: {d}" for d in self.distorted]
        if not self.has_viewport_meta:
            found.append(f"{where}: no <meta name=viewport content=width=device-width>")
        return found


class Chromium:
    """A headless Chromium with one page, driven over the DevTools protocol.

    Use as a context manager; the browser and its profile folder go away on exit.
    """

    def __init__(self, executable: str, timeout: float = 60.0) -> None:
        """Remember the executable; the browser starts on ``__enter__``."""
        self.executable = executable
        self.timeout = timeout
        self._next_id = 0
        self._events: list[dict] = []

    def __enter__(self) -> Chromium:
        """Start the browser and attach to its page."""
        self._profile = tempfile.mkdtemp(prefix="pb-chromium-")
        self._proc = subprocess.Popen(
            [self.executable, *FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            port = self._port()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
                targets = json.load(r)
            page = next(t for t in targets if t["type"] == "page")
            self._ws = websocket.create_connection(
                page["webSocketDebuggerUrl"], timeout=self.timeout, suppress_origin=True
            )
            for domain in ("Page", "Runtime", "Log", "Network"):
                self.call(f"{domain}.enable")
        except BaseException:
            self._stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the connection, stop the browser and remove its profile."""
        ws = getattr(self, "_ws", None)
        if ws is not None:
            ws.close()
        self._stop()

    def _stop(self) -> None:
        if self._proc.poll() is None:
            os.killpg(self._proc.pid, signal.SIGTERM)
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self._proc.pid, signal.SIGKILL)
                self._proc.wait()
        shutil.rmtree(self._profile, ignore_errors=True)

    def _port(self) -> int:
        marker = Path(self._profile) / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"{self.executable} exited with code {self._proc.returncode}")
            if marker.exists() and (lines := marker.read_text().split()):
                return int(lines[0])
            time.sleep(0.05)
        raise TimeoutError(f"{self.executable} did not open its DevTools port")

    def call(self, method: str, **params: object) -> dict:
        """Send one command and return its result; events received meanwhile are kept."""
        self._next_id += 1
        self._ws.send(json.dumps({"id": self._next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self._ws.recv())
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self._events.append(message)

    def _wait_for(self, event: str) -> None:
        deadline = time.monotonic() + self.timeout
        while not any(e["method"] == event for e in self._events):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {event} within {self.timeout} s")
            message = json.loads(self._ws.recv())
            if "method" in message:
                self._events.append(message)

    def evaluate(self, expression: str) -> object:
        """Evaluate JavaScript in the page and return its value."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def visit(self, page: Path, width: int, height: int = 900) -> Visit:
        """Load a local file at a window ``width`` px wide and report what it did."""
        url = page.resolve().as_uri()
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self._events.clear()
        self.call("Page.navigate", url="about:blank")
        self._wait_for("Page.loadEventFired")
        self._events.clear()
        self.call("Page.navigate", url=url)
        self._wait_for("Page.loadEventFired")
        self.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")
        measured = json.loads(str(self.evaluate(MEASURE_JS)))
        visit = Visit(
            url=url,
            width=width,
            scroll_width=measured["scrollWidth"],
            client_width=measured["clientWidth"],
            overflowing=measured["overflowing"],
            misaligned=measured["misaligned"],
            distorted=measured["distorted"],
            has_viewport_meta=measured["viewport"],
        )
        for event in self._events:
            visit.console_errors += _console_error(event)
            request = (
                event["params"].get("request", {})
                if event["method"] == ("Network.requestWillBeSent")
                else {}
            )
            req_url = request.get("url", "")
            if req_url and req_url != url and not req_url.startswith("data:"):
                visit.requests.append(req_url)
        return visit

    def screenshot(self, path: Path) -> Path:
        """Save the whole page as a PNG (for looking at a layout by eye)."""
        import base64

        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        path.write_bytes(base64.b64decode(data["data"]))
        return path


def _console_error(event: dict) -> list[str]:
    method, params = event["method"], event["params"]
    if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
        args = params.get("args", [])
        return [" ".join(str(a.get("value", a.get("description", ""))) for a in args)]
    if method == "Runtime.exceptionThrown":
        details = params.get("exceptionDetails", {})
        exc = details.get("exception", {})
        return [exc.get("description") or details.get("text", "exception")]
    if method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
        entry = params["entry"]
        return [f"{entry.get('text', '')} {entry.get('url', '')}".strip()]
    return []
