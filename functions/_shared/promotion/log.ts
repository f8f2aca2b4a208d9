// A root's step log as stored by sync.promote_roots, and its one-line rendering:
// "✓ payment imported · ✓ registration found · ✓ 2 attendees · ✓ 4 tickets · promoted".

export interface StepLogEntry {
  /** Step name, or "import" / "eligibility" / "result". */
  step: string;
  ok?: boolean;
  /** Rows the step produced for this root. */
  count?: number;
  /** Reason code of an ineligible root. */
  code?: string;
  text: string;
}

/** One line: each step with ✓ or ✗, the result last without a mark. */
export function renderStepLog(log: StepLogEntry[]): string {
  return log.map((e) => (e.step === "result" ? e.text : `${e.ok ? "✓" : "✗"} ${e.text}`)).join(" · ");
}

/** Parses a stored log defensively: anything that is not a list of entries renders as empty. */
export function asStepLog(value: unknown): StepLogEntry[] {
  if (!Array.isArray(value)) return [];
  return value.filter((e): e is StepLogEntry =>
    e !== null && typeof e === "object" && typeof (e as StepLogEntry).step === "string" &&
    typeof (e as StepLogEntry).text === "string"
  );
}
