// Reports: the organisation's report jobs (newest first) with links to read each in the page and to
// download its PDF, and ordering a new one: a job whose progress is polled until it can be read.

import { api, el, fill, guarded, main, say, table, waitForJob } from "../ui.js";
import { JOB_STEPS, when } from "../work.js";

const listBox = document.getElementById("report-list");
const form = document.getElementById("order-form");
const button = document.getElementById("order-button");
const box = document.getElementById("progress-box");
const bar = document.getElementById("order-progress");
const text = document.getElementById("progress-text");

const STATUS = { pending: "queued", running: "rendering", done: "ready", failed: "failed" };

function actions(report) {
  if (report.status !== "done") return el("a", { href: `/reports/${encodeURIComponent(report.job_id)}` }, "Follow progress");
  const links = [];
  if (report.available.includes("html") || report.available.includes("md")) {
    links.push(el("a", { href: `/reports/${encodeURIComponent(report.job_id)}`, class: "read" }, "Read", el("span", { class: "sr-only" }, ` ${report.title || "report"} of ${when(report.created_at)}`)));
  }
  if (report.available.includes("pdf")) {
    links.push(el("a", { href: `/v1/reports/${encodeURIComponent(report.job_id)}?format=pdf`, class: "pdf", download: "" },
      "PDF", el("span", { class: "sr-only" }, ` of ${report.title || "report"} of ${when(report.created_at)}`)));
  }
  return el("span", { class: "links" }, links.flatMap((a, i) => (i ? [" · ", a] : [a])));
}

async function load() {
  main.dataset.ready = "";
  const reports = await guarded(() => api("/reports", { query: { limit: 100 } }));
  if (reports) {
    fill(listBox, reports.length ? table(reports, [
      { label: "Title", value: (r) => r.title || "Sightline Key Judgement report" },
      { label: "Ordered", value: (r) => when(r.created_at) },
      { label: "Status", value: (r) => el("span", { class: `badge status-${r.status}` }, STATUS[r.status] || r.status) },
      { label: "Yardstick", value: (r) => r.yardstick || "" },
      { label: "Victims", value: (r) => (r.reveal_names ? el("strong", {}, "names revealed") : "pseudonymised") },
      { label: "Narratives", value: (r) => (r.narratives ?? "") },
      { label: "Open", value: actions },
    ], `${reports.length} report${reports.length === 1 ? "" : "s"}, newest first`) : el("p", {}, "No reports yet. Order one above."));
  }
  main.dataset.ready = "1";
}

function showProgress(job) {
  const [step, words] = JOB_STEPS[job.status] || [0, job.status];
  bar.value = step;
  bar.setAttribute("aria-valuetext", words);
  text.textContent = `${words}.`;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const formats = [...form.querySelectorAll("input[name=formats]:checked")].map((c) => c.value);
  if (!formats.length) { say("Choose at least one format.", true); return; }
  const title = document.getElementById("order-title").value.trim();
  const yardstick = document.getElementById("order-yardstick").value;
  const body = { formats, reveal_names: document.getElementById("order-reveal").checked };
  if (title) body.title = title;
  if (yardstick) body.yardstick = yardstick;
  button.disabled = true;
  main.dataset.ready = "";
  const queued = await guarded(() => api("/reports", { method: "POST", json: body }));
  if (!queued) { button.disabled = false; main.dataset.ready = "1"; return; }
  box.hidden = false;
  box.querySelector(".read-link")?.remove();
  showProgress({ status: queued.status });
  say("The report is ordered. This takes a minute or so; you can leave the page and come back.");
  await load();
  main.dataset.ready = "";
  const job = await guarded(() => waitForJob(queued.job_id, showProgress, 1000));
  button.disabled = false;
  if (job?.status === "done") {
    const link = el("a", { href: `/reports/${encodeURIComponent(job.id)}`, class: "read-link button" }, "Read the report");
    box.append(link);
    say("The report is ready.");
    link.focus();
  } else if (job) {
    say(`The report failed: ${job.error || "no reason given"}`, true);
  }
  await load();
});

load();
