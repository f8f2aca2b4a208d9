// Text Postgres cannot hold (U+0000, a lone UTF-16 surrogate) in the things of an integrity batch:
// the one sanitising rule of every other path applies (U+0000 removed, lone surrogate -> U+FFFD),
// in roots and in the relations read for them, so the batch lands, the typed tables hold the clean
// text and the progress counts what was changed (it failed the whole job before).
import assert from "node:assert/strict";
import { createTestDatabase } from "../_support/db.ts";
import { invoicingData } from "../fakes/bubble/invoicing.ts";
import { startFakeBubble } from "../fakes/bubble/mod.ts";
import { config, runAll, startJob } from "./_support.ts";

Deno.test("an integrity batch whose roots and relations hold U+0000 and lone surrogates lands them sanitised", async () => {
  await using tdb = await createTestDatabase();
  const data = invoicingData({ invoices: 30 });
  const invoice = data.invoice[3];
  invoice.invoice_no = `INV-\u0000NUL`;
  invoice["weird\u0000key"] = "x";
  const customer = data.customer.find((c) => c._id === invoice.customer)!;
  customer.name = "half \ud83d pair";
  const fake = startFakeBubble({ data });
  try {
    await startJob(tdb.sql, { mode: "full" });
    const [outcome] = await runAll(tdb.sql, config(fake, { pageSize: 10 }));
    assert.notEqual(outcome.status, "failed", JSON.stringify(outcome));
    const [inv] = await tdb.sql`select invoice_no from bubble.invoice where id = ${invoice._id as string}`;
    assert.equal(inv?.invoice_no, "INV-NUL");
    const [cus] = await tdb.sql`select name from bubble.customer where id = ${customer._id as string}`;
    assert.equal(cus?.name, "half \ufffd pair");
    const [p] = await tdb
      .sql`select sum(sanitised)::int as n from sync.progress where job_id = ${outcome.jobId}`;
    assert.ok(p.n >= 2, `sanitised ${p.n}`);
  } finally {
    await fake.close();
  }
});
