/**
 * The binary starts with JavaScriptCore's tier-up thresholds scaled by 10,000
 * (scripts/build.ts): hoku's own work is I/O glue and runs in the interpreter, which keeps
 * the optimizing compilers' code and memory out of `hoku start`. Code that computes (the
 * terminal UI's rendering, PGlite's WebAssembly) calls this first to get the normal JIT back.
 */
export function allowJit(): void {
  Bun.unsafe.setJITPolicy(1);
}
