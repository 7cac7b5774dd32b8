/**
 * Builds the single binary dist/hoku with `bun build --compile`, and nothing else: dist/ is
 * emptied first and holds only the binary afterwards (no source maps).
 *
 * - Bytecode and code splitting: the bundle is not parsed at each start, and the add-on
 *   drivers and the terminal UI sit in chunks evaluated only when a command imports them.
 *   Without both, `hoku start` took ~140 ms to its dynos' first lines (`npm run bench`'s
 *   startup target is 50 ms), ~50 ms without bytecode and ~10 ms more without splitting.
 * - `react-devtools-core` is stubbed: ink imports it only in DEV mode, and it is not installed.
 * - React and its reconciler are their production builds (NODE_ENV): unminified, Bun otherwise
 *   bundles the development builds, whose checks and per-render timing marks cost the terminal
 *   UI ~10% more CPU under a log flood.
 * - The binary does not read .env or bunfig.toml into its own environment (Bun's default for
 *   executables): hoku decides which env files an app gets.
 */
import type { BunPlugin } from "bun";
import { rmSync } from "node:fs";

const DIST = "dist";
const OUTFILE = `${DIST}/hoku`;

const stubDevtools: BunPlugin = {
  name: "stub-react-devtools-core",
  setup(build) {
    build.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: "react-devtools-core", namespace: "stub" }));
    build.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ contents: "export default { connectToDevTools() {} };", loader: "js" }));
  },
};

// What an older build left there (source maps, chunks) must not ship beside the binary.
rmSync(DIST, { recursive: true, force: true });
const result = await Bun.build({
  entrypoints: ["src/main.ts"],
  compile: { outfile: OUTFILE, autoloadDotenv: false, autoloadBunfig: false },
  bytecode: true,
  format: "esm",
  splitting: true,
  plugins: [stubDevtools],
  define: { "process.env.DEV": JSON.stringify("false"), "process.env.NODE_ENV": JSON.stringify("production") },
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
console.log(`built ${OUTFILE}`);
