// `sync accounts ...`: the account registry over /sync/accounts (docs/accounts.md). Self-contained: it
// parses its own options, so the rest of the CLI's option handling does not need to know them. Secrets
// are read from standard input or an environment variable, never from the command line (shell history,
// ps), and are never printed: an account shows which secrets are set and when.
import { parseArgs } from "node:util";
import type { ApiClient } from "./client.ts";
import { CliUsageError } from "./ops.ts";
import { table } from "./render.ts";

type Account = {
  connector: string;
  account: string;
  display_name: string | null;
  settings: Record<string, unknown>;
  state: string;
  state_reason: string | null;
  secrets: Record<string, { updated_at: string }>;
  created_at: string;
  updated_at: string;
};

export interface AccountsIo {
  print(line: string): void;
  /** Lines of standard input (secrets), read when a --secret asks for one. */
  readLines(): Promise<string[]>;
  env(name: string): string | undefined;
}

const defaultIo: AccountsIo = {
  print: console.log,
  readLines: async () => {
    const text = await new Response(Deno.stdin.readable).text();
    return text.split(/\r?\n/);
  },
  env: (name) => Deno.env.get(name),
};

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      connector: { type: "string" },
      name: { type: "string" },
      setting: { type: "string", multiple: true },
      secret: { type: "string", multiple: true },
      "secret-env": { type: "string", multiple: true },
      reason: { type: "string" },
    },
  });
}

/** K=V settings: V as JSON when it parses (50, true, ["a"]), else as text. */
export function settingsFrom(pairs: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new CliUsageError(`--setting takes KEY=VALUE, got "${pair}"`);
    const raw = pair.slice(at + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    out[pair.slice(0, at)] = value;
  }
  return out;
}

async function secretsFrom(
  fromStdin: string[] = [],
  fromEnv: string[] = [],
  io: AccountsIo,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const pair of fromEnv) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new CliUsageError(`--secret-env takes NAME=VARIABLE, got "${pair}"`);
    const variable = pair.slice(at + 1);
    const value = io.env(variable);
    if (!value) throw new CliUsageError(`--secret-env ${pair.slice(0, at)}: ${variable} is not set`);
    out[pair.slice(0, at)] = value;
  }
  if (fromStdin.length) {
    for (const name of fromStdin) {
      if (name.includes("=")) {
        throw new CliUsageError(
          `--secret ${name.split("=")[0]}: give only the name; the value is read from standard input`,
        );
      }
    }
    const lines = await io.readLines();
    fromStdin.forEach((name, i) => {
      const value = lines[i]?.trim();
      if (!value) throw new CliUsageError(`--secret ${name}: no value on line ${i + 1} of standard input`);
      out[name] = value;
    });
  }
  return out;
}

function describe(a: Account): string[] {
  const secrets = Object.entries(a.secrets).sort(([x], [y]) => x.localeCompare(y));
  return [
    `${a.connector}/${a.account}${a.display_name ? ` (${a.display_name})` : ""}: ${a.state}${
      a.state_reason ? ` — ${a.state_reason}` : ""
    }`,
    `  settings: ${Object.keys(a.settings).length ? JSON.stringify(a.settings) : "(none)"}`,
    `  secrets:  ${
      secrets.length ? secrets.map(([name, s]) => `${name} (set ${s.updated_at})`).join(", ") : "(none)"
    }`,
    `  created ${a.created_at}, updated ${a.updated_at}`,
  ];
}

/** Runs `sync accounts <sub> ...`; the exit code. */
export async function runAccountsCommand(
  api: ApiClient,
  args: string[],
  io: AccountsIo = defaultIo,
): Promise<number> {
  const { values, positionals } = parse(args);
  const [sub = "list", connector, key] = positionals;
  if (sub === "list") {
    const qs = values.connector ? `?connector=${encodeURIComponent(values.connector)}` : "";
    const { accounts, environment } = await api.call<
      { accounts: Account[]; environment: { connector: string; secrets: string[] }[] }
    >("GET", `/accounts${qs}`);
    if (accounts.length === 0) io.print("no accounts registered");
    else {
      table(accounts.map((a) => ({
        connector: a.connector,
        account: a.account,
        name: a.display_name ?? "",
        state: a.state,
        secrets: Object.keys(a.secrets).sort().join(",") || "-",
        updated: a.updated_at,
      }))).forEach((l) => io.print(l));
    }
    const registered = new Set(accounts.filter((a) => a.account === "default").map((a) => a.connector));
    for (const e of environment.filter((e) => !registered.has(e.connector) && e.secrets.length)) {
      io.print(`${e.connector}/default: the environment's settings (secrets: ${e.secrets.join(", ")})`);
    }
    return 0;
  }
  if (!["add", "show", "pause", "resume", "remove"].includes(sub)) {
    throw new CliUsageError(`Unknown accounts command "${sub}" (list, add, show, pause, resume, remove)`);
  }
  if (!connector || !key) throw new CliUsageError(`accounts ${sub} needs a connector and an account key`);
  const path = `/accounts/${encodeURIComponent(connector)}/${encodeURIComponent(key)}`;
  let shown: Account;
  if (sub === "add") {
    const secrets = await secretsFrom(values.secret, values["secret-env"], io);
    ({ account: shown } = await api.call<{ account: Account }>("POST", "/accounts", {
      connector,
      account: key,
      ...(values.name ? { displayName: values.name } : {}),
      settings: settingsFrom(values.setting),
      secrets,
    }));
  } else if (sub === "show") {
    ({ account: shown } = await api.call<{ account: Account }>("GET", path));
  } else if (sub === "remove") {
    ({ account: shown } = await api.call<{ account: Account }>("DELETE", path));
    io.print(`${connector}/${key}: removed, with its secrets`);
    return 0;
  } else {
    ({ account: shown } = await api.call<{ account: Account }>(
      "POST",
      `${path}/${sub}`,
      values.reason ? { reason: values.reason } : {},
    ));
  }
  describe(shown).forEach((l) => io.print(l));
  return 0;
}
