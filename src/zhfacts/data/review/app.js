// zhfacts review: one fact at a time, one key per decision, every decision saved at once.
// Every piece of article text goes into the page with textContent, never as markup.
"use strict";

const token = new URLSearchParams(location.search).get("token") || "";
const $ = (sel) => document.querySelector(sel);
const state = {queue: [], total: 0, reviewedElsewhere: 0, index: 0, undo: [], editing: null, detail: null, shown: 0};

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child ?? "")));
  }
  return node;
}

async function api(path, body) {
  const init = {headers: {"X-Zhfacts-Token": token}};
  if (body !== undefined) {
    init.method = "POST";
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const data = await response.json().catch(() => ({error: response.statusText}));
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

function say(text, isError) {
  const m = $("#message");
  m.textContent = text;
  m.className = isError ? "error" : "";
}

function reviewState(review) {
  if (!review) return "unreviewed";
  return review === "ok" || review === "wrong" ? review : "corrected";
}

function value(f) {
  const n = (x) => Number(x).toLocaleString("en-US", {maximumFractionDigits: 4});
  return f.value_max == null ? n(f.value) : `${n(f.value)}–${n(f.value_max)}`;
}

function filters() {
  const out = {};
  for (const s of document.querySelectorAll("#filters select")) out[s.name] = s.value;
  return out;
}

// -- the queue ------------------------------------------------------------------------
async function loadOptions() {
  const options = await api("/api/options");
  for (const s of document.querySelectorAll("#filters select")) {
    for (const v of options[s.name] || []) {
      const [val, label] = Array.isArray(v) ? v : [v, v];
      s.append(el("option", {value: val}, label));
    }
    s.addEventListener("change", () => { saveFilters(); loadQueue(0); s.blur(); });
  }
  const saved = JSON.parse(sessionStorage.getItem("zhfacts-filters") || "{}");
  for (const s of document.querySelectorAll("#filters select")) {
    if (saved[s.name] && [...s.options].some((o) => o.value === saved[s.name])) s.value = saved[s.name];
  }
}

function saveFilters() {
  sessionStorage.setItem("zhfacts-filters", JSON.stringify(filters()));
}

async function loadQueue(index) {
  const q = new URLSearchParams(filters());
  const data = await api("/api/queue?" + q.toString());
  state.queue = data.facts;
  state.total = data.total;  // more than the queue holds when it is cut: filter to reach them
  state.reviewedElsewhere = data.reviewed - data.facts.filter((f) => f.review).length;
  state.index = Math.max(0, Math.min(index, state.queue.length - 1));
  renderQueue();
  await show(state.index);
}

function queueItem(f, i) {
  const s = reviewState(f.review);
  const li = el("li", {"data-fact": f.fact_id, "data-state": s},
    el("span", {class: "state state-" + s}, s === "corrected" ? f.review : s),
    el("span", {class: "what"}, `${f.metric} ${value(f)} ${f.unit || ""} · ${f.title || f.source_file}`));
  li.addEventListener("click", () => show(i));
  return li;
}

function renderQueue() {
  $("#queue").replaceChildren(...state.queue.map(queueItem));
  progress();
}

function renderItem(i) {  // one decision changes one line of the queue, not all of them
  const old = $("#queue").children[i];
  if (old) {
    const li = queueItem(state.queue[i], i);
    li.className = old.className;
    old.replaceWith(li);
  }
  progress();
}

function progress() {
  const reviewed = state.reviewedElsewhere + state.queue.filter((f) => f.review).length;
  const cut = state.total > state.queue.length ? ` (the first ${state.queue.length} shown: filter to see the rest)` : "";
  $("#progress").textContent = `${reviewed} of ${state.total} reviewed${cut}`;
}

function mark(i) {
  document.querySelectorAll("#queue li.current").forEach((li) => li.classList.remove("current"));
  const li = $("#queue").children[i];
  if (li) { li.classList.add("current"); li.scrollIntoView({block: "nearest"}); }
}

// -- one fact -------------------------------------------------------------------------
async function show(i) {
  closeEditor();
  if (!state.queue.length) {
    $("#fact").replaceChildren(el("p", {class: "empty"}, "No fact matches these filters."));
    state.detail = null;
    return;
  }
  state.index = Math.max(0, Math.min(i, state.queue.length - 1));
  mark(state.index);
  const asked = ++state.shown;  // keys faster than the answers: only the last one is shown
  const f = await api("/api/fact?id=" + encodeURIComponent(state.queue[state.index].fact_id));
  if (asked !== state.shown) return;
  state.detail = f;
  renderFact(f);
}

function renderFact(f) {
  const where = [f.province, f.city, f.county].filter(Boolean).join(" / ");
  const para = el("div", {class: "paragraph"});
  for (const [text, kind] of f.paragraph) {
    para.append(kind ? el("mark", {class: kind}, text) : document.createTextNode(text));
  }
  const s = reviewState(f.review);
  const history = el("ol", {class: "history"});
  for (const h of f.history) {
    const when = new Date(h.at * 1000).toLocaleString();
    history.append(el("li", {class: h.undone ? "undone" : ""},
      `${when} · ${h.reviewer || "?"} (${h.source}) · ${h.action}: ${h.review || "—"}${h.note ? " · " + h.note : ""}`));
  }
  $("#fact").replaceChildren(
    el("h2", {}, f.title || f.source_file),
    el("p", {class: "meta"}, [f.source, f.published, f.author, f.source_file].filter(Boolean).join(" · ")),
    el("p", {class: "figure"}, `${f.metric}: ${value(f)} ${f.unit || ""}`,
       f.qualifier && f.qualifier !== "exact" ? ` (${f.qualifier})` : "", ` · ${f.status}`),
    para,
    el("dl", {},
      el("dt", {}, "place"), el("dd", {}, where ? `${where} (${f.place_from})` : "—"),
      el("dt", {}, "period"), el("dd", {}, f.period ? `${f.period} (${f.period_from})` : "—"),
      el("dt", {}, "rule"), el("dd", {}, f.rule_id),
      el("dt", {}, "fact"), el("dd", {}, f.fact_id)),
    el("p", {class: "decision"}, "decision: ",
       el("strong", {class: "state-" + s, id: "decision"}, f.review || "none"),
       f.note ? ` · note: ${f.note}` : ""),
    el("div", {id: "editor"}),
    el("h3", {}, "history"), history);
}

// -- deciding -------------------------------------------------------------------------
async function decide(body, advance) {
  const f = state.queue[state.index];
  if (!f) return;
  try {
    const saved = await api("/api/decide", Object.assign({fact_id: f.fact_id}, body));
    f.review = saved.review; f.note = saved.note;
    state.undo.push(f.fact_id);
    say(`saved: ${f.metric} ${value(f)} → ${saved.review || "no decision"}${saved.note ? " · " + saved.note : ""}`);
    renderItem(state.index);
    if (advance && state.index < state.queue.length - 1) await show(state.index + 1);
    else await show(state.index);
  } catch (e) {
    say(e.message, true);
  }
}

async function undo() {
  const id = state.undo.pop();
  if (!id) { say("nothing to undo"); return; }
  try {
    const back = await api("/api/undo", {fact_id: id});
    const i = state.queue.findIndex((f) => f.fact_id === id);
    if (i >= 0) { state.queue[i].review = back.review; state.queue[i].note = back.note; renderItem(i); }
    say(`undone: back to ${back.review || "no decision"}`);
    if (i >= 0) await show(i);
  } catch (e) {
    say(e.message, true);
  }
}

function openEditor(kind) {
  const f = state.detail;
  if (!f) return;
  const input = el("input", {id: "edit-" + kind, type: "text",
    placeholder: kind === "number" ? "the right number: 1200, 1,200, 1.2万, 一千二百" : "note"});
  input.value = kind === "note" ? f.note : "";
  const box = $("#editor");
  box.replaceChildren(el("div", {class: "editor"}, el("label", {for: input.id}, kind === "number" ? "number" : "note"),
                         input, el("span", {}, "Enter saves · Esc cancels")));
  state.editing = kind;
  input.focus();
  input.addEventListener("keydown", async (e) => {
    if (e.key === "Escape") { e.preventDefault(); closeEditor(); }
    if (e.key === "Enter") {
      e.preventDefault();
      const text = input.value;
      closeEditor();
      await decide(kind === "number" ? {review: text} : {note: text}, kind === "number");
    }
    e.stopPropagation();
  });
}

function closeEditor() {
  state.editing = null;
  const box = $("#editor");
  if (box) box.replaceChildren();
}

document.addEventListener("keydown", async (e) => {
  if (state.editing || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.target instanceof HTMLSelectElement || e.target instanceof HTMLInputElement) return;
  const key = e.key.toLowerCase();
  const actions = {
    a: () => decide({review: "ok"}, true),
    x: () => decide({review: "wrong"}, true),
    e: () => openEditor("number"),
    n: () => openEditor("note"),
    j: () => show(state.index + 1),
    k: () => show(state.index - 1),
    u: () => undo(),
  };
  if (actions[key]) { e.preventDefault(); await actions[key](); }
});

(async () => {
  try {
    await loadOptions();
    await loadQueue(0);
    document.body.dataset.ready = "1";
  } catch (e) {
    say(e.message, true);
  }
})();
