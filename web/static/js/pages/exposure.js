// Exposure (GET /v1/analysis/exposure and /analysis/exposure/{person}): the most exposed people, and one
// person's score with every contribution behind it: the target reached, its kind, distance, evidence
// strength, and the path with the narratives that evidence it, so the analyst can see why.

import { api, el, fill, guarded, main, say, table } from "../ui.js";
import { chain, entityLink, exploreHref, exposureHref, param, resolveEntity } from "../graph.js";

const PAGE = 20;
let offset = 0;
let ranked = [];

const pct = (score) => `${(score * 100).toFixed(1)}%`;

async function ranking() {
  const more = await api("/analysis/exposure", { query: { limit: PAGE, offset, contributions: 1 } });
  ranked = ranked.concat(more);
  offset += more.length;
  fill(document.getElementById("ranking"), table(ranked, [
    { label: "Rank", value: (e) => String(ranked.indexOf(e) + 1) },
    { label: "Person", value: (e) => entityLink(e.person) },
    { label: "Score", value: (e) => pct(e.score) },
    { label: "Largest contribution", value: (e) => e.contributions[0]
      ? el("span", {}, `${e.contributions[0].target_kind} `, entityLink(e.contributions[0].target), ` at ${e.contributions[0].distance} hop(s)`) : "—" },
    { label: "Paths", value: (e) => el("a", { href: exposureHref(e.person.id) }, "Show the paths", el("span", { class: "sr-only" }, ` of ${e.person.name}`)) },
  ], "People most exposed to exploitation in their social environment"));
  document.getElementById("more").hidden = more.length < PAGE;
}

async function person(id) {
  const e = await api("/analysis/exposure/" + encodeURIComponent(id));
  const section = document.getElementById("person-section");
  section.hidden = false;
  document.getElementById("person-h").textContent = `Exposure of ${e.person.name}`;
  fill(document.getElementById("person-exposure"),
    el("p", { class: "exposure-score" }, el("strong", {}, `Score ${pct(e.score)}`), ` (raw ${e.raw.toFixed(2)}, from ${e.contributions.length} contribution(s)). `,
      entityLink({ id: e.person.id, name: "Entity page" }), " · ", el("a", { href: exploreHref(e.person.id, { depth: "2" }) }, "Explore its neighbourhood")),
    e.contributions.length ? table(e.contributions, [
      { label: "Reaches", value: (c) => entityLink(c.target) },
      { label: "Kind", value: (c) => c.target_kind },
      { label: "Hops", value: (c) => String(c.distance) },
      { label: "Weight", value: (c) => c.weight.toFixed(2) },
      { label: "Evidence strength", value: (c) => c.strength.toFixed(2) },
      { label: "Contribution", value: (c) => c.contribution.toFixed(3) },
      { label: "Path", value: (c) => chain(c.path) },
      { label: "Narratives", value: (c) => c.narratives.join(", ") },
    ], "What makes up the score, largest first (contribution = weight × decay^(hops − 1) × strength)")
      : el("p", {}, "Nobody and nothing exploitative within reach: the score is 0."));
  document.getElementById("person").value = e.person.name;
  return e;
}

document.getElementById("person-form").addEventListener("submit", (event) => {
  event.preventDefault();
  main.dataset.ready = "0";
  guarded(async () => {
    const found = await resolveEntity(document.getElementById("person").value, "Person");
    if (!found) { say("No person found with that name.", true); return; }
    history.replaceState(null, "", exposureHref(found.id));
    await person(found.id);
    say("");
  }).finally(() => { main.dataset.ready = "1"; });
});
document.getElementById("more").addEventListener("click", () => guarded(ranking));

async function boot() {
  const id = param("id");
  await Promise.all([guarded(ranking), id ? guarded(() => person(id)) : null]);
  main.dataset.ready = "1";
}

boot();
