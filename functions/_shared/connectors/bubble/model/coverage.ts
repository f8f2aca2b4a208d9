// Field-mapping coverage, pure: of the fields the source sent for a type (the keys seen in its
// things' raw), how many the model maps; which it does not; overall across types.
import { allFields, type BubbleModel } from "./types.ts";

export interface TypeCoverage {
  type: string;
  /** Distinct field names seen in the source's things. */
  seen: number;
  /** Of those, how many are mapped to a column. */
  mapped: number;
  /** Seen but not mapped (they are still in raw). */
  unmapped: string[];
  /** Mapped but never seen (empty everywhere at the source, or a misspelt mapping). */
  notSeen: string[];
  /** Things of the type the figures come from. */
  records: number;
}

export interface CoverageReport {
  types: TypeCoverage[];
  overall: { seen: number; mapped: number; percent: number | null };
}

/** `seen`: per type name, field name -> how many things carried it; `records`: things per type. */
export function fieldCoverage(
  model: BubbleModel,
  seen: Record<string, Record<string, number>>,
  records: Record<string, number> = {},
): CoverageReport {
  const types = model.types.map((t): TypeCoverage => {
    const declared = new Set(Object.keys(allFields(t)));
    const fields = Object.keys(seen[t.name] ?? {});
    const unmapped = fields.filter((f) => !declared.has(f)).sort();
    return {
      type: t.name,
      seen: fields.length,
      mapped: fields.length - unmapped.length,
      unmapped,
      notSeen: [...declared].filter((f) => !(f in (seen[t.name] ?? {}))).sort(),
      records: records[t.name] ?? 0,
    };
  });
  const s = types.reduce((n, t) => n + t.seen, 0);
  const m = types.reduce((n, t) => n + t.mapped, 0);
  return {
    types,
    overall: { seen: s, mapped: m, percent: s ? Math.round((m / s) * 1000) / 10 : null },
  };
}

/** One line per type, e.g. "invoice 39/39, customer 10/11 (unmapped: fax)", and the overall figure. */
export function coverageLines(report: CoverageReport): string[] {
  return [
    ...report.types.map((t) =>
      `${t.type.padEnd(20)} ${`${t.mapped}/${t.seen}`.padStart(7)}  ${t.records} records${
        t.unmapped.length ? `  unmapped: ${t.unmapped.join(", ")}` : ""
      }`
    ),
    `overall              ${`${report.overall.mapped}/${report.overall.seen}`.padStart(7)}  ${
      report.overall.percent ?? "-"
    }%`,
  ];
}
