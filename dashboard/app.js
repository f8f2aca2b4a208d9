// Syncline dashboard: a static page over the JSON API. Settings come from the URL fragment
// (#api=...&token=..., never sent to a server) or the form, and are kept in localStorage.
const $ = (sel) => document.querySelector(sel);
const state = { api: "", token: "", connectors: [], jobId: null, timer: null, historyTimer: null };

const fmt = (n) => Number(n ?? 0).toLocaleString("en-US");
const duration = (s) => {
  if (s === null || s === undefined) return "";
  s = Math.max(0, Math.round(Number(s)));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
};
const el = (tag, { dataset, ...props } = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset ?? {});
  node.append(...children.map((c) => (typeof c === "string" ? document.createTextNode(c) : c)));
  return node;
};

async function api(method, path, body) {
  const res = await fetch(`${state.api}${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${state.token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new Error(data?.error?.message ?? `HTTP ${res.status}`);
  return data;
}

function loadSettings() {
  const hash = new URLSearchParams(location.hash.slice(1));
  state.api = hash.get("api") ?? localStorage.getItem("syncline.api") ?? "http://127.0.0.1:54321/sync";
  state.token = hash.get("token") ?? localStorage.getItem("syncline.token") ?? "";
  if (hash.has("token")) history.replaceState(null, "", location.pathname);
  $("#api-url").value = state.api;
  $("#api-token").value = state.token;
}

async function connect() {
  state.api = $("#api-url").value.replace(/\/$/, "");
  state.token = $("#api-token").value.trim();
  localStorage.setItem("syncline.api", state.api);
  localStorage.setItem("syncline.token", state.token);
  try {
    const { connectors } = await api("GET", "/connectors");
    state.connectors = connectors;
    $("#connector").replaceChildren(...connectors.map((c) => el("option", { value: c.name }, c.name)));
    renderStreams();
    $("#conn-status").textContent = "connected";
    await refreshHistory();
    clearInterval(state.historyTimer);
    state.historyTimer = setInterval(refreshHistory, 3000);
  } catch (err) {
    $("#conn-status").textContent = `not connected: ${err.message}`;
  }
}

function renderStreams() {
  const c = state.connectors.find((x) => x.name === $("#connector").value);
  $("#streams").replaceChildren(
    el("legend", {}, "Streams"),
    ...(c?.streams ?? []).map((s) =>
      el(
        "label",
        {},
        el("input", { type: "checkbox", name: "stream", value: s.name, checked: true }),
        ` ${s.name}`,
      )
    ),
  );
}

async function startSync(event) {
  event.preventDefault();
  $("#start-error").textContent = "";
  const streams = [...document.querySelectorAll("input[name=stream]:checked")].map((i) => i.value);
  const body = { connector: $("#connector").value, mode: $("#full").checked ? "full" : "incremental" };
  if (streams.length) body.streams = streams;
  if ($("#dry-run").checked) body.dryRun = true;
  if ($("#since").value) body.since = new Date($("#since").value).toISOString();
  try {
    const { job } = await api("POST", "/jobs", body);
    showJob(job.id);
    refreshHistory();
  } catch (err) {
    $("#start-error").textContent = err.message;
  }
}

function showJob(id) {
  state.jobId = id;
  $("#job-panel").hidden = false;
  clearInterval(state.timer);
  refreshJob();
  state.timer = setInterval(refreshJob, 500);
}

async function refreshJob() {
  if (!state.jobId) return;
  try {
    const { job, progress } = await api("GET", `/jobs/${state.jobId}`);
    $("#job-title").textContent = `Job ${job.id} · ${job.connector} · `;
    $("#job-title").append(el("span", { className: `status-${job.status}`, id: "job-status" }, job.status));
    $("#job-meta").textContent = `${job.mode}${job.options?.dryRun ? " (dry run)" : ""}, created ${
      new Date(job.created_at).toLocaleString()
    }`;
    $("#job-error").textContent = job.error ?? "";
    $("#progress tbody").replaceChildren(...progress.map((p) => {
      const pct = p.status === "done" ? 100 : Number(p.percent ?? 0);
      const records = p.status === "not_run"
        ? "not run" // the job failed before this stream started
        : p.total === null
        ? fmt(p.done)
        : `${fmt(p.done)} / ${fmt(p.total)}`;
      return el(
        "tr",
        { dataset: { stream: p.phase } },
        el("td", {}, p.phase),
        el(
          "td",
          {},
          el("div", { className: "bar", title: `${pct}%` }, el("span", { style: `width:${pct}%` })),
        ),
        el("td", { className: "num" }, records),
        el(
          "td",
          { className: "num" },
          p.status === "running" && p.rate ? `${fmt(Math.round(p.rate))}/s` : "",
        ),
        el("td", { className: "num" }, p.status === "running" ? duration(p.eta_seconds) : ""),
        el("td", { className: "num" }, fmt(p.inserted)),
        el("td", { className: "num" }, fmt(p.updated)),
        el("td", { className: "num" }, fmt(p.unchanged)),
        el("td", { className: "num" }, fmt(p.failed)),
      );
    }));
    const active = job.status === "queued" || job.status === "running";
    $("#cancel").disabled = !active;
    if (!active) {
      clearInterval(state.timer);
      refreshHistory();
    }
  } catch (err) {
    $("#job-error").textContent = err.message;
  }
}

async function refreshHistory() {
  try {
    const { jobs } = await api("GET", "/jobs?limit=25");
    $("#history tbody").replaceChildren(...jobs.map((j) => {
      const row = el(
        "tr",
        { className: "clickable", dataset: { job: j.id } },
        el("td", {}, String(j.id)),
        el("td", {}, j.connector),
        el("td", { className: `status-${j.status}` }, j.status),
        el("td", {}, j.mode),
        el("td", {}, j.streams.join(", ")),
        el("td", { className: "num" }, fmt(j.stats?.records)),
        el("td", {}, new Date(j.created_at).toLocaleString()),
      );
      row.addEventListener("click", () => showJob(j.id));
      return row;
    }));
  } catch (err) {
    $("#conn-status").textContent = `not connected: ${err.message}`;
  }
}

$("#settings").addEventListener("submit", (e) => (e.preventDefault(), connect()));
$("#connector").addEventListener("change", renderStreams);
$("#start").addEventListener("submit", startSync);
$("#cancel").addEventListener("click", async () => {
  try {
    await api("POST", `/jobs/${state.jobId}/cancel`);
    refreshJob();
  } catch (err) {
    $("#job-error").textContent = err.message;
  }
});
loadSettings();
if (state.token) connect();
