// The graph explorer: the neighbourhood of one entity drawn with cytoscape.js, expanded node by node,
// filtered by relation type and narrative date, coloured by network, with key actors and brokers marked,
// and the path between two entities highlighted. The node list below the drawing does everything the
// canvas does with buttons and links, since a canvas cannot be used from the keyboard or read aloud.

import { api, el, fill, guarded, main, say } from "../ui.js";
import {
  LARGE, RELATION_TYPES, chain, communityColour, edgeElement, entityLink, exposureHref, kind, layout, legend,
  marksText, nodeElement, param, resolveEntity, startGraph, typeName,
} from "../graph.js";

const box = document.getElementById("graph");
const listBox = document.getElementById("node-list");
const info = document.getElementById("node-info");
const state = { cy: null, center: "", marks: {}, dates: {}, expanded: new Set(), focus: -1,
  community: param("community") === "" ? null : Number(param("community")) };
const LIST_MAX = 250;

const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

function typeBoxes() {
  const set = document.getElementById("types");
  for (const type of RELATION_TYPES) {
    const id = "type-" + type.toLowerCase();
    set.append(el("div", { class: "check" }, el("input", { type: "checkbox", id, value: type,
      checked: type !== "MENTIONED_IN" }), el("label", { for: id }, typeName(type))));
  }
  set.addEventListener("change", () => refresh());
}

function wantedTypes() {
  return new Set([...document.querySelectorAll("#types input:checked")].map((i) => i.value));
}

/** Hide what the filters leave out: edges of unticked types or outside the date range, then lone nodes. */
function applyFilters() {
  const cy = state.cy;
  if (!cy) return;
  const types = wantedTypes();
  const from = document.getElementById("date-from").value;
  const to = document.getElementById("date-to").value;
  const colour = document.getElementById("colour").checked;
  cy.batch(() => {
    cy.edges().forEach((edge) => {
      const dates = edge.data("dates") || [];
      const inRange = (!from && !to) || dates.some((d) => (!from || d >= from) && (!to || d.slice(0, 10) <= to));
      edge.toggleClass("hidden", !edge.hasClass("on-path") && !(types.has(edge.data("type")) && inRange));
    });
    cy.nodes().forEach((node) => {
      const keep = node.id() === state.center || state.expanded.has(node.id()) || node.hasClass("on-path") ||
        node.connectedEdges().some((e) => !e.hasClass("hidden"));
      node.toggleClass("hidden", !keep);
      node.data("colour", colour ? communityColour(node.data("community")) : "#c9d1d9");
      node.toggleClass("faded", state.community !== null && node.data("community") !== state.community);
    });
  });
}

/** Whether the filters as set would change a fresh drawing (if not, a large graph skips that pass). */
function filtering(edges) {
  const types = wantedTypes();
  return Boolean(document.getElementById("date-from").value || document.getElementById("date-to").value) ||
    !document.getElementById("colour").checked || state.community !== null || edges.some((e) => !types.has(e.type));
}

function visibleNodes() {
  if (!state.cy) return [];
  return state.cy.nodes().not(".hidden").toArray()
    .sort((a, b) => (a.data("hop") - b.data("hop")) || a.data("name").localeCompare(b.data("name")));
}

function markOf(node) {
  return { community: node.data("community"), key_actor: node.data("keyActor"), broker: node.data("broker") };
}

function drawList() {
  const words = document.getElementById("node-filter").value.trim().toLowerCase();
  const nodes = visibleNodes().filter((n) => !words || n.data("name").toLowerCase().includes(words));
  const shown = nodes.slice(0, LIST_MAX);
  const rows = shown.map((node) => {
    const id = node.id();
    const expanded = state.expanded.has(id);
    return el("tr", {},
      el("th", { scope: "row" }, entityLink({ id, name: node.data("name") })),
      el("td", {}, kind(node.data("label"))),
      el("td", {}, marksText(markOf(node)) || "—"),
      el("td", {}, String(node.data("hop"))),
      el("td", {}, el("button", { type: "button", class: "secondary expand", "data-id": id, disabled: expanded,
        "aria-label": (expanded ? "Expanded: " : "Expand ") + node.data("name") }, expanded ? "Expanded" : "Expand")));
  });
  const head = el("tr", {}, ["Name", "Kind", "Network and marks", "Hops from start", "Action"]
    .map((h) => el("th", { scope: "col" }, h)));
  fill(listBox,
    nodes.length > LIST_MAX ? el("p", { class: "muted" }, `Showing ${LIST_MAX} of ${nodes.length} nodes; narrow the list by name.`) : null,
    el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Nodes drawn" }, el("table", { id: "nodes-table" }, el("thead", {}, head), el("tbody", {}, rows))));
}

function showInfo(node) {
  const id = node.id();
  const person = node.data("label") === "Person";
  fill(info, el("h3", {}, node.data("name")),
    el("p", {}, kind(node.data("label")), marksText(markOf(node)) ? " · " + marksText(markOf(node)) : ""),
    el("p", {}, entityLink({ id, name: "Open its entity page" }),
      person ? el("span", {}, " · ", el("a", { href: exposureHref(id) }, "Its exposure")) : null),
    el("div", { class: "row" },
      el("button", { type: "button", class: "secondary", onclick: () => action(() => expand(id)), disabled: state.expanded.has(id) }, "Expand"),
      el("button", { type: "button", class: "secondary", onclick: () => { document.getElementById("path-from").value = id; } }, "Path from here"),
      el("button", { type: "button", class: "secondary", onclick: () => { document.getElementById("path-to").value = id; } }, "Path to here")));
}

function summary(extra = "") {
  const cy = state.cy;
  const shown = visibleNodes().length;
  const text = `${shown} of ${cy.nodes().length} nodes shown, ${cy.edges().not(".hidden").length} relationships, ` +
    `around ${cy.getElementById(state.center).data("name") || state.center}` +
    (state.community !== null ? `; network ${state.community} highlighted, others faded` : "") + extra;
  document.getElementById("summary").textContent = text;
  main.dataset.nodes = String(cy.nodes().length);
  main.dataset.visible = String(shown);
}

async function refresh(relayout = false) {
  applyFilters();
  if (relayout) layout(state.cy);
  drawList();
  summary();
}

async function fetchAround(id, depth, limit) {
  return api("/neighbourhood/" + encodeURI(id), { query: { depth, limit, marks: "true" } });
}

/** Draw the neighbourhood of one entity from scratch; the time from data to drawn layout goes to data-draw-ms. */
async function start(id, depth, limit) {
  say("Loading the neighbourhood…");
  const sub = await fetchAround(id, depth, limit);
  const t0 = performance.now();
  state.center = sub.center;
  state.marks = sub.marks || {};
  state.dates = sub.narrative_dates || {};
  state.expanded = new Set([sub.center]);
  const hops = hopsFrom(sub.center, sub.edges);
  const elements = [...sub.nodes.map((n) => nodeElement(n, state.marks, hops.get(n.id) ?? depth)),
    ...sub.edges.map((e) => edgeElement(e, state.dates))];
  const phases = [];
  const lap = (name) => phases.push(`${name} ${Math.round(performance.now() - t0)}`);
  lap("elements");
  state.cy?.destroy();
  state.cy = startGraph(box, elements);
  state.cy.getElementById(sub.center).addClass("center");
  wire(state.cy);
  lap("cytoscape");
  if (filtering(sub.edges)) applyFilters();
  lap("filters");
  if (sub.nodes.length <= LARGE) layout(state.cy);  // large graphs were placed in rings as they were created
  lap("layout");
  await frame();
  await frame();
  main.dataset.drawMs = String(Math.round(performance.now() - t0));
  main.dataset.drawPhases = phases.join(", ");  // cumulative ms, for the benchmark's diagnosis
  drawList();
  summary(truncation(sub));
  document.getElementById("path-from").value ||= sub.center;
  say(`Drawn ${sub.nodes.length} nodes in ${main.dataset.drawMs} ms.`);
}

/** A short notice of what the server's limits left out of a neighbourhood (docs/api.md, "Bounded answers"). */
function truncation(sub) {
  const cut = [sub.nodes_truncated ? `nodes at ${sub.limit}` : "", sub.edges_truncated ? `relationships at ${sub.edge_limit}` : "",
    sub.evidence_truncated ? `evidence at ${sub.evidence_limit} per relationship` : ""].filter(Boolean);
  return cut.length ? ` (cut: ${cut.join(", ")}; expand nodes or open an entity page to see more)` : "";
}

function hopsFrom(center, edges) {
  const next = new Map();
  for (const e of edges) {
    if (!next.has(e.source)) next.set(e.source, []);
    if (!next.has(e.target)) next.set(e.target, []);
    next.get(e.source).push(e.target); next.get(e.target).push(e.source);
  }
  const hops = new Map([[center, 0]]);
  let frontier = [center];
  while (frontier.length) {
    const after = [];
    for (const n of frontier) for (const m of next.get(n) || []) if (!hops.has(m)) { hops.set(m, hops.get(n) + 1); after.push(m); }
    frontier = after;
  }
  return hops;
}

async function expand(id) {
  const cy = state.cy;
  if (!cy || state.expanded.has(id)) return;
  const node = cy.getElementById(id);
  const sub = await fetchAround(id, 1);  // the server's default node limit
  Object.assign(state.marks, sub.marks || {});
  Object.assign(state.dates, sub.narrative_dates || {});
  const hop = (node.data("hop") ?? 0) + 1;
  const fresh = sub.nodes.filter((n) => cy.getElementById(n.id).empty());
  cy.batch(() => {
    cy.add(fresh.map((n) => nodeElement(n, state.marks, hop)));
    cy.add(sub.edges.filter((e) => cy.getElementById(e.id).empty()).map((e) => edgeElement(e, state.dates)));
  });
  state.expanded.add(id);
  await refresh(true);
  say(`Expanded ${node.data("name")}: ${fresh.length} new node(s).` + truncation(sub));
}

function wire(cy) {
  cy.on("dbltap", "node", (event) => action(() => expand(event.target.id())));
  cy.on("tap", "node", (event) => showInfo(event.target));
}

function moveFocus(step) {
  const nodes = visibleNodes();
  if (!nodes.length) return;
  state.cy.nodes(".focused").removeClass("focused");
  state.focus = (state.focus + step + nodes.length) % nodes.length;
  const node = nodes[state.focus];
  node.addClass("focused");
  showInfo(node);
  say(`${node.data("name")}, ${kind(node.data("label"))}${marksText(markOf(node)) ? ", " + marksText(markOf(node)) : ""}. Enter expands it.`);
}

box.addEventListener("keydown", (event) => {
  if (!state.cy) return;
  if (["ArrowRight", "ArrowDown"].includes(event.key)) { moveFocus(1); event.preventDefault(); }
  else if (["ArrowLeft", "ArrowUp"].includes(event.key)) { moveFocus(-1); event.preventDefault(); }
  else if (event.key === "Enter") {
    const node = state.cy.nodes(".focused")[0];
    if (node) { action(() => expand(node.id())); event.preventDefault(); }
  }
});

/** Run a user action with data-ready off until it has drawn (tests wait for it, as on first load). */
function action(work) {
  main.dataset.ready = "0";
  return guarded(work).finally(() => { main.dataset.ready = "1"; });
}

listBox.addEventListener("click", (event) => {
  const button = event.target.closest("button.expand");
  if (button) action(() => expand(button.dataset.id));
});

/** Find the strongest path between two entities and highlight it (nodes and hops added when not drawn). */
async function findPath(event) {
  event.preventDefault();
  const [a, b] = await Promise.all([resolveEntity(document.getElementById("path-from").value),
    resolveEntity(document.getElementById("path-to").value)]);
  const out = document.getElementById("path-result");
  if (!a || !b) { say("Nothing found for " + (!a ? "the first" : "the second") + " entity.", true); return; }
  const found = await api("/paths", { query: { source: a.id, target: b.id } });
  const cy = state.cy || (state.cy = startGraph(box, []), wire(state.cy), state.cy);
  cy.elements(".on-path").removeClass("on-path");
  main.dataset.pathLength = "0";
  if (!found.paths.length) {
    fill(out, el("p", {}, `No path between ${a.name} and ${b.name} over social ties.`));
    say("No path found.");
    return;
  }
  const path = found.paths[0];
  let added = 0;
  cy.startBatch();
  {
    for (const ref of path.nodes) {
      if (cy.getElementById(ref.id).empty()) { cy.add(nodeElement(ref, state.marks, 1)); added += 1; }
      cy.getElementById(ref.id).addClass("on-path");
    }
    path.hops.forEach((hop, i) => {
      const between = cy.getElementById(hop.source).edgesWith(cy.getElementById(hop.target));
      const edge = between.filter((e) => e.data("type") === hop.type)[0] || between[0] ||
        cy.add(edgeElement({ id: `path:${i}:${hop.source}|${hop.target}`, source: hop.source, target: hop.target,
          type: hop.type, narratives: hop.narratives }, state.dates));
      edge.addClass("on-path");
    });
  }
  cy.endBatch();
  await refresh(Boolean(added));
  main.dataset.pathLength = String(path.hops.length);
  main.dataset.pathNodes = String(cy.nodes(".on-path").not(".hidden").length);
  fill(out, el("p", {}, `Path of ${path.hops.length} hop(s), highlighted in the drawing: `, chain(path.nodes)),
    el("ol", { class: "hops" }, path.hops.map((hop, i) => el("li", {}, `${path.nodes[i].name} — ${typeName(hop.type)} — `,
      `${path.nodes[i + 1].name} (narratives ${hop.narratives.join(", ")}; confidence ${hop.confidence.toFixed(2)})`))));
  say(`Path found: ${path.hops.length} hop(s).`);
}

async function boot() {
  typeBoxes();
  document.getElementById("legend").append(legend());
  for (const id of ["date-from", "date-to", "colour"]) document.getElementById(id).addEventListener("change", () => refresh());
  document.getElementById("node-filter").addEventListener("input", () => drawList());
  document.getElementById("path-form").addEventListener("submit", (e) => { e.preventDefault(); action(() => findPath(e)); });
  document.getElementById("start-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    await action(async () => {
      const found = await resolveEntity(document.getElementById("start").value);
      if (!found) { say("Nothing found with that name.", true); return; }
      const depth = document.getElementById("depth").value;
      history.replaceState(null, "", `/explore?${new URLSearchParams({ id: found.id, depth })}`);
      await start(found.id, Number(depth), 200);
    });
  });
  const id = param("id");
  const depth = Math.min(3, Math.max(1, Number(param("depth")) || 1));
  document.getElementById("depth").value = String(depth);
  if (id) {
    document.getElementById("start").value = id;
    await guarded(() => start(id, depth, Number(param("limit")) || (depth > 1 ? 500 : 200)));
  } else {
    say("Type a name or an entity id to start, or open the explorer from an entity page.");
  }
  main.dataset.ready = "1";
}

boot();
