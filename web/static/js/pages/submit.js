// Submit a narrative (typed, or a file), then follow its job until the text has been read, and link to
// what was found. Everything goes through POST /v1/narratives and GET /v1/jobs/{id}; nothing is kept here.

import { api, el, fill, guarded, main, say, waitForJob } from "../ui.js";
import { submissionLink, statusWords } from "../ngo.js";

const textForm = document.getElementById("narrative-form");
const fileForm = document.getElementById("file-form");
const result = document.getElementById("result");
const jobLine = document.getElementById("job-line");
const bar = document.getElementById("job-progress");
const details = document.getElementById("result-details");

const value = (id) => document.getElementById(id).value.trim();

/** The form as the API's JSON body, or a list of what is missing or wrong (each naming its field). */
function body() {
  const problems = [];
  const json = { text: document.getElementById("text").value };
  if (!json.text.trim()) problems.push("Write or paste the narrative.");
  for (const name of ["reference", "title", "language"]) if (value(name)) json[name] = value(name);
  const date = value("date");
  if (date && !/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/.test(date)) {
    problems.push("Write the date as a year (2021), a month (2021-11) or a day (2021-11-02).");
  } else if (date) json.date = date;
  if (!value("consent")) problems.push("Choose the consent of the person the narrative comes from.");
  else json.consent = value("consent");
  const reliability = value("reliability"), credibility = value("credibility");
  if (Boolean(reliability) !== Boolean(credibility)) problems.push("Grade both the source's reliability and the account's credibility, or neither.");
  else if (reliability) json.source_grading = reliability + credibility;
  const region = value("region").toUpperCase();
  if (region && !/^[A-Z]{2}$/.test(region)) problems.push("Write the phone numbers' country as two letters, e.g. GB.");
  else if (region) json.region = region;
  return { json, problems };
}

function busy(on) {
  for (const id of ["send-text", "send-file"]) document.getElementById(id).disabled = on;
}

/** Show the submission's answer, then follow its job (if one was queued) to the end. */
async function follow(answer) {
  result.hidden = false;
  const counts = answer.counts;
  const lines = [];
  if (counts && counts.records > 1) lines.push(el("p", {}, `${counts.records} records read: ${counts.narratives} narratives accepted, ${counts.duplicates} repeated, ${counts.rejected} not accepted.`));
  if (answer.encoding) lines.push(el("p", {}, `The file was read as ${answer.encoding}.`));
  if (answer.warnings?.length) lines.push(el("ul", { class: "warn-list" }, answer.warnings.map((w) => el("li", { class: "warn" }, "Check: " + w))));
  if (answer.rejected?.length) {
    lines.push(el("h3", {}, "Records that were not accepted"));
    lines.push(el("ul", {}, answer.rejected.map((r) => el("li", {}, `${r.reference ?? "a record"}: ${r.error}`))));
  }
  const list = el("ul", { class: "submitted-list" });
  const drawList = (statuses) => fill(list, answer.narratives.map((n) => el("li", {}, submissionLink(n), " — ", statusWords(statuses.get(n.id) || n.status))));
  drawList(new Map());
  lines.push(el("h3", {}, answer.narratives.length === 1 ? "Your narrative" : "Your narratives"), list);
  fill(details, lines);
  document.getElementById("result-heading").focus();
  if (!answer.job_id || answer.narratives.every((n) => n.status !== "queued")) {
    bar.max = 1; bar.value = 1;
    jobLine.textContent = "Sightline already had this text: nothing new was queued. Open it below.";
    say("Already known: nothing new to read.");
    return;
  }
  jobLine.textContent = "Queued: Sightline is reading it. This usually takes a few seconds.";
  say("Submitted. Reading the narrative…");
  // Records of a file that were not accepted count as failed items of the job: they are listed above already.
  const notAccepted = answer.rejected?.length || 0;
  const job = await waitForJob(answer.job_id, (j) => {
    const p = j.progress;
    if (p) { bar.max = Math.max(p.total, 1); bar.value = p.done; }
    const failed = p ? p.failed - notAccepted : 0;
    jobLine.textContent = p ? `Read ${p.done - notAccepted} of ${p.total - notAccepted}` + (failed > 0 ? ` (${failed} could not be read)` : "") + "." : `Job ${j.status}.`;
    drawList(new Map((j.items || []).map((i) => [i.narrative_id, i.status])));
  });
  const accepted = new Set(answer.narratives.map((n) => n.id));
  const failures = (job.items || []).filter((i) => i.status === "failed" && accepted.has(i.narrative_id));
  if (job.status === "failed" || failures.length) {
    const why = job.error || failures.map((i) => i.error).filter(Boolean).join("; ");
    jobLine.textContent = "Finished, but not everything could be read.";
    say("Some narratives could not be read" + (why ? ": " + why : "."), true);
  } else {
    jobLine.textContent = `Done: open ${answer.narratives.length === 1 ? "it" : "each one"} to see what was found, and correct it if needed.`
      + (notAccepted ? ` ${notAccepted} record${notAccepted === 1 ? " was" : "s were"} not accepted (listed below).` : "");
    say("Done. What was found is ready to check.");
  }
}

async function send(options) {
  busy(true);
  try {
    await follow(await api("/narratives", { method: "POST", ...options }));
  } catch (error) {
    const details_ = error.body?.error?.details;
    const extra = Array.isArray(details_) ? details_.map((d) => d.message || d.error).filter(Boolean).join("; ") : "";
    say("Not submitted: " + error.message + (extra ? ` (${extra})` : ""), true);
  } finally {
    busy(false);
  }
}

textForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const { json, problems } = body();
  if (problems.length) { say(problems.join(" "), true); return; }
  guarded(() => send({ json }));
});

fileForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const file = document.getElementById("file").files[0];
  if (!file) { say("Choose a file to upload.", true); return; }
  const form = new FormData();
  form.append("file", file, file.name);
  guarded(() => send({ form }));
});

main.dataset.ready = "1";
