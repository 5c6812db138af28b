// Timeline: the graph's dated events (GET /v1/insight/timeline) as an SVG strip chart, one lane per kind,
// and as a table. Filtering by kind happens in the page, on what was fetched.
import { api, el, entityLink, fill, main, say, table } from "../ui.js";
import { PALETTE, frame, svg } from "../charts.js";

const KINDS = ["narrative", "recruitment", "travel", "exploitation", "control"];
const NAMES = { narrative: "Narratives", recruitment: "Recruitment", travel: "Travel", exploitation: "Exploitation", control: "Control" };
const SHOWN_ROWS = 500;

// A date key (YYYY, YYYY-MM, YYYY-MM-DD) as a fractional year; a bare year sits in its middle.
function position(key) {
  const [y, m, d] = key.split("-").map(Number);
  if (!m) return y + 0.5;
  return y + (m - 1) / 12 + (d ? (d - 1) / 365 : 1 / 24);
}

function chart(events, kinds) {
  const width = 900, laneH = 46, left = 110, right = 16, top = 8, axisH = 28;
  const height = top + kinds.length * laneH + axisH;
  const years = events.map((e) => Number(e.date.slice(0, 4)));
  const from = Math.min(...years), to = Math.max(...years) + 1;
  const x = (value) => left + ((value - from) / Math.max(1, to - from)) * (width - left - right);
  const out = frame(width, height, "Dated events by kind over time",
    `${events.length} events from ${from} to ${to - 1}, one row per kind: ${kinds.map((k) => NAMES[k]).join(", ")}.`,
    "chart timeline");
  const span = to - from;
  const every = span > 40 ? 10 : span > 16 ? 5 : span > 8 ? 2 : 1;
  for (let year = from; year <= to; year += 1) {
    if ((year - from) % every) continue;
    out.append(svg("line", { x1: x(year), x2: x(year), y1: top, y2: top + kinds.length * laneH, class: "grid-line" }),
               svg("text", { x: x(year), y: height - 8, "text-anchor": "middle", class: "axis-label" }, year));
  }
  kinds.forEach((kind, lane) => {
    const y = top + lane * laneH + laneH / 2;
    const colour = PALETTE[KINDS.indexOf(kind) % PALETTE.length];
    out.append(svg("line", { x1: left, x2: width - right, y1: y, y2: y, class: "lane" }),
               svg("text", { x: left - 8, y: y + 4, "text-anchor": "end", class: "lane-label", fill: colour }, NAMES[kind]));
    const buckets = new Map();
    for (const e of events.filter((ev) => ev.kind === kind)) {
      const key = e.precision === "year" ? e.date.slice(0, 4) : e.date.slice(0, 7);
      buckets.set(key, (buckets.get(key) || 0) + 1);
    }
    for (const [key, count] of buckets) {
      const year = key.length === 4;
      out.append(svg("circle", { cx: x(position(key)), cy: y, r: Math.min(laneH / 2 - 2, 3 + 3 * Math.sqrt(count)),
                                 fill: year ? "none" : colour, "fill-opacity": year ? null : 0.7, stroke: colour,
                                 "stroke-width": 2, class: "event-dot", "data-kind": kind },
                             svg("title", {}, `${NAMES[kind]}, ${key}${year ? " (year only)" : ""}: ${count} event${count === 1 ? "" : "s"}`)));
    }
  });
  return out;
}

function rows(events) {
  const shown = events.slice(0, SHOWN_ROWS);
  return [
    events.length > SHOWN_ROWS ? el("p", { class: "muted" }, `The first ${SHOWN_ROWS} of ${events.length} events; choose fewer kinds to see the rest.`) : null,
    table(shown, [
      { label: "When", value: (e) => el("span", {}, e.written, e.written !== e.date ? el("span", { class: "sentence" }, e.date) : null) },
      { label: "Kind", value: (e) => NAMES[e.kind] },
      { label: "What", value: (e) => el("span", {}, e.summary, e.sentence ? el("span", { class: "sentence" }, `“${e.sentence}”`) : null) },
      { label: "Entities", value: (e) => el("span", {}, e.nodes.filter((n) => n.label !== "Narrative")
          .flatMap((n, i) => (i ? [", ", entityLink(n)] : [entityLink(n)]))) },
      { label: "Narratives", value: (e) => e.narratives.join(", ") },
    ], "Dated events, earliest first", "Events table"),
  ];
}

async function load() {
  try {
    const result = await api("/insight/timeline", { query: { limit: 5000 } });
    const box = document.getElementById("kinds");
    for (const kind of KINDS) {
      const id = `kind-${kind}`;
      box.append(el("span", {}, el("input", { type: "checkbox", id, value: kind, checked: true }), " ",
                    el("label", { for: id }, `${NAMES[kind]} (${result.counts[kind] || 0})`)));
    }
    const draw = () => {
      const kinds = KINDS.filter((k) => document.getElementById(`kind-${k}`).checked);
      const events = result.events.filter((e) => kinds.includes(e.kind));
      fill(document.getElementById("chart"), events.length && kinds.length ? chart(events, kinds)
        : el("p", { class: "muted" }, "No dated events of these kinds."));
      fill(document.getElementById("events"), events.length ? rows(events) : []);
      const undated = kinds.map((k) => [k, result.undated[k] || 0]).filter(([, n]) => n);
      fill(document.getElementById("undated"), undated.length
        ? `Without a readable date (not shown): ${undated.map(([k, n]) => `${NAMES[k].toLowerCase()} ${n}`).join(", ")}.` : "");
    };
    box.addEventListener("change", draw);
    draw();
    if (result.truncated) say(`Showing the first ${result.events.length} events.`);
    else say("");
  } catch (error) {
    say(`The timeline could not be loaded: ${error.message}`, true);
  } finally {
    main.dataset.ready = "1";
  }
}

load();
