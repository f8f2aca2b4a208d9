// Who may join a private channel: the check Supabase Realtime runs (lib/realtime/tenants/
// authorization.ex), against the same RLS policies on realtime.messages. In one transaction that
// is rolled back: insert a probe message for the topic, become the token's role with its claims
// (request.jwt.claims, realtime.topic), and see whether the probe is visible.
import { Jwt } from "hono/utils/jwt";
import type postgres from "postgres";
import { type Claims, claimsProblem } from "./protocol.ts";

type Sql = postgres.Sql;

/** Roles a token may carry here: Supabase's API roles, never a database owner. */
const ROLES = new Set(["anon", "authenticated", "service_role"]);
const rollback = Symbol("rollback");

export class Refusal extends Error {}

/** Verifies an HS256 token (signature, `role` and `exp` as Supabase requires); throws Refusal. */
export async function verifyToken(token: string, secret: string, nowSeconds: number): Promise<Claims> {
  let claims: Claims;
  try {
    claims = await Jwt.verify(token, secret, "HS256") as Claims;
  } catch (err) {
    const name = (err as Error).name;
    throw new Refusal(
      name === "JwtTokenExpired" ? "InvalidJWTToken: Token has expired" : "InvalidJWTToken: Invalid token",
    );
  }
  const problem = claimsProblem(claims, nowSeconds);
  if (problem) throw new Refusal(problem);
  return claims;
}

/** Whether these claims may read broadcasts of the topic under the database's RLS policies. */
export async function canReadBroadcast(sql: Sql, topic: string, claims: Claims): Promise<boolean> {
  const role = String(claims.role ?? "anon");
  if (!ROLES.has(role)) return false;
  let allowed = false;
  try {
    await sql.begin(async (tx) => {
      const id = crypto.randomUUID();
      await tx`insert into realtime.messages (id, topic, extension) values (${id}::uuid, ${topic}, 'broadcast')`;
      await tx`select set_config('role', ${role}, true), set_config('realtime.topic', ${topic}, true),
        set_config('request.jwt.claims', ${JSON.stringify(claims)}, true),
        set_config('request.jwt.claim.sub', ${String(claims.sub ?? "")}, true),
        set_config('request.jwt.claim.role', ${role}, true), set_config('request.headers', '{}', true)`;
      allowed = (await tx`select id from realtime.messages where id = ${id}::uuid`).length === 1;
      throw rollback;
    });
  } catch (err) {
    if (err !== rollback) throw err;
  }
  return allowed;
}
