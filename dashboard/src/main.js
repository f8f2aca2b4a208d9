// Syncline console: sign-in, a hash router over the views, and the live-status badge.
import {
  api as callApi,
  credentialFor,
  forget,
  originOf,
  readUrl,
  rebind,
  resumeSupabase,
  session,
  signInWithPassword,
  signInWithToken,
  storedCredentials,
} from "./session.js";
import { live, onLiveChange } from "./live.js";
import { $, el, field, message } from "./ui.js";
import { resetConnectors } from "./views/shared.js";
import * as overview from "./views/overview.js";
import * as job from "./views/job.js";
import * as history from "./views/history.js";
import * as failed from "./views/failed.js";
import * as stats from "./views/stats.js";
import * as schedules from "./views/schedules.js";
import * as notifications from "./views/notifications.js";
import * as integrity from "./views/integrity.js";
import * as start from "./views/start.js";

const VIEWS = { overview, job, history, failed, stats, schedules, notifications, integrity, start };
let cleanup = null;

function route() {
  if (!session.token) return;
  cleanup?.();
  cleanup = null;
  const [path, query = ""] = location.hash.replace(/^#\/?/, "").split("?");
  const [name, id] = path.split("/");
  const view = VIEWS[name] ?? overview;
  for (const a of document.querySelectorAll("nav.views a")) {
    a.toggleAttribute("aria-current", a.getAttribute("href") === `#/${VIEWS[name] ? name : "overview"}`);
  }
  const root = $("#view");
  root.replaceChildren();
  cleanup = view.render(root, id, new URLSearchParams(query)) ?? null;
  root.focus({ preventScroll: true });
}

function showLive() {
  const badge = $("#live-status");
  badge.className = `live live-${live.state}`;
  badge.textContent = live.state === "live"
    ? "Live (Realtime)"
    : live.state === "connecting"
    ? "Connecting to Realtime…"
    : `Realtime unreachable (${live.reason}): polling`;
}

function signedIn() {
  $("#signin").hidden = true;
  $("#app").hidden = false;
  $("#who").textContent = `${session.mode === "supabase" ? "Supabase session" : "admin token"} for ${
    originOf(session.api)
  }`;
  resetConnectors();
  route();
}

function signInForm({ api, notice }) {
  const apiInput = el("input", {
    id: "api-url",
    name: "api",
    type: "url",
    required: true,
    value: api,
    size: 40,
  });
  const mode = el(
    "select",
    { id: "signin-mode", name: "mode" },
    el("option", { value: "token" }, "Admin token (local stack)"),
    el(
      "option",
      { value: "supabase", disabled: !session.config.supabaseUrl },
      "Supabase account (email and password)",
    ),
  );
  const token = el("input", { id: "api-token", name: "token", type: "password", autocomplete: "off" });
  const email = el("input", { id: "email", name: "email", type: "email", autocomplete: "username" });
  const password = el("input", {
    id: "password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
  });
  const tokenRow = field("Admin token", token);
  const emailRows = el("div", { hidden: true }, field("Email", email), field("Password", password));
  const status = el("div", { id: "conn-status", attrs: { "aria-live": "polite" } }, notice ?? "");
  mode.value = session.config.auth === "supabase" && session.config.supabaseUrl ? "supabase" : "token";
  const sync =
    () => ((tokenRow.hidden = mode.value !== "token"), (emailRows.hidden = mode.value === "token"));
  mode.addEventListener("change", sync);
  sync();
  const form = el(
    "form",
    { id: "settings", autocomplete: "off" },
    el("h2", {}, "Sign in"),
    field("API URL", apiInput),
    field("Sign in with", mode),
    tokenRow,
    emailRows,
    el("button", { type: "submit", id: "connect" }, "Sign in"),
    status,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      if (mode.value === "token") signInWithToken(apiInput.value, token.value);
      else await signInWithPassword(apiInput.value, email.value, password.value);
      await callApi("GET", "/connectors");
      status.textContent = "connected";
      signedIn();
    } catch (err) {
      status.replaceChildren(message(`Not connected: ${err.message}`));
    }
  });
  return form;
}

async function boot() {
  session.config = await fetch("config.json").then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
  const fromUrl = readUrl();
  const api = fromUrl.api ?? storedCredentials()?.api ?? session.config.api ?? "http://127.0.0.1:54321/sync";
  const notices = [];
  if (fromUrl.tokenInUrl) {
    notices.push(message("A token in the page URL is ignored: tokens are entered here, never in links."));
  }
  const cred = credentialFor(api);
  const signin = $("#signin");
  if (cred.mismatch) {
    notices.push(
      el(
        "div",
        { id: "origin-mismatch", attrs: { role: "alert" } },
        el(
          "p",
          {},
          `Your stored token was entered for ${cred.mismatch}. It is not sent to ${originOf(api)}.`,
        ),
        el("button", {
          type: "button",
          id: "confirm-origin",
          on: {
            click: () => {
              rebind(api);
              location.reload();
            },
          },
        }, `Use my stored token with ${originOf(api)}`),
      ),
    );
  }
  signin.replaceChildren(signInForm({ api, notice: el("div", {}, ...notices) }));
  signin.hidden = false;
  onLiveChange(showLive);
  showLive();
  if (cred.token && cred.mode === "token") {
    signInWithToken(api, cred.token);
    signedIn();
  } else if (cred.mode === "supabase" && (await resumeSupabase(api))) signedIn();
}

globalThis.addEventListener("hashchange", route);
$("#signout").addEventListener("click", () => {
  forget();
  location.reload();
});
boot();
