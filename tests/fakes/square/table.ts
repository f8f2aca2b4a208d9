// A compact, lazily materialised collection for the fake Square API: per-record timestamps and
// location live in typed arrays, the JSON record is built on demand from the seed, and touches
// and injected faults are small overlays. Keyset paging runs over cached sort orders.
import { seeded as rng } from "../_random.ts";

/** Deterministic 32-bit hash of a seed, a salt and an index (for per-record randomness). */
export function hash32(seed: number, salt: number, i: number): number {
  let h = (seed ^ Math.imul(salt, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const INDEX_WIDTH = 7;

export type SortField = "created" | "updated";
export interface Position {
  v: number;
  i: number;
}

export interface TableInit<R> {
  name: string;
  count: number;
  /** One or two letters that start every id of this table. */
  prefix: string;
  seed: number;
  salt: number;
  /** Timestamps (ms) and location index of record i; called once per record at start. */
  facts(i: number): { created: number; updated: number; loc: number };
  /** Builds record i; rev counts how often it was touched. */
  build(table: Table<R>, i: number, rev: number): R;
  /** The record's natural key when it has no id of its own. */
  key?(table: Table<R>, i: number): string;
}

export class Table<R = Record<string, unknown>> {
  readonly name: string;
  readonly count: number;
  readonly created: Float64Array;
  readonly updated: Float64Array;
  readonly loc: Int32Array;
  readonly revs = new Map<number, number>();
  readonly faults = new Map<number, (record: R) => void>();
  /** Changes made at the source (state.edit), applied in order before any fault. */
  readonly edits = new Map<number, ((record: R) => void)[]>();
  private readonly orders: Partial<Record<SortField, Uint32Array>> = {};

  constructor(private readonly init: TableInit<R>) {
    this.name = init.name;
    this.count = init.count;
    this.created = new Float64Array(init.count);
    this.updated = new Float64Array(init.count);
    this.loc = new Int32Array(init.count);
    for (let i = 0; i < init.count; i++) {
      const f = init.facts(i);
      this.created[i] = f.created;
      this.updated[i] = f.updated;
      this.loc[i] = f.loc;
    }
  }

  id(i: number): string {
    const r = rng(hash32(this.init.seed, this.init.salt + 7, i));
    let suffix = "";
    for (let k = 0; k < 12; k++) suffix += ALPHABET[Math.floor(r() * ALPHABET.length)];
    return this.init.prefix + i.toString(36).toUpperCase().padStart(INDEX_WIDTH, "0") + suffix;
  }

  /** Index of an id of this table, or -1. */
  index(id: string): number {
    const p = this.init.prefix.length;
    const part = id.slice(p, p + INDEX_WIDTH);
    if (!id.startsWith(this.init.prefix) || !/^[0-9A-Z]+$/.test(part)) return -1;
    const i = parseInt(part, 36);
    return i < this.count && this.id(i) === id ? i : -1;
  }

  key(i: number): string {
    return this.init.key ? this.init.key(this, i) : this.id(i);
  }

  record(i: number): R {
    const r = this.init.build(this, i, this.revs.get(i) ?? 0);
    for (const edit of this.edits.get(i) ?? []) edit(r);
    this.faults.get(i)?.(r);
    return r;
  }

  /** Marks record i changed at tick: a new revision and a new updated time. */
  touch(i: number, tick: number): void {
    this.revs.set(i, (this.revs.get(i) ?? 0) + 1);
    this.updated[i] = tick;
    delete this.orders.updated;
  }

  maxUpdated(): number {
    let m = 0;
    for (let i = 0; i < this.count; i++) if (this.updated[i] > m) m = this.updated[i];
    return m;
  }

  private values(field: SortField): Float64Array {
    return field === "created" ? this.created : this.updated;
  }

  /** Record indexes sorted by (field, index), cached until a touch changes updated times. */
  order(field: SortField): Uint32Array {
    const cached = this.orders[field];
    if (cached) return cached;
    const v = this.values(field);
    const ord = new Uint32Array(this.count);
    for (let i = 0; i < this.count; i++) ord[i] = i;
    ord.sort((a, b) => v[a] - v[b] || a - b);
    return (this.orders[field] = ord);
  }

  /**
   * One keyset page: records in (field, index) order (desc: reversed) after `after`, within the
   * inclusive range on field, that pass match. last: where the next page starts (null: no more).
   */
  scan(opts: {
    field: SortField;
    desc?: boolean;
    after?: Position | null;
    min?: number;
    max?: number;
    match?: (i: number) => boolean;
    limit: number;
  }): { items: number[]; last: Position | null } {
    const v = this.values(opts.field);
    const ord = this.order(opts.field);
    const n = ord.length;
    // first position whose (value, index) is greater than (x, j) (j = Infinity: value > x)
    const upper = (x: number, j: number) => {
      let lo = 0, hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const k = ord[mid];
        if (v[k] < x || (v[k] === x && k <= j)) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const min = opts.min ?? -Infinity, max = opts.max ?? Infinity;
    const step = opts.desc ? -1 : 1;
    let p: number;
    if (!opts.desc) {
      p = upper(min, -1);
      if (opts.after) p = Math.max(p, upper(opts.after.v, opts.after.i));
    } else {
      p = upper(max, Infinity) - 1;
      if (opts.after) p = Math.min(p, upper(opts.after.v, opts.after.i - 1) - 1);
    }
    const items: number[] = [];
    for (; p >= 0 && p < n; p += step) {
      const k = ord[p];
      if (v[k] < min || v[k] > max) break;
      if (opts.match && !opts.match(k)) continue;
      if (items.length === opts.limit) {
        const last = items[items.length - 1];
        return { items, last: { v: v[last], i: last } };
      }
      items.push(k);
    }
    return { items, last: null };
  }
}

/**
 * One page by offset, as a listing without a snapshot pages: the records in the current (field,
 * index) order (desc: reversed) within the inclusive range that pass match, skipping the first
 * `offset` of them. A record whose sort value changes between pages moves in that order, so the
 * records after its old place shift by one and a reader paging by offset skips (or repeats) one.
 */
export function scanByOffset(
  table: Table,
  opts: {
    field: SortField;
    desc?: boolean;
    min?: number;
    max?: number;
    match?: (i: number) => boolean;
    offset: number;
    limit: number;
  },
): { items: number[]; more: boolean } {
  const v = opts.field === "created" ? table.created : table.updated;
  const ord = table.order(opts.field);
  const min = opts.min ?? -Infinity, max = opts.max ?? Infinity;
  const items: number[] = [];
  let skipped = 0;
  for (let k = 0; k < ord.length; k++) {
    const i = ord[opts.desc ? ord.length - 1 - k : k];
    if (v[i] < min || v[i] > max || (opts.match && !opts.match(i))) continue;
    if (skipped < opts.offset) {
      skipped++;
      continue;
    }
    if (items.length === opts.limit) return { items, more: true };
    items.push(i);
  }
  return { items, more: false };
}
