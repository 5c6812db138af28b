// One report, read in the page. The report's HTML is a document of its own, served by the API with a policy
// that allows no script and no request, and shown in an <iframe sandbox> (no scripts, no same-origin): its
// text never becomes part of this page. A Markdown-only report comes through the same frame as plain text.

import { api, data, el, fill, guarded, main, say, waitForJob } from "../ui.js";
import { JOB_STEPS, when } from "../work.js";

const jobId = data("job-id");
const title = document.getElementById("report-title");
const meta = document.getElementById("report-meta");
const links = document.getElementById("report-links");
const reader = document.getElementById("report-reader");
const progressBox = document.getElementById("report-progress");
const bar = document.getElementById("job-progress");
const barText = document.getElementById("job-progress-text");
const base = `/v1/reports/${encodeURIComponent(jobId)}`;
const NAMES = { html: "HTML", md: "Markdown", pdf: "PDF" };

function progress(job) {
  const [step, words] = JOB_STEPS[job.status] || [0, job.status];
  bar.value = step;
  bar.setAttribute("aria-valuetext", words);
  barText.textContent = `${words}.`;
}

function draw(job) {
  const r = job.result || {};
  const name = r.title || "Sightline Key Judgement report";
  fill(title, name);
  document.title = `${name} · Sightline`;
  fill(meta, [`Ordered ${when(job.created_at)}`, job.finished_at ? `finished ${when(job.finished_at)}` : null,
    r.yardstick ? `${r.yardstick} yardstick` : null, r.narratives ? `${r.narratives} narratives` : null,
    r.reveal_names ? "victims' names revealed (audited)" : "victims pseudonymised"].filter(Boolean).join(" · "));
  const formats = r.formats || [];
  fill(links, formats.map((f) => el("a", { href: `${base}?format=${f}`, download: "", class: `download download-${f}` },
    `Download ${NAMES[f] || f}`)).flatMap((a, i) => (i ? [" · ", a] : [a])));
  if (formats.includes("html") || formats.includes("md")) {
    fill(reader, el("iframe", { src: `${base}/view`, sandbox: "", title: `The report: ${name}`, class: "report-frame",
      referrerpolicy: "no-referrer", loading: "eager" }));
    if (!formats.includes("html")) reader.prepend(el("p", { class: "muted" }, "This report was rendered as Markdown only; it is shown as text."));
  } else {
    fill(reader, el("p", {}, "This report was rendered only as a PDF: download it above."));
  }
}

async function start() {
  let job = await guarded(() => api(`/jobs/${encodeURIComponent(jobId)}`));
  if (!job) { fill(title, "No such report"); main.dataset.ready = "1"; return; }
  if (job.status !== "done" && job.status !== "failed") {
    progressBox.hidden = false;
    progress(job);
    main.dataset.ready = "1"; // drawn: the progress is what there is to see for now
    job = await guarded(() => waitForJob(jobId, progress, 1000));
    if (!job) return;
    main.dataset.ready = "";
  }
  if (job.status === "failed") {
    fill(title, "The report failed");
    say(`The report could not be rendered: ${job.error || "no reason given"}. Order it again from the reports page.`, true);
  } else {
    draw(job);
    progressBox.hidden = true;
  }
  main.dataset.ready = "1";
}

start();
