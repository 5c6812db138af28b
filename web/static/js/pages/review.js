// The POSSIBLY_SAME_AS review queue: each pending pair as two records side by side with the evidence the
// graph holds for each, and a decision form (reason, confirm, reject). A decided pair leaves the queue.

import { api, el, entityLink, fill, guarded, main, say, table } from "../ui.js";
import { field, pooled } from "../work.js";

const PAGE = 10;
const EVIDENCE = 6; // relationships shown per record; the entity page has them all
const list = document.getElementById("pairs");
const count = document.getElementById("queue-count");
const heading = document.getElementById("queue-heading");
const filter = document.getElementById("queue-filter");
const statusSelect = document.getElementById("status-filter");

function rolesOf(node) { return Object.keys(node.props?.roles || {}).sort(); }

function summary(node) {
  const facts = [];
  const roles = rolesOf(node);
  if (roles.length) facts.push(["Roles", roles.join(", ")]);
  const aliases = node.props?.aliases || [];
  if (aliases.length) facts.push(["Also written", aliases.join(", ")]);
  for (const key of ["gender", "age", "nationality", "birth_year"]) {
    if (node.props?.[key] !== undefined && node.props[key] !== null && node.props[key] !== "") facts.push([key.replace("_", " "), String(node.props[key])]);
  }
  return facts.length ? el("dl", { class: "facts" }, facts.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])) : null;
}

function evidenceList(detail) {
  const rels = detail.relationships.filter((r) => r.type !== "POSSIBLY_SAME_AS" && r.type !== "MENTIONED_IN");
  if (!rels.length) return [el("p", { class: "muted" }, "No relationship evidence besides being mentioned.")];
  const items = rels.slice(0, EVIDENCE).map((r) => {
    const ev = r.evidence[0];
    return el("li", {},
      el("span", { class: "rel-type" }, r.type.toLowerCase().replaceAll("_", " ")), " ",
      ev ? el("q", { class: "sentence" }, ev.sentence) : el("span", { class: "muted" }, "(no sentence kept)"),
      ev ? el("span", { class: "muted source" }, ` narrative ${ev.narrative}`) : null);
  });
  const more = rels.length > EVIDENCE ? el("p", { class: "muted" }, `${rels.length - EVIDENCE} more on the entity page.`) : null;
  return [el("ul", { class: "evidence" }, items), more];
}

function side(which, ref, detail) {
  const node = detail?.node || ref;
  return el("section", { class: "side", "aria-label": `Record ${which}: ${ref.name}` },
    el("h3", {}, `Record ${which}: `, entityLink(ref)),
    el("p", { class: "muted ids" }, `${ref.label || "Entity"} · ${ref.id}`),
    detail ? [summary(node),
      el("p", {}, `Mentioned in ${detail.narratives.length} narrative${detail.narratives.length === 1 ? "" : "s"}: `,
        detail.narratives.slice(0, 8).join(", "), detail.narratives.length > 8 ? ", …" : ""),
      el("h4", {}, "Evidence"), ...evidenceList(detail)]
      : el("p", { class: "error" }, "This record could not be loaded."));
}

async function decide(pair, decision, reasonInput, card, buttons) {
  const reason = reasonInput.value.trim();
  if (reason && reason.length < 3) { say("A reason needs at least 3 characters (or leave it empty).", true); reasonInput.focus(); return; }
  buttons.forEach((b) => { b.disabled = true; });
  const done = await guarded(() => api(`/review/pairs/${encodeURIComponent(pair.id)}`,
    { method: "POST", json: reason ? { decision, reason } : { decision } }));
  if (!done) { buttons.forEach((b) => { b.disabled = false; }); return; }
  const words = decision === "confirm" ? "Confirmed as one person" : "Rejected as two people";
  if (decision === "confirm") {
    await load(false); // a merge changes the other pairs that named the merged record
  } else {
    card.remove();
    updateCount(list.querySelectorAll(".pair").length);
  }
  say(`${words}: ${pair.a.name} and ${pair.b.name}. The pair has left the queue.`);
  heading.focus();
}

function card(pair, details, index) {
  const reasonId = `reason-${index}`;
  const reason = el("textarea", { id: reasonId, rows: 2, maxlength: 2000, class: "reason" });
  const confirm = el("button", { type: "button", class: "confirm" }, "Confirm: same person");
  const reject = el("button", { type: "button", class: "reject secondary" }, "Reject: different people");
  const article = el("article", { class: "card pair", "data-pair-id": pair.id, "aria-labelledby": `pair-${index}` },
    el("h3", { id: `pair-${index}`, class: "pair-title" }, `${pair.a.name} and ${pair.b.name}`),
    el("p", {}, el("span", { class: "badge" }, `score ${pair.score.toFixed(2)}`), " ", pair.reason),
    el("div", { class: "sides" }, side("A", pair.a, details[0]), side("B", pair.b, details[1])),
    el("div", { class: "decision" },
      field(reasonId, "Reason for your decision (optional, kept with it)", reason),
      el("div", { class: "row" }, confirm, reject)));
  confirm.addEventListener("click", () => decide(pair, "confirm", reason, article, [confirm, reject]));
  reject.addEventListener("click", () => decide(pair, "reject", reason, article, [confirm, reject]));
  return article;
}

function updateCount(n, more = false) {
  count.textContent = n === 0 ? "Nothing waiting for a decision." :
    `${n} pair${n === 1 ? "" : "s"} shown${more ? " (the best scores first; more appear as you decide)" : ""}.`;
}

const details = new Map();
async function detail(id) {
  if (!details.has(id)) details.set(id, api(`/entities/${encodeURIComponent(id)}`, { query: { limit: 50 } }).catch(() => null));
  return details.get(id);
}

async function load(announce = true) {
  main.dataset.ready = "";
  const status = statusSelect.value;
  details.clear();
  const pairs = await guarded(() => api("/review/pairs", { query: { status, limit: status === "pending" ? PAGE + 1 : 200 } }));
  if (!pairs) { main.dataset.ready = "1"; return; }
  if (status !== "pending") {
    fill(list, pairs.length ? table(pairs, [
      { label: "Record A", value: (p) => entityLink(p.a) }, { label: "Record B", value: (p) => entityLink(p.b) },
      { label: "Score", value: (p) => p.score.toFixed(2) }, { label: "Why they were paired", value: (p) => p.reason },
      { label: "Decision", value: (p) => p.status }], `${status} pairs`) : el("p", {}, `No ${status} pairs.`));
    count.textContent = `${pairs.length} ${status} pair${pairs.length === 1 ? "" : "s"}.`;
  } else {
    const shown = pairs.slice(0, PAGE);
    const loaded = await pooled(shown, 4, async (p) => Promise.all([detail(p.a.id), detail(p.b.id)]));
    fill(list, shown.map((p, i) => card(p, loaded[i], i)));
    updateCount(shown.length, pairs.length > PAGE);
  }
  if (announce) say("");
  main.dataset.ready = "1";
}

filter.addEventListener("submit", (event) => { event.preventDefault(); load(); });
load();
