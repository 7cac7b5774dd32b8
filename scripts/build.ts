/**
 * Builds the single binary dist/hoku with `bun build --compile`.
 * `react-devtools-core` is stubbed: ink imports it only in DEV mode, and it must not
 * be bundled (nor be needed) in the binary.
 */
import type { BunPlugin } from "bun";

const stubDevtools: BunPlugin = {
  name: "stub-react-devtools-core",
  setup(build) {
    build.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: "react-devtools-core", namespace: "stub" }));
    build.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ contents: "export default { connectToDevTools() {} };", loader: "js" }));
  },
};

const result = await Bun.build({
  entrypoints: ["src/main.ts"],
  compile: { outfile: "dist/hoku" },
  minify: true,
  sourcemap: "linked",
  plugins: [stubDevtools],
  define: { "process.env.DEV": JSON.stringify("false") },
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
console.log("built dist/hoku");
