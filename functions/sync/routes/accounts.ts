// The account registry, admin only: list, add, show, change, pause, resume and remove the accounts each
// connector serves (docs/accounts.md). Secrets are write-only: sent in "secrets", stored in Vault, shown
// only as set and when. The environment's <CONNECTOR>_* settings are each connector's `default` account.
import { Hono } from "hono";
import { z } from "zod";
import { requireAuth } from "../../_shared/api/auth.ts";
import { jsonBody, parseWith, query } from "../../_shared/api/validate.ts";
import {
  AccountInput,
  AccountKey,
  AccountPatch,
  addAccount,
  getAccount,
  listAccounts,
  removeAccount,
  setAccountState,
  updateAccount,
} from "../../_shared/accounts/mod.ts";
import { NotFoundError, ValidationError } from "../../_shared/engine/errors.ts";
import { isSecretKey } from "../../_shared/redact.ts";
import type { AppDeps } from "../../_shared/deps.ts";

export const ListQuery = z.object({ connector: z.string().min(1).max(63).optional() }).strict();
export const StateBody = z.object({ reason: z.string().trim().min(1).max(500).optional() }).strict();

export function accountRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.use("/accounts", requireAuth(deps.auth));
  app.use("/accounts/*", requireAuth(deps.auth));

  const knownConnector = (name: string, field: string) => {
    if (!deps.connectors[name]) {
      throw new ValidationError(
        `Unknown connector "${name}" (available: ${Object.keys(deps.connectors).join(", ")})`,
        { field },
      );
    }
  };
  const params = (c: { req: { param(name: string): string } }) => {
    const connector = c.req.param("connector");
    knownConnector(connector, "connector");
    return { connector, account: parseWith(AccountKey, c.req.param("key"), "account key") };
  };
  const found = async (connector: string, account: string) => {
    const shown = await getAccount(deps.sql, connector, account);
    if (!shown) {
      throw new NotFoundError(
        `No account "${account}" of connector "${connector}"${
          account === "default" ? " is registered; the environment's settings serve it" : ""
        }`,
      );
    }
    return shown;
  };

  // the registered accounts, and per connector which secrets its environment (`default` account) sets
  app.get("/accounts", async (c) => {
    const q = query(c, ListQuery);
    if (q.connector) knownConnector(q.connector, "connector");
    const accounts = await listAccounts(deps.sql, q.connector);
    const environment = Object.keys(deps.connectors)
      .filter((name) => !q.connector || name === q.connector)
      .map((name) => ({
        connector: name,
        account: "default",
        secrets: Object.keys(deps.connectorConfig(name)).filter(isSecretKey).sort(),
      }));
    return c.json({ accounts, environment });
  });

  app.post("/accounts", async (c) => {
    const input = await jsonBody(c, AccountInput);
    knownConnector(input.connector, "connector");
    const account = await addAccount(deps.sql, input);
    const path = `/sync/accounts/${input.connector}/${encodeURIComponent(input.account)}`;
    return c.json({ account }, 201, { location: path });
  });

  app.get("/accounts/:connector/:key", async (c) => {
    const { connector, account } = params(c);
    return c.json({ account: await found(connector, account) });
  });

  app.patch("/accounts/:connector/:key", async (c) => {
    const { connector, account } = params(c);
    const patch = await jsonBody(c, AccountPatch);
    return c.json({ account: await updateAccount(deps.sql, connector, account, patch) });
  });

  app.delete("/accounts/:connector/:key", async (c) => {
    const { connector, account } = params(c);
    return c.json({ account: await removeAccount(deps.sql, connector, account) });
  });

  // paused: its jobs are refused (409) and a queued one is cancelled when claimed; resume: active again
  for (const [action, state] of [["pause", "paused"], ["resume", "active"]] as const) {
    app.post(`/accounts/:connector/:key/${action}`, async (c) => {
      const { connector, account } = params(c);
      const body = await jsonBody(c, StateBody);
      await found(connector, account);
      return c.json({
        account: await setAccountState(deps.sql, connector, account, state, body.reason ?? null),
      });
    });
  }
  return app;
}
