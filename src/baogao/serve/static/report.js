// The report page: a click on a highlighted figure shows its record in the side panel;
// #pos-START (or #pos-START-END) marks that place in the text and scrolls to it.
// Offsets are code points into the report text; every piece of text carries its offset in data-s.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const textBox = document.getElementById("report-text");
  const panel = document.getElementById("panel-body");
  const pieces = Array.from(textBox.querySelectorAll("[data-s]"));
  const starts = pieces.map((el) => Number(el.dataset.s));
  const FLAGS = ["approx", "estimated", "floor", "ceiling"];

  function codePoints(s) { return Array.from(s).length; }

  function pieceEnd(i) { return starts[i] + codePoints(pieces[i].textContent); }

  function indices(value) { return (value || "").split(" ").filter(Boolean).map(Number); }

  function make(tag, text, className) {
    const el = document.createElement(tag);
    if (text !== undefined && text !== null) el.textContent = String(text);
    if (className) el.className = className;
    return el;
  }

  // -- the side panel ------------------------------------------------------------------------
  function fields(rows) {
    const dl = make("dl", null, "record");
    rows.filter((r) => r[1] !== undefined && r[1] !== null && r[1] !== "").forEach(([k, v]) => {
      dl.append(make("dt", k), make("dd", v));
    });
    return dl;
  }

  function flagsOf(item) { return FLAGS.filter((f) => item[f]).join(", ") || "none"; }

  function valueOf(item) { return item.high !== undefined && item.high !== null ? item.value + "–" + item.high : item.value; }

  function observationBlock(o, i) {
    const box = make("section", null, "obs-record");
    const name = data.names[o.indicator];
    box.append(make("h3", name ? name + " · " + o.indicator : o.indicator));
    box.append(fields([["indicator", o.indicator], ["measure", o.measure], ["value", valueOf(o)],
      ["unit", o.unit], ["period", o.period], ["status", o.status], ["flags", flagsOf(o)],
      ["scope", o.scope], ["of", o.of], ["observation", "#" + i + " · chars " + o.start + "–" + o.end]]));
    return box;
  }

  function quantityBlock(q, i) {
    const box = make("section", null, "qty-record");
    box.append(make("h3", "quantity «" + q.text + "»"));
    box.append(fields([["value", valueOf(q)], ["unit", q.unit], ["flags", flagsOf(q)],
      ["quantity", "#" + i + " · chars " + q.start + "–" + q.end]]));
    return box;
  }

  function auditNotes(obsIds, start, end) {
    return data.audit.filter((note) =>
      (note.observations || []).some((k) => obsIds.includes(k)) ||
      (note.spans || []).some(([s, e]) => s < end && e > start));
  }

  function showRecord(fig) {
    textBox.querySelectorAll(".fig.selected").forEach((el) => el.classList.remove("selected"));
    fig.classList.add("selected");
    const qs = indices(fig.dataset.q), os = indices(fig.dataset.o);
    const spans = qs.map((i) => data.quantities[i]).concat(os.map((i) => data.observations[i]));
    const start = Math.min(...spans.map((s) => s.start)), end = Math.max(...spans.map((s) => s.end));
    const body = [];
    os.forEach((i) => body.push(observationBlock(data.observations[i], i)));
    qs.forEach((i) => body.push(quantityBlock(data.quantities[i], i)));
    if (!os.length) body.push(make("p", "A quantity only: no indicator was read from it.", "muted"));
    const notes = auditNotes(os, start, end);
    const audit = make("section", null, "audit");
    audit.append(make("h3", "audit notes"));
    if (notes.length) {
      const list = make("ul");
      notes.forEach((n) => list.append(make("li", (n.kind ? n.kind + ": " : "") + (n.message || ""))));
      audit.append(list);
    } else {
      audit.append(make("p", "none", "muted"));
    }
    body.push(audit);
    const link = make("a", "link to this figure", "permalink");
    link.href = "#pos-" + start + "-" + end;
    body.push(link);
    panel.replaceChildren(...body);
  }

  textBox.addEventListener("click", (event) => {
    const fig = event.target.closest(".fig");
    if (fig) showRecord(fig);
  });
  textBox.addEventListener("keydown", (event) => {
    const fig = event.target.closest(".fig");
    if (fig && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); showRecord(fig); }
  });

  // -- #pos- targets -------------------------------------------------------------------------
  function pieceAt(offset) {
    let lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= offset) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  function sentenceEnd(offset) {
    const s = data.sentences.find(([a, b]) => a <= offset && offset < b);
    return s ? s[1] : null;
  }

  function wrap(piece, from, to) {
    const chars = Array.from(piece.textContent);
    const range = document.createRange();
    range.setStart(piece.firstChild, chars.slice(0, from).join("").length);
    range.setEnd(piece.firstChild, chars.slice(0, to).join("").length);
    const mark = make("mark", null, "target");
    range.surroundContents(mark);
    return mark;
  }

  function unmark() {
    textBox.querySelectorAll("mark.target").forEach((mark) => {
      const parent = mark.parentNode;
      parent.replaceChild(document.createTextNode(mark.textContent), mark);
      parent.normalize();
    });
  }

  function markFromHash() {
    const m = /^#pos-(\d+)(?:-(\d+))?$/.exec(location.hash);
    if (!m) return;
    unmark();
    const start = Number(m[1]);
    let i = pieceAt(start);
    if (i < 0 || start >= pieceEnd(pieces.length - 1)) return;
    let end = m[2] ? Number(m[2]) : (sentenceEnd(start) || pieceEnd(i));
    if (end <= start) end = start + 1;
    let first = null;
    for (; i < pieces.length && starts[i] < end; i++) {
      const from = Math.max(start, starts[i]) - starts[i], to = Math.min(end, pieceEnd(i)) - starts[i];
      if (to > from && pieces[i].firstChild) {
        const mark = wrap(pieces[i], from, to);
        first = first || mark;
      }
    }
    if (!first) return;
    first.id = location.hash.slice(1);
    first.scrollIntoView({ block: "center" });
    const fig = first.closest(".fig");
    if (fig && m[2]) showRecord(fig);
  }

  window.addEventListener("hashchange", markFromHash);
  markFromHash();
  // The browser scrolls to a fragment again once the page has loaded: centre the mark after that.
  window.addEventListener("load", () => {
    const mark = textBox.querySelector("mark.target");
    if (mark) setTimeout(() => mark.scrollIntoView({ block: "center" }), 0);
  });
})();
