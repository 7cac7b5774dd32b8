/**
 * The Procfile parser, rule by rule (/work/shared/procfile-dotenv-cases.md, "Procfile" 1-7).
 * Rule 8 (release not started by default) is formation's job: see formation.test.ts.
 * Rule 9 (no Procfile: buildpack default) is the loader's, not the parser's.
 */
import { describe, test, expect } from "bun:test";
import { parseProcfile, type ProcessType } from "../../src/app/procfile.ts";
import type { Problem } from "../../src/app/problem.ts";

const FILE = "Procfile";
const NAME_HINT = "process type names may contain letters, digits, '-' and '_'";

/** `name -> command` in Procfile order, plus the problems. */
function parse(text: string) {
  const { value, problems } = parseProcfile(text, FILE);
  return { entries: value.map((t) => [t.name, t.command] as const), types: value, problems };
}

interface EntriesCase {
  readonly name: string;
  readonly text: string;
  readonly want: ReadonlyArray<readonly [string, string]>;
}

/** Each case parses without problems to exactly `want`, in order. */
function entriesTable(cases: readonly EntriesCase[]) {
  test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const { entries, problems } = parse(c.text);
    expect(problems).toEqual([]);
    expect(entries).toEqual([...c.want]);
  });
}

interface ProblemCase {
  readonly name: string;
  readonly text: string;
  /** 1-based line of the (single) problem. */
  readonly line: number;
  /** Substrings the message must contain. */
  readonly message: readonly string[];
  /** Line numbers the message must mention, as whole numbers. */
  readonly mentions?: readonly number[];
  readonly hint?: string;
}

/** Each case yields exactly one error, on `line`, naming the file. */
function problemTable(cases: readonly ProblemCase[]) {
  test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const { problems } = parse(c.text);
    expect(problems).toHaveLength(1);
    const problem: Problem = problems[0]!;
    expect(problem).toMatchObject({ file: FILE, line: c.line, severity: "error" });
    for (const part of c.message) expect(problem.message).toContain(part);
    for (const n of c.mentions ?? []) expect(problem.message).toMatch(new RegExp(`\\b${n}\\b`));
    if (c.hint !== undefined) expect(problem.hint).toContain(c.hint);
  });
}

describe("rule 1: comments and blank lines are ignored", () => {
  entriesTable([
    { name: "comment line", text: "# web: nope\nweb: yes", want: [["web", "yes"]] },
    { name: "indented comment (HL crashes on it)", text: "   # web: nope\nweb: yes", want: [["web", "yes"]] },
    { name: "tab-indented comment", text: "\t# worker: nope\nweb: yes", want: [["web", "yes"]] },
    { name: "comment with no space after #", text: "#web: nope\nweb: yes", want: [["web", "yes"]] },
    { name: "blank lines around and between", text: "\n\nweb: a\n\nworker: b\n\n", want: [["web", "a"], ["worker", "b"]] },
    { name: "whitespace-only lines", text: "   \n\t\nweb: a\n \t \n", want: [["web", "a"]] },
    { name: "comment between entries", text: "web: a\n# note\nworker: b", want: [["web", "a"], ["worker", "b"]] },
  ]);
});

describe("rule 2: `<type>: <command>`, split at the first colon", () => {
  entriesTable([
    { name: "plain entry", text: "web: npm start", want: [["web", "npm start"]] },
    { name: "colon inside the command", text: "web: echo a:b", want: [["web", "echo a:b"]] },
    { name: "URL in the command", text: "web: curl http://localhost:5006/", want: [["web", "curl http://localhost:5006/"]] },
    { name: "no space after the colon", text: "web:cmd", want: [["web", "cmd"]] },
    { name: "space before the colon", text: "web : cmd", want: [["web", "cmd"]] },
    { name: "leading whitespace before the name", text: "  web: cmd", want: [["web", "cmd"]] },
    { name: "many spaces after the colon", text: "web:     cmd", want: [["web", "cmd"]] },
    { name: "trailing whitespace trimmed", text: "web: cmd   \t", want: [["web", "cmd"]] },
    { name: "inner whitespace kept", text: "web: a   b\tc", want: [["web", "a   b\tc"]] },
    { name: "digits, '-' and '_' in names", text: "web-2: a\nq_worker: b\n0: c", want: [["web-2", "a"], ["q_worker", "b"], ["0", "c"]] },
    { name: "upper-case names kept as written", text: "Web: a", want: [["Web", "a"]] },
    { name: "63-character name", text: `${"a".repeat(63)}: x`, want: [["a".repeat(63), "x"]] },
    { name: "single-character command", text: "web: x", want: [["web", "x"]] },
  ]);
});

describe("rule 3: any other non-blank line is an error with a hint", () => {
  problemTable([
    { name: "dot in the name", text: "my.worker: x", line: 1, message: ["my.worker", "my.worker: x"], hint: NAME_HINT },
    { name: "space in the name", text: "web: a\nmy worker: x", line: 2, message: ["my worker: x"], hint: NAME_HINT },
    { name: "64-character name", text: `${"a".repeat(64)}: x`, line: 1, message: ["a".repeat(64)], hint: NAME_HINT },
    { name: "non-ASCII name", text: "wéb: x", line: 1, message: ["wéb"], hint: NAME_HINT },
    { name: "stray word, no colon", text: "web: a\n\nnonsense", line: 3, message: ["nonsense"], hint: NAME_HINT },
    { name: "line starting with a colon", text: ": x", line: 1, message: [": x"], hint: NAME_HINT },
    { name: "`=` instead of `:`", text: "web=npm start", line: 1, message: ["web=npm start"], hint: NAME_HINT },
  ]);

  test("nothing is silently dropped: every bad line is reported, good lines still parse", () => {
    const { entries, problems } = parse("web: a\nmy.worker: b\nclock: c\nfoo bar\n");
    expect(entries).toEqual([["web", "a"], ["clock", "c"]]);
    expect(problems.map((p) => p.line)).toEqual([2, 4]);
  });
});

describe("rule 4: a duplicate process type names both lines", () => {
  problemTable([
    { name: "adjacent duplicate", text: "web: a\nweb: b", line: 2, message: ["web"], mentions: [1, 2] },
    { name: "duplicate after comments and blanks", text: "# c\nweb: a\n\nworker: w\n# c\nweb: b", line: 6, message: ["web"], mentions: [2, 6] },
    { name: "duplicate spelled with other spacing", text: "worker: a\n  worker :b", line: 2, message: ["worker"], mentions: [1, 2] },
  ]);

  test("the first declaration is kept; the duplicate is not an entry", () => {
    const { entries } = parse("web: a\nweb: b");
    expect(entries).toEqual([["web", "a"]]);
  });

  test("names differing only in case are different types", () => {
    const { entries, problems } = parse("web: a\nWEB: b");
    expect(problems).toEqual([]);
    expect(entries).toEqual([["web", "a"], ["WEB", "b"]]);
  });
});

describe("rule 5: empty commands and files without entries are errors", () => {
  problemTable([
    { name: "`web:`", text: "web:", line: 1, message: ["web", "empty command"] },
    { name: "`web:` followed by spaces", text: "worker: a\nweb:   \t", line: 2, message: ["web", "empty command"] },
    { name: "`web:` with CRLF", text: "web:\r\nworker: a\r\n", line: 1, message: ["web", "empty command"] },
  ]);

  test.each([
    ["empty file", ""],
    ["only newlines", "\n\n\n"],
    ["only whitespace", "  \n\t\n"],
    ["only comments", "# web: npm start\n  # worker: node w.js\n"],
    ["only a BOM", "\uFEFF"],
  ])("%s: one error naming the file", (_name, text) => {
    const { entries, problems } = parse(text);
    expect(entries).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: FILE, severity: "error" });
    expect(problems[0]!.message).toContain("no process types");
  });
});

describe("rule 6: CRLF line endings and a UTF-8 BOM are accepted", () => {
  entriesTable([
    { name: "CRLF", text: "web: a\r\nworker: b\r\n", want: [["web", "a"], ["worker", "b"]] },
    { name: "CRLF without a final newline", text: "web: a\r\nworker: b", want: [["web", "a"], ["worker", "b"]] },
    { name: "mixed CRLF and LF", text: "web: a\nworker: b\r\nclock: c\n", want: [["web", "a"], ["worker", "b"], ["clock", "c"]] },
    { name: "BOM keeps the first line (FM drops it)", text: "\uFEFFweb: a\nworker: b", want: [["web", "a"], ["worker", "b"]] },
    { name: "BOM and CRLF", text: "\uFEFFweb: a\r\n# c\r\n\r\nworker: b\r\n", want: [["web", "a"], ["worker", "b"]] },
    { name: "CRLF comment and blank lines", text: "# c\r\n\r\nweb: a\r\n", want: [["web", "a"]] },
  ]);

  test("line numbers count from the first line after a BOM and across CRLF", () => {
    const { types, problems } = parse("\uFEFF# c\r\nweb: a\r\n\r\nbad line\r\n");
    expect(types.map((t) => t.line)).toEqual([2]);
    expect(problems.map((p) => p.line)).toEqual([4]);
  });
});

describe("rule 7: the command is kept verbatim for `bash -c`", () => {
  entriesTable([
    { name: "$PORT not substituted", text: "web: rackup -p $PORT", want: [["web", "rackup -p $PORT"]] },
    { name: "$PORT_NUMBER not substituted (FM makes it 5000_NUMBER)", text: "web: echo $PORT_NUMBER", want: [["web", "echo $PORT_NUMBER"]] },
    { name: "${PORT:-5000} kept", text: "web: serve -p ${PORT:-5000}", want: [["web", "serve -p ${PORT:-5000}"]] },
    { name: "`#` inside the command is the shell's business", text: "web: echo hi # not ours", want: [["web", "echo hi # not ours"]] },
    { name: "double quotes kept", text: 'web: echo "a  b"', want: [["web", 'echo "a  b"']] },
    { name: "single quotes kept", text: "web: sh -c 'echo $HOME'", want: [["web", "sh -c 'echo $HOME'"]] },
    { name: "pipes, redirects and &&", text: "web: a | b > /dev/null 2>&1 && c", want: [["web", "a | b > /dev/null 2>&1 && c"]] },
    { name: "backslashes kept", text: "web: printf 'a\\nb'", want: [["web", "printf 'a\\nb'"]] },
  ]);
});

describe("entry positions: `line` is the file line, `index` counts entries", () => {
  test.each([
    ["no gaps", "web: a\nworker: b", [["web", 1, 0], ["worker", 2, 1]]],
    ["comments and blanks do not count", "# c\n\nweb: a\n  # c\n\nworker: b\nclock: c", [["web", 3, 0], ["worker", 6, 1], ["clock", 7, 2]]],
    ["a rejected line does not count", "web: a\nbad.name: x\nworker: b", [["web", 1, 0], ["worker", 3, 1]]],
    ["BOM and CRLF", "\uFEFF\r\nweb: a\r\nworker: b", [["web", 2, 0], ["worker", 3, 1]]],
  ] as const)("%s", (_name, text, want) => {
    const types: ProcessType[] = parseProcfile(text, FILE).value;
    expect(types.map((t) => [t.name, t.line, t.index])).toEqual(want.map((w) => [...w]));
  });

  test("problems name the file the caller passed", () => {
    const { problems } = parseProcfile("bad line", "app/Procfile.dev");
    expect(problems[0]).toMatchObject({ file: "app/Procfile.dev", line: 1 });
  });
});
