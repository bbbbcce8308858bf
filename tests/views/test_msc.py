"""Sequence charts: lanes, messages, replies and notes from traces; text, Mermaid and figures;
state graph export. The text chart of tests/data/viewing/handoff.spec is a golden file
(regenerate with CHECKMODEL_REGEN=1)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from pathlib import Path

import networkx as nx
import pytest

from checker import api
from checker.views import msc
from checker.views import msc_format
from checker.trace import trace
from checker.trace import io as trace_io
from checker.cli import main
from checker.explicit.search import SearchOptions

ROOT = Path(__file__).parents[2]
DATA = Path(__file__).parents[1] / "data" / "viewing"
CURRENT = ROOT / "specs" / "current.spec"


def chart_of(name: str, **options: object) -> msc.Chart:
    res = api.check(str(DATA / name), options=SearchOptions(**options))  # type: ignore[arg-type]
    return msc.build_chart(res.traces[0])


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- the chart model


def test_channel_diff_is_fifo_shaped_then_multiset() -> None:
    assert msc.diff_channel(["a", "b"], ["b", "c"]) == (["a"], ["c"])
    assert msc.diff_channel([], ["a", "a"]) == ([], ["a", "a"])
    assert msc.diff_channel(["a", "b", "c"], ["a", "c"]) == (["b"], [])  # a lost middle element


def test_handoff_lanes_messages_and_replies() -> None:
    chart = chart_of("handoff.spec")
    assert {lane.name for lane in chart.lanes} == {"worker", "server", "janitor", "requests",
                                                   "replies"}
    kinds = {lane.name: lane.kind for lane in chart.lanes}
    assert kinds["requests"] == kinds["replies"] == "channel"
    sent = [(m.label, m.sender, m.receiver, m.sent_at, m.received_at, m.reply)
            for m in chart.messages]
    assert sent == [
        ("claim", "worker", "server", 1, 2, False),
        ("ok", "server", "worker", 2, 3, True),  # answers the claim the server just received
        ("complete", "worker", "server", 4, 6, False),  # not a reply to the reply
    ]


def test_handoff_notes_and_violating_step() -> None:
    chart = chart_of("handoff.spec")
    last = chart.steps[-1]
    assert last.violating and not any(s.violating for s in chart.steps[:-1])
    assert last.actor == "server"
    assert msc.Note("server", "db[r1]: lost -> success") in last.notes
    # the worker's process-local variable is noted on the worker's lane, without the prefix
    assert msc.Note("worker", "stage: idle -> waiting") in chart.steps[1].notes
    assert [(a.source, a.target) for a in last.arrows] == [("requests", "server")]


def test_lanes_are_ordered_to_keep_arrows_short() -> None:
    import itertools
    from checker.views import msc_lanes
    for name in ("handoff.spec", "inbox.spec", "slot.spec"):
        chart = chart_of(name)
        names = [lane.name for lane in chart.lanes]
        edges = [(a.source, a.target) for s in chart.steps for a in s.arrows]
        best = min(msc_lanes.cost(p, edges) for p in itertools.permutations(names))
        assert msc_lanes.cost(names, edges) == best, name
    names = [lane.name for lane in chart_of("handoff.spec").lanes]
    i = names.index("requests")  # the busier queue sits between its sender and receiver
    assert {names[i - 1], names[i + 1]} == {"worker", "server"}


def test_indexed_processes_and_maps_of_channels() -> None:
    chart = chart_of("inbox.spec")
    names = [lane.name for lane in chart.lanes]
    assert set(names) == {"boss", "worker[w1]", "worker[w2]", "inbox[w1]", "inbox[w2]"}
    arrows = [(a.source, a.target, a.label) for s in chart.steps for a in s.arrows]
    assert ("boss", "inbox[w1]", "job_a") in arrows and ("inbox[w2]", "worker[w2]", "job_a") in arrows
    assert msc.Note("worker[w2]", "stage: idle -> busy") in chart.steps[-1].notes


def test_a_reply_slot_becomes_a_reply_message() -> None:
    chart = chart_of("slot.spec")
    signal = [m for m in chart.messages if m.channel == "reply[r1]"]
    assert len(signal) == 1
    m = signal[0]
    assert (m.sender, m.receiver, m.sent_at, m.received_at, m.reply) == ("server", "client", 2,
                                                                          3, True)
    notes = [n.text for s in chart.steps for n in s.notes]
    assert not any(n.startswith("reply[r1]") for n in notes)  # drawn as a message, not notes


def test_record_labels_use_the_tag_field_and_drop_constant_fields() -> None:
    values = [{"id": {"#bigint": "0"}, "kind": "start", "reason": "ok"},
              {"id": {"#bigint": "1"}, "kind": "log", "reason": "ok"}]
    tag, constant = msc._record_style(values)
    assert tag == "kind" and constant == frozenset({"reason"})
    assert msc.brief(values[0], tag, constant) == "start(id=0)"
    assert msc.brief({"kind": "start"}) == "kind=start"


# ---------------------------------------------------------------- text, Mermaid, figures


def test_text_chart_golden() -> None:
    got = msc_format.format_text(chart_of("handoff.spec"))
    expect = DATA / "handoff.msc.expect"
    if os.environ.get("CHECKMODEL_REGEN"):
        expect.write_text(got)
    assert got == expect.read_text()


def _incident_itf() -> dict[str, object]:
    data = json.loads((ROOT / "figures" / "data" / "report.json").read_text())
    trace_json: dict[str, object] = next(c["trace"] for c in data["counterexamples"]
                                         if c["name"] == "incident")
    return trace_json


def test_text_chart_folds_runs_of_ticks_as_the_figures_do() -> None:
    chart = msc.build_chart(trace_io.from_itf_json(_incident_itf()))
    text = msc_format.format_text(chart)
    assert re.search(r"\n +20-21 +\[tick x2\]", text) and re.search(r"\n +32-33 +\[tick x2\]", text)
    assert re.search(r"\n +28 +\[tick\]", text)  # a tick on its own stays one step
    rows = [re.match(r"(?:>>)?\s*(\d+)(?:-(\d+))?\s+[|\[]", line) for line in text.splitlines()]
    numbers = [n for m in rows if m for n in range(int(m[1]), int(m[2] or m[1]) + 1)]
    assert numbers == list(range(1, len(chart.steps) + 1))  # every state, in order
    unfolded = msc_format.format_text(chart, fold=False)
    assert re.search(r"\n +20 +\[tick\]", unfolded) and re.search(r"\n +21 +\[tick\]", unfolded)


def test_show_msc_folds_and_fits_the_width_asked(tmp_path: Path) -> None:
    path = tmp_path / "incident.itf.json"
    path.write_text(json.dumps(_incident_itf()))
    for width in (80, 100, 140):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["show", str(path), "--msc", "--width", str(width)]) == 0
        chart = out.getvalue().split("Sequence chart of", 1)[1]
        assert "[tick x2]" in chart
        assert max(len(line) for line in chart.splitlines()) <= width


def test_text_chart_marks_the_violating_rows_and_draws_replies_dashed() -> None:
    text = msc_format.format_text(chart_of("handoff.spec"))
    marked = [line for line in text.splitlines() if line.startswith(">>")]
    assert marked and "[server.handle]  <-- violates LostIsFinal" in marked[0]
    assert any("db[r1]: lost -> success" in line for line in marked)
    reply = next(line for line in text.splitlines() if " ok " in line and "|" in line)
    assert "- - " in reply


def test_mermaid_has_participants_messages_and_a_red_block() -> None:
    text = msc_format.format_mermaid(chart_of("handoff.spec"))
    lines = text.splitlines()
    assert lines[0] == "sequenceDiagram"
    participants = [line.split(" as ")[1] for line in lines if "participant" in line]
    assert set(participants) == {"worker", "server", "janitor", "requests", "replies"}
    assert sum("-->>" in line for line in lines) == 2  # the reply, into and out of its queue
    start = lines.index("    rect rgb(255, 221, 221)")
    assert "violates LostIsFinal" in lines[start + 1] and lines[-1] == "    end"


def test_mermaid_escapes_its_special_characters() -> None:
    assert msc_format._escape("a;b#c") == "a#59;b#35;c"


def test_show_writes_text_mermaid_svg_and_png(tmp_path: Path) -> None:
    itf_path = str(tmp_path / "t.itf.json")
    code, _, _ = run_cli("check", str(DATA / "handoff.spec"), "--quiet", "--trace-out", itf_path)
    assert code == 13
    code, out, _ = run_cli("show", itf_path, "--msc")
    assert code == 0 and "Sequence chart of handoff" in out and "State 1:" not in out
    assert "In short: db[r1] was lost and is now success." in out  # stored in the trace
    files = {ext: str(tmp_path / f"chart.{ext}") for ext in ("mmd", "svg", "png")}
    code, out, _ = run_cli("show", itf_path, "--mermaid", files["mmd"], "--svg", files["svg"],
                           "--png", files["png"])
    assert code == 0
    assert Path(files["mmd"]).read_text().startswith("sequenceDiagram")
    svg = Path(files["svg"]).read_text()
    assert "<svg" in svg and "<dc:date>" not in svg
    assert Path(files["png"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_svg_is_reproducible(tmp_path: Path) -> None:
    from checker.views import chart_figure, render
    chart = chart_of("handoff.spec")
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    render.save(chart_figure.chart_figure(chart), str(a))
    render.save(chart_figure.chart_figure(chart), str(b))
    assert a.read_bytes() == b.read_bytes()


# ---------------------------------------------------------------- state graphs


def test_dump_graph_dot_and_graphml(tmp_path: Path) -> None:
    spec = str(DATA / "handoff.spec")
    dot, graphml = str(tmp_path / "g.dot"), str(tmp_path / "g.graphml")
    code, out, _ = run_cli("check", spec, "--continue", "--dump-graph", dot)
    assert code == 13 and "written to" in out
    text = Path(dot).read_text()
    assert text.startswith('digraph "handoff" {') and text.rstrip().endswith("}")
    assert text.count("color=red") >= 2 * 6 + 1  # 7 states and 6 steps of the counterexample
    run_cli("check", spec, "--quiet", "--continue", "--dump-graph", graphml)
    g = nx.read_graphml(graphml)
    res = api.check(spec, options=SearchOptions(keep_going=True))
    assert g.number_of_nodes() == res.search.distinct
    path = sorted((int(d["on_path"]), n) for n, d in g.nodes(data=True) if int(d["on_path"]) >= 0)
    assert len(path) == 7 and g.nodes[path[-1][1]]["db"] == "[r1 |-> success]"


def test_dump_graph_figure_and_limit(tmp_path: Path) -> None:
    spec = str(DATA / "handoff.spec")
    png = tmp_path / "g.png"
    code, _, _ = run_cli("check", spec, "--quiet", "--dump-graph", str(png))
    assert code == 13 and png.read_bytes()[:4] == b"\x89PNG"
    code, _, err = run_cli("check", spec, "--quiet", "--continue", "--dump-graph",
                           str(tmp_path / "x.dot"), "--graph-limit", "3")
    assert code == 13  # the graph is refused in one line; the verdict's exit code stands
    assert "more than the limit of 3" in err and "--graph-limit" in err
    assert not (tmp_path / "x.dot").exists()


# ---------------------------------------------------------------- the lifecycle model


@pytest.mark.skipif(not CURRENT.exists(), reason="the lifecycle specs are not in this checkout")
def test_incident_chart_of_the_lifecycle_model(tmp_path: Path) -> None:
    itf_path = str(tmp_path / "incident.itf.json")
    code, _, _ = run_cli("check", str(CURRENT), "--quiet", "--property", "NoDirectLostToSuccess",
                         "--trace-out", itf_path)
    assert code == 13
    t = trace_io.read_itf(itf_path)
    chart = msc.build_chart(t)
    names = [lane.name for lane in chart.lanes]
    assert {"worker[r1]", "channel[r1]", "janitor"} <= set(names)
    last = chart.steps[-1]
    assert last.violating and last.actor == "channel[r1]"
    assert any(n.text == "run_state[r1]: lost -> success" for n in last.notes)
    janitor = [s for s in chart.steps if s.actor == "janitor"]
    assert any(n.text == "run_state[r1]: started -> lost" for s in janitor for n in s.notes)
    # the late run:complete was sent before the janitor's pass and received after it
    late = [m for m in chart.messages if m.received_at == last.index]
    assert late and late[0].sent_at is not None and late[0].sent_at < janitor[-1].index
    meta = json.loads(Path(itf_path).read_text())["#meta"]
    assert any("was lost and is now success" in line for line in meta["explanation"])
