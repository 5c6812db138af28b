// Search across people, organisations, places and identifiers (GET /v1/entities); each result links to its
// entity page and, for people, to the explorer and exposure. The query lives in the address, so a search
// can be bookmarked and the back button brings it back.

import { api, el, fill, guarded, main, say, table } from "../ui.js";
import { entityLink, exploreHref, exposureHref, kind, param, rolesText } from "../graph.js";

const form = document.getElementById("search-form");
const out = document.getElementById("results");

function details(node) {
  const p = node.props || {};
  if (node.label === "Person") return [rolesText(p.roles), (p.aliases || []).length > 1 ? "also " + p.aliases.join(", ") : ""].filter(Boolean).join("; ");
  if (node.label === "Location") return [p.country, p.kind].filter(Boolean).join(", ");
  if (node.label === "Organization") return p.kind || "";
  return p.region || p.kind || "";
}

async function search(q, label, region) {
  say("Searching…");
  const query = { q, label, region: region.toUpperCase(), limit: 50 };
  const found = [];
  let page = { next: 0 };
  const more = async () => {  // the next page of the same search (GET /v1/entities pages with offset/next)
    page = await api("/entities", { query: { ...query, offset: page.next } });
    found.push(...page.results);
    show();
  };
  const show = () => {
    const notice = page.capped ? `More entities match than one search ranks: add a word or choose a kind.`
      : page.next !== null ? `The first ${found.length} results; more match.` : "";
    fill(out, found.length ? table(found, [
      { label: "Name", value: (n) => entityLink(n) },
      { label: "Kind", value: (n) => kind(n.label) },
      { label: "Details", value: (n) => details(n) },
      { label: "Open", value: (n) => el("span", { class: "row" }, el("a", { href: exploreHref(n.id) }, "Explorer"),
        n.label === "Person" ? el("a", { href: exposureHref(n.id) }, "Exposure") : null) },
    ], `${found.length} result(s) for “${q}”`) : el("p", {}, `Nothing found for “${q}”.`),
    notice ? el("p", { class: "muted", "data-truncated": "true" }, notice) : null,
    page.next !== null ? el("button", { type: "button", class: "secondary", onclick: () => guarded(more) }, "More results") : null);
    say(`${found.length} result(s).` + (notice ? " " + notice : ""));
  };
  await more();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const q = form.q.value.trim();
  if (!q) { say("Type a name or an identifier.", true); return; }
  const query = new URLSearchParams({ q });
  if (form.label.value) query.set("label", form.label.value);
  if (form.region.value) query.set("region", form.region.value.toUpperCase());
  history.replaceState(null, "", "/search?" + query.toString());
  main.dataset.ready = "0";
  guarded(() => search(q, form.label.value, form.region.value)).finally(() => { main.dataset.ready = "1"; });
});

async function boot() {
  const q = param("q");
  form.label.value = param("label");
  form.region.value = param("region");
  if (q) { form.q.value = q; await guarded(() => search(q, form.label.value, form.region.value)); }
  main.dataset.ready = "1";
}

boot();
