// The web console: reads the emulator's /_emulator/ JSON routes (same origin, never the Cloudflare
// routes, so the journal shows only what the user's client did) and steers it through them.
// No framework: views are functions that build DOM nodes from JSON, text set as text (never HTML).
"use strict";

const E = "/_emulator";
const SOON_DAYS = 30;  // a certificate expiring within this many emulator days is marked
let token = sessionStorage.getItem("csr-emulator-control-token") || "";
let clockNow = null;  // the emulator's "now" (Date), refreshed with the clock

// ---- DOM helpers -------------------------------------------------------------------------
function h(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}
const $ = (id) => document.getElementById(id);
function table(caption, headers, rows) {
  if (!rows.length) return h("p", { class: "muted" }, `No ${caption.toLowerCase()}.`);
  return h("div", { class: "table-wrap" },
    h("table", {}, h("caption", { class: "sr-only" }, caption),
      h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c)))))));
}
function facts(pairs) {
  return h("dl", { class: "facts" }, pairs.filter((p) => p[1] !== undefined && p[1] !== null && p[1] !== "")
    .map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}
function say(text) { $("status").textContent = text; setTimeout(() => { if ($("status").textContent === text) $("status").textContent = ""; }, 4000); }
function short(id) { return id ? String(id).slice(0, 8) : ""; }
function json(value) { return typeof value === "string" ? value : JSON.stringify(value, null, 2); }
let fieldCount = 0;
function field(labelText, input) {
  input.id = input.id || `field-${++fieldCount}`;
  return h("div", {}, h("label", { for: input.id }, labelText), input);
}

// ---- the API -----------------------------------------------------------------------------
class ApiRefusal extends Error {}
async function call(method, path, body) {
  const headers = {};
  const sent = token;
  if (sent) headers.Authorization = `Bearer ${sent}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let data = null;
  try { data = JSON.parse(text); } catch { data = text; }
  if (response.status === 401 || (response.status === 403 && data && data.errors && data.errors[0] && data.errors[0].code === 1403)) {
    // A refusal of a token replaced meanwhile asks nothing: the new one is being tried.
    if (sent === token) askForToken(data && data.errors ? data.errors[0].message : `HTTP ${response.status}`);
    throw new ApiRefusal(`HTTP ${response.status}`);
  }
  if (!response.ok) {
    const message = data && data.errors && data.errors.length ? data.errors.map((e) => `${e.code}: ${e.message}`).join("; ") : text;
    throw new Error(`${method} ${path}: HTTP ${response.status} ${message}`);
  }
  return data;
}
const get = (path) => call("GET", path);
function askForToken(reason) {
  $("token-reason").textContent = `The control plane refused the console: ${reason}`;
  if ($("token-form").hidden) { $("token-form").hidden = false; $("token-input").focus(); }
}
$("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  token = $("token-input").value;
  sessionStorage.setItem("csr-emulator-control-token", token);
  $("token-input").value = "";
  $("token-form").hidden = true;
  render(true);
});

async function confirmed(text) {
  $("confirm-text").textContent = text;
  const dialog = $("confirm");
  dialog.returnValue = "";
  dialog.showModal();
  $("confirm-ok").focus();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true }));
}
// An action: asks, calls, reports, redraws.
async function act(question, method, path, body, done) {
  if (!(await confirmed(question))) return;
  try {
    const result = await call(method, path, body);
    say(`Done: ${method} ${path}`);
    if (done) done(result);
    render(true);
  } catch (error) {
    if (!(error instanceof ApiRefusal)) say(error.message);
  }
}

// ---- time and expiry ---------------------------------------------------------------------
function expiry(notAfter) {
  if (!notAfter) return "";
  const at = new Date(notAfter);
  const now = clockNow || new Date();
  const days = (at - now) / 86400000;
  if (days < 0) return h("span", { class: "badge bad" }, `expired ${notAfter}`);
  if (days < SOON_DAYS) return h("span", { class: "badge warn" }, `expires soon ${notAfter}`);
  return h("span", { class: "badge good" }, `valid until ${notAfter}`);
}
async function refreshClock() {
  try {
    const clock = (await get(`${E}/clock`)).result;
    clockNow = new Date(clock.now);
    $("clock-now").textContent = clock.now;
    $("clock-now").setAttribute("datetime", clock.now);
    $("clock-offset").textContent = clock.offset_seconds ? `(offset ${clock.offset_seconds} s)` : "(real time)";
  } catch (error) { /* the view reports refusals */ }
}

// ---- state -------------------------------------------------------------------------------
async function state() { return (await get(`${E}/state`)).result; }
function zoneIds(s) {
  const ids = new Set((s.zones || []).map((z) => z.id));
  for (const table of ["custom_hostnames", "custom_certificates"]) for (const r of s[table] || []) ids.add(r.zone_id);
  for (const r of s.custom_csrs || []) if (r.scope === "zone") ids.add(r.scope_id);
  return [...ids];
}
const decodedCsrs = new Map();
function zoneName(s, id) { const z = (s.zones || []).find((x) => x.id === id); return z ? z.name : ""; }

// ---- views -------------------------------------------------------------------------------
const views = {
  async zones() {
    const s = await state();
    const count = (table, f) => (s[table] || []).filter(f).length;
    const rows = zoneIds(s).map((id) => [
      h("code", {}, id), zoneName(s, id) || h("span", { class: "muted" }, "(not created: used by id)"),
      ((s.zones || []).find((z) => z.id === id) || {}).account_id || "",
      count("custom_csrs", (r) => r.scope === "zone" && r.scope_id === id),
      count("custom_hostnames", (r) => r.zone_id === id),
      count("custom_certificates", (r) => r.zone_id === id),
      count("origin_ca_certificate_zones", (r) => r.zone_id === id)]);
    const accounts = new Set((s.zones || []).map((z) => z.account_id));
    for (const r of s.custom_csrs || []) if (r.scope === "account") accounts.add(r.scope_id);
    for (const r of s.alert_destinations || []) accounts.add(r.account_id);
    const accountRows = [...accounts].map((id) => [h("code", {}, id),
      count("zones", (z) => z.account_id === id), count("custom_csrs", (r) => r.scope === "account" && r.scope_id === id),
      count("alert_destinations", (r) => r.account_id === id), count("alert_policies", (r) => r.account_id === id)]);
    return [h("h2", {}, "Zones"),
      table("Zones", ["Zone id", "Name", "Account", "Custom CSRs", "Custom hostnames", "Custom certificates", "Origin CA certificates"], rows),
      h("h2", {}, "Accounts"),
      table("Accounts", ["Account id", "Zones", "Account CSRs", "Webhook destinations", "Notification policies"], accountRows)];
  },

  async csrs() {
    const s = await state();
    const users = (id) => [
      ...(s.custom_hostnames || []).filter((r) => r.custom_csr_id === id)
        .map((r) => h("div", {}, "hostname ", h("a", { href: `#hostname/${r.zone_id}/${r.id}` }, r.hostname))),
      ...(s.custom_certificates || []).filter((r) => r.custom_csr_id === id)
        .map((r) => h("div", {}, `custom certificate ${short(r.id)}`))];
    const list = (s.custom_csrs || []).map((csr) => {
      const decoded = h("div", {}, h("p", { class: "muted" }, "Decoding…"));
      const scope = csr.scope === "zone" ? "zones" : "accounts";
      // A CSR never changes: decoded once per page load.
      if (!decodedCsrs.has(csr.id)) decodedCsrs.set(csr.id, get(`${E}/${scope}/${csr.scope_id}/custom_csrs/${csr.id}/decoded`));
      decodedCsrs.get(csr.id).then((d) => {
        const r = d.result;
        decoded.replaceChildren(facts([["Subject", r.subject], ["SANs", r.sans.join(", ")], ["Key", r.key_type],
          ["Signature", `${r.signature_algorithm} (${r.signature_valid ? "valid" : "INVALID"})`]]));
      }).catch((error) => { decodedCsrs.delete(csr.id); decoded.replaceChildren(h("p", { class: "bad" }, error.message)); });
      const used = users(csr.id);
      return h("section", { class: "csr", "aria-labelledby": `csr-${csr.id}` },
        h("h3", { id: `csr-${csr.id}` }, csr.common_name, " ", h("span", { class: "muted" }, `(${csr.scope} ${short(csr.scope_id)}, ${csr.key_type})`)),
        facts([["Id", h("code", {}, csr.id)], ["Name", csr.name], ["Created", csr.created_at],
          ["Used by", used.length ? used : "nothing: it may be deleted"]]),
        decoded,
        h("details", {}, h("summary", {}, "CSR (PEM)"), h("pre", {}, csr.csr_pem)),
        h("div", { class: "actions" }, h("button", { type: "button", onclick: () => act(
          `Sign the CSR for ${csr.common_name} with the emulator's test CA?`, "POST", `${E}/ca/sign`, { csr: csr.csr_pem },
          (chain) => say(`Signed: ${typeof chain === "string" ? chain.split("-----END CERTIFICATE-----")[0].length : 0} bytes of leaf`)) },
          "Sign with test CA")));
    });
    return [h("h2", {}, "Custom CSRs"), list.length ? list : h("p", { class: "muted" }, "No custom CSRs.")];
  },

  async hostnames() {
    const s = await state();
    const rows = (s.custom_hostnames || []).map((r) => [
      h("a", { href: `#hostname/${r.zone_id}/${r.id}` }, r.hostname), h("code", {}, short(r.zone_id)),
      statusBadge(r.status), r.ssl_status ? statusBadge(r.ssl_status) : "", r.ssl_method || "", r.created_at]);
    return [h("h2", {}, "Custom hostnames"),
      table("Custom hostnames", ["Hostname", "Zone", "Ownership", "Certificate", "Method", "Created"], rows)];
  },

  async hostname(zone, id) {
    const d = (await get(`${E}/zones/${zone}/custom_hostnames/${id}/timeline`)).result;
    const ch = d.custom_hostname;
    const ssl = ch.ssl || {};
    const base = `${E}/zones/${zone}/custom_hostnames/${id}`;
    const timeline = (kind) => h("ol", { class: "timeline" }, d.timeline.filter((t) => t.verification === kind)
      .map((t) => h("li", {}, h("time", { datetime: t.at }, t.at), " ", statusBadge(t.status))));
    const records = [];
    if (ch.ownership_verification) records.push(["ownership", ch.ownership_verification.type, ch.ownership_verification.name, ch.ownership_verification.value]);
    if (ch.ownership_verification_http) records.push(["ownership", "http", ch.ownership_verification_http.http_url, ch.ownership_verification_http.http_body]);
    for (const v of ssl.validation_records || []) {
      if (v.txt_name) records.push(["certificate", "txt", v.txt_name, v.txt_value]);
      if (v.http_url) records.push(["certificate", "http", v.http_url, v.http_body]);
      if (v.cname) records.push(["certificate", "cname", v.cname, v.cname_target]);
    }
    const errors = [...(ch.verification_errors || []), ...(ssl.validation_errors || []).map((e) => e.message || json(e))];
    return [h("p", {}, h("a", { href: "#hostnames" }, "← All custom hostnames")),
      h("h2", {}, ch.hostname),
      facts([["Id", h("code", {}, ch.id)], ["Zone", h("code", {}, zone)], ["Created", ch.created_at],
        ["Custom CSR", ssl.custom_csr_id ? h("code", {}, ssl.custom_csr_id) : null]]),
      h("div", { class: "timelines" },
        h("h3", {}, "Ownership verification: ", statusBadge(ch.status)), timeline("ownership"),
        h("h3", {}, "Certificate validation: ", ssl.status ? statusBadge(ssl.status) : "none"), timeline("certificate")),
      h("h3", {}, "Records to publish"),
      table("Records to publish", ["For", "Type", "Name or URL", "Value"], records.map((r) => [r[0], r[1], h("code", {}, r[2]), h("code", {}, r[3])])),
      h("h3", {}, "Verification errors"),
      errors.length ? h("ul", {}, errors.map((e) => h("li", { class: "bad" }, e))) : h("p", { class: "muted" }, "None."),
      h("h3", {}, "Certificate"),
      ssl.issuer || ssl.expires_on ? facts([["Issuer", ssl.issuer], ["Serial", ssl.serial_number], ["Signature", ssl.signature],
        ["Expires", expiry(ssl.expires_on)], ["Uploaded", ssl.uploaded_on]]) : h("p", { class: "muted" }, "Not issued yet."),
      ...(ssl.certificates || []).map((c) => facts([["Issued", c.issuer], ["Serial", c.serial_number], ["Expires", expiry(c.expires_on)]])),
      h("h3", {}, "Actions"),
      h("div", { class: "actions" },
        h("button", { type: "button", onclick: () => act(`Verify ownership of ${ch.hostname}?`, "POST", `${base}/verify_ownership`, {}) }, "Verify ownership"),
        h("button", { type: "button", onclick: () => act(`Advance the certificate of ${ch.hostname} one step?`, "POST", `${base}/advance_certificate`, {}) }, "Advance certificate"),
        h("button", { type: "button", class: "danger", onclick: () => act(`Fail the certificate validation of ${ch.hostname}?`, "POST", `${base}/fail_certificate`, { message: "failed from the console" }) }, "Fail certificate"))];
  },

  async certificates() {
    const kinds = { custom_certificate: "custom certificate", custom_hostname_uploaded: "custom hostname (uploaded)",
      custom_hostname_dv: "custom hostname (issued)", origin_ca: "Origin CA certificate", test_ca: "test CA" };
    const rows = (await get(`${E}/certificates`)).result.map((c) => [kinds[c.kind] || c.kind,
      /^[0-9a-f-]{32,}$/.test(c.owner) ? h("code", {}, short(c.owner)) : c.owner, c.hosts.join(", "), c.issuer, expiry(c.not_after)]);
    return [h("h2", {}, "Certificates"),
      h("p", { class: "muted" }, `Expiry on the emulator's clock; marked when expired or within ${SOON_DAYS} days.`),
      table("Certificates", ["Kind", "Of", "Hosts", "Issuer", "Expiry"], rows)];
  },

  async journal() {
    const filters = h("form", { class: "inline", role: "search", onsubmit: (e) => e.preventDefault() },
      field("Method", journalView.method), field("Path contains", journalView.path), field("Status", journalView.status),
      h("div", {}, h("label", { for: "journal-live" }, journalView.live, " Follow live")));
    return [h("h2", {}, "Request journal"), filters, journalView.list];
  },

  async notifications() {
    const d = (await get(`${E}/notifications/deliveries`)).result;
    const items = Array.isArray(d) ? d : d.deliveries || [];
    const rows = items.map((x) => [x.created_at, x.event_type, h("code", {}, short(x.zone_id)), x.url, statusBadge(x.state),
      h("details", {}, h("summary", {}, `${(x.attempts || []).length} attempt(s)`),
        h("ul", {}, (x.attempts || []).map((a) => h("li", {}, `${a.at}: ${a.status} ${a.error || ""}`))))]);
    return [h("h2", {}, "Notification deliveries"), table("Deliveries", ["Event time", "Event", "Zone", "Webhook", "State", "Attempts"], rows)];
  },

  async controls() {
    const s = await state();
    const faults = (await get(`${E}/faults`)).result || [];
    const advance = h("input", { name: "advance", placeholder: "91d", size: 8, required: true });
    const setTo = h("input", { name: "now", placeholder: "2027-01-01T00:00:00Z", size: 22, required: true });
    const zone = h("select", {}, zoneIds(s).map((id) => h("option", { value: id }, `${zoneName(s, id) || id}`)));
    const fault = { method: h("select", {}, ["POST", "GET", "PATCH", "PUT", "DELETE"].map((m) => h("option", {}, m))),
      path: h("input", { value: "/zones/*/custom_csrs", size: 24, required: true }),
      status: h("input", { type: "number", value: 503, min: 100, max: 599 }), code: h("input", { type: "number", value: 1500 }),
      times: h("input", { type: "number", value: 1, min: 1 }) };
    return [h("h2", {}, "Clock"),
      h("form", { class: "inline", onsubmit: (e) => { e.preventDefault(); act(`Advance the emulator clock by ${advance.value}?`, "POST", `${E}/clock`, { advance: advance.value }); } },
        field("Advance by (e.g. 91d, 36h)", advance), h("button", { type: "submit" }, "Advance clock")),
      h("form", { class: "inline", onsubmit: (e) => { e.preventDefault(); act(`Set the emulator clock to ${setTo.value}?`, "POST", `${E}/clock`, { now: setTo.value }); } },
        field("Set to (RFC 3339)", setTo), h("button", { type: "submit" }, "Set clock"),
        h("button", { type: "button", onclick: () => act("Return the emulator clock to real time?", "POST", `${E}/clock`, { reset: true }) }, "Real time")),
      h("h2", {}, "Fault rules"),
      table("Fault rules", ["Id", "Method", "Path", "Action", "Fired", "Times left", ""], faults.map((f) => [h("code", {}, short(f.id)), f.method, f.path, f.action, f.fired, f.times ?? "∞",
        h("button", { type: "button", class: "danger", onclick: () => act(`Remove fault rule ${f.method} ${f.path}?`, "DELETE", `${E}/faults/${f.id}`) }, "Remove")])),
      h("form", { class: "inline", onsubmit: (e) => { e.preventDefault(); act(`Add a fault rule: ${fault.method.value} ${fault.path.value} answers ${fault.status.value}?`, "POST", `${E}/faults`,
        { method: fault.method.value, path: fault.path.value, action: "respond", status: Number(fault.status.value), code: Number(fault.code.value), times: Number(fault.times.value) }); } },
        field("Method", fault.method), field("Path", fault.path), field("Status", fault.status), field("Code", fault.code), field("Times", fault.times),
        h("button", { type: "submit" }, "Add fault rule")),
      h("h2", {}, "Reset"),
      h("div", { class: "actions" },
        field("Zone", zone),
        h("button", { type: "button", class: "danger", onclick: () => act(`Delete everything in zone ${zone.value}?`, "POST", `${E}/reset`, { zone_id: zone.value }) }, "Reset zone"),
        h("button", { type: "button", class: "danger", onclick: () => act("Delete all custom CSRs, hostnames and certificates of every zone?", "POST", `${E}/reset`, {}) }, "Reset everything"))];
  },
};

function statusBadge(status) {
  const good = ["active", "delivered"], bad = ["blocked", "moved", "deleted", "failed", "expired", "dropped"];
  const kind = good.includes(status) ? "good" : bad.some((b) => String(status).includes(b)) ? "bad" : "warn";
  return h("span", { class: `badge ${kind}` }, status);
}

// ---- the journal, followed live ----------------------------------------------------------
const journalView = {
  after: 0, entries: [], open: new Set(),  // the entries a user opened stay open as new ones arrive
  method: h("select", { id: "journal-method" }, ["", "GET", "POST", "PATCH", "PUT", "DELETE"].map((m) => h("option", { value: m }, m || "any"))),
  path: h("input", { id: "journal-path", type: "search" }),
  status: h("input", { id: "journal-status", type: "search", size: 5, inputmode: "numeric" }),
  live: h("input", { id: "journal-live", type: "checkbox", checked: true }),
  list: h("div", { id: "journal-entries", "aria-live": "off" }),
  async poll() {
    const page = await get(`${E}/journal?limit=200&after=${this.after}`);
    for (const entry of page.result) { this.entries.push(entry); this.after = entry.sequence; }
    if (this.entries.length > 500) this.entries.splice(0, this.entries.length - 500);
    if (page.result.length) this.draw();
  },
  draw() {
    const method = this.method.value, path = this.path.value, status = this.status.value.trim();
    const shown = this.entries.filter((e) => (!method || e.method === method) && (!path || e.path.includes(path)) &&
      (!status || String(e.status).startsWith(status))).slice(-200).reverse();
    this.list.replaceChildren(h("p", { class: "muted" }, `${shown.length} of ${this.entries.length} requests, newest first.`),
      ...shown.map((e) => h("details", { class: "entry", open: this.open.has(e.sequence),
          ontoggle: (event) => { if (event.target.open) this.open.add(e.sequence); else this.open.delete(e.sequence); } },
        h("summary", {}, h("span", { class: "mono" }, `#${e.sequence} ${e.time} ${e.method} ${e.path}${e.query ? "?" + e.query : ""} `),
          statusBadge(String(e.status)), ` ${e.duration_ms} ms`, e.error_codes.length ? ` codes ${e.error_codes.join(",")}` : ""),
        facts([["Credential", e.credential]]),
        h("h4", {}, "Request body"), h("pre", {}, json(e.request_body) || "(empty)"),
        h("h4", {}, "Response body"), h("pre", {}, json(e.response_body) || "(empty)"))));
  },
};
for (const input of [journalView.method, journalView.path, journalView.status]) input.addEventListener("input", () => journalView.draw());

// ---- routing and refresh -----------------------------------------------------------------
let lastDrawn = "";
let renders = 0;
async function render(force) {
  const mine = ++renders;  // a slower, older render (the previous view's poll) must not draw over it
  const [name, ...args] = (location.hash.slice(1) || "zones").split("/");
  const view = views[name] || views.zones;
  for (const a of document.querySelectorAll("nav a"))
    if (a.getAttribute("href") === `#${name}` || (name === "hostname" && a.getAttribute("href") === "#hostnames")) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  await refreshClock();
  try {
    const nodes = await view(...args);
    if (mine !== renders) return;
    const main = $("main");
    // Redraw a polled view only when its content changed and the user is not in one of its fields.
    const fresh = h("div", {}, nodes);
    const active = document.activeElement;
    if (!force && (fresh.innerHTML === lastDrawn ||
        (main.contains(active) && active.matches("input,select,textarea,summary")))) return;
    lastDrawn = fresh.innerHTML;
    main.replaceChildren(...fresh.childNodes);
    if (name === "journal") journalView.draw();
  } catch (error) {
    if (!(error instanceof ApiRefusal)) $("main").replaceChildren(h("p", { class: "bad", role: "alert" }, error.message));
  }
}
window.addEventListener("hashchange", async () => { await render(true); $("main").focus(); });
render(true);
setInterval(() => { if (!$("confirm").open) render(false); }, 2000);
setInterval(() => {
  if (location.hash === "#journal" && journalView.live.checked) journalView.poll().catch(() => {});
}, 1000);
