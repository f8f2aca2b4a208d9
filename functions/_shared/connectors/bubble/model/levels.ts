// Dependency levels derived from a model's links, pure. A single link orders its type after the
// linked type (a payment's `invoice` needs the invoice first). A list of links does not: Bubble
// keeps such lists on the "one" side of a one-to-many (invoice.payments) while every item points
// back with a single link. A single link declared backLink (it would close a cycle, e.g.
// invoice.seda_registration) does not order either: it is written after both sides exist.
import { type BubbleModel, linksOf } from "./types.ts";

export interface LevelPlan {
  /** Type name -> level (0: links to nothing). */
  levels: Record<string, number>;
  /** Types per level, level 0 first, names sorted within a level. */
  byLevel: string[][];
  /** Type name -> the types it must follow. */
  parents: Record<string, string[]>;
  /** Links written in the patch pass after both sides exist. */
  backLinks: { type: string; field: string; column: string; target: string }[];
}

export function dependencyLevels(model: BubbleModel): LevelPlan {
  const names = new Set(model.types.map((t) => t.name));
  const parents: Record<string, string[]> = {};
  const backLinks: LevelPlan["backLinks"] = [];
  for (const t of model.types) {
    const ps = new Set<string>();
    for (const l of linksOf(t)) {
      if (!names.has(l.target)) {
        throw new RangeError(
          `Bubble type "${t.name}" field "${l.field}" links to unknown type "${l.target}"`,
        );
      }
      const inverse = t.fields[l.field].inverse;
      if (inverse !== undefined) {
        const other = model.types.find((x) => x.name === l.target)!.fields[inverse];
        if (!l.backLink || other?.link !== t.name || other.type !== "text[]") {
          throw new RangeError(
            `Bubble type "${t.name}" field "${l.field}": inverse "${inverse}" must be a back-link's, naming a list of ${t.name} links on ${l.target}`,
          );
        }
      }
      if (l.backLink) backLinks.push({ type: t.name, field: l.field, column: l.column, target: l.target });
      else if (!l.list && l.target !== t.name) ps.add(l.target);
    }
    parents[t.name] = [...ps].sort();
  }
  const levels: Record<string, number> = {};
  const visiting = new Set<string>();
  const visit = (name: string, path: string[]): number => {
    if (levels[name] !== undefined) return levels[name];
    if (visiting.has(name)) {
      const cycle = [...path.slice(path.indexOf(name)), name].join(" -> ");
      throw new RangeError(`Bubble links form a cycle: ${cycle}; declare one of these links backLink`);
    }
    visiting.add(name);
    const level = parents[name].reduce((max, p) => Math.max(max, visit(p, [...path, name]) + 1), 0);
    visiting.delete(name);
    return (levels[name] = level);
  };
  for (const t of model.types) visit(t.name, []);
  const byLevel: string[][] = [];
  for (const [name, level] of Object.entries(levels)) (byLevel[level] ??= []).push(name);
  return { levels, byLevel: byLevel.map((l) => (l ?? []).sort()), parents, backLinks };
}
