// heroku/python, built in: a virtual environment of the host's Python, real pip installs.
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build, copySlug, fixture, runInSlug } from "./helpers.ts";

/** Text files under `dir` (bytecode aside) that still name `path`. */
function filesNaming(dir: string, path: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((entry) => entry.isFile() && !entry.name.endsWith(".pyc"))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => readFileSync(file, "latin1").includes(path));
}

test("a Python app builds into a relocatable virtual environment, and a re-push reuses it", async () => {
  const first = await build(fixture("python-app"));
  expect(first.error).toBeUndefined();
  for (const line of [
    "-----> Python app detected",
    "-----> Using Python 3.11 specified in .python-version",
    "-----> Installing dependencies using 'pip install -r requirements.txt'",
    "-----> Discovering process types",
    "       Procfile declares types -> web",
  ]) expect(first.lines).toContain(line);
  expect(first.lines.join("\n")).toContain("Successfully installed six-1.17.0 tabulate-0.10.0");
  expect(first.result?.processTypes).toEqual({ web: "python app.py" });
  // Nothing that runs names the build dir, which is gone (bytecode names /app, Heroku's place).
  expect(filesNaming(first.slugDir, "/tmp/build_")).toEqual([]);

  // Copied elsewhere and run with HOME there, as a dyno without a sandbox runs it.
  const moved = await copySlug(first.slugDir);
  const run = await runInSlug(moved, 'command -v python; python -c "import six, tabulate; print(six.__version__)"; python app.py; echo "a b" | tabulate');
  expect(run.stderr).toBe("");
  expect(run.stdout.split("\n")).toEqual([join(moved, ".heroku/python/bin/python"), "1.17.0", "six 1.17.0 tabulate 0.10.0 prefix-is-venv True", "-  -", "a  b", "-  -"]);

  const again = await build(fixture("python-app"), { cacheDir: first.cacheDir });
  expect(again.lines.find((line) => line.startsWith("-----> Using cached install of Python"))).toEndWith("and the dependencies (requirements unchanged)");
  expect(again.lines.join("\n")).not.toContain("pip install");
  expect((await runInSlug(again.slugDir, "python app.py")).stdout).toBe("six 1.17.0 tabulate 0.10.0 prefix-is-venv True");
});
