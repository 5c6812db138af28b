// Networks (GET /v1/analysis/communities, /key-actors, /brokers): each network with its members, key actors,
// businesses, phones, places and methods of control, and a link that opens the explorer on its strongest
// actor with the network highlighted.

import { api, el, fill, guarded, main, say, table } from "../ui.js";
import { entityLink, exploreHref } from "../graph.js";

const box = document.getElementById("communities");
const MEMBERS_SHOWN = 20;

function refs(list, what) {
  if (!list.length) return el("p", { class: "muted" }, `No ${what}.`);
  const links = list.flatMap((r, i) => (i ? [", ", entityLink(r)] : [entityLink(r)]));
  if (list.length <= MEMBERS_SHOWN) return el("p", { class: "members" }, links);
  const cut = MEMBERS_SHOWN * 2 - 1;
  return el("div", {}, el("p", { class: "members" }, links.slice(0, cut)),
    el("details", {}, el("summary", {}, `${list.length - MEMBERS_SHOWN} more ${what}`), el("p", { class: "members" }, links.slice(cut + 1))));
}

function card(c, actors) {
  const top = actors[0]?.node || c.members[0];
  const indicators = Object.entries(c.indicators || {}).sort((a, b) => b[1] - a[1]);
  return el("section", { class: "card community", id: `network-${c.id}`, "aria-labelledby": `network-${c.id}-h` },
    el("h2", { id: `network-${c.id}-h` }, `Network ${c.id}: ${c.size} people, ${c.narratives.length} narrative(s)`),
    top ? el("p", {}, el("a", { href: exploreHref(top.id, { community: String(c.id), depth: "2" }) },
      `Open network ${c.id} in the explorer`)) : null,
    el("h3", {}, "Key actors"),
    actors.length ? table(actors, [
      { label: "Person", value: (a) => entityLink(a.node) },
      { label: "Roles", value: (a) => a.roles.join(", ") || "—" },
      { label: "Score", value: (a) => a.score.toFixed(2) },
      { label: "Betweenness", value: (a) => a.betweenness.toFixed(3) },
      { label: "PageRank", value: (a) => a.pagerank.toFixed(3) },
    ]) : el("p", { class: "muted" }, "No key actor ranked."),
    el("h3", {}, "Members"), refs(c.members, "members"),
    el("h3", {}, "Businesses, phones and places"),
    refs([...c.businesses, ...c.phones, ...c.locations], "businesses, phones or places"),
    el("h3", {}, "Methods of control and exploitation evidenced"),
    indicators.length ? el("p", {}, indicators.map(([code, n]) => `${code} (${n})`).join(", ")) : el("p", { class: "muted" }, "None recorded."));
}

async function draw() {
  main.dataset.ready = "0";
  const minSize = document.getElementById("min-size").value;
  const [communities, actors, brokers] = await Promise.all([
    api("/analysis/communities", { query: { min_size: minSize, limit: 100 } }),
    api("/analysis/key-actors", { query: { limit: 500 } }),
    api("/analysis/brokers", { query: { limit: 50 } })]);
  const byCommunity = new Map();
  for (const a of actors) { if (!byCommunity.has(a.community)) byCommunity.set(a.community, []); byCommunity.get(a.community).push(a); }
  fill(document.getElementById("brokers"), brokers.length ? table(brokers, [
    { label: "Person", value: (b) => entityLink(b.node) },
    { label: "Networks it ties", value: (b) => el("span", {}, b.communities.flatMap((c, i) =>
      [i ? ", " : "", el("a", { href: `#network-${c}` }, `network ${c}`)])) },
    { label: "Betweenness", value: (b) => b.betweenness.toFixed(3) },
    { label: "Participation", value: (b) => b.participation.toFixed(2) },
  ]) : el("p", { class: "muted" }, "No broker."));
  fill(box, communities.length ? communities.map((c) => card(c, byCommunity.get(c.id) || []))
    : el("p", {}, "No network of this size."));
  say(`${communities.length} network(s).`);
}

document.getElementById("size-form").addEventListener("submit", (event) => {
  event.preventDefault();
  guarded(draw).finally(() => { main.dataset.ready = "1"; });
});
guarded(draw).finally(() => {
  main.dataset.ready = "1";
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
});
