// Helpers for the analyst's graph pages (search, entity, explorer, networks, exposure): words for the graph's
// labels and relation types, entity references as links, and the cytoscape.js drawing (style, layout,
// legend). Text from the server only ever goes in as text (el() from ui.js, cytoscape's canvas labels).

import { api, el } from "./ui.js";

/** Node labels as an analyst says them. */
export const KINDS = {
  Person: "Person", Organization: "Organisation", Location: "Place", Phone: "Phone", Email: "Email",
  BankAccount: "Bank account", CryptoWallet: "Crypto wallet", OnlineAccount: "Online account", Narrative: "Narrative",
};
export const kind = (label) => KINDS[label] || label || "Unknown";

/** Relation types in words, from the entity's side: [outgoing, incoming]. */
const VERBS = {
  RECRUITED: ["recruited", "was recruited by"], EXPLOITED_AT: ["was exploited at", "place of exploitation of"],
  WORKED_AT: ["worked at", "workplace of"], CONTROLLED: ["controlled", "was controlled by"],
  PAID: ["paid", "was paid by"], USES_PHONE: ["uses phone", "phone used by"], USES_EMAIL: ["uses email", "email used by"],
  OWNS_ACCOUNT: ["owns account", "account owned by"], ASSOCIATED_WITH: ["associated with", "associated with"],
  MENTIONED_IN: ["mentioned in", "mentions"], TRAVELLED: ["travelled to", "destination of"],
  LOCATED_IN: ["located in", "location of"], POSSIBLY_SAME_AS: ["possibly the same as", "possibly the same as"],
};
export const RELATION_TYPES = Object.keys(VERBS);
export function verb(type, outgoing) { return (VERBS[type] || [type, type])[outgoing ? 0 : 1]; }
export function typeName(type) { return (type || "").toLowerCase().replace(/_/g, " "); }

/** A link to an entity's page from a NodeRef ({id, label, name}). */
export function entityLink(ref) {
  return el("a", { href: entityHref(ref.id) }, ref.name || ref.id);
}
/** An entity page's address; ":" and "/" stay readable (ids such as onlineaccount:site/path hold them). */
export function entityHref(id) {
  return "/entities/" + encodeURIComponent(id).replace(/%3A/gi, ":").replace(/%2F/gi, "/");
}
export function exploreHref(id, extra = {}) {
  const q = new URLSearchParams({ id, ...extra });
  return "/explore?" + q.toString();
}
export function exposureHref(id) { return "/exposure?" + new URLSearchParams({ id }).toString(); }

/** Roles as "recruiter (s002, s025)", from a person's props.roles ({role: [narratives]}). */
export function rolesText(roles) {
  return Object.entries(roles || {}).filter(([r]) => r !== "unknown")
    .map(([r, ns]) => `${r} (${(ns || []).join(", ")})`).join("; ");
}

/** The query string's value, or "". */
export function param(name) { return new URLSearchParams(location.search).get(name) || ""; }

/** An entity from what a person typed: an id as it is ("person:…", "phone:+44…"), else the best search hit. */
export async function resolveEntity(text, label) {
  const value = text.trim();
  if (!value) return null;
  if (/^(person|organization|location|phone|email|bankaccount|cryptowallet|onlineaccount|narrative):/.test(value)) {
    return { id: value, name: value };
  }
  const found = await api("/entities", { query: { q: value, label, limit: 1 } });
  return found.results[0] || null;
}

/** A path (list of NodeRefs) as a chain of links: A → B → C. */
export function chain(refs) {
  const out = [];
  refs.forEach((ref, i) => { if (i) out.push(el("span", { "aria-hidden": "true" }, " → ")); out.push(entityLink(ref)); });
  return el("span", { class: "chain" }, out);
}

// -- drawing with cytoscape.js ------------------------------------------------------------------------------

/** Network colours (fill), dark enough for 3:1 against white; the network number is also in the lists. */
export const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
  "#17becf", "#ff7f0e", "#393b79", "#637939"];
export const communityColour = (c) => (c === null || c === undefined ? "#c9d1d9" : PALETTE[c % PALETTE.length]);
const SHAPES = { Person: "ellipse", Organization: "round-rectangle", Location: "diamond", Narrative: "tag" };
export const shape = (label) => SHAPES[label] || "hexagon";
export const LARGE = 150; // above this many nodes: no force layout, no labels until zoomed in

/** The stylesheet: shape says the kind, fill the network, border the marks (key actor solid, broker dashed). */
export function graphStyle(large) {
  return [
    { selector: "node", style: {
      "background-color": "data(colour)", shape: "data(shape)", width: large ? 10 : 22, height: large ? 10 : 22,
      label: large ? "" : "data(short)", "font-size": 10, color: "#1b1f24", "text-valign": "bottom",
      "text-margin-y": 3, "text-outline-color": "#ffffff", "text-outline-width": 2, "min-zoomed-font-size": 6,
      "border-width": 1, "border-color": "#4a5560" } },
    { selector: "node.key-actor", style: { "underlay-color": "#1b1f24", "underlay-opacity": 0.45,
      "underlay-padding": large ? 3 : 5, "underlay-shape": "ellipse", width: large ? 14 : 28, height: large ? 14 : 28 } },
    { selector: "node.broker", style: { "border-width": 3, "border-color": "#1b1f24", "border-style": "dashed" } },
    { selector: "node.center", style: { label: "data(short)", "font-weight": "bold", width: 30, height: 30 } },
    { selector: "edge", style: { width: large ? 1 : 1.5, opacity: large ? 0.4 : 1, "line-color": "#8a96a3", "curve-style": large ? "haystack" : "bezier",
      "target-arrow-shape": large ? "none" : "triangle", "target-arrow-color": "#8a96a3", "arrow-scale": 0.8 } },
    { selector: ".hidden", style: { display: "none" } },
    { selector: ".faded", style: { opacity: 0.2 } },
    { selector: "node.on-path", style: { "border-width": 5, "border-color": "#f2b600", label: "data(short)",
      "z-index": 10 } },
    { selector: "edge.on-path", style: { width: 5, "line-color": "#f2b600", "target-arrow-color": "#f2b600",
      "z-index": 10, "curve-style": "bezier" } },
    { selector: "node.focused, node:selected", style: { "overlay-color": "#0b5cad", "overlay-opacity": 0.35,
      "overlay-padding": 6, label: "data(short)" } },
  ];
}

/** A node as a cytoscape element, with its kind, network and marks in its data and classes. */
export function nodeElement(node, marks, hop) {
  const mark = (marks || {})[node.id] || {};
  const classes = [mark.key_actor ? "key-actor" : "", mark.broker ? "broker" : ""].filter(Boolean).join(" ");
  const name = node.name || node.id;
  return { group: "nodes", classes, data: {
    id: node.id, name, short: name.length > 24 ? name.slice(0, 23) + "…" : name, label: node.label,
    community: mark.community ?? null, keyActor: Boolean(mark.key_actor), broker: Boolean(mark.broker),
    colour: communityColour(mark.community), shape: shape(node.label), hop } };
}

/** A relationship as a cytoscape element, with the dates of the narratives that state it. */
export function edgeElement(edge, dates) {
  const when = (edge.narratives || []).map((n) => (dates || {})[n]).filter(Boolean).sort();
  return { group: "edges", data: { id: edge.id, source: edge.source, target: edge.target, type: edge.type,
    narratives: edge.narratives || [], dates: when } };
}

/** Positions in rings by hop from the start (ring r holds the nodes r hops away), spaced so a ring's nodes do
 * not overlap: linear time, so 2,000 nodes are placed in a few milliseconds (a force layout takes seconds). */
export function ringPositions(nodes, spacing = 14) {
  const rings = new Map();
  for (const n of nodes) {
    const hop = n.hop ?? 9;
    if (!rings.has(hop)) rings.set(hop, []);
    rings.get(hop).push(n);
  }
  const out = new Map();
  let radius = 0;
  for (const hop of [...rings.keys()].sort((a, b) => a - b)) {
    const ring = rings.get(hop).sort((a, b) => ((a.community ?? 1e9) - (b.community ?? 1e9)) || (a.id < b.id ? -1 : 1));
    if (hop > 0 || ring.length > 1) radius = Math.max(radius + spacing * 4, (ring.length * spacing) / (2 * Math.PI));
    ring.forEach((n, i) => {
      const angle = (2 * Math.PI * i) / ring.length;
      out.set(n.id, { x: radius * Math.cos(angle), y: radius * Math.sin(angle) });
    });
  }
  return out;
}

/** Lay the graph out: a force layout for small graphs; rings by hop from the start for large ones (fast). */
export function layout(cy, options = {}) {
  const visible = cy.elements().not(".hidden");
  const nodes = visible.nodes();
  if (nodes.length > LARGE) {
    const placed = ringPositions(nodes.map((n) => ({ id: n.id(), hop: n.data("hop"), community: n.data("community") })));
    nodes.positions((n) => placed.get(n.id()));
    cy.fit(visible, 20);
    return;
  }
  visible.layout({ name: "cose", animate: false, fit: true, padding: 30, randomize: true, numIter: 600,
    nodeRepulsion: () => 8000, idealEdgeLength: () => 60, ...options }).run();
}

/** Start cytoscape in a container, tuned for speed when the graph is large: nodes placed in rings as they
 * are created (no layout pass), no labels until zoomed in, straight edges hidden while panning. */
export function startGraph(container, elements) {
  const nodes = elements.filter((e) => e.group === "nodes");
  const large = nodes.length > LARGE;
  if (large) {
    const placed = ringPositions(nodes.map((e) => e.data));
    for (const e of nodes) e.position = placed.get(e.data.id);
  }
  const cy = globalThis.cytoscape({
    container, elements, style: graphStyle(large), layout: { name: "preset" }, minZoom: 0.05, maxZoom: 4,
    textureOnViewport: large, hideEdgesOnViewport: large, pixelRatio: large ? 1 : "auto", motionBlur: false,
    boxSelectionEnabled: false,
  });
  if (large) cy.fit(undefined, 20);
  return cy;
}

/** The legend: what each shape and border means (never colour alone). */
export function legend() {
  const item = (cls, text) => el("li", {}, el("span", { class: "swatch " + cls, "aria-hidden": "true" }), " ", text);
  return el("ul", { class: "legend" },
    item("sw-person", "Person (circle)"), item("sw-org", "Organisation (rounded square)"),
    item("sw-place", "Place (diamond)"), item("sw-id", "Phone, email, account (hexagon)"),
    item("sw-key", "Key actor of its network (larger, dark halo)"),
    item("sw-broker", "Broker between networks (dashed border)"),
    item("sw-path", "On the path found (yellow)"),
    el("li", {}, "Fill colour: the person's network (its number is in the node list); grey: no network"));
}

/** Marks as words, for lists and tables. */
export function marksText(mark) {
  if (!mark) return "";
  return [mark.community !== null && mark.community !== undefined ? `network ${mark.community}` : "",
    mark.key_actor ? "key actor" : "", mark.broker ? "broker" : ""].filter(Boolean).join(", ");
}
