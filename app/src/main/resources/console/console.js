// Ponte console: a page of the hub over its admin API (README "Console"). No framework, nothing from a CDN.
// The API key lives in this tab's sessionStorage only, and goes as "Authorization: Bearer" to /api.
"use strict";

const TEXT = {
  "pt-BR": {
    dashboard: "Painel", deadLetters: "Cartas mortas", mappings: "Mapeamentos", audit: "Auditoria",
    patient: "Paciente 360°", signOut: "Sair", signIn: "Entrar", apiKey: "Chave de API", signInButton: "Entrar",
    connectors: "Conectores", records: "Registros", deadLettersByRule: "Cartas mortas por regra", rule: "Regra",
    filter: "Filtrar", load: "Abrir", sample: "Amostra", preview: "Pré-visualizar", verify: "Verificar a cadeia",
    badKey: "Chave inválida ou revogada.", noKey: "Informe uma chave de API.", forbidden: "Seu papel não permite isto.",
    replay: "Reprocessar", discard: "Descartar", show: "Ver", reason: "Motivo do descarte:", valid: "Mapeamento válido",
    invalid: "Mapeamento recusado", line: "linha", entity: "Entidade", count: "Quantidade", status: "Situação",
    instance: "Instância", type: "Tipo", health: "Saúde", connector: "Conector", error: "Erro", key: "Chave",
    rules: "Regras", file: "Arquivo", intact: "Cadeia íntegra", broken: "Cadeia quebrada", when: "Quando",
    who: "Quem", action: "Ação", target: "Alvo", accepted: "aceitas", rejected: "recusadas", hub: "Hub",
    save: "Salvar", saved: "Salvo: o hub já usa esta versão", notSaved: "Não salvo: corrija os problemas",
    messages: "Mensagens", invoices: "Notas fiscais", flows: "Entrada por conector e mapeamento",
    history: "Histórico", version: "Versão", outcome: "Resultado", perMinute: "registros por minuto (último minuto)",
    purpose: "Finalidade", channel: "Canal", recipient: "Destinatário", reasonCol: "Motivo", number: "Número"
  },
  en: {
    dashboard: "Dashboard", deadLetters: "Dead letters", mappings: "Mappings", audit: "Audit",
    patient: "Patient 360°", signOut: "Sign out", signIn: "Sign in", apiKey: "API key", signInButton: "Sign in",
    connectors: "Connectors", records: "Records", deadLettersByRule: "Dead letters by rule", rule: "Rule",
    filter: "Filter", load: "Open", sample: "Sample", preview: "Preview", verify: "Verify the chain",
    badKey: "Invalid or revoked key.", noKey: "Enter an API key.", forbidden: "Your role may not do this.",
    replay: "Replay", discard: "Discard", show: "Show", reason: "Why is it discarded?", valid: "Mapping valid",
    invalid: "Mapping refused", line: "line", entity: "Entity", count: "Count", status: "Status",
    instance: "Instance", type: "Type", health: "Health", connector: "Connector", error: "Error", key: "Key",
    rules: "Rules", file: "File", intact: "Chain intact", broken: "Chain broken", when: "When",
    who: "Who", action: "Action", target: "Target", accepted: "accepted", rejected: "rejected", hub: "Hub",
    save: "Save", saved: "Saved: the hub uses this version now", notSaved: "Not saved: fix the problems",
    messages: "Messages", invoices: "Invoices", flows: "Taken in per connector and mapping",
    history: "History", version: "Version", outcome: "Outcome", perMinute: "records a minute (last minute)",
    purpose: "Purpose", channel: "Channel", recipient: "Recipient", reasonCol: "Reason", number: "Number"
  }
};
let lang = localStorage.getItem("ponte.lang") || (navigator.language.startsWith("pt") ? "pt-BR" : "en");
const t = (k) => (TEXT[lang] && TEXT[lang][k]) || TEXT.en[k] || k;
const $ = (id) => document.getElementById(id);

function translate() {
  document.documentElement.lang = lang;
  $("lang").value = lang;
  document.querySelectorAll("[data-i18n]").forEach((e) => { e.textContent = t(e.dataset.i18n); });
}

async function api(method, path, body) {
  const headers = { "Authorization": "Bearer " + sessionStorage.getItem("ponte.key") };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await r.json().catch(() => ({}));
  if (r.status === 401) { signOut(t("badKey")); throw new Error("401"); }
  if (!r.ok) throw new Error(r.status === 403 ? t("forbidden") : (json.error || ("HTTP " + r.status)));
  return json;
}

function table(el, head, rows) {
  el.replaceChildren();
  const tr = el.insertRow();
  head.forEach((h) => { const th = document.createElement("th"); th.textContent = h; tr.appendChild(th); });
  rows.forEach((cells) => {
    const row = el.insertRow();
    cells.forEach((c) => {
      const td = row.insertCell();
      if (c instanceof Node) td.appendChild(c); else td.textContent = c === null || c === undefined ? "" : String(c);
    });
  });
}

function button(label, onClick) {
  const b = document.createElement("button");
  b.textContent = label;
  b.addEventListener("click", onClick);
  return b;
}

// --- pages

async function dashboard() {
  const [status, connectors, health] = await Promise.all([api("GET", "/api/status"), api("GET", "/api/connectors"),
    fetch("/health").then((r) => r.json())]);
  $("health").textContent = t("hub") + ": " + health.status
    + (health.checks && health.checks.alerts ? " — " + Object.keys(health.checks.alerts).join(", ") : "");
  table($("connectors"), [t("instance"), t("type"), t("health")],
    connectors.map((c) => [c.instance, c.type, c.health]));
  table($("records"), [t("entity"), t("count")], Object.entries(status.entities));
  table($("by-rule"), [t("rule"), t("count")], Object.entries(status.deadLetters.byRule));
  await flows();
}

// records taken in, from /metrics (ponte_records_total{connector, mapping, outcome}): totals, and the rate over the
// last minute from the samples this page kept
const samples = [];
async function flows() {
  const text = await fetch("/metrics").then((r) => r.text());
  const totals = {};
  let all = 0;
  text.split("\n").forEach((line) => {
    const m = line.match(/^ponte_records_total\{([^}]*)\} ([0-9.eE+-]+)$/);
    if (!m) return;
    const labels = {};
    m[1].replace(/(\w+)="((?:[^"\\]|\\.)*)"/g, (x, k, v) => { labels[k] = v; return x; });
    const key = labels.connector + " / " + labels.mapping;
    totals[key] = totals[key] || {};
    totals[key][labels.outcome] = Number(m[2]);
    all += Number(m[2]);
  });
  table($("flows"), [t("connector"), "created", "updated", "unchanged", "merged", "rejected"],
    Object.entries(totals).map(([k, v]) => [k, v.created || 0, v.updated || 0, v.unchanged || 0, v.merged || 0,
      v.rejected || 0]));
  const now = Date.now();
  samples.push([now, all]);
  while (samples.length > 1 && now - samples[0][0] > 60000) samples.shift();
  const first = samples[0];
  const rate = now > first[0] ? Math.round((all - first[1]) * 60000 / (now - first[0])) : 0;
  $("throughput").textContent = rate + " " + t("perMinute");
}

async function messagesPage() {
  const status = $("msg-status").value;
  const list = await api("GET", "/api/messages" + (status ? "?status=" + status : ""));
  table($("msg-table"), [t("purpose"), t("status"), t("channel"), t("recipient"), t("when"), t("reasonCol")],
    list.map((m) => [m.purpose, m.status, m.channel, m.recipient, m.sentAt || m.dueAt, m.reason]));
}

async function invoicesPage() {
  const list = await api("GET", "/api/invoices");
  table($("inv-table"), ["id", t("number"), t("status"), t("type")],
    list.map((i) => [i.id, i.number, i.status, i.kind]));
}

async function mappingHistory() {
  const [instance, file] = $("map-file").value.split("|");
  const folders = await api("GET", "/api/mappings");
  const m = folders.flatMap((f) => f.instance === instance ? f.mappings : []).find((x) => x.file === file);
  if (!m) return;
  const name = m.id.replace(/@\d+$/, "");
  const versions = await api("GET", "/api/mappings/history?name=" + encodeURIComponent(name));
  table($("history-table"), [t("version"), t("when"), t("who"), ""], versions.map((v) => [v.version, v.acceptedAt,
    v.by, v.inTheFile ? "✓" : ""]));
}

async function deadLetters() {
  const rule = $("dl-rule").value.trim();
  const list = await api("GET", "/api/dead-letters" + (rule ? "?rule=" + encodeURIComponent(rule) : ""));
  table($("dl-table"), ["id", t("connector"), t("rules"), t("file"), t("line"), ""], list.map((d) => {
    const actions = document.createElement("span");
    actions.append(
      button(t("show"), async () => {
        $("dl-detail").textContent = JSON.stringify(await api("GET", "/api/dead-letters/" + d.id), null, 2);
      }),
      button(t("replay"), async () => {
        try {
          const r = await api("POST", "/api/dead-letters/" + d.id + "/replay");
          $("dl-result").textContent = d.id + ": " + r.result + " — " + r.detail;
        } catch (e) { $("dl-result").textContent = e.message; }
      }),
      button(t("discard"), async () => {
        const reason = prompt(t("reason"));
        if (!reason) return;
        try {
          await api("POST", "/api/dead-letters/" + d.id + "/discard", { reason });
          deadLetters();
        } catch (e) { $("dl-result").textContent = e.message; }
      }));
    actions.dataset.id = d.id;
    return [d.id, d.connector, d.rules.join(", "), d.file, d.line, actions];
  }));
}

let checkTimer = null;
async function mappingsPage() {
  const folders = await api("GET", "/api/mappings");
  const select = $("map-file");
  if (!select.options.length) {
    folders.forEach((f) => f.mappings.forEach((m) => {
      if (m.file) select.add(new Option(f.instance + " / " + m.file, f.instance + "|" + m.file));
    }));
  }
}

async function loadMapping() {
  const [instance, file] = $("map-file").value.split("|");
  try {
    const r = await api("GET", "/api/mappings/file?instance=" + encodeURIComponent(instance) + "&file="
      + encodeURIComponent(file));
    $("map-text").value = r.text;
    numberLines([]);
    checkMapping();
  } catch (e) { $("map-status").textContent = e.message; }
}

function numberLines(bad) {
  const n = $("map-text").value.split("\n").length;
  const gutter = $("map-lines");
  gutter.replaceChildren();
  for (let i = 1; i <= n; i++) {
    const s = document.createElement("span");
    s.textContent = i + "\n";
    s.id = "line-" + i;
    if (bad.includes(i)) s.className = "bad";
    gutter.appendChild(s);
  }
}

function mappingBody() {
  const [instance, file] = $("map-file").value.split("|");
  return { instance, file, text: $("map-text").value };
}

async function checkMapping() {
  try {
    const r = await api("POST", "/api/mappings/check", mappingBody());
    showCheck(r);
  } catch (e) { $("map-status").textContent = e.message; }
}

function showCheck(r) {
  $("map-status").textContent = r.valid ? t("valid") + " (" + r.id + " → " + r.target + ")" : t("invalid");
  $("map-status").className = r.valid ? "ok" : "error";
  const list = $("map-problems");
  list.replaceChildren();
  r.problems.forEach((p) => {
    const li = document.createElement("li");
    li.className = "problem";
    li.dataset.line = p.line;
    li.textContent = t("line") + " " + p.line + ": " + (p.field ? p.field + ": " : "") + p.message;
    list.appendChild(li);
  });
  numberLines(r.problems.map((p) => p.line));
}

async function previewMapping() {
  const body = mappingBody();
  body.sample = $("map-sample").value;
  body.sampleName = body.file.replace(/\.ya?ml$/, ".csv");
  body.limit = 20;
  body.lang = lang;
  try {
    const r = await api("POST", "/api/mappings/preview", body);
    showCheck(r);
    if (!r.rows) return;
    $("map-status").textContent += " — " + r.accepted + " " + t("accepted") + ", " + r.rejected + " " + t("rejected");
    table($("preview-table"), [t("line"), t("key"), t("status"), t("entity")], r.rows.map((row) => [row.line, row.key,
      row.status, row.entity ? JSON.stringify(row.entity) : row.violations.map((v) => v.rule + ": " + v.message).join("; ")]));
  } catch (e) { $("map-status").textContent = e.message; }
}

async function saveMapping() {
  clearTimeout(checkTimer); // the save checks it too; a check still pending would overwrite what the save says
  try {
    const r = await api("POST", "/api/mappings/save", mappingBody());
    showCheck(r);
    $("map-status").textContent = r.saved ? t("saved") + " (" + r.id + ")" : t("notSaved");
  } catch (e) { $("map-status").textContent = e.message; }
}

async function auditPage() {
  const rows = await api("GET", "/api/audit?limit=100");
  table($("audit-table"), ["#", t("when"), t("who"), t("action"), t("target")],
    rows.map((a) => [a.seq, a.at, a.actor, a.action, a.target]));
}

async function patientPage() {
  const id = $("patient-id").value.trim();
  if (!id) return;
  try {
    $("patient-view").textContent = JSON.stringify(await api("GET", "/api/patients/" + encodeURIComponent(id)), null, 2);
  } catch (e) { $("patient-view").textContent = e.message; }
}

// --- navigation and sign-in

const PAGES = { dashboard, "dead-letters": deadLetters, mappings: mappingsPage, messages: messagesPage,
  invoices: invoicesPage, audit: auditPage, patient: async () => {} };

function show() {
  const signedIn = !!sessionStorage.getItem("ponte.key");
  $("sign-in").hidden = signedIn;
  $("nav").hidden = !signedIn;
  const page = (location.hash || "#dashboard").substring(1);
  document.querySelectorAll(".page").forEach((p) => { p.hidden = !signedIn || p.id !== page; });
  if (signedIn && PAGES[page]) PAGES[page]().catch((e) => console.warn(e.message));
}

function signOut(message) {
  sessionStorage.removeItem("ponte.key");
  $("sign-in-error").hidden = !message;
  $("sign-in-error").textContent = message || "";
  show();
}

$("sign-in-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const key = $("api-key").value.trim();
  if (!key) { $("sign-in-error").hidden = false; $("sign-in-error").textContent = t("noKey"); return; }
  sessionStorage.setItem("ponte.key", key);
  $("api-key").value = "";
  try {
    await api("GET", "/api/status");
    $("sign-in-error").hidden = true;
    if (!location.hash) location.hash = "#dashboard";
    show();
  } catch (err) { /* signOut already said why */ }
});
$("sign-out").addEventListener("click", () => signOut());
$("lang").addEventListener("change", () => { lang = $("lang").value; localStorage.setItem("ponte.lang", lang); translate(); show(); });
$("dl-filter").addEventListener("click", deadLetters);
$("map-load").addEventListener("click", loadMapping);
$("map-text").addEventListener("input", () => {
  numberLines([]);
  clearTimeout(checkTimer);
  checkTimer = setTimeout(checkMapping, 400);
});
$("map-preview").addEventListener("click", previewMapping);
$("map-save").addEventListener("click", saveMapping);
$("map-history").addEventListener("click", mappingHistory);
$("msg-filter").addEventListener("click", messagesPage);
// the dashboard refreshes itself while it is shown
setInterval(() => { if (!$("dashboard").hidden) dashboard().catch(() => {}); }, 10000);
$("audit-verify").addEventListener("click", async () => {
  const r = await api("GET", "/api/audit/verify");
  $("audit-result").textContent = (r.intact ? t("intact") : t("broken") + ": " + r.reason) + " (" + r.rows + ")";
});
$("patient-load").addEventListener("click", patientPage);
window.addEventListener("hashchange", show);
translate();
show();
