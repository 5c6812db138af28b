// What was extracted from a narrative, drawn ON its text: each entity's words wrapped in a <mark> that also
// says, in words, what kind of thing it is (never colour alone). Built from the extraction's character
// offsets with text nodes only, so a narrative's "<script>" or "<b>" stays visible text.
//
// Offsets come from Python, which counts code points; JavaScript strings count UTF-16 units. The text is
// therefore split into code points first (Array.from), so an emoji before a name does not shift its mark.

import { el } from "./ui.js";

/** Every label the extractor gives, with the words a caseworker reads instead of the code. */
export const LABELS = {
  PERSON: "Person", LOCATION: "Place", ORGANIZATION: "Organisation", PHONE: "Phone number", EMAIL: "Email",
  IBAN: "Bank account (IBAN)", CRYPTO_WALLET: "Crypto wallet", URL: "Web address or handle", MONEY: "Money",
  DATE: "Date",
};

export function labelName(label) { return LABELS[label] || label; }

/** The words shown with a mark and in the list: its type, and whether a correction changed it. */
export function describe(entity) {
  if (entity.status === "rejected") return "not an entity (rejected)";
  if (entity.status === "relabelled") return `${labelName(entity.label)} (corrected from ${labelName(entity.original_label)})`;
  return labelName(entity.label);
}

/**
 * The narrative as nodes: plain text, with a <mark> around each entity that can be placed. An entity whose
 * offsets overlap one already placed, or whose offsets do not match its text, is left unmarked (it is
 * still in the list beside the text). Returns {nodes, placed} where placed is the set of marked entity ids.
 */
export function highlight(text, entities, numberOf) {
  const chars = Array.from(text || "");
  const sorted = [...entities].sort((a, b) => a.start - b.start || b.end - a.end);
  const nodes = [];
  const placed = new Set();
  let cursor = 0;
  for (const entity of sorted) {
    if (entity.start < cursor || entity.end > chars.length || entity.end <= entity.start) continue;
    const words = chars.slice(entity.start, entity.end).join("");
    if (words !== entity.text) continue;
    if (entity.start > cursor) nodes.push(document.createTextNode(chars.slice(cursor, entity.start).join("")));
    const kind = entity.status === "rejected" ? "rejected" : entity.label.toLowerCase().replace(/_/g, "-");
    nodes.push(el("mark", { class: `ent ent-${kind}`, "data-n": String(numberOf(entity)) },
      el("span", { class: "ent-words" }, words),
      el("span", { class: "ent-tag" }, ` ${numberOf(entity)} · ${describe(entity)}`)));
    placed.add(entity.id);
    cursor = entity.end;
  }
  if (cursor < chars.length) nodes.push(document.createTextNode(chars.slice(cursor).join("")));
  return { nodes, placed };
}
