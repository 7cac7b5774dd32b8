/**
 * Builds the single binary dist/hoku with `bun build --compile`.
 *
 * - `react-devtools-core` is stubbed: ink imports it only in DEV mode, and it must not
 *   be bundled (nor be needed) in the binary.
 * - Bytecode skips parsing the bundle at each start, and splitting keeps the add-on drivers
 *   and the TUI in chunks evaluated only when a command imports them: `hoku --version` went
 *   from ~95 ms to ~10 ms.
 * - The binary does not read .env or bunfig.toml into its own environment (Bun's default for
 *   executables): hoku decides which env files an app gets.
 */
import type { BunPlugin } from "bun";

const OUTFILE = "dist/hoku";

const stubDevtools: BunPlugin = {
  name: "stub-react-devtools-core",
  setup(build) {
    build.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: "react-devtools-core", namespace: "stub" }));
    build.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ contents: "export default { connectToDevTools() {} };", loader: "js" }));
  },
};

async function build(): Promise<void> {
  const result = await Bun.build({
    entrypoints: ["src/main.ts"],
    compile: { outfile: OUTFILE, autoloadDotenv: false, autoloadBunfig: false },
    bytecode: true,
    format: "esm",
    splitting: true,
    minify: true,
    sourcemap: "linked",
    plugins: [stubDevtools],
    define: { "process.env.DEV": JSON.stringify("false") },
  });
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    process.exit(1);
  }
}

await build();
console.log(`built ${OUTFILE}`);
