// Helpers shared by the analyst's work pages (review queue, watchlist, reports). Text stays text: every
// value from the server goes through el()/fill() from ui.js.

import { el } from "./ui.js";

/** "2026-12-05T06:04:31.123+00:00" -> "2026-12-05 06:04 UTC" (readable, and the same for every reader). */
export function when(iso) {
  if (!iso) return "";
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** A labelled form field: [label, control]. */
export function field(id, text, control, hint) {
  const parts = [el("label", { for: id }, text), control];
  if (hint) { control.setAttribute("aria-describedby", id + "-hint"); parts.push(el("p", { id: id + "-hint", class: "hint muted" }, hint)); }
  return el("div", { class: "field" }, parts);
}

/** Run async jobs with at most `limit` in flight (the server has other users too). */
export async function pooled(items, limit, work) {
  const out = new Array(items.length);
  let next = 0;
  async function lane() { while (next < items.length) { const i = next++; out[i] = await work(items[i], i); } }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

/** Human words for a job's status, and its step out of three (for a <progress>). */
export const JOB_STEPS = { pending: [1, "Queued: waiting for the worker"], running: [2, "Rendering the report"],
  done: [3, "Finished"], failed: [3, "Failed"] };
