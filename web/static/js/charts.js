// Small SVG charts for the insight pages (dashboard, timeline), drawn with the DOM: no chart library, no
// innerHTML. Every chart is an <svg role="img"> with a <title> and <desc> saying what it shows; the page puts
// the same numbers in a table next to it, which is what screen readers and keyboard users read.

const NS = "http://www.w3.org/2000/svg";
// Dark enough for 4.5:1 on white (text) and 3:1 (shapes); never the only signal: labels say the same.
export const PALETTE = ["#0b5cad", "#a4161a", "#1e6b33", "#7a4b00", "#5b2c83", "#00677a"];

/** An SVG element: svg("rect", {x: 1, class: "bar"}, child, "text", ...). */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

let uid = 0;
/** The outer <svg> with an accessible name (title) and description. */
export function frame(width, height, title, desc, cls = "chart") {
  const id = `chart-${++uid}`;
  return svg("svg", { viewBox: `0 0 ${width} ${height}`, class: cls, role: "img", "aria-labelledby": `${id}-t ${id}-d`,
                      preserveAspectRatio: "xMinYMin meet" },
             svg("title", { id: `${id}-t` }, title), svg("desc", { id: `${id}-d` }, desc));
}

/** A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten at or above max. */
export function niceMax(max) {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= max);
}

/** Vertical columns over time: rows [{label, value}] in order. Labels are thinned to fit. */
export function columns(rows, { title, desc, width = 720, height = 240 } = {}) {
  const left = 36, bottom = 34, top = 10, right = 8;
  const chart = frame(width, height, title, desc);
  const plotW = width - left - right, plotH = height - top - bottom;
  const max = niceMax(Math.max(0, ...rows.map((r) => r.value)));
  for (const tick of [0, max / 2, max]) {
    const y = top + plotH - (tick / max) * plotH;
    chart.append(svg("line", { x1: left, x2: width - right, y1: y, y2: y, class: "grid-line" }),
                 svg("text", { x: left - 4, y: y + 4, "text-anchor": "end", class: "axis-label" }, Number.isInteger(tick) ? tick : tick.toFixed(1)));
  }
  const step = rows.length ? plotW / rows.length : plotW;
  const every = Math.max(1, Math.ceil(rows.length / Math.floor(plotW / 48)));
  rows.forEach((row, i) => {
    const h = (row.value / max) * plotH;
    const x = left + i * step;
    chart.append(svg("rect", { x: x + step * 0.1, y: top + plotH - h, width: Math.max(1, step * 0.8), height: h, class: "bar" },
                     svg("title", {}, `${row.label}: ${row.value}`)));
    if (i % every === 0) {
      chart.append(svg("text", { x: x + step / 2, y: height - bottom + 16, "text-anchor": "middle", class: "axis-label" }, row.label));
    }
  });
  chart.append(svg("line", { x1: left, x2: width - right, y1: top + plotH, y2: top + plotH, class: "axis-line" }));
  return chart;
}

/** Horizontal bars with their label and value written out: rows [{label, value}], largest first. */
export function bars(rows, { title, desc, width = 560, barHeight = 22, labelWidth = 200 } = {}) {
  const height = Math.max(1, rows.length) * (barHeight + 6) + 6;
  const chart = frame(width, height, title, desc);
  const max = Math.max(1, ...rows.map((r) => r.value));
  const plotW = width - labelWidth - 48;
  rows.forEach((row, i) => {
    const y = 6 + i * (barHeight + 6);
    const w = Math.max(row.value ? 2 : 0, (row.value / max) * plotW);
    chart.append(
      svg("text", { x: labelWidth - 6, y: y + barHeight * 0.7, "text-anchor": "end", class: "bar-label" },
          row.label.length > 28 ? row.label.slice(0, 27) + "…" : row.label),
      svg("rect", { x: labelWidth, y, width: w, height: barHeight, class: "bar" }, svg("title", {}, `${row.label}: ${row.value}`)),
      svg("text", { x: labelWidth + w + 4, y: y + barHeight * 0.7, class: "bar-value" }, row.value));
  });
  if (!rows.length) chart.append(svg("text", { x: 6, y: 20, class: "bar-label" }, "No data"));
  return chart;
}
