/**
 * Several env files read as one (procfile-dotenv-cases.md "Env files" rules 1 and 3): later
 * files win, and `${VAR}` sees the final environment: an add-on's var (and the shell's with
 * --shell-env-wins), which wins over a file's there, wins in a reference too; then earlier
 * lines and files, then the shell.
 */
import { describe, expect, test } from "bun:test";
import { mergeEnvFiles } from "../../src/app/env-files.ts";

const files = (...texts: string[]) => texts.map((text, i) => ({ name: `${i}.env`, text }));

describe("mergeEnvFiles", () => {
  test("later files win; references see earlier files", () => {
    const { value, problems } = mergeEnvFiles(files("A=1\nB=1", "B=2\nC=$A$B"), { expand: true, shell: {} });
    expect(Object.fromEntries(value)).toEqual({ A: "1", B: "2", C: "12" });
    expect(problems).toEqual([]);
  });

  test("DATABASE_URI=${DATABASE_URL} gets the add-on's URL, which beats the shell's", () => {
    const { value, problems } = mergeEnvFiles(files("DATABASE_URI=${DATABASE_URL}"), {
      expand: true,
      shell: { DATABASE_URL: "postgres://shell" },
      addonVars: { DATABASE_URL: "postgres://addon" },
    });
    expect(value.get("DATABASE_URI")).toBe("postgres://addon");
    expect(problems).toEqual([]);
  });

  test("a reference sees the final environment: an add-on's var, which wins over a file's, wins in the reference too (issue 10), in a later file or the same one", () => {
    const addonVars = { REDIS_URL: "redis://addon" };
    expect(mergeEnvFiles(files("REDIS_URL=redis://mine", "CACHE=$REDIS_URL"), { expand: true, shell: {}, addonVars }).value.get("CACHE")).toBe("redis://addon");
    expect(mergeEnvFiles(files("REDIS_URL=redis://mine\nCACHE=$REDIS_URL"), { expand: true, shell: {}, addonVars }).value.get("CACHE")).toBe("redis://addon");
    // A var no add-on sets is the file's own; with --shell-env-wins the shell's, as the dyno gets it.
    expect(mergeEnvFiles(files("HOST=db.local\nURL=postgres://$HOST/app"), { expand: true, shell: { HOST: "shell" }, addonVars }).value.get("URL")).toBe("postgres://db.local/app");
    expect(mergeEnvFiles(files("HOST=db.local\nURL=postgres://$HOST/app"), { expand: true, shell: { HOST: "shell" }, addonVars, shellWins: true }).value.get("URL")).toBe("postgres://shell/app");
  });

  test("with the add-ons' vars known, a reference set nowhere is a warning naming the file and line", () => {
    const { value, problems } = mergeEnvFiles(files("A=1", "X=1\nB=${NOWHERE}"), { expand: true, shell: {}, addonVars: {} });
    expect(value.get("B")).toBe("");
    expect(problems).toEqual([expect.objectContaining({ file: "1.env", line: 2, severity: "warning" })]);
    expect(problems[0]!.message).toStartWith("NOWHERE is set nowhere");
  });

  test("before the add-ons run, an unknown reference is empty without a warning (an add-on may set it)", () => {
    const { value, problems } = mergeEnvFiles(files("B=${DATABASE_URL}"), { expand: true, shell: {} });
    expect(value.get("B")).toBe("");
    expect(problems).toEqual([]);
  });
});
