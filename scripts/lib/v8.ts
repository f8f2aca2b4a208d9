// V8 settings of the processes that run syncs here (the function server and the worker), and of
// the measured runner in `deno task bench:sync`: 8 MB semispaces and a 160 MB old generation.
// Measured on 100,000 Square orders (README "Measured figures"): peak RSS ~107 MB and flat from
// 10k to 100k orders (+3-4%), against ~200 MB and +35-45% with V8's defaults, for ~25 µs more
// runner CPU per record. A hosted Edge Function runs under the platform's own heap limit instead.
// deno.json's serve and worker tasks carry the same flags (a test keeps them equal).
export const RUNNER_V8_FLAGS = "--max-semi-space-size=8,--max-old-space-size=160";
