// V8 settings of the processes that run syncs here (the function server and the worker), and of
// the measured runner in `deno task bench:sync`: 8 MB semispaces, and an old generation that starts
// at 40 MB and may grow to 160 MB. Measured on 100,000 Square orders (docs/benchmarks.md "Current figures"):
// peak RSS ~125 MB and flat from 10k to 100k orders (+6-9%), against ~200 MB and +35-45% with V8's
// defaults, at the same runner CPU per record. (Without the 40 MB start, a 160 MB cap alone made V8
// collect ten times as often: flat at ~108 MB but ~25 us more runner CPU per record.)
// A hosted Edge Function runs under the platform's own heap limits instead.
// deno.json's serve and worker tasks carry the same flags (a test keeps them equal).
export const RUNNER_V8_FLAGS = "--max-semi-space-size=8,--max-old-space-size=160,--initial-old-space-size=40";
