// Helpers shared by the partner and administrator pages (kept out of ui.js, which is shared by every page).
import { table } from "./ui.js";

/** ui.js's table(), its scrolling wrapper made a labelled region a keyboard can reach and scroll (WCAG 2.1.1;
 * axe's scrollable-region-focusable): on a phone a wide table scrolls sideways inside it. */
export function scrollTable(rows, columns, caption) {
  const wrap = table(rows, columns, caption);
  wrap.tabIndex = 0;
  wrap.setAttribute("role", "region");
  wrap.setAttribute("aria-label", caption);
  return wrap;
}
