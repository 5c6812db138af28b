// One entity (GET /v1/entities/{id}): who or what it is, its network marks, every fact about it with the
// sentences that evidence it, and the narratives it rests on with their Admiralty grading. A person the
// narratives record as a victim is flagged, with the reminder that reports and exports pseudonymise them.

import { api, data, el, fill, guarded, main, say, table } from "../ui.js";
import { entityLink, exploreHref, exposureHref, kind, marksText, typeName, verb } from "../graph.js";

const box = document.getElementById("entity");
const EVIDENCE_SHOWN = 2;

function evidenceList(edge) {
  const items = (edge.evidence || []).map((e) => el("li", {}, el("q", {}, e.sentence.trim()),
    el("span", { class: "muted" }, ` — ${e.narrative}, confidence ${e.confidence.toFixed(2)}`)));
  if (items.length <= EVIDENCE_SHOWN) return el("ul", { class: "evidence" }, items);
  return el("div", {}, el("ul", { class: "evidence" }, items.slice(0, EVIDENCE_SHOWN)),
    el("details", {}, el("summary", {}, `${items.length - EVIDENCE_SHOWN} more sentence(s)`),
      el("ul", { class: "evidence" }, items.slice(EVIDENCE_SHOWN))));
}

function qualifiers(edge) {
  const p = edge.props || {};
  const parts = [];
  if (edge.type === "TRAVELLED") {
    if (p.mode) parts.push("by " + p.mode);
    if (p.date) parts.push("on " + p.date);
    if ((p.via || []).length) parts.push("via " + p.via.map((v) => v.split(":").pop()).join(", "));
  }
  if (edge.type === "POSSIBLY_SAME_AS") parts.push(`score ${Number(p.score || 0).toFixed(2)}, ${p.status || "pending"}`);
  if (p.cue) parts.push(`“${p.cue}”`);
  return parts.join("; ");
}

function factsTable(detail, names) {
  const own = detail.node.id;
  const facts = detail.relationships.filter((r) => r.type !== "MENTIONED_IN");
  if (!facts.length) return el("p", {}, "No relationship besides the narratives that mention it.");
  return table(facts, [
    { label: "Relation", value: (r) => el("span", {}, verb(r.type, r.source === own),
      qualifiers(r) ? el("span", { class: "muted" }, " (" + qualifiers(r) + ")") : null) },
    { label: "With", value: (r) => { const other = r.source === own ? r.target : r.source;
      return el("span", {}, entityLink(names.get(other) || { id: other, name: other }),
        el("span", { class: "muted" }, " · " + kind((names.get(other) || {}).label))); } },
    { label: "Evidence", value: (r) => evidenceList(r) },
    { label: "Confidence", value: (r) => r.confidence.toFixed(2) },
  ], `${facts.length} fact(s)` + (detail.truncated ? ` (the ${detail.relationships.length} strongest of ${detail.relationships_total} relationships)` : ""));
}

function sourcesTable(detail) {
  if (!detail.sources.length) return el("p", {}, "No narrative mentions it directly.");
  return table(detail.sources, [
    { label: "Narrative", value: (s) => s.id },
    { label: "Grading", value: (s) => s.grading || "not graded" },
    { label: "Date", value: (s) => s.date || "—" },
    { label: "Submitted by", value: (s) => s.organisation || "—" },
  ], "Narratives that mention it (Admiralty grading: source reliability A–F, information credibility 1–6)");
}

function summary(detail) {
  const node = detail.node;
  const p = node.props || {};
  const rows = [["Kind", kind(node.label)], ["Entity id", node.id]];
  if ((p.aliases || []).length) rows.push(["Written as", p.aliases.join(", ")]);
  const roles = Object.entries(p.roles || {}).filter(([r]) => r !== "unknown");
  if (roles.length) rows.push(["Roles", roles.map(([r, ns]) => `${r} (in ${ns.join(", ")})`).join("; ")]);
  for (const key of ["country", "region", "kind", "value"]) if (p[key] && typeof p[key] !== "object") rows.push([key[0].toUpperCase() + key.slice(1), String(p[key])]);
  if (marksText(detail.marks)) rows.push(["In the analysis", marksText(detail.marks)]);
  for (const w of detail.watchlist) rows.push(["Watchlist", `${typeName(w.category)}: ${w.reason} (by ${w.by})`]);
  return el("dl", { class: "facts-list" }, rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}

async function draw() {
  const id = data("entity-id");
  const detail = await api("/entities/" + encodeURIComponent(id));
  const node = detail.node;
  const names = new Map(detail.related.map((r) => [r.id, r]));
  const victim = Object.keys(node.props?.roles || {}).includes("victim");
  document.title = `${node.name} · Sightline`;
  const links = [el("a", { href: exploreHref(node.id) }, "Explore its neighbourhood")];
  if (node.label === "Person") links.push(el("a", { href: exposureHref(node.id) }, "Its exposure"));
  if (detail.marks.community !== null && detail.marks.community !== undefined) {
    links.push(el("a", { href: `/communities#network-${detail.marks.community}` }, `Network ${detail.marks.community}`));
  }
  fill(box,
    el("h2", { id: "entity-name" }, node.name),
    el("div", { class: "marks" }, el("span", { class: "badge" }, kind(node.label)),
      detail.marks.key_actor ? el("span", { class: "badge" }, "key actor") : null,
      detail.marks.broker ? el("span", { class: "badge" }, "broker") : null,
      victim ? el("span", { class: "badge victim" }, "recorded as a victim") : null),
    victim ? el("p", { class: "notice" }, "The narratives record this person as a victim. Reports and exports show a " +
      "pseudonym instead of this name; keep the name inside the analysis team.") : null,
    el("nav", { class: "row", "aria-label": "About this entity" }, links),
    el("section", { "aria-labelledby": "about-h" }, el("h2", { id: "about-h" }, "About"), summary(detail)),
    el("section", { "aria-labelledby": "facts-h" }, el("h2", { id: "facts-h" }, "Facts and their evidence"),
      el("div", { class: "facts" }, factsTable(detail, names))),
    el("section", { "aria-labelledby": "sources-h" }, el("h2", { id: "sources-h" }, "Source narratives"), sourcesTable(detail)));
  say("");
}

guarded(draw).finally(() => { main.dataset.ready = "1"; });
