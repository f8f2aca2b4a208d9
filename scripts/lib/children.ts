// Child processes of the demos (the function, workers, fake APIs): started from the checkout with
// this Deno, and all stopped (SIGTERM) at the end, whatever happened.
export class ChildProcesses {
  readonly list: Deno.ChildProcess[] = [];

  constructor(private readonly cwd: string) {}

  /** Runs `deno <args>`; quiet discards its output, else it goes to this terminal. */
  spawn(args: string[], env: Record<string, string>, quiet = true): Deno.ChildProcess {
    const child = new Deno.Command(Deno.execPath(), {
      args,
      cwd: this.cwd,
      env,
      stdout: quiet ? "null" : "inherit",
      stderr: quiet ? "null" : "inherit",
    }).spawn();
    this.list.push(child);
    return child;
  }

  async stopAll(): Promise<void> {
    for (const c of this.list) {
      try {
        c.kill("SIGTERM");
      } catch { /* already gone */ }
    }
    await Promise.allSettled(this.list.map((c) => c.status));
  }
}
