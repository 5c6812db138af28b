// Published statistics: the k-anonymous tables of /v1/aggregates, the only figures partners and NGOs get
// about the shared graph. Suppressed cells read "<k" (e.g. "<11"): fewer than k victims beyond one
// narrative, or a cell that would give a smaller one away through the totals.
import { api, el, fill, main, say, table } from "../ui.js";

const LABELS = {
  year: "Year", country_of_origin: "Country of origin", country_of_exploitation: "Country of exploitation",
  type_of_exploitation: "Type of exploitation", method_of_control: "Method of control", sex: "Sex",
  age_band: "Age band",
};
const n = (value) => Number(value).toLocaleString("en-GB");

function shown(cell, k, what) {
  if (!cell.suppressed) return n(cell[what]);
  return el("span", { class: "suppressed", title: `Suppressed: fewer than ${k} ${what} can be published here` },
    `<${k}`);
}

// Category cells first in the server's order, margins ("Total") last.
function ordered(cells) {
  const margin = (c) => Object.values(c.values).filter((v) => v === "Total").length;
  return [...cells].sort((a, b) => margin(a) - margin(b));
}

async function draw(section) {
  const fields = section.dataset.by.split(",");
  const box = section.querySelector(".aggregate");
  const title = section.querySelector("h2").textContent;
  try {
    const result = await api("/aggregates", { query: { by: section.dataset.by } });
    const rows = ordered(result.cells);
    const columns = [
      ...fields.map((f) => ({ label: LABELS[f] || f, value: (c) => c.values[f] })),
      { label: "Victims", value: (c) => shown(c, result.k, "victims") },
      { label: "Cases", value: (c) => shown(c, result.k, "cases") },
    ];
    fill(box,
      table(rows, columns, `Victims and cases ${title.toLowerCase()} (k = ${result.k}; ${result.suppressed} `
        + `of ${result.cells.length} cells suppressed)`, `${title}, table`));
    return result.k;
  } catch (error) {
    fill(box, el("p", { class: "muted" }, `This table could not be loaded: ${error.message}`));
    return null;
  }
}

async function load() {
  try {
    const sections = [...document.querySelectorAll("#tables section[data-by]")];
    const ks = (await Promise.all(sections.map(draw))).filter((k) => k !== null);
    if (ks.length) {
      fill(document.querySelector("#rule strong"), `<${ks[0]}`);
      say("");
    } else {
      say("The statistics could not be loaded.", true);
    }
  } finally {
    main.dataset.ready = "1";
  }
}

load();
