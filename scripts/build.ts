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

/**
 * commander requires node:child_process (and node:process) when it loads, for executable
 * subcommands, which hoku does not have: loading that builtin is ~0.5 ms of every start.
 * Bun does not pass builtins through plugins' onResolve, so commander's command.js is given
 * a child_process that loads on first use; its `process` is the global one.
 */
const COMMANDER_REQUIRES = [
  ["const childProcess = require('node:child_process');", "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };"],
  ["const process = require('node:process');", "const process = globalThis.process;"],
] as const;
const lazyBuiltinsForCommander: BunPlugin = {
  name: "lazy-builtins-for-commander",
  setup(build) {
    build.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      let contents = await Bun.file(args.path).text();
      for (const [from, to] of COMMANDER_REQUIRES) {
        if (!contents.includes(from)) throw new Error(`commander changed: ${args.path} no longer has ${from}`);
        contents = contents.replace(from, to);
      }
      return { contents, loader: "js" };
    });
  },
};

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
    plugins: [stubDevtools, lazyBuiltinsForCommander],
    define: { "process.env.DEV": JSON.stringify("false") },
  });
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    process.exit(1);
  }
}

await build();
console.log(`built ${OUTFILE}`);
