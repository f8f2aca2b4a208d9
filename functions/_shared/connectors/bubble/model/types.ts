// A Bubble app described as data: per data type, its Bubble field names mapped to typed columns,
// and its links to other types. Everything else (row mapping, dependency levels, coverage, the
// typed tables' expected shape) is derived from this description, so it could later be written
// in the declarative connector's format without code changes here.

/** Column types a Bubble field can map to (Postgres spelling). */
export type ColumnType = "text" | "numeric" | "integer" | "boolean" | "timestamptz" | "jsonb" | "text[]";

export interface FieldMapping {
  /** Column in the type's table. */
  column: string;
  type: ColumnType;
  /** The field holds the _id (or, with type text[], a list of _ids) of a thing of this type. */
  link?: string;
  /**
   * A link that would close a cycle (invoice -> SEDA while SEDA -> ... -> invoice): it does not
   * order the types, and the integrity sync writes it after both sides exist.
   */
  backLink?: boolean;
  /**
   * For a back-link: the field of the linked type that lists this thing (SEDA linked_invoice for
   * invoice.seda_registration). When the back-link is empty at the source, a single-root integrity
   * sync finds the other side through it (one `contains` request) and the patch pass restores it.
   */
  inverse?: string;
  /**
   * Written only when the source has a value: an empty source value keeps the local one (a
   * value the patch pass restored, e.g. a back-link the source lost).
   */
  keepLocalWhenEmpty?: boolean;
}

export interface BubbleTypeModel {
  /** Stream and table name (snake case): bubble.<name>. */
  name: string;
  /** The type's Data API name (lowercase, no spaces). */
  apiType: string;
  /** Bubble field name -> column. `_id`, `Created Date`, `Modified Date` are built in (see BUILT_IN). */
  fields: Record<string, FieldMapping>;
}

export interface BubbleModel {
  /** Postgres schema of the typed tables. */
  schema: string;
  types: BubbleTypeModel[];
  /** Types whose sync brings their linked records along (the integrity sync), e.g. invoice. */
  roots: string[];
}

/** The fields every Bubble thing has, and their columns in every typed table. */
export const BUILT_IN: Record<string, FieldMapping> = {
  _id: { column: "id", type: "text" },
  "Created Date": { column: "created_date", type: "timestamptz" },
  "Modified Date": { column: "modified_date", type: "timestamptz" },
};

/** All of a type's mappings, built-in fields first. */
export function allFields(t: BubbleTypeModel): Record<string, FieldMapping> {
  return { ...BUILT_IN, ...t.fields };
}

/** The declared links of a type: field name, column, target type, list or single. */
export function linksOf(t: BubbleTypeModel): {
  field: string;
  column: string;
  target: string;
  list: boolean;
  backLink: boolean;
}[] {
  return Object.entries(t.fields).filter(([, f]) => f.link).map(([field, f]) => ({
    field,
    column: f.column,
    target: f.link!,
    list: f.type === "text[]",
    backLink: f.backLink === true,
  }));
}
