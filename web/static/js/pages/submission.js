// One submission: its text with what was extracted highlighted on it, the list of what was found with the
// corrections a caseworker may make (reject, change the type, undo), and its consent. Data from
// GET /v1/narratives/{id} and /extraction; corrections through PATCH .../entities/{entity_id}; consent
// through PATCH /v1/narratives/{id}. Entity ids and character offsets stay inside this script.

import { api, data, el, fill, guarded, main, say, waitForJob } from "../ui.js";
import { LABELS, describe, highlight, labelName } from "../spans.js";
import { consentWords, statusWords, when } from "../ngo.js";

const id = data("narrative-id");
const path = `/narratives/${encodeURIComponent(id)}`;
const metaBox = document.getElementById("meta");
const textBox = document.getElementById("narrative");
const listBox = document.getElementById("entities");
const foundHelp = document.getElementById("found-help");
let narrative = null;

/** A term and its value, or nothing when the value is empty (a short list reads faster than dashes). */
function row(term, value) { return value ? el("div", {}, el("dt", {}, term), el("dd", {}, value)) : null; }

function drawMeta(n) {
  const m = n.metadata || {};
  fill(metaBox, el("dl", { class: "meta" },
    row("Your reference", n.reference), row("Title", m.title), row("Submitted", when(n.submitted_at)),
    row("Happened or recorded", m.date), row("Language", m.language), row("Source grading", m.source_grading),
    row("Status", statusWords(n.status)),
    row("Consent", n.owner ? consentWords(m.consent, n.shared) : "Decided by the organisation that sent this text first"),
    n.owner && n.shared !== null ? row("In the shared picture", n.shared ? "Yes" : "No, kept for your organisation") : null));
}

const humanise = (code) => String(code).replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase().replace(/^./, (c) => c.toUpperCase());

function drawSigns(indicators) {
  const box = document.getElementById("signs");
  box.hidden = !indicators.length;
  fill(document.getElementById("signs-list"), el("ul", {}, indicators.map((i) => el("li", {},
    el("strong", {}, humanise(i.code)), ` (${i.category === "type_of_exploitation" ? "type of exploitation" : "method of control"}): `,
    el("q", {}, i.evidence?.sentence || i.cue)))));
}

/** One corrective request, then everything redrawn from the API's answer, focus kept on the same entry. */
async function correct(entity, number, body, done) {
  await api(`${path}/entities/${encodeURIComponent(entity.id)}`, { method: "PATCH", json: body });
  await drawExtraction();
  document.getElementById(`found-${number}`)?.focus();
  say(done);
}

function controls(entity, number, quoted) {
  const parts = [];
  if (entity.status !== "rejected") {
    parts.push(el("button", { type: "button", class: "secondary", onclick: () => guarded(() =>
      correct(entity, number, { action: "reject" }, `${quoted} is now marked as not an entity.`)) },
    "Not an entity: reject", el("span", { class: "sr-only" }, ` ${quoted}`)));
    const select = el("select", { id: `label-${number}` }, Object.entries(LABELS).map(([code, name]) =>
      el("option", { value: code, selected: code === entity.label }, name)));
    parts.push(el("span", { class: "relabel" },
      el("label", { for: `label-${number}` }, "Type", el("span", { class: "sr-only" }, ` of ${quoted}`)), select,
      el("button", { type: "button", onclick: () => guarded(() => {
        if (select.value === entity.label) { say(`${quoted} is already a ${labelName(entity.label)}.`, true); return undefined; }
        return correct(entity, number, { action: "relabel", label: select.value },
          `${quoted} is now marked as ${labelName(select.value)}.`);
      }) }, "Change type", el("span", { class: "sr-only" }, ` of ${quoted}`))));
  }
  if (entity.status !== "extracted") {
    parts.push(el("button", { type: "button", class: "secondary", onclick: () => guarded(() =>
      correct(entity, number, { action: "restore" }, `${quoted} is back as it was found.`)) },
    "Undo my correction", el("span", { class: "sr-only" }, ` of ${quoted}`)));
  }
  return el("div", { class: "controls" }, parts);
}

async function drawExtraction() {
  let x;
  try {
    x = await api(`${path}/extraction`);
  } catch (error) {
    if (error.status !== 409) throw error;
    fill(textBox, narrative.text || "");
    fill(listBox, el("p", {}, narrative.status === "failed" ? "Sightline could not read this narrative." : "Not read yet."));
    return;
  }
  const entities = [...x.entities].sort((a, b) => a.start - b.start);
  const numbers = new Map(entities.map((e, i) => [e.id, i + 1]));
  const { nodes, placed } = highlight(narrative.text || "", entities, (e) => numbers.get(e.id));
  fill(textBox, nodes);
  foundHelp.textContent = entities.length ? `${entities.length} found. ` + (narrative.owner
    ? "Your corrections change what the shared picture holds (when the narrative is shared)."
    : "Another organisation sent this text first: your corrections are kept as your own notes.") : "";
  if (!entities.length) { fill(listBox, el("p", {}, "Nothing was found in this narrative.")); }
  else {
    fill(listBox, el("ol", { class: "found" }, entities.map((entity) => {
      const number = numbers.get(entity.id);
      const quoted = `“${entity.text}”`;
      return el("li", { id: `found-${number}`, tabindex: "-1", class: `found-item is-${entity.status}` },
        el("span", { class: "found-n" }, String(number)),
        el("span", { class: "found-words" }, entity.text),
        el("span", { class: "found-kind" }, describe(entity)),
        entity.value && entity.value !== entity.text ? el("span", { class: "found-value" }, `read as ${entity.value}`) : null,
        placed.has(entity.id) ? null : el("span", { class: "found-value" }, "(not highlighted: it overlaps another)"),
        controls(entity, number, quoted));
    })));
  }
  drawSigns(x.indicators || []);
}

function drawConsent() {
  const box = document.getElementById("consent-box");
  box.hidden = !(narrative.owner && narrative.stored_at);
  if (box.hidden) return;
  document.getElementById("consent").value = narrative.metadata?.consent || "given";
}

document.getElementById("consent-form").addEventListener("submit", (event) => {
  event.preventDefault();
  guarded(async () => {
    const consent = document.getElementById("consent").value;
    const answer = await api(path, { method: "PATCH", json: { consent } });
    narrative = answer.narrative;
    drawMeta(narrative);
    drawConsent();
    say(`Consent saved: ${consentWords(consent, narrative.shared)}.` + (answer.changed
      ? (narrative.shared ? " Its facts are now in the shared picture." : " Its facts were taken out of the shared picture.") : ""));
  });
});

function drawDelete() {
  const mine = Boolean(narrative.owner);
  document.getElementById("delete-box").hidden = !mine;
  document.getElementById("delete-other").hidden = mine;
}

const confirmBox = document.getElementById("delete-confirm");
document.getElementById("delete-start").addEventListener("click", () => {
  confirmBox.hidden = false;
  document.getElementById("delete-no").focus();
});
document.getElementById("delete-no").addEventListener("click", () => {
  confirmBox.hidden = true;
  document.getElementById("delete-start").focus();
});
document.getElementById("delete-yes").addEventListener("click", () => guarded(async () => {
  await api(path, { method: "DELETE" });
  location.assign("/submissions?deleted=1");
}));

async function load() {
  narrative = await api(path);
  drawMeta(narrative);
  fill(textBox, narrative.text || "");
  if (narrative.status === "queued" && narrative.job_id) {
    fill(listBox, el("p", {}, "Sightline is reading this narrative…"));
    say("Reading the narrative…");
    await waitForJob(narrative.job_id);
    narrative = await api(path);
    drawMeta(narrative);
  }
  await drawExtraction();
  drawConsent();
  drawDelete();
}

guarded(load).finally(() => { main.dataset.ready = "1"; });
