import assert from "node:assert/strict";
import { createTestDatabase } from "../_support/db.ts";

Deno.test("progress changes reach LISTEN sync_progress on plain PostgreSQL", async () => {
  await using db = await createTestDatabase();
  const seen: Record<string, unknown>[] = [];
  const listener = await db.sql.listen("sync_progress", (payload) => seen.push(JSON.parse(payload)));
  try {
    const [job] = await db.sql`select * from sync.create_job('square', array['orders'])`;
    await db.sql`select sync.report_progress(${job.id}, 'orders', 5, 50)`;
    const until = Date.now() + 5_000;
    while (seen.filter((m) => m.table === "progress").length < 2 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const progress = seen.filter((m) => m.table === "progress");
    assert.equal(progress.length, 2);
    assert.equal(Number(progress[1].job_id), Number(job.id));
    assert.equal((progress[1].record as { done: number }).done, 5);
    assert.ok(seen.some((m) => m.table === "jobs" && m.op === "INSERT"));
  } finally {
    await listener.unlisten();
  }
});
