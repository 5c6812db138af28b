// The watchlist: the active entries (and, on request, those taken off), adding an entity found by search or
// passed in as /watchlist?add=<entity id> (the entity page's link), and removal with a reason.

import { api, el, entityLink, fill, guarded, main, say } from "../ui.js";
import { field, when } from "../work.js";

const WATCHABLE = ["Person", "Organization", "Phone", "Email", "BankAccount", "CryptoWallet", "OnlineAccount"];
const CATEGORY = (c) => c.replaceAll("_", " ");
const entries = document.getElementById("entries");
const found = document.getElementById("found");
const findForm = document.getElementById("find-form");
const addForm = document.getElementById("add-form");
const chosen = document.getElementById("chosen");
const reason = document.getElementById("add-reason");
const category = document.getElementById("add-category");
const showRemoved = document.getElementById("show-removed");
const listHeading = document.getElementById("list-heading");
let target = null; // the entity to add: {id, label, name}

function choose(node) {
  target = node;
  fill(chosen, "Adding ", el("strong", {}, node.name), ` (${node.label || "entity"}, `, el("code", {}, node.id), ")");
  addForm.hidden = false;
  reason.focus();
}

async function search(q) {
  const page = await guarded(() => api("/entities", { query: { q, label: WATCHABLE, limit: 20 } }));
  if (!page) return;
  const nodes = page.results;
  if (!nodes.length) { fill(found, el("p", {}, "Nothing found. Try another spelling or the identifier itself.")); return; }
  fill(found, el("ul", { class: "found-list", "aria-label": "Search results" }, nodes.map((n) => el("li", {},
    el("button", { type: "button", class: "secondary choose", onclick: () => choose(n), "data-entity-id": n.id },
      "Choose ", el("span", { class: "sr-only" }, n.name)),
    " ", entityLink(n), el("span", { class: "muted" }, ` · ${n.label} · ${n.id}`)))),
    page.truncated ? el("p", { class: "muted" }, "The first 20 matches; more exist: type more of the name.") : null);
}

function warningsOf(entry) {
  if (!entry.warnings?.length) return entry.removed_at ? "" : el("span", { class: "ok" }, "Screened");
  return el("ul", { class: "warnings" }, entry.warnings.map((w) => el("li", { class: "warn" }, "Not screened: ", w.message)));
}

function removeControl(entry, cell) {
  const start = el("button", { type: "button", class: "secondary remove", "aria-label": `Remove ${entry.entity.name} (${CATEGORY(entry.category)})` }, "Remove…");
  start.addEventListener("click", () => {
    const id = `remove-reason-${entry.id}`;
    const input = el("input", { id, type: "text", maxlength: 2000, class: "remove-reason" });
    const go = el("button", { type: "submit", class: "danger" }, "Take it off");
    const cancel = el("button", { type: "button", class: "secondary" }, "Cancel");
    const form = el("form", { class: "stack remove-form" },
      field(id, `Why remove ${entry.entity.name}?`, input), el("div", { class: "row" }, go, cancel));
    cancel.addEventListener("click", () => { fill(cell, start); start.focus(); });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const why = input.value.trim();
      if (why.length < 3) { say("Give a reason of at least 3 characters for taking it off.", true); input.focus(); return; }
      go.disabled = true;
      const done = await guarded(() => api(`/watchlist/${encodeURIComponent(entry.id)}`, { method: "DELETE", json: { reason: why } }));
      if (!done) { go.disabled = false; return; }
      await load();
      say(`${entry.entity.name} is off the watchlist (${CATEGORY(entry.category)}).`);
      listHeading.focus();
    });
    fill(cell, form);
    input.focus();
  });
  return start;
}

function row(entry) {
  const action = el("td", { class: "actions" });
  if (!entry.removed_at) action.append(removeControl(entry, action));
  else action.append(el("span", {}, `Removed ${when(entry.removed_at)} by ${entry.removed_by}`),
    entry.removed_reason ? el("span", { class: "removed-reason" }, `: ${entry.removed_reason}`) : "");
  return el("tr", { "data-watch-id": entry.id, class: entry.removed_at ? "removed" : "" },
    el("td", {}, entityLink(entry.entity), el("div", { class: "muted" }, entry.entity.label || "")),
    el("td", {}, CATEGORY(entry.category)),
    el("td", { class: "text" }, entry.reason),
    el("td", {}, entry.by, el("div", { class: "muted" }, when(entry.created_at))),
    el("td", {}, warningsOf(entry)),
    action);
}

async function load() {
  main.dataset.ready = "";
  const list = await guarded(() => api("/watchlist", { query: { include_removed: showRemoved.checked || undefined, limit: 1000 } }));
  if (list) {
    const active = list.filter((e) => !e.removed_at).length;
    fill(entries, list.length ? el("div", { class: "table-wrap" }, el("table", { class: "watch" },
      el("caption", {}, `${active} active entr${active === 1 ? "y" : "ies"}` + (showRemoved.checked ? `, ${list.length - active} taken off` : "")),
      el("thead", {}, el("tr", {}, ["Entity", "Category", "Reason", "Flagged by", "Screening", "Status"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, list.map(row)))) : el("p", {}, "The watchlist is empty."));
  }
  main.dataset.ready = "1";
}

findForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const q = document.getElementById("find-q").value.trim();
  if (q) search(q);
});
addForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!target) return;
  const why = reason.value.trim();
  if (why.length < 3) { say("Give a reason of at least 3 characters.", true); reason.focus(); return; }
  const added = await guarded(() => api("/watchlist", { method: "POST", json: { entity_id: target.id, category: category.value, reason: why } }));
  if (!added) return;
  addForm.hidden = true; reason.value = ""; fill(found); target = null;
  history.replaceState(null, "", location.pathname);
  await load();
  const withheld = added.warnings?.length ? ` Note: ${added.warnings.map((w) => w.message).join(" ")}` : "";
  say(`${added.entity.name} is on the watchlist under ${CATEGORY(added.category)}.${withheld}`);
  listHeading.focus();
});
document.getElementById("add-cancel").addEventListener("click", () => { addForm.hidden = true; target = null; document.getElementById("find-q").focus(); });
showRemoved.addEventListener("change", load);

async function start() {
  const wanted = new URLSearchParams(location.search).get("add");
  if (wanted) {
    const detail = await guarded(() => api(`/entities/${encodeURIComponent(wanted)}`, { query: { limit: 1 } }));
    if (detail) choose(detail.node);
  }
  await load();
}
start();
