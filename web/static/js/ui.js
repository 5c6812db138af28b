// Shared helpers for the workspace pages. Text from the server is only ever put into the page as text
// (textContent, attributes set one by one), never as HTML, so a narrative's "<script>" stays words.

export const main = document.getElementById("main");
const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";

/** The page's path parameters, e.g. data("entity-id") for /entities/{entity_id}. */
export function data(name) { return main?.dataset[name.replace(/-([a-z])/g, (_, c) => c.toUpperCase())] || ""; }

/** Build an element: el("a", {href: "/x", class: "y"}, "text", child, ...). Children are text or nodes. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replace the content of a node with the given children. */
export function fill(node, ...children) { node.replaceChildren(); node.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined).map((c) => c instanceof Node ? c : document.createTextNode(String(c)))); return node; }

/** Show a one-line message in the page's live region (read out by screen readers). */
export function say(message, isError = false) {
  const box = document.getElementById("status");
  if (!box) return;
  box.textContent = message || "";
  box.classList.toggle("is-error", Boolean(isError));
}

export class ApiFailure extends Error {
  constructor(status, body) {
    super(body?.error?.message || `request failed (${status})`);
    this.status = status; this.body = body;
  }
}

/** Call the API with the session cookie; state-changing calls carry the CSRF token. JSON in, JSON out. */
export async function api(path, { method = "GET", json, form, query } = {}) {
  const url = new URL(path.startsWith("/v1") ? path : "/v1" + path, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (Array.isArray(v)) v.forEach((x) => url.searchParams.append(k, x));
    else if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v);
  }
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRF-Token"] = csrf;
  let body;
  if (json !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(json); }
  else if (form !== undefined) body = form;
  const response = await fetch(url, { method, headers, body, credentials: "same-origin" });
  if (response.status === 401) { location.assign("/sign-in?next=" + encodeURIComponent(location.pathname + location.search)); throw new ApiFailure(401, null); }
  const type = response.headers.get("content-type") || "";
  const payload = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new ApiFailure(response.status, typeof payload === "object" ? payload : null);
  return payload;
}

/** Run an async page action, showing its failure in the live region instead of failing silently. */
export async function guarded(action) {
  try { return await action(); } catch (error) { say(error.message || String(error), true); return undefined; }
}

/** A table from rows and columns [{label, value: row => text|Node}], wrapped so it scrolls on a phone; the
 * wrapper is a named (``name``, else the caption), focusable region so that a keyboard can scroll it too
 * (WCAG 2.1.1). */
export function table(rows, columns, caption, name) {
  const head = el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col" }, c.label))));
  const body = el("tbody", {}, rows.map((row) => el("tr", {}, columns.map((c) => el("td", {}, c.value(row))))));
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": name || caption || "Table" },
    el("table", {}, caption ? el("caption", {}, caption) : null, head, body));
}

/** A link to an entity's page. */
export function entityLink(node) {
  const path = encodeURIComponent(node.id).replace(/%3A/gi, ":").replace(/%2F/gi, "/");
  return el("a", { href: "/entities/" + path }, node.name || node.id);
}

/** Save text as a file the browser downloads (CSV answers, for instance). */
export function download(filename, text, type = "text/csv") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a", { href: url, download: filename });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Wait for a job to finish, calling onProgress with each poll's job. */
export async function waitForJob(jobId, onProgress, intervalMs = 700) {
  for (;;) {
    const job = await api(`/jobs/${encodeURIComponent(jobId)}`);
    onProgress?.(job);
    if (job.status === "done" || job.status === "failed") return job;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
