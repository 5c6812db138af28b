// Words and links the caseworker's pages share: a submission's name, its status and consent in plain words.
// A narrative is named by what its organisation gave it (reference, title) or by its first words, never by an
// internal id alone.

import { el } from "./ui.js";

const STATUS = {
  queued: "waiting to be read", stored: "read", existing: "read (Sightline already had this text)",
  failed: "could not be read",
};

export function statusWords(status) { return STATUS[status] || status; }

const CONSENT = {
  given: "Given (shared)", restricted: "Restricted (your organisation only)",
  refused: "Refused (your organisation only)", withdrawn: "Withdrawn (your organisation only)",
};

/** Consent in words; with no consent recorded the facts are shared, and the words say so. */
export function consentWords(consent, shared) {
  if (consent) return CONSENT[consent] || consent;
  return shared === false ? "Not recorded (your organisation only)" : "Not recorded (shared)";
}

/** A narrative's name for a person: its reference, title or first words. */
export function nameOf(n, fallback = "Your narrative") {
  const words = (n.excerpt || n.text || "").trim().split(/\s+/).slice(0, 8).join(" ");
  return n.reference || n.title || (words ? words + "…" : fallback);
}

export function submissionLink(n, fallback) {
  return el("a", { href: "/submissions/" + encodeURIComponent(n.id) }, nameOf(n, fallback));
}

/** An ISO time as the reader's local date and time (the ISO text when it cannot be read). */
export function when(iso) {
  if (!iso) return "";
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : t.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
