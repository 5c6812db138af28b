// Dashboard: narratives counted over time, by country, type of exploitation and method of control.
// An analyst sees the whole shared graph; an NGO only its own organisation's submissions (the API scopes it).
import { api, el, fill, main, say, table } from "../ui.js";
import { bars, columns } from "../charts.js";

const n = (value) => Number(value).toLocaleString("en-GB");

function section(id, rows, title, what) {
  const box = document.getElementById(id);
  if (!rows.length) { fill(box, el("p", { class: "muted" }, `No ${what} recorded in these narratives.`)); return; }
  const top = rows.slice(0, 15);
  fill(box,
    el("div", { class: "chart-box" }, bars(top.map((r) => ({ label: r.name, value: r.count })),
      { title, desc: `${top.length} largest of ${rows.length}, as in the table below.` })),
    table(rows, [{ label: what[0].toUpperCase() + what.slice(1), value: (r) => r.name },
                           { label: "Narratives", value: (r) => n(r.count) }], title, `${title}, table`));
}

function overTime(board) {
  const box = document.getElementById("by-time");
  if (!board.by_year.length) { fill(box, el("p", { class: "muted" }, "No dated narratives.")); return; }
  const monthly = board.by_month.length > 1 && board.by_month.length <= 120;
  const series = monthly ? board.by_month : board.by_year;
  fill(box,
    el("div", { class: "chart-box" }, columns(series.map((r) => ({ label: r.name, value: r.count })), {
      title: `Narratives per ${monthly ? "month" : "year"}`,
      desc: `From ${series[0].name} to ${series[series.length - 1].name}; the yearly counts are in the table below.` })),
    table(board.by_year, [{ label: "Year", value: (r) => r.name }, { label: "Narratives", value: (r) => n(r.count) }],
          "Narratives per year"),
    monthly ? el("details", {}, el("summary", {}, "Narratives per month"),
                 table(board.by_month, [{ label: "Month", value: (r) => r.name }, { label: "Narratives", value: (r) => n(r.count) }],
                       "Narratives per month")) : null);
}

async function load() {
  try {
    const board = await api("/insight/dashboard");
    const scope = board.scope === "organisation"
      ? `Figures from the narratives your organisation (${board.organisation}) submitted, and no one else's.`
      : "Figures from every narrative in the shared graph.";
    const empty = board.narratives === 0
      ? (board.scope === "organisation"
        ? " Your organisation has not submitted any narrative that has been extracted yet, so every count is zero."
        : " The graph holds no narratives yet, so every count is zero.")
      : "";
    fill(document.getElementById("scope"), scope + empty);
    const distinct = (rows) => rows.length;
    fill(document.getElementById("totals"),
      [["Narratives", board.narratives], ["Without a date", board.undated], ["Countries", distinct(board.by_country)],
       ["Types of exploitation", distinct(board.by_exploitation)], ["Methods of control", distinct(board.by_control)]]
        .map(([label, value]) => el("div", { class: "total" }, el("dt", {}, label), el("dd", { "data-total": label }, n(value)))));
    overTime(board);
    section("by-country", board.by_country, "Narratives by country", "country");
    section("by-exploitation", board.by_exploitation, "Narratives by type of exploitation", "type of exploitation");
    section("by-control", board.by_control, "Narratives by method of control", "method of control");
    say("");
  } catch (error) {
    say(`The dashboard could not be loaded: ${error.message}`, true);
  } finally {
    main.dataset.ready = "1";
  }
}

load();
