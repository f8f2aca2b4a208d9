// The step report of the integrity sync, per root thing: each action with success / warning /
// error, ending in one outcome (synced, skipped or failed). Pure bookkeeping; store.ts writes it.

export type StepStatus = "success" | "warning" | "error";
export type Outcome = "synced" | "skipped" | "failed";

export interface Step {
  action: string;
  entity?: string;
  status: StepStatus | Outcome;
  count?: number;
  detail?: string;
}

export class StepLog {
  private readonly steps = new Map<string, Step[]>();
  private readonly outcomes = new Map<string, Outcome>();

  /** verbose: every action is recorded; otherwise only warnings, errors and outcomes (batches). */
  constructor(readonly verbose: boolean) {}

  add(root: string, step: Step): void {
    if (step.status === "error" && !this.outcomes.has(root)) this.outcomes.set(root, "failed");
    if (!this.verbose && step.status === "success") return;
    (this.steps.get(root) ?? this.steps.set(root, []).get(root)!).push(step);
  }

  /** Sets a root's outcome (a failure is final). */
  finish(root: string, outcome: Outcome): void {
    if (this.outcomes.get(root) === "failed") outcome = "failed";
    this.outcomes.set(root, outcome);
  }

  outcome(root: string): Outcome | undefined {
    return this.outcomes.get(root);
  }

  /** Roots in insertion order with their steps, the outcome last. */
  entries(): { root: string; steps: Step[] }[] {
    const roots = new Set([...this.steps.keys(), ...this.outcomes.keys()]);
    return [...roots].map((root) => ({
      root,
      steps: [
        ...(this.steps.get(root) ?? []),
        { action: "outcome", status: this.outcomes.get(root) ?? "synced" },
      ],
    }));
  }

  totals(): Record<Outcome, number> {
    const t = { synced: 0, skipped: 0, failed: 0 };
    for (const { steps } of this.entries()) t[steps.at(-1)!.status as Outcome]++;
    return t;
  }
}
