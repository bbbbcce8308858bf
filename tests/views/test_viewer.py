"""The HTML trace viewer: one self-contained file, stepped through in a real headless Chromium.

The browser tests need Debian's `chromium` package (`apt-get install -y chromium`); without it
they are skipped and say so. They open the page at `#step=N`, let its script run, and read the
DOM (`--dump-dom`) or a screenshot (`--screenshot`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Optional

import pytest

from checker import api
from checker.views import explain
from checker.views import html_viewer
from checker.trace.trace import Trace

DATA = Path(__file__).parents[1] / "data" / "viewing"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def handoff_trace() -> Trace:
    res = api.check(str(DATA / "handoff.spec"))
    return explain.annotate(res)[0]


# ---------------------------------------------------------------- the file itself


def test_page_is_self_contained() -> None:
    page = html_viewer.render_html(handoff_trace())
    assert "<script src" not in page and "<link" not in page and "@import" not in page
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", page)
    assert "default-src 'none'" in page  # the browser may fetch nothing at all
    assert "__DATA__" not in page and "__SCRIPT__" not in page and "__STYLE__" not in page


def test_payload_has_states_changes_chart_and_explanation() -> None:
    data = html_viewer.payload(handoff_trace())
    assert len(data["states"]) == 7 and data["property"] == "LostIsFinal"
    assert data["changed"][0] == [] and data["changed"][6] == ["db", "requests"]
    assert data["states"][6]["values"]["db"] == "[r1 |-> success]"
    assert data["explanation"][-1] == "  In short: db[r1] was lost and is now success."
    assert data["chart"]["steps"][-1]["violating"] is True


def test_embedded_json_cannot_end_the_script_element() -> None:
    text = html_viewer._script_json({"x": "</script><!--"})
    assert "</" not in text and "<!--" not in text
    import json
    assert json.loads(text) == {"x": "</script><!--"}


# ---------------------------------------------------------------- in the browser


def browser() -> Optional[str]:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


needs_browser = pytest.mark.skipif(
    browser() is None,
    reason="no headless Chromium on this machine (apt-get install -y chromium); "
           "the browser tests of the HTML viewer are skipped")


def run_browser(tmp_path: Path, url: str, *args: str, size: tuple[int, int] = (1400, 900)) -> str:
    exe = browser()
    assert exe is not None
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    command = [exe, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
               f"--window-size={size[0]},{size[1]}", *args, url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class _Dom(HTMLParser):
    """Elements with their attributes and the text directly inside them."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str], list[str]]] = []
        self.open: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}, []))
        if tag not in ("meta", "input", "br", "rect", "line", "path"):
            self.open.append(len(self.elements) - 1)

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.elements[self.open.pop()][0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.open:
            self.elements[self.open[-1]][2].append(data)

    def find(self, tag: str, **attrs: str) -> list[tuple[dict[str, str], str]]:
        return [(a, "".join(text)) for t, a, text in self.elements
                if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]


def dom_at(tmp_path: Path, page: Path, step: int) -> _Dom:
    dom = _Dom()
    dom.feed(run_browser(tmp_path, f"{page.as_uri()}#step={step}", "--dump-dom"))
    return dom


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "trace.html"
    html_viewer.write_html(handoff_trace(), str(path))
    return path


@pytest.mark.browser
@needs_browser
def test_state_three_shows_its_changes(tmp_path: Path, page: Path) -> None:
    dom = dom_at(tmp_path, page, 3)
    body = dom.find("body")[0][0]
    assert body["data-step"] == "3"
    assert dom.find("h2", id="state-title")[0][1] == "State 3 of 7: server.handle"
    rows = {a["data-var"]: a["class"] for a, _ in dom.find("tr") if "data-var" in a}
    assert rows == {"db": "changed", "requests": "changed", "replies": "changed",
                    "worker.stage": "unchanged"}
    values = [text for a, text in dom.find("td", **{"class": "value"})]
    assert values[0] == "[r1 |-> claimed]"
    classes = [(a, a.get("class", "").split()) for a, _ in dom.find("g")]
    current = [a["data-step"] for a, c in classes if "step" in c and "current" in c]
    assert current == ["3"]  # the sequence chart marks the same step
    lanes = [a["data-lane"] for a, c in classes if "lane-head" in c and "current" in c]
    assert lanes == [handoff_trace().steps[2].process]  # and the lane of its actor
    assert "In short: db[r1] was lost and is now success." in dom.find("pre", id="explanation")[0][1]


@pytest.mark.browser
@needs_browser
def test_stepping_through_every_state(tmp_path: Path, page: Path) -> None:
    t = handoff_trace()
    changed = html_viewer.changed_vars(t)
    for k in range(1, len(t.steps) + 1):
        dom = dom_at(tmp_path, page, k)
        title = dom.find("h2", id="state-title")[0][1]
        assert title.startswith(f"State {k} of 7: {t.steps[k - 1].action or 'initial state'}")
        shown = [a["data-var"] for a, _ in dom.find("tr") if a.get("class") == "changed"]
        assert shown == changed[k - 1], k
        buttons = {a["id"]: "disabled" in a for a, _ in dom.find("button")}
        assert buttons["prev"] == (k == 1) and buttons["next"] == (k == 7)


@pytest.mark.browser
@needs_browser
def test_last_state_is_the_violation_and_out_of_range_steps_clamp(tmp_path: Path,
                                                                   page: Path) -> None:
    dom = dom_at(tmp_path, page, 99)
    body = dom.find("body")[0][0]
    assert body["data-step"] == "7" and "violating-state" in body.get("class", "")
    assert dom.find("div", id="property")[0][1] == \
        "Transition property LostIsFinal is violated by the step from state 6 to state 7."


@pytest.mark.browser
@needs_browser
def test_screenshot_shows_the_highlighted_step(tmp_path: Path, page: Path) -> None:
    from matplotlib import image
    shot = tmp_path / "shot.png"
    run_browser(tmp_path, f"{page.as_uri()}#step=7", f"--screenshot={shot}")
    pixels = image.imread(str(shot))
    assert pixels.shape[0] >= 800 and pixels.shape[1] >= 1300
    rgb = (pixels[:, :, :3] * 255).round().astype(int)

    def count(colour: str) -> int:
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        return int(((abs(rgb[:, :, 0] - r) <= 2) & (abs(rgb[:, :, 1] - g) <= 2)
                    & (abs(rgb[:, :, 2] - b) <= 2)).sum())

    assert count("#fff1b8") > 2000  # the changed variables' rows
    assert count("#f7b9b9") > 5000  # the current step, which is the violating one, in the chart


@pytest.mark.browser
@needs_browser
def test_a_lasso_marks_its_loop_and_says_where_it_goes_next(tmp_path: Path) -> None:
    res = api.check(str(Path(__file__).parents[2] / "specs" / "examples" / "liveness_weak.spec"))
    lasso = next(t for t in res.traces if t.loop is not None)
    path = tmp_path / "lasso.html"
    html_viewer.write_html(lasso, str(path))
    last = len(lasso.steps)
    dom = dom_at(tmp_path, path, last)
    assert dom.find("div", id="loop-badge")[0][1].endswith(f"next: back to state {lasso.loop + 1}")
    banner = dom.find("div", id="property")[0][1]
    assert banner.startswith(f"Temporal property {lasso.property} is violated")
    assert f"back to state {lasso.loop + 1}" in banner
    dom = dom_at(tmp_path, path, lasso.loop + 1)
    assert dom.find("div", id="loop-badge")[0][1].startswith("loop starts here")


# ---------------------------------------------------------------- layout at 800 to 1600 px

# Appended to a copy of the page: steps through every state with the arrow key, as a reader
# does, and records after each step where the current step's actor mark is (relative to the
# window and to the chart panel), then how wide the state table's columns are.
_PROBE = """<script>
(function () {
  var out = [];
  function inside(box, view) {
    return box.left >= view.left && box.right <= view.right && box.top >= view.top &&
      box.bottom <= view.bottom;
  }
  var win = {left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight};
  for (var k = 0; k < 60; k++) {
    var step = Number(document.body.getAttribute("data-step"));
    var mark = document.querySelector("#chart .step.current .actor");
    var head = document.querySelector("#chart .lane-head.current");
    var panel = document.getElementById("chart-panel").getBoundingClientRect();
    if (mark) {
      var box = mark.getBoundingClientRect();
      out.push(step + ":" + (inside(box, win) && inside(box, panel) ? "in" : "OUT") + ":" +
        (head && inside(head.getBoundingClientRect(), win) ? "head" : "nohead"));
    }
    document.dispatchEvent(new KeyboardEvent("keydown", {key: "ArrowRight"}));
    if (Number(document.body.getAttribute("data-step")) === step) { break; }
  }
  var cells = document.querySelectorAll("#state-table thead th");
  var widths = Array.prototype.map.call(cells, function (c) {
    return Math.round(c.getBoundingClientRect().width); });
  document.body.setAttribute("data-probe", out.join(" "));
  document.body.setAttribute("data-columns", widths.join(" "));
  document.body.setAttribute("data-page-width", String(document.documentElement.scrollWidth));
})();
</script>
"""


def _incident_page(tmp_path: Path) -> Path:
    """The incident's trace (seven lanes, the widest chart the report draws)."""
    import json
    from checker.trace import io as trace_io
    data = json.loads((Path(__file__).parents[2] / "figures" / "data" / "report.json").read_text())
    cx = next(c for c in data["counterexamples"] if c["name"] == "incident")
    page = tmp_path / "incident.html"
    html_viewer.write_html(trace_io.from_itf_json(cx["trace"]), str(page))
    page.write_text(page.read_text().replace("</body>", _PROBE + "</body>"))
    return page


@pytest.mark.browser
@needs_browser
@pytest.mark.parametrize("width", [800, 1600])
def test_the_current_step_and_its_lane_stay_in_view(tmp_path: Path, width: int) -> None:
    page = _incident_page(tmp_path)
    body = _Dom()
    body.feed(run_browser(tmp_path, f"{page.as_uri()}#step=1", "--dump-dom", size=(width, 900)))
    attrs = body.find("body")[0][0]
    probe = attrs["data-probe"].split()
    assert len(probe) == 34  # every step after the initial state has an actor
    assert [p for p in probe if not p.endswith(":in:head")] == []
    assert int(attrs["data-page-width"]) <= width  # the chart scrolls inside its panel
    name, value, before = (int(w) for w in attrs["data-columns"].split())
    assert value >= 180 and before >= 150, attrs["data-columns"]  # the table is not crushed
