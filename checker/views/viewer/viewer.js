// The checkmodel trace viewer: steps through a trace embedded as JSON in the page.
// No network access: everything it needs is in this file and the data block.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("trace-data").textContent);
  var count = data.states.length;
  var current = 0;
  var SVG = "http://www.w3.org/2000/svg";
  var ROW = 24, TOP = 16, CHAR = 6.1;
  var LEFT = labelColumn();

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // ------------------------------------------------------------ summary

  function renderSummary() {
    document.title = data.title;
    document.getElementById("title").textContent = data.title;
    var prop = document.getElementById("property");
    if (data.property) {
      prop.textContent = banner();
      prop.className = "violated";
    } else {
      prop.textContent = "A trace of " + count + " states.";
    }
    if (data.explanation && data.explanation.length) {
      var box = document.getElementById("explanation");
      box.textContent = data.explanation.join("\n");
      box.hidden = false;
    }
  }

  // One sentence per kind of property: what the last state (or step, or loop) shows.
  function banner() {
    var name = data.property;
    if (data.kind === "invariant") {
      return "Invariant " + name + " is violated in state " + count + ".";
    }
    if (data.kind === "transition") {
      return "Transition property " + name + " is violated by the step from state " +
        (count - 1) + " to state " + count + ".";
    }
    if (data.kind === "deadlock") {
      return "Deadlock: no action is enabled in state " + count + ".";
    }
    if (data.kind === "evaluation") {
      return "Evaluation error in the step to state " + count + ".";
    }
    if (data.kind === "temporal") {
      return "Temporal property " + name + " is violated: " + (data.loop === null ?
        "the behaviour stops in state " + count + " and stutters there forever." :
        "from state " + count + " the behaviour goes back to state " + (data.loop + 1) +
        " and repeats forever.");
    }
    return "Property " + name + " is violated at state " + count + ".";
  }

  // A lasso: a badge on the first state of the loop, and where the last state goes next.
  function loopBadge() {
    var badge = document.getElementById("loop-badge");
    if (data.loop === null || data.loop === undefined) { badge.hidden = true; return; }
    var notes = [];
    if (current === data.loop) { notes.push("loop starts here"); }
    if (current === count - 1) { notes.push("next: back to state " + (data.loop + 1)); }
    badge.textContent = notes.join("; ");
    badge.hidden = notes.length === 0;
  }

  function applyFilter() {
    var text = document.getElementById("var-filter").value.trim().toLowerCase();
    document.querySelectorAll("#state-table tbody tr").forEach(function (row) {
      var name = row.getAttribute("data-var").toLowerCase();
      row.classList.toggle("filtered-out", text !== "" && name.indexOf(text) < 0);
    });
  }

  // ------------------------------------------------------------ the state table

  function renderState() {
    var state = data.states[current];
    var changed = data.changed[current];
    var title = "State " + (current + 1) + " of " + count + ": " +
      (state.action ? state.action : "initial state");
    document.getElementById("state-title").textContent = title;
    document.getElementById("position").textContent = title;
    document.getElementById("location").textContent = state.location ?
      "action at " + state.location + (state.process ? " (process " + state.process + ")" : "") :
      "";
    var body = document.querySelector("#state-table tbody");
    body.textContent = "";
    data.vars.forEach(function (name) {
      var isChanged = changed.indexOf(name) >= 0;
      var row = el("tr", { "class": isChanged ? "changed" : "unchanged", "data-var": name });
      row.appendChild(el("td", { "class": "name" }, name));
      row.appendChild(el("td", { "class": "value" }, state.values[name]));
      row.appendChild(el("td", { "class": "before" },
        isChanged ? data.states[current - 1].values[name] : ""));
      body.appendChild(row);
    });
    loopBadge();
    applyFilter();
    var violating = data.property && data.kind !== "temporal" && current === count - 1;
    document.body.classList.toggle("violating-state", !!violating);
    document.body.setAttribute("data-step", String(current + 1));
    document.getElementById("first").disabled = current === 0;
    document.getElementById("prev").disabled = current === 0;
    document.getElementById("next").disabled = current === count - 1;
    document.getElementById("last").disabled = current === count - 1;
  }

  // ------------------------------------------------------------ the sequence chart

  function chartRows() {
    var rows = [];
    data.chart.steps.forEach(function (step) {
      if (step.action === null && step.notes.length === 0) { return; }
      var group = { step: step, items: [{ kind: "head" }] };
      step.arrows.forEach(function (a) { group.items.push({ kind: "arrow", arrow: a }); });
      step.notes.forEach(function (n) { group.items.push({ kind: "note", note: n }); });
      rows.push(group);
    });
    return rows;
  }

  // Room on the left for the longest step label (`12. worker.complete(r1)`).
  function labelColumn() {
    var longest = 16;
    data.chart.steps.forEach(function (step) {
      var text = (step.index + 1) + ". " + (step.action || "initial state");
      longest = Math.max(longest, text.length);
    });
    return Math.min(longest * CHAR + 24, 340);
  }

  // Room between lifelines for the longest lane name or message label between neighbours.
  function laneGap(lanes) {
    var order = lanes.map(function (lane) { return lane.name; });
    var need = 110;
    lanes.forEach(function (lane) { need = Math.max(need, lane.name.length * CHAR + 24); });
    data.chart.steps.forEach(function (step) {
      step.arrows.forEach(function (a) {
        var span = Math.abs(order.indexOf(a.target) - order.indexOf(a.source)) || 1;
        need = Math.max(need, (a.label.length * CHAR + 30) / span);
      });
    });
    return Math.min(need, 140);
  }

  function renderChart() {
    var lanes = data.chart.lanes;
    var gap = laneGap(lanes);
    var x = {};
    lanes.forEach(function (lane, i) { x[lane.name] = LEFT + 50 + i * gap; });
    var groups = chartRows();
    var total = groups.reduce(function (n, g) { return n + g.items.length; }, 0);
    var widest = 0;
    groups.forEach(function (g) {
      g.step.notes.forEach(function (n) {
        widest = Math.max(widest, (x[n.lane] || 0) + 16 + n.text.length * CHAR);
      });
    });
    var width = Math.max(LEFT + 60 + lanes.length * gap, widest + 20);
    var height = TOP + total * ROW + 20;
    var root = svg("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height,
      role: "img", "aria-label": "sequence chart" });
    lanes.forEach(function (lane) {
      root.appendChild(svg("line", { "class": "lifeline", x1: x[lane.name], x2: x[lane.name],
        y1: 0, y2: height - 10 }));
    });
    var y = TOP;
    groups.forEach(function (g) {
      root.appendChild(renderStepGroup(g, x, y, width));
      y += g.items.length * ROW;
    });
    var box = document.getElementById("chart");
    box.textContent = "";
    box.appendChild(laneHeads(lanes, x, width));
    box.appendChild(root);
  }

  // The lane names, in their own strip that stays in view while the chart scrolls.
  function laneHeads(lanes, x, width) {
    var strip = svg("svg", { "class": "lane-heads", width: width, height: 34,
      viewBox: "0 0 " + width + " 34" });
    strip.appendChild(svg("rect", { x: 0, y: 0, width: width, height: 34, fill: "#fff" }));
    lanes.forEach(function (lane) {
      var head = svg("g", { "class": "lane-head " + lane.kind, "data-lane": lane.name });
      var w = Math.max(60, lane.name.length * CHAR + 16);
      head.appendChild(svg("rect", { x: x[lane.name] - w / 2, y: 6, width: w, height: 22, rx: 5 }));
      head.appendChild(svg("text", { x: x[lane.name], y: 21, "text-anchor": "middle",
        "font-weight": "bold" }, lane.name));
      strip.appendChild(head);
    });
    return strip;
  }

  function renderStepGroup(g, x, top, width) {
    var step = g.step;
    var cls = "step" + (step.violating ? " violating" : "");
    var group = svg("g", { "class": cls, "data-step": String(step.index + 1) });
    group.appendChild(svg("rect", { "class": "band", x: 2, y: top - ROW / 2 + 2, width: width - 4,
      height: g.items.length * ROW - 2, rx: 4 }));
    g.items.forEach(function (item, k) {
      var y = top + k * ROW;
      if (item.kind === "head") {
        var label = (step.index + 1) + ". " + (step.action || "initial state");
        group.appendChild(svg("text", { "class": "step-label", x: 10, y: y + 4 }, label));
        if (step.actor && x[step.actor] !== undefined) {
          group.appendChild(svg("rect", { "class": "actor", x: x[step.actor] - 5, y: y - 5,
            width: 10, height: 10 }));
        }
        if (step.violating && data.property) {
          group.appendChild(svg("text", { "class": "step-label", x: 10,
            y: y + 4 + (g.items.length > 1 ? ROW : 12) }, "violates " + data.property));
        }
      } else if (item.kind === "arrow") {
        group.appendChild(renderArrow(item.arrow, x, y));
      } else {
        group.appendChild(renderNote(item.note, x, y));
      }
    });
    group.addEventListener("click", function () { go(step.index); });
    return group;
  }

  function renderArrow(arrow, x, y) {
    var a = x[arrow.source], b = x[arrow.target];
    var dir = b > a ? 1 : -1;
    var g = svg("g", { "class": "message" });
    g.appendChild(svg("line", { "class": "arrow" + (arrow.reply ? " reply" : ""),
      x1: a + 3 * dir, y1: y + 4, x2: b - 9 * dir, y2: y + 4 }));
    g.appendChild(svg("path", { d: "M" + (b - 3 * dir) + "," + (y + 4) + " l" + (-9 * dir) +
      ",-4 l0,8 z", fill: "#1f3b57" }));
    g.appendChild(svg("text", { "class": "arrow-label", x: (a + b) / 2, y: y - 2,
      "text-anchor": "middle" }, arrow.label));
    return g;
  }

  function renderNote(note, x, y) {
    var g = svg("g", { "class": "note" });
    var left = (x[note.lane] || LEFT) + 6;
    g.appendChild(svg("rect", { x: left, y: y - 8, width: note.text.length * CHAR + 10,
      height: 17, rx: 3 }));
    g.appendChild(svg("text", { "class": "note-text", x: left + 5, y: y + 4 }, note.text));
    return g;
  }

  function markChartStep() {
    var groups = document.querySelectorAll("#chart .step");
    var found = null;
    Array.prototype.forEach.call(groups, function (node) {
      var on = Number(node.getAttribute("data-step")) === current + 1;
      node.classList.toggle("current", on);
      if (on) { found = node; }
    });
    var actor = data.chart.steps[current] ? data.chart.steps[current].actor : null;
    document.querySelectorAll("#chart .lane-head").forEach(function (head) {
      head.classList.toggle("current", head.getAttribute("data-lane") === actor);
    });
    if (found) { scrollChartTo(found); }
  }

  // Bring a step of the chart into view, and its actor's lane, by scrolling the chart panel
  // only (never the page): down or up to the step's rows, sideways to the actor's mark and
  // lane name with room for its notes (as little as needed, so the step labels on the left stay
  // in view while the lane fits).
  function scrollChartTo(node) {
    var panel = document.getElementById("chart-panel");
    var box = node.getBoundingClientRect(), view = panel.getBoundingClientRect();
    var heads = 40;  // the sticky lane names
    var inner = view.bottom - (panel.offsetHeight - panel.clientHeight);  // above the scrollbar
    if (box.top < view.top + heads) {
      panel.scrollTop -= view.top + heads - box.top;
    } else if (box.bottom > inner) {
      panel.scrollTop += Math.min(box.bottom - inner, box.top - view.top - heads);
    }
    var mark = node.querySelector(".actor");
    if (!mark) { return; }
    var head = document.querySelector("#chart .lane-head.current");
    var m = mark.getBoundingClientRect();
    var h = head ? head.getBoundingClientRect() : m;
    var left = Math.min(m.left, h.left) - 8, right = Math.max(m.right + 200, h.right + 8);
    var edge = view.left + panel.clientWidth;  // left of the vertical scrollbar
    if (right > edge) {
      panel.scrollLeft += Math.min(right - edge, left - view.left);
    } else if (left < view.left) {
      panel.scrollLeft -= view.left - left;
    }
  }

  // ------------------------------------------------------------ navigation

  function go(index) {
    current = Math.max(0, Math.min(count - 1, index));
    renderState();
    markChartStep();
    var hash = "#step=" + (current + 1);
    if (location.hash !== hash) {
      try { history.replaceState(null, "", hash); } catch (e) { /* file: URLs may refuse */ }
    }
  }

  function fromHash() {
    var match = /step=(\d+)/.exec(location.hash || "");
    return match ? Number(match[1]) - 1 : 0;
  }

  function bind() {
    document.getElementById("first").addEventListener("click", function () { go(0); });
    document.getElementById("prev").addEventListener("click", function () { go(current - 1); });
    document.getElementById("next").addEventListener("click", function () { go(current + 1); });
    document.getElementById("last").addEventListener("click", function () { go(count - 1); });
    document.getElementById("changed-only").addEventListener("change", function (e) {
      document.body.classList.toggle("changed-only", e.target.checked);
    });
    document.getElementById("var-filter").addEventListener("input", applyFilter);
    document.addEventListener("keydown", function (e) {
      if (e.target && e.target.id === "var-filter") { return; }  // typing a filter
      if (e.key === "ArrowRight" || e.key === "j") { go(current + 1); }
      else if (e.key === "ArrowLeft" || e.key === "k") { go(current - 1); }
      else if (e.key === "Home") { go(0); }
      else if (e.key === "End") { go(count - 1); }
    });
    window.addEventListener("hashchange", function () { go(fromHash()); });
  }

  renderSummary();
  renderChart();
  bind();
  go(fromHash());
})();
