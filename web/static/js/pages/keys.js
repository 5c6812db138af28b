// Administrator: API keys. List (GET /v1/keys), create (POST /v1/keys: the secret is shown once, here, and
// nowhere else) and revoke (DELETE /v1/keys/{id}, after an explicit confirmation in the row).
import { api, el, fill, guarded, main, say, table } from "../ui.js";

const ROLE_NAMES = { ngo: "NGO caseworker", analyst: "Analyst", partner: "Partner", admin: "Administrator" };
const listBox = document.getElementById("keys-list");
const showRevoked = document.getElementById("show-revoked");
const created = document.getElementById("created");
const secretBox = document.getElementById("new-secret");
let me = null;

function when(iso) { return iso ? iso.replace("T", " ").replace(/\.\d+/, "").replace("+00:00", " UTC") : ""; }

function actionCell(key) {
  const box = el("div", { class: "confirm" });
  if (key.revoked_at) return fill(box, el("span", { class: "muted" }, "—"));
  const ask = () => {
    const yes = el("button", { type: "button", class: "danger", onclick: () => revoke(key) }, `Yes, revoke ${key.id}`);
    const no = el("button", { type: "button", class: "secondary", onclick: () => { fill(box, start()); box.querySelector("button").focus(); } }, "Cancel");
    const mine = me && me.key_id === key.id ? " This is the key you are signed in with: you will be signed out." : "";
    fill(box, el("span", { class: "warn" }, `Revoke ${key.id}? Its holder loses access at once.${mine}`), yes, no);
    yes.focus();
  };
  const start = () => el("button", { type: "button", class: "secondary", "aria-label": `Revoke ${key.id}`, onclick: ask }, "Revoke");
  return fill(box, start());
}

async function revoke(key) {
  const done = await guarded(() => api(`/keys/${encodeURIComponent(key.id)}`, { method: "DELETE" }));
  if (!done) return;
  say(`Key ${done.id} (${done.role}, ${done.organisation}) is revoked; its sessions have ended.`);
  if (me && me.key_id === key.id) { location.assign("/sign-in"); return; }
  await load();
}

async function load() {
  main.dataset.ready = "0";
  const keys = await guarded(() => api("/keys", { query: { include_revoked: showRevoked.checked } }));
  if (keys) {
    const columns = [
      { label: "Key id", value: (k) => el("span", { class: "mono" }, k.id, me && me.key_id === k.id ? " (you)" : "") },
      { label: "Role", value: (k) => ROLE_NAMES[k.role] || k.role },
      { label: "Organisation", value: (k) => k.organisation },
      { label: "Created", value: (k) => when(k.created_at) },
      { label: "Status", value: (k) => (k.revoked_at ? el("span", { class: "status-revoked" }, `revoked ${when(k.revoked_at)}`) : "active") },
      { label: "Action", value: actionCell },
    ];
    const active = keys.filter((k) => !k.revoked_at).length;
    fill(listBox, table(keys, columns, `${keys.length} key${keys.length === 1 ? "" : "s"}, ${active} active`));
  }
  main.dataset.ready = "1";
}

document.getElementById("create-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const role = document.getElementById("new-role").value;
  const organisationInput = document.getElementById("new-organisation");
  const organisation = organisationInput.value.trim();
  if (!organisation) { say("Give the organisation the key is for.", true); organisationInput.focus(); return; }
  main.dataset.ready = "0";
  const key = await guarded(() => api("/keys", { method: "POST", json: { role, organisation } }));
  if (key) {
    fill(document.getElementById("created-for"), `Key ${key.id} for ${ROLE_NAMES[key.role] || key.role} at ${key.organisation}.`);
    secretBox.value = key.key;
    created.hidden = false;
    organisationInput.value = "";
    say(`Key ${key.id} created. Copy its secret now: it is shown only once.`);
    secretBox.focus();
    secretBox.select();
    await load();
  }
  main.dataset.ready = "1";
});

document.getElementById("copy-secret").addEventListener("click", async () => {
  secretBox.select();
  try {
    await navigator.clipboard.writeText(secretBox.value);
    say("The secret is on the clipboard.");
  } catch {
    say("Copying is not allowed here: the secret is selected, press Ctrl+C (⌘C on a Mac).", true);
  }
});

showRevoked.addEventListener("change", load);

me = await guarded(() => api("/me"));
await load();
