// Partner: upload a file of customers, read the answers row by row, download them as CSV.
// The server reads the file (POST /v1/screen/file, the same reader as `sightline screen`); this page only
// shows what came back, as text, and builds the CSV from it.
import { api, el, fill, guarded, main, say, table } from "../ui.js";

const form = document.getElementById("screen-form");
const input = document.getElementById("file");
const button = document.getElementById("screen-button");
const answers = document.getElementById("answers");
const link = document.getElementById("download");
const QUERY_FIELDS = ["name", "kind", "birth_date", "country", "phone", "email", "iban", "wallet", "region"];
const CSV_COLUMNS = ["row", "id", ...QUERY_FIELDS, "screened", "matched", "score", "matched_on", "category",
  "reference", "explanation", "warnings"];
let blobUrl = null;

function answerBadge(row) {
  if (!row.screened) return el("span", { class: "answer is-skipped" }, "Not screened");
  return row.result.matched ? el("span", { class: "answer is-match" }, "Match")
    : el("span", { class: "answer is-clear" }, "No match");
}

function list(items) {
  return items.length ? el("ul", { class: "cell-list" }, items.map((t) => el("li", {}, t))) : "";
}

function screenedCell(row) {
  const pairs = QUERY_FIELDS.filter((f) => row.query[f]).map((f) => el("div", {}, el("dt", {}, f.replace("_", " ") + ":"), el("dd", {}, row.query[f])));
  return pairs.length ? el("dl", { class: "query-list" }, pairs) : el("span", { class: "muted" }, "nothing readable");
}

function matchedOn(result) {
  return result.matched_on ? `${result.matched_on.feature} (${result.matched_on.method})` : "";
}

/** A spreadsheet must not run a cell as a formula: text starting =, @, +, - (unless it is a number such as
 * a phone "+359 ...") gets a leading apostrophe. */
function cell(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=@\t\r]/.test(text) || (/^[+-]/.test(text) && !/^[+-][0-9 ().-]*$/.test(text))) text = "'" + text;
  return /[",\r\n;]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

export function toCsv(rows) {
  const lines = [CSV_COLUMNS.join(",")];
  for (const row of rows) {
    const r = row.result;
    const values = { row: row.row, id: row.reference || "", ...Object.fromEntries(QUERY_FIELDS.map((f) => [f, row.query[f] || ""])),
      screened: row.screened, matched: r.matched, score: r.score, matched_on: matchedOn(r) ? `${r.matched_on.feature}:${r.matched_on.method}` : "",
      category: r.category || "", reference: r.reference || "", explanation: r.explanation.join("; "), warnings: r.warnings.join("; ") };
    lines.push(CSV_COLUMNS.map((c) => cell(values[c])).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

function show(body) {
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : word.endsWith("ch") ? "es" : "s"}`;
  fill(document.getElementById("summary"),
    `${body.filename}: ${plural(body.rows.length, "row")}, ${body.screened} screened, ${plural(body.matched, "match")}` +
    (body.not_screened ? `, ${body.not_screened} not screened (see the warnings)` : "") + ".");
  const notes = document.getElementById("notes");
  fill(notes, body.notes.length ? [el("h3", {}, "About the file"), el("ul", { class: "notes" }, body.notes.map((n) => el("li", {}, n)))] : []);
  const columns = [
    { label: "Row", value: (r) => String(r.row) },
    { label: "Your id", value: (r) => r.reference || "" },
    { label: "What was screened", value: screenedCell },
    { label: "Answer", value: answerBadge },
    { label: "Score", value: (r) => (r.result.matched ? r.result.score.toFixed(2) : "") },
    { label: "Matched on", value: (r) => matchedOn(r.result) },
    { label: "Category", value: (r) => r.result.category || "" },
    { label: "Reference to quote", value: (r) => r.result.reference || "" },
    { label: "Explanation", value: (r) => list(r.result.explanation) },
    { label: "Warnings", value: (r) => list(r.result.warnings) },
  ];
  const wrap = table(body.rows, columns, "One answer per row of the file (the header is row 1)");
  wrap.querySelectorAll("tbody tr").forEach((tr, i) => { if (body.rows[i].result.matched) tr.classList.add("row-match"); });
  fill(document.getElementById("results"), wrap);
  if (blobUrl) URL.revokeObjectURL(blobUrl);
  blobUrl = URL.createObjectURL(new Blob([toCsv(body.rows)], { type: "text/csv;charset=utf-8" }));
  link.href = blobUrl;
  link.download = body.filename.replace(/\.[^.]*$/, "") + "-answers.csv";
  answers.hidden = false;
  say(`Screened ${body.filename}: ${plural(body.matched, "match")} in ${plural(body.rows.length, "row")}.`);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = input.files[0];
  if (!file) { say("Choose a file to screen first.", true); input.focus(); return; }
  main.dataset.ready = "0";
  button.disabled = true;
  say(`Screening ${file.name}…`);
  const data = new FormData();
  data.append("file", file, file.name);
  const body = await guarded(() => api("/screen/file", { method: "POST", form: data }));
  button.disabled = false;
  if (body) show(body);
  main.dataset.ready = "1";
});

main.dataset.ready = "1";
