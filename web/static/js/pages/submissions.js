// My submissions: the organisation's own narratives (GET /v1/narratives, which scopes them to the session's
// organisation), with status, consent and date, each linking to its page. Older ones page in 50 at a time.

import { api, el, fill, guarded, main, say, table } from "../ui.js";
import { consentWords, statusWords, submissionLink, when } from "../ngo.js";

const PAGE = 50;
const box = document.getElementById("list");
const more = document.getElementById("more");
const rows = [];

const COLUMNS = [
  { label: "Narrative", value: (n) => el("span", {}, submissionLink(n), n.excerpt && (n.reference || n.title) ? el("span", { class: "excerpt" }, n.excerpt.length >= 160 ? n.excerpt + "…" : n.excerpt) : null) },
  { label: "Submitted", value: (n) => when(n.submitted_at) },
  { label: "Happened or recorded", value: (n) => n.date || "—" },
  { label: "Status", value: (n) => statusWords(n.status) },
  { label: "Consent", value: (n) => n.owner ? consentWords(n.consent, n.shared) : "Decided by the organisation that sent it first" },
];

async function load() {
  const page = await api("/narratives", { query: { limit: PAGE, offset: rows.length } });
  rows.push(...page);
  if (!rows.length) {
    fill(box, el("p", {}, "Your organisation has not submitted anything yet. ", el("a", { href: "/submit" }, "Submit a narrative"), "."));
  } else {
    fill(box, table(rows, COLUMNS, `${rows.length} submission${rows.length === 1 ? "" : "s"}`));
  }
  more.hidden = page.length < PAGE;
  say(new URLSearchParams(location.search).has("deleted") ? "The narrative was deleted." : "");
}

more.addEventListener("click", () => guarded(async () => { more.disabled = true; await load(); more.disabled = false; }));

guarded(load).finally(() => { main.dataset.ready = "1"; });
