// The chain of a root thing (an invoice and what it links to), pure: which ids to look up per
// type, who owns each related thing (for the step report), and the rows to merge per type with the
// links the source says are gone cleared from the typed columns (raw keeps them).
import { isEmpty, typedRow } from "../model/rows.ts";
import { type BubbleModel, type BubbleTypeModel, linksOf } from "../model/types.ts";

export type Thing = Record<string, unknown> & { _id: string };

/** "type:id" keys. */
export const ref = (type: string, id: string) => `${type}:${id}`;

export class Chain {
  /** Things fetched in this run, per type, by id. */
  readonly things = new Map<string, Map<string, Thing>>();
  /** Links looked up at the source and not found there ("type:id"). */
  readonly missing = new Set<string>();
  /** "type:id" -> the roots whose chain holds it. */
  readonly owners = new Map<string, Set<string>>();
  private readonly byName: Map<string, BubbleTypeModel>;

  constructor(readonly model: BubbleModel, readonly rootType: string) {
    this.byName = new Map(model.types.map((t) => [t.name, t]));
    if (!this.byName.has(rootType)) throw new RangeError(`"${rootType}" is not a type of the Bubble model`);
  }

  type(name: string): BubbleTypeModel {
    return this.byName.get(name)!;
  }

  add(type: string, thing: Thing, owners: Iterable<string>): void {
    let m = this.things.get(type);
    if (!m) this.things.set(type, m = new Map());
    m.set(thing._id, thing);
    const key = ref(type, thing._id);
    const set = this.owners.get(key) ?? new Set();
    for (const o of owners) set.add(o);
    this.owners.set(key, set);
  }

  has(type: string, id: string): boolean {
    return this.things.get(type)?.has(id) === true;
  }

  /**
   * The ids the given things link to, per target type, that this run has not looked up yet; links
   * to the root type are never followed (other roots are chains of their own). Each id inherits
   * the owners of the things linking to it.
   */
  linkedIds(type: string, things: Thing[]): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const l of linksOf(this.type(type))) {
      if (l.target === this.rootType) continue;
      for (const thing of things) {
        const raw = thing[l.field];
        const ids = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string =>
          typeof v === "string" && v !== ""
        );
        const owners = this.owners.get(ref(type, thing._id)) ?? new Set<string>();
        for (const id of ids) {
          const key = ref(l.target, id);
          if (this.has(l.target, id) || this.missing.has(key)) continue;
          (out.get(l.target) ?? out.set(l.target, new Set()).get(l.target)!).add(id);
          const set = this.owners.get(key) ?? new Set();
          for (const o of owners) set.add(o);
          this.owners.set(key, set);
        }
      }
    }
    return out;
  }

  /** Rows of a type's fetched things: typed columns, gone links cleared, back-links held apart. */
  rows(type: string, ids?: Iterable<string>): {
    rows: Record<string, unknown>[];
    backLinks: { id: string; column: string; target: string; value: string }[];
    cleared: { owner: string; field: string; target: string; id: string }[];
  } {
    const t = this.type(type);
    const links = linksOf(t);
    const things = this.things.get(type) ?? new Map<string, Thing>();
    const wanted = ids
      ? [...ids].map((id) => things.get(id)).filter((x): x is Thing => !!x)
      : [...things.values()];
    const rows: Record<string, unknown>[] = [];
    const backLinks: { id: string; column: string; target: string; value: string }[] = [];
    const cleared: { owner: string; field: string; target: string; id: string }[] = [];
    for (const thing of wanted) {
      const row = typedRow(t, thing);
      for (const l of links) {
        const gone = (id: unknown) => typeof id === "string" && this.missing.has(ref(l.target, id));
        const value = row[l.column];
        if (l.list && Array.isArray(value)) {
          for (const id of value.filter(gone)) {
            cleared.push({ owner: thing._id, field: l.field, target: l.target, id });
          }
          row[l.column] = value.filter((id) => !gone(id));
        } else if (gone(value)) {
          cleared.push({ owner: thing._id, field: l.field, target: l.target, id: value as string });
          if (l.backLink || t.fields[l.field].keepLocalWhenEmpty) delete row[l.column];
          else row[l.column] = null;
        }
        if (l.backLink && l.column in row) {
          if (!isEmpty(row[l.column])) {
            backLinks.push({
              id: thing._id,
              column: l.column,
              target: l.target,
              value: row[l.column] as string,
            });
          }
          delete row[l.column];
        }
      }
      rows.push(row);
    }
    return { rows, backLinks, cleared };
  }
}
