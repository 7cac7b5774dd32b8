/**
 * Several env files read as one (procfile-dotenv-cases.md "Env files" rules 1 and 3): later
 * files win, and `${VAR}` looks in earlier files, then the add-ons' vars, then the shell.
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

  test("an earlier file beats the add-ons' vars", () => {
    const { value } = mergeEnvFiles(files("REDIS_URL=redis://mine", "CACHE=$REDIS_URL"), { expand: true, shell: {}, addonVars: { REDIS_URL: "redis://addon" } });
    expect(value.get("CACHE")).toBe("redis://mine");
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
