// Administrator: the audit log (GET /v1/audit), newest first, with the filters the route takes and paging.
// The filters live in the page's address (?role=partner&outcome=denied...), so a view can be bookmarked or shared.
// Pages are keyset pages (``before`` = the last seq shown): entries written meanwhile, this page's own reads
// included, cannot shift what "older" shows, as offsets would.
import { api, el, fill, guarded, main, say, table } from "../ui.js";

const form = document.getElementById("audit-filters");
const box = document.getElementById("entries");
const newer = document.getElementById("newer");
const older = document.getElementById("older");
const pageInfo = document.getElementById("page-info");
const TEXT_FILTERS = ["role", "outcome", "organisation", "key_id", "route", "limit"];
const TIME_FILTERS = ["since", "until"];
let before = null; // seq the shown page starts below (null: the newest)
let trail = []; // the `before` of each newer page, for "Newer entries"

function field(name) { return form.elements.namedItem(name); }

/** datetime-local (the browser's local time) to ISO 8601 UTC for the API, and back. */
function toUtc(local) { if (!local) return ""; const d = new Date(local); return Number.isNaN(d.getTime()) ? "" : d.toISOString(); }
function toLocal(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return "";
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function filters() {
  const query = {};
  for (const name of TEXT_FILTERS) { const v = field(name).value.trim(); if (v) query[name] = v; }
  for (const name of TIME_FILTERS) { const v = toUtc(field(name).value); if (v) query[name] = v; }
  return query;
}

function fromAddress() {
  const params = new URLSearchParams(location.search);
  for (const name of TEXT_FILTERS) {
    const v = params.get(name);
    if (v === null) continue;
    const input = field(name);
    if (input.tagName === "SELECT" && ![...input.options].some((o) => o.value === v)) continue;
    input.value = v;
  }
  for (const name of TIME_FILTERS) { const v = params.get(name); if (v) field(name).value = toLocal(v); }
  const b = parseInt(params.get("before") || "", 10);
  before = b > 0 ? b : null;
}

function toAddress(query) {
  const params = new URLSearchParams({ ...query, ...(before ? { before: String(before) } : {}) });
  const search = params.toString();
  history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
}

function when(iso) { return iso.replace("T", " ").replace("+00:00", " UTC"); }

function paramsText(params) {
  const text = JSON.stringify(params || {});
  return text === "{}" ? "" : el("span", { class: "params" }, text.length > 600 ? text.slice(0, 600) + "…" : text);
}

function keyFilterButton(entry) {
  if (!entry.key_id) return el("span", { class: "muted" }, "no key");
  return el("button", { type: "button", class: "link-like mono", "aria-label": `Show only key ${entry.key_id}`,
    onclick: () => { field("key_id").value = entry.key_id; restart(); } }, entry.key_id);
}

async function load() {
  main.dataset.ready = "0";
  const query = filters();
  const limit = parseInt(query.limit || "50", 10);
  toAddress(query);
  const page = await guarded(() => api("/audit", { query: { ...query, limit, before } }));
  if (page) {
    const columns = [
      { label: "Time (UTC)", value: (e) => when(e.at) },
      { label: "Role", value: (e) => e.role || "—" },
      { label: "Organisation", value: (e) => e.organisation || "—" },
      { label: "Key", value: keyFilterButton },
      { label: "Request", value: (e) => el("span", { class: "mono" }, `${e.method} ${e.route}`) },
      { label: "Outcome", value: (e) => (e.outcome === "ok" ? "ok" : el("strong", {}, e.outcome)) },
      { label: "Results", value: (e) => (e.result_count === null || e.result_count === undefined ? "" : String(e.result_count)) },
      { label: "Parameters", value: (e) => paramsText(e.params) },
    ];
    const n = page.entries.length;
    const range = n ? `${n} entr${n === 1 ? "y" : "ies"}, #${page.entries[0].seq} to #${page.entries[n - 1].seq}` : "no entries";
    fill(box, n ? table(page.entries, columns, `Audit log, ${range}`)
      : el("p", {}, before ? "No older entries." : "No entry matches these filters."));
    fill(pageInfo, range);
    newer.disabled = before === null;
    older.disabled = n < limit;
    older.dataset.next = n ? String(page.entries[n - 1].seq) : "";
    say(`${page.entries.length} entr${page.entries.length === 1 ? "y" : "ies"} shown.`);
  }
  main.dataset.ready = "1";
}

function restart() { before = null; trail = []; load(); }

form.addEventListener("submit", (event) => { event.preventDefault(); restart(); });
document.getElementById("clear-filters").addEventListener("click", () => { form.reset(); restart(); });
newer.addEventListener("click", () => {
  before = trail.length ? trail.pop() : null;
  load();
});
older.addEventListener("click", () => {
  if (!older.dataset.next) return;
  trail.push(before);
  before = parseInt(older.dataset.next, 10);
  load();
});

fromAddress();
await load();
