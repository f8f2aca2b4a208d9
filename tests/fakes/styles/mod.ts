// A fake REST API that pages the same records five ways, one endpoint per style, for the
// declarative engine's tests: page number (/page), offset (/offset), a cursor in the answer
// (POST /cursor, the cursor sent back in the JSON body), a next URL in the answer (/next), and a
// Link header (/link). /groups/{g}/items is a child listing per parent; /windowed filters on
// from/to (Y-m-d, inclusive). Auth: any of bearer, X-Key header, ?key= or basic, per the test.
export type Item = { id: string; group: string; updated_at: string; n: number };

export interface FakeStyles {
  url: string;
  items: Item[];
  requests: string[];
  close(): Promise<void>;
}

export function makeItems(n: number, groups = ["a", "b", "c"]): Item[] {
  const start = Date.parse("2024-01-01T00:00:00Z");
  return Array.from({ length: n }, (_, i) => ({
    id: `i${String(i).padStart(4, "0")}`,
    group: groups[i % groups.length],
    // about one record every four days, across several months
    updated_at: new Date(start + i * 4 * 86_400_000 + i * 1000).toISOString(),
    n: i,
  }));
}

export function startFakeStyles(
  opts: { items?: Item[]; auth?: (req: Request, url: URL) => boolean } = {},
): FakeStyles {
  const items = opts.items ?? makeItems(53);
  const requests: string[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (opts.auth && !opts.auth(req, url)) return Response.json({ error: "unauthorized" }, { status: 401 });
    const q = url.searchParams;
    const num = (name: string, def: number) => (q.has(name) ? Number(q.get(name)) : def);
    const since = q.get("since");
    const pool = since ? items.filter((i) => i.updated_at >= since) : items;
    let m: RegExpExecArray | null;
    switch (url.pathname) {
      case "/page": {
        const page = num("page", 1), size = num("size", 10);
        return Response.json({
          items: pool.slice((page - 1) * size, page * size),
          pages: Math.ceil(pool.length / size),
        });
      }
      case "/offset": {
        const offset = num("offset", 0), limit = num("limit", 10);
        return Response.json({ results: pool.slice(offset, offset + limit), count: pool.length });
      }
      case "/cursor": {
        if (req.method !== "POST") return Response.json({ error: "POST only" }, { status: 405 });
        const body = await req.json() as { cursor?: string; limit?: number; filter?: { after?: string } };
        const after = body.filter?.after;
        const list = after ? items.filter((i) => i.updated_at >= after) : items;
        const start = body.cursor ? Number(atob(body.cursor)) : 0;
        const limit = body.limit ?? 10;
        const end = start + limit;
        return Response.json({
          data: { rows: list.slice(start, end) },
          next: end < list.length ? btoa(String(end)) : "",
        });
      }
      case "/next": {
        const at = num("at", 0), size = num("per", 10);
        const next = at + size < pool.length
          ? `${url.origin}/next?at=${at + size}&per=${size}${since ? `&since=${since}` : ""}`
          : null;
        return Response.json({ records: pool.slice(at, at + size), paging: { next } });
      }
      case "/link": {
        const at = num("at", 0), size = num("per_page", 10);
        const headers = new Headers();
        if (at + size < pool.length) {
          headers.set(
            "link",
            `<${url.origin}/link?at=${at - size}>; rel="prev", </link?at=${
              at + size
            }&per_page=${size}>; rel="next"`,
          );
        }
        return Response.json(pool.slice(at, at + size), { headers });
      }
      case "/windowed": {
        const from = q.get("from") ?? "0000", to = q.get("to") ?? "9999";
        const list = items.filter((i) =>
          i.updated_at.slice(0, 10) >= from && i.updated_at.slice(0, 10) <= to
        );
        const page = num("page", 1), size = num("size", 10);
        return Response.json({ items: list.slice((page - 1) * size, page * size) });
      }
    }
    if ((m = /^\/groups\/([^/]+)\/items$/.exec(url.pathname))) {
      const list = items.filter((i) => i.group === decodeURIComponent(m![1]));
      const page = num("page", 1), size = num("size", 10);
      return Response.json({ items: list.slice((page - 1) * size, page * size) });
    }
    if (url.pathname === "/groups") {
      const groups = [...new Set(items.map((i) => i.group))].map((g) => ({ name: g }));
      return Response.json({ groups });
    }
    if ((m = /^\/items\/([^/]+)$/.exec(url.pathname))) {
      const it = items.find((i) => i.id === decodeURIComponent(m![1]));
      return it ? Response.json({ item: it }) : Response.json({ error: "not found" }, { status: 404 });
    }
    return Response.json({ error: `no route ${url.pathname}` }, { status: 404 });
  });
  return {
    url: `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`,
    items,
    requests,
    close: () => server.shutdown(),
  };
}
