// Who the console is signed in as, and the one function that talks to the API. A credential is
// bound to the API origin it was entered for: it is never sent to another origin (a `#api=` in
// the URL only pre-fills the API field) unless the operator confirms it for that origin. No
// secret is ever read from, or written to, the page's URL.
import { createClient } from "@supabase/supabase-js";

const KEY = "syncline.credentials";

export const session = {
  api: "",
  token: "",
  mode: "token", // "token" (locally: the token the demo prints) or "supabase" (Supabase Auth)
  config: {},
  supabase: null,
  requests: 0,
};

export const originOf = (url) => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

export function storedCredentials() {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? "null");
  } catch {
    return null;
  }
}

function store(api, token, mode) {
  localStorage.setItem(
    KEY,
    JSON.stringify({ api, origin: originOf(api), token: mode === "token" ? token : "", mode }),
  );
}

export function forget() {
  localStorage.removeItem(KEY);
  session.token = "";
  session.supabase?.auth?.signOut?.().catch(() => {});
}

/** Reads #api= (and drops any #token=, which is refused) from the URL; returns the API wanted. */
export function readUrl() {
  const hash = new URLSearchParams(location.hash.replace(/^#\/?/, ""));
  const out = { api: hash.get("api"), tokenInUrl: hash.has("token") };
  if (out.api !== null || out.tokenInUrl) history.replaceState(null, "", location.pathname + location.search);
  return out;
}

/**
 * The credential to use for this API URL: the stored one only when it was entered for the same
 * origin. Returns {token, mode} or {mismatch: storedOrigin}.
 */
export function credentialFor(api) {
  const stored = storedCredentials();
  if (!stored) return {};
  if (stored.origin !== originOf(api)) return { mismatch: stored.origin };
  return { token: stored.token, mode: stored.mode };
}

/** The operator confirmed: bind the stored credential to this (other) origin. */
export function rebind(api) {
  const stored = storedCredentials();
  if (stored) store(api, stored.token, stored.mode);
}

function supabaseClient(accessToken) {
  const { supabaseUrl, supabaseAnonKey } = session.config;
  if (!supabaseUrl || !supabaseAnonKey) return null;
  return createClient(
    supabaseUrl,
    supabaseAnonKey,
    accessToken ? { accessToken } : {
      auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: false },
    },
  );
}

/** Signs in with an admin token (locally) for this API. */
export function signInWithToken(api, token) {
  session.api = api.replace(/\/$/, "");
  session.token = token.trim();
  session.mode = "token";
  store(session.api, session.token, "token");
  session.supabase = supabaseClient(() => Promise.resolve(session.token));
}

/** Signs in with Supabase Auth (email + password); the session's JWT is the API token. */
export async function signInWithPassword(api, email, password) {
  session.api = api.replace(/\/$/, "");
  session.mode = "supabase";
  session.supabase = supabaseClient(null);
  if (!session.supabase) {
    throw new Error("Supabase sign-in needs supabaseUrl and supabaseAnonKey in config.json");
  }
  const { data, error } = await session.supabase.auth.signInWithPassword({ email, password });
  if (error) throw new Error(`Sign-in failed: ${error.message}`);
  session.token = data.session.access_token;
  store(session.api, "", "supabase");
  watchSupabaseSession();
}

/** Resumes a Supabase Auth session kept by supabase-js (bound to its project). */
export async function resumeSupabase(api) {
  session.api = api.replace(/\/$/, "");
  session.mode = "supabase";
  session.supabase = supabaseClient(null);
  const { data } = (await session.supabase?.auth.getSession()) ?? { data: {} };
  if (!data?.session) return false;
  session.token = data.session.access_token;
  watchSupabaseSession();
  return true;
}

function watchSupabaseSession() {
  session.supabase.auth.onAuthStateChange((_event, s) => {
    if (s?.access_token) session.token = s.access_token;
  });
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Calls the API with the bound credential; refuses any URL outside the bound origin. */
export async function api(method, path, body) {
  const url = `${session.api}${path}`;
  const bound = session.mode === "token" ? storedCredentials()?.origin : originOf(session.api);
  if (originOf(url) !== bound) {
    throw new ApiError(0, `Not sending the admin token to ${originOf(url)}: it was entered for ${bound}`);
  }
  session.requests++;
  const res = await fetch(url, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${session.token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data?.error?.message ?? `HTTP ${res.status}`);
  return data;
}

export const qs = (params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
};
