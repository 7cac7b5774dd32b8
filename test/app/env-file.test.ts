/**
 * The env file parser, rule by rule (/work/shared/procfile-dotenv-cases.md, "Env files").
 * Rule 3's bullets each have a table; rules 1 and 4 are covered where they touch the parser
 * (earlier files reach it through `lookup`; it is pure and never throws). Rule 2 (env files
 * override the shell) is the caller's merge, not the parser's.
 */
import { describe, test, expect, afterEach } from "bun:test";
import { parseEnvFile, formatEnvLine, type EnvFileOptions } from "../../src/app/env-file.ts";
import type { Problem } from "../../src/app/problem.ts";

const FILE = ".env";

/** Parses `text` and returns its entries in map order, plus its problems. */
function parse(text: string, options?: EnvFileOptions) {
  const { value, problems } = parseEnvFile(text, FILE, options);
  return { entries: [...value.entries()], map: Object.fromEntries(value), problems };
}

interface ValueCase {
  readonly name: string;
  readonly text: string;
  readonly want: Record<string, string>;
  readonly options?: EnvFileOptions;
}

/** Each case parses without problems to exactly `want`. */
function valueTable(cases: readonly ValueCase[]) {
  test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const { map, problems } = parse(c.text, c.options);
    expect(problems).toEqual([]);
    expect(map).toEqual(c.want);
  });
}

describe("ignored lines, CRLF and BOM", () => {
  valueTable([
    { name: "blank and whitespace-only lines", text: "\n   \n\t\nA=1\n\n", want: { A: "1" } },
    { name: "comment line", text: "# A=1\nB=2", want: { B: "2" } },
    { name: "indented comment line", text: "   # A=1\nB=2", want: { B: "2" } },
    { name: "comment containing quotes", text: "# it's \"odd\nB=2", want: { B: "2" } },
    { name: "CRLF line endings", text: "A=1\r\nB=two\r\n", want: { A: "1", B: "two" } },
    { name: "CRLF with a multi-line value", text: 'A="x\r\ny"\r\nB=2\r\n', want: { A: "x\ny", B: "2" } },
    { name: "leading UTF-8 BOM", text: "\uFEFFA=1\nB=2", want: { A: "1", B: "2" } },
    { name: "BOM then a comment", text: "\uFEFF# c\nA=1", want: { A: "1" } },
    { name: "empty file", text: "", want: {} },
    { name: "no trailing newline", text: "A=1", want: { A: "1" } },
  ]);
});

describe("rule 3.1: KEY=value, export, spaces around =, key syntax", () => {
  valueTable([
    { name: "KEY=value", text: "FOO=bar", want: { FOO: "bar" } },
    { name: "export prefix", text: "export FOO=bar", want: { FOO: "bar" } },
    { name: "export with several spaces", text: "export   FOO=bar", want: { FOO: "bar" } },
    { name: "spaces around =", text: "FOO = bar", want: { FOO: "bar" } },
    { name: "tabs around =", text: "FOO\t=\tbar", want: { FOO: "bar" } },
    { name: "export and spaces", text: "export FOO = bar", want: { FOO: "bar" } },
    { name: "indented line", text: "  FOO=bar", want: { FOO: "bar" } },
    { name: "a key named export", text: "export=1", want: { export: "1" } },
    { name: "lower-case key", text: "foo=1", want: { foo: "1" } },
    { name: "leading underscore", text: "_FOO=1", want: { _FOO: "1" } },
    { name: "digits after the first char", text: "FOO2=1", want: { FOO2: "1" } },
    { name: "dots in key", text: "spring.profile.active=dev", want: { "spring.profile.active": "dev" } },
    { name: "value split at the first =", text: "FOO=a=b==c", want: { FOO: "a=b==c" } },
    { name: "URL value with : and ?", text: "URL=postgres://u:p@h:5432/db?ssl=true", want: { URL: "postgres://u:p@h:5432/db?ssl=true" } },
  ]);

  test.each([["1FOO=x"], ["FOO-BAR=x"], ["FOO BAR=x"], [".FOO=x"], ["FOO$=x"], ["=x"]])(
    "bad key %p is an error that says which characters keys may contain",
    (line) => {
      const { map, problems } = parse(`${line}\nOK=1`);
      expect(map).toEqual({ OK: "1" });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ file: FILE, line: 1, severity: "error" });
      expect(problems[0]!.message).toContain(`\`${line}\``);
      expect(problems[0]!.hint).toContain("letters, digits, '_' and '.'");
    },
  );
});

describe("rule 3.2: unquoted values", () => {
  valueTable([
    { name: "trailing whitespace trimmed", text: "A=value  \t", want: { A: "value" } },
    { name: "leading whitespace trimmed", text: "A=   value", want: { A: "value" } },
    { name: "inner whitespace kept", text: "A=two  words", want: { A: "two  words" } },
    { name: "space then # starts a comment", text: "A=value # comment", want: { A: "value" } },
    { name: "tab then # starts a comment", text: "A=value\t# comment", want: { A: "value" } },
    { name: "first comment marker wins", text: "A=a #b #c", want: { A: "a" } },
    { name: "a#b stays a#b", text: "A=a#b", want: { A: "a#b" } },
    { name: "value starting with #", text: "A=#b", want: { A: "#b" } },
    { name: "only a comment after =", text: "A= # nothing", want: { A: "" } },
    { name: "quote in the middle is literal", text: "A=it's", want: { A: "it's" } },
    { name: "quotes not at the start are literal", text: 'A=a "b"', want: { A: 'a "b"' } },
    { name: "backslashes are literal", text: "A=C:\\dir\\n", want: { A: "C:\\dir\\n" } },
    { name: "\\$ is a literal $", text: "A=\\$HOME", want: { A: "$HOME" } },
    {
      name: "with expand false, \\$ stays as written",
      text: "A=\\$HOME",
      options: { expand: false },
      want: { A: "\\$HOME" },
    },
  ]);
});

describe("rule 3.3: single quotes", () => {
  valueTable([
    { name: "quotes removed", text: "A='value'", want: { A: "value" } },
    { name: "spaces kept inside", text: "A='  two words  '", want: { A: "  two words  " } },
    { name: "no escapes", text: "A='a\\nb\\\\c'", want: { A: "a\\nb\\\\c" } },
    { name: "no expansion", text: "B=1\nA='$B ${B}'", want: { B: "1", A: "$B ${B}" } },
    { name: "# inside is kept", text: "A='a #b'", want: { A: "a #b" } },
    { name: "double quotes inside", text: "A='say \"hi\"'", want: { A: 'say "hi"' } },
    { name: "comment after", text: "A='v' # note", want: { A: "v" } },
    { name: "comment right after the quote", text: "A='v'#note", want: { A: "v" } },
    { name: "whitespace after", text: "A='v'   ", want: { A: "v" } },
    { name: "spans lines", text: "A='line1\nline2'\nB=2", want: { A: "line1\nline2", B: "2" } },
    { name: "empty", text: "A=''", want: { A: "" } },
  ]);
});

describe("rule 3.4: double quotes", () => {
  valueTable([
    { name: "quotes removed", text: 'A="value"', want: { A: "value" } },
    { name: "spaces kept inside", text: 'A="  a b  "', want: { A: "  a b  " } },
    { name: "\\n is a newline", text: 'A="a\\nb"', want: { A: "a\nb" } },
    { name: "\\t is a tab", text: 'A="a\\tb"', want: { A: "a\tb" } },
    { name: "\\r is a carriage return", text: 'A="a\\rb"', want: { A: "a\rb" } },
    { name: '\\" is a quote', text: 'A="say \\"hi\\""', want: { A: 'say "hi"' } },
    { name: "\\\\ is a backslash", text: 'A="C:\\\\dir\\\\"', want: { A: "C:\\dir\\" } },
    { name: "\\\\n is backslash then n", text: 'A="\\\\n"', want: { A: "\\n" } },
    { name: "\\$ is a dollar", text: 'A="\\$HOME"', want: { A: "$HOME" } },
    { name: "\\$ is a dollar with expand false", text: 'A="\\$HOME"', options: { expand: false }, want: { A: "$HOME" } },
    { name: "other escapes drop the backslash (foreman)", text: 'A="a\\qb"', want: { A: "aqb" } },
    { name: "# inside is kept", text: 'A="a #b"', want: { A: "a #b" } },
    { name: "single quote inside", text: 'A="it\'s"', want: { A: "it's" } },
    { name: "spans lines", text: 'A="line1\nline2\n  line3"\nB=2', want: { A: "line1\nline2\n  line3", B: "2" } },
    { name: "a PEM key over lines", text: 'K="-----BEGIN-----\nabc=\n-----END-----"', want: { K: "-----BEGIN-----\nabc=\n-----END-----" } },
    { name: "escaped quote at a line end does not close", text: 'A="a\\"\nb"', want: { A: 'a"\nb' } },
    { name: "comment after", text: 'A="v" # note', want: { A: "v" } },
    { name: "comment right after the quote", text: 'A="v"#note', want: { A: "v" } },
    { name: "comment after a multi-line value", text: 'A="x\ny" # note\nB=2', want: { A: "x\ny", B: "2" } },
    { name: "whitespace after", text: 'A="v"  \t', want: { A: "v" } },
    { name: "empty", text: 'A=""', want: { A: "" } },
  ]);
});

describe("rule 3.5: KEY= is empty, a duplicate key: last wins", () => {
  valueTable([
    { name: "KEY=", text: "A=", want: { A: "" } },
    { name: "KEY= with trailing spaces", text: "A=   ", want: { A: "" } },
    { name: "export KEY=", text: "export A=", want: { A: "" } },
    { name: "duplicate: last wins", text: "A=1\nA=2", want: { A: "2" } },
    { name: "duplicate: last wins even when empty", text: "A=1\nA=", want: { A: "" } },
    { name: "duplicate across quoting styles", text: "A='1'\nA=\"2\"\nA=3", want: { A: "3" } },
  ]);

  test("entries keep file order; a duplicate keeps its first position (as a Ruby Hash)", () => {
    expect(parse("B=1\nA=2\nC=3\nB=4").entries).toEqual([
      ["B", "4"],
      ["A", "2"],
      ["C", "3"],
    ]);
  });
});

describe("rule 3.6: ${VAR} and $VAR expansion", () => {
  const shell: Record<string, string> = { HOME: "/home/me", SHELL_ONLY: "sh", A: "from-shell" };
  const lookup = (key: string) => shell[key];
  valueTable([
    { name: "$VAR from an earlier key", text: "A=1\nB=$A", want: { A: "1", B: "1" } },
    { name: "${VAR} from an earlier key", text: "A=1\nB=x${A}y", want: { A: "1", B: "x1y" } },
    { name: "$VAR ends at a non-name char", text: "A=1\nB=$A-$A.$A/", want: { A: "1", B: "1-1.1/" } },
    { name: "a } after $VAR is kept", text: "A=1\nB=$A}", want: { A: "1", B: "1}" } },
    { name: "$VAR takes the longest name", text: "A=1\nAB=2\nC=$AB", want: { A: "1", AB: "2", C: "2" } },
    { name: "earlier key beats lookup", text: "A=mine\nB=$A", options: { lookup }, want: { A: "mine", B: "mine" } },
    { name: "then lookup (earlier files, the shell)", text: "B=$HOME/x", options: { lookup }, want: { B: "/home/me/x" } },
    { name: "PATH-style self reference uses lookup", text: "HOME=$HOME/sub", options: { lookup }, want: { HOME: "/home/me/sub" } },
    { name: "a redefined key uses its earlier value", text: "A=1\nA=$A-2", want: { A: "1-2" } },
    { name: "expanded values are not expanded again", text: "A='$B'\nB=2\nC=$A", want: { A: "$B", B: "2", C: "$B" } },
    { name: "lookup values are not expanded again", text: "C=$V", options: { lookup: () => "$HOME" }, want: { C: "$HOME" } },
    { name: "in double quotes", text: 'A=1\nB="a $A ${A}"', want: { A: "1", B: "a 1 1" } },
    { name: "not in single quotes", text: "A=1\nB='$A'", want: { A: "1", B: "$A" } },
    { name: "\\$ unquoted is literal", text: "A=1\nB=\\$A", want: { A: "1", B: "$A" } },
    { name: "\\$ double-quoted is literal", text: 'A=1\nB="\\${A}"', want: { A: "1", B: "${A}" } },
    { name: "$ before a digit is literal", text: "B=cost $5", want: { B: "cost $5" } },
    { name: "$ at the end is literal", text: "B=a$", want: { B: "a$" } },
    { name: "$$ is literal", text: "B=$$", want: { B: "$$" } },
    { name: "expand false: unquoted kept", text: "A=1\nB=$A${A}", options: { expand: false, lookup }, want: { A: "1", B: "$A${A}" } },
    { name: "expand false: double quotes kept", text: 'A=1\nB="$A ${HOME}"', options: { expand: false, lookup }, want: { A: "1", B: "$A ${HOME}" } },
  ]);

  test.each([
    ["A=${B:-x}", "${B:-x}", "`${B:-x}`"],
    ['A="${1}"', "${1}", "`${1}`"],
    ["A=${", "${", "`${`"],
  ])("%p keeps ${ literal, with a warning", (text, want, shown) => {
    const { map, problems } = parse(text);
    expect(map).toEqual({ A: want });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: FILE, line: 1, severity: "warning" });
    expect(problems[0]!.message).toContain(shown);
  });

  test.each([
    ["a later key is not seen", "B=$LATER\nLATER=1", { B: "", LATER: "1" }, "LATER", 1, {}],
    ["undefined is empty (one warning per name and line)", "X=1\nB=[$NOPE][${NOPE}]", { X: "1", B: "[][]" }, "NOPE", 2, {}],
    ["lookup returning undefined is empty", "B=[$NOPE]", { B: "[]" }, "NOPE", 1, { lookup: (key: string) => (key === "HOME" ? "/h" : undefined) }],
    ["dots are not part of a $name", "a.b=1\nB=$a.b", { "a.b": "1", B: ".b" }, "a", 2, {}],
  ] as const)("a reference set nowhere: %s, with a warning naming the file and line", (_name, text, want, name, line, options) => {
    const { map, problems } = parse(text, options);
    expect(map).toEqual(want);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: FILE, line, severity: "warning" });
    expect(problems[0]!.message).toStartWith(`${name} is set nowhere`);
  });

  test("an escaped \\${ gives no warning", () => {
    expect(parse("A=\\${B:-x}")).toMatchObject({ map: { A: "${B:-x}" }, problems: [] });
  });
});

describe("rule 3.7: malformed lines are errors with file and line", () => {
  interface ErrorCase {
    readonly name: string;
    readonly text: string;
    /** Entries still read from the file's good lines. */
    readonly want: Record<string, string>;
    readonly line: number;
    /** Text the message must quote. */
    readonly quoted: string;
    readonly hint: string;
  }
  const cases: ErrorCase[] = [
    { name: "FOO: bar", text: "FOO: bar\nOK=1", want: { OK: "1" }, line: 1, quoted: "`FOO: bar`", hint: "`FOO=bar`" },
    { name: "FOO:bar, no space", text: "OK=1\nFOO:bar", want: { OK: "1" }, line: 2, quoted: "`FOO:bar`", hint: "`FOO=bar`" },
    { name: "export FOO: a=b", text: "export FOO: a=b", want: {}, line: 1, quoted: "`export FOO: a=b`", hint: "`FOO=a=b`" },
    { name: "a stray word", text: "OK=1\njustaword\nOK2=2", want: { OK: "1", OK2: "2" }, line: 2, quoted: "`justaword`", hint: "KEY=value" },
    { name: "export without =", text: "export FOO", want: {}, line: 1, quoted: "`export FOO`", hint: "KEY=value" },
    { name: "unterminated double quote", text: 'A="hello\nB=2', want: { B: "2" }, line: 1, quoted: '`A="hello`', hint: 'closing "' },
    { name: "unterminated single quote", text: "X=0\n\nA='hello\nB=2", want: { X: "0", B: "2" }, line: 3, quoted: "`A='hello`", hint: "closing '" },
    { name: "quote escaped at the end", text: 'A="C:\\dir\\"', want: {}, line: 1, quoted: '`A="C:\\dir\\"`', hint: 'closing "' },
    { name: "text after the closing quote", text: 'A="x" y\nB=2', want: { B: "2" }, line: 1, quoted: "`y`", hint: "inside the quotes" },
    { name: "quote after quoted text", text: "A='it's'", want: {}, line: 1, quoted: "`s'`", hint: "inside the quotes" },
    { name: "quoted value closing lines later", text: 'A="x\nB=1\nC="y"', want: { B: "1", C: "y" }, line: 1, quoted: "closes on line 3", hint: 'add the closing " here' },
  ];
  test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const { map, problems } = parse(c.text);
    expect(map).toEqual(c.want);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: FILE, line: c.line, severity: "error" });
    expect(problems[0]!.message).toContain(c.quoted);
    expect(problems[0]!.hint).toContain(c.hint);
  });

  test("every problem is reported, in order, with the file name given", () => {
    const text = ["GOOD=1", "FOO: bar", "1BAD=x", "lonely", 'Q="x" y', "LAST=2", 'OPEN="never'].join("\n");
    const { value, problems } = parseEnvFile(text, "config/dev.env");
    expect(Object.fromEntries(value)).toEqual({ GOOD: "1", LAST: "2" });
    expect(problems.map((p: Problem) => [p.file, p.line, p.severity])).toEqual([
      ["config/dev.env", 2, "error"],
      ["config/dev.env", 3, "error"],
      ["config/dev.env", 4, "error"],
      ["config/dev.env", 5, "error"],
      ["config/dev.env", 7, "error"],
    ]);
  });

  test("a bad key on a multi-line value skips the whole value", () => {
    const { map, problems } = parse('1A="x\nNOT=AKEY"\nB=2');
    expect(map).toEqual({ B: "2" });
    expect(problems.map((p) => p.line)).toEqual([1]);
  });
});

describe("rule 4: one pure parser for start, run, config:set --file and check", () => {
  const saved = process.env.HOKU_ENV_FILE_TEST;
  afterEach(() => {
    if (saved === undefined) delete process.env.HOKU_ENV_FILE_TEST;
    else process.env.HOKU_ENV_FILE_TEST = saved;
  });

  test("reads the shell only through lookup", () => {
    process.env.HOKU_ENV_FILE_TEST = "leaked";
    expect(parse("A=$HOKU_ENV_FILE_TEST").map).toEqual({ A: "" });
    expect(parse("A=$HOKU_ENV_FILE_TEST", { lookup: () => "given" }).map).toEqual({ A: "given" });
  });

  test.each([['"'], ["'"], ["="], ["\\"], ["$"], ["${"], ['A="\\'], ["A=\\"], ["\uFEFF"], ["\r\n\r\n"], ['"""'], ["export"], [":"]])(
    "never throws for %p",
    (text) => {
      const result = parseEnvFile(text, FILE);
      expect(result.value).toBeInstanceOf(Map);
      expect(Array.isArray(result.problems)).toBe(true);
    },
  );
});

describe("formatEnvLine", () => {
  test.each([
    ["plain", "A=plain"],
    ["", "A="],
    ["postgres://u:p@h:5432/db", "A=postgres://u:p@h:5432/db"],
    ["two words", 'A="two words"'],
    ["a\nb", 'A="a\\nb"'],
    ['say "hi"', 'A="say \\"hi\\""'],
    ["$HOME", 'A="\\$HOME"'],
    ["C:\\dir", 'A="C:\\\\dir"'],
  ])("formats %p as %p", (value, line) => {
    expect(formatEnvLine("A", value)).toBe(line);
  });

  const tricky = [
    "", "plain", "two  words", " leading", "trailing ", "\ttab\t", "a\nb", "a\r\nb", "\n", "\r",
    'say "hi"', "it's", "'single'", '"', "$HOME", "${HOME}", "\\$HOME", "$", "cost $5",
    "a #b", "#start", "a#b", " #", "C:\\dir\\", "\\", "\\n", "\\\\", "=", "x=y==", "日本語 🎉", "\uFEFF",
  ];
  const expansions: readonly [string, EnvFileOptions][] = [
    ["expanding", { lookup: () => "SHOULD-NOT-APPEAR" }],
    ["not expanding", { expand: false }],
  ];
  for (const [mode, options] of expansions) {
    test.each(tricky.map((v) => [JSON.stringify(v), v] as const))(`round trips %s when ${mode}`, (_shown, value) => {
      const text = ["BEFORE=1", formatEnvLine("HOME", value), "AFTER=2"].join("\n");
      const { entries, problems } = parse(text, options);
      expect(problems).toEqual([]);
      expect(entries).toEqual([
        ["BEFORE", "1"],
        ["HOME", value],
        ["AFTER", "2"],
      ]);
    });
  }

  test("round trips a whole file with CRLF line endings", () => {
    const pairs: [string, string][] = tricky.map((v, i) => [`K${i}`, v]);
    const text = pairs.map(([k, v]) => formatEnvLine(k, v)).join("\r\n");
    expect(parse(text).entries).toEqual(pairs);
  });
});

describe("foreman parity: files foreman reads give the same values", () => {
  // Ruby foreman: /\A([A-Za-z_0-9]+)=(.*)\z/, '...' literal, "..." with \n then \X -> X, no expansion.
  valueTable([
    { name: "plain", text: "FOO=bar", want: { FOO: "bar" } },
    { name: "empty", text: "FOO=", want: { FOO: "" } },
    { name: "= in value", text: "FOO=a=b", want: { FOO: "a=b" } },
    { name: "# in value", text: "FOO=a#b", want: { FOO: "a#b" } },
    { name: "single quotes", text: "FOO='a \"b\" $c'", want: { FOO: 'a "b" $c' } },
    { name: "double quotes with \\n", text: 'FOO="a\\nb"', want: { FOO: "a\nb" } },
    { name: "double quotes with \\\" and \\\\", text: 'FOO="\\"q\\" \\\\"', want: { FOO: '"q" \\' } },
    { name: "double quotes with another escape", text: 'FOO="\\$x\\y"', want: { FOO: "$xy" } },
    { name: "no expansion (--no-expand)", text: "A=1\nFOO=$A${A}", options: { expand: false }, want: { A: "1", FOO: "$A${A}" } },
    { name: "backslash-dollar kept (--no-expand)", text: "FOO=\\$A", options: { expand: false }, want: { FOO: "\\$A" } },
  ]);
});
