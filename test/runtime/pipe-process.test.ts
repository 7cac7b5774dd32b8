/**
 * The platform's dynos start with their output on pipes (pipe-process.ts), as a Heroku
 * dyno's is: no terminal, whole lines from each of stdout and stderr, the exit status, and
 * the process its own process group.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { spawnWithPipes } from "../../src/runtime/pipe-process.ts";

/** Runs `script` with bash; resolves with its output (as passed on, chunk by chunk), its status and its process group. */
async function run(script: string): Promise<{ chunks: string[]; status: number; pgid: number; pid: number }> {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  const proc = spawnWithPipes({ command: script, argv: ["bash", "-c", script], env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, cwd: "/", cols: 80, rows: 24, onData: (chunk) => chunks.push(decoder.decode(chunk)) });
  const pgid = Number(readFileSync(`/proc/${proc.pid}/stat`, "utf8").split(") ")[1]!.split(" ")[2]);
  return { chunks, status: await proc.exited, pgid, pid: proc.pid };
}

describe("a dyno on pipes", () => {
  test("has no terminal on stdin, stdout or stderr", async () => {
    const { chunks } = await run("for fd in 0 1 2; do if [ -t $fd ]; then echo $fd:tty; else echo $fd:no; fi; done; sleep 0.2");
    expect(chunks.join("")).toBe("0:no\n1:no\n2:no\n");
  });

  test("a line half-written on stdout is not joined to a line of stderr", async () => {
    const { chunks } = await run("printf 'out-start'; sleep 0.1; printf 'err-line\\n' >&2; sleep 0.1; printf ' out-end\\n'");
    expect(chunks).toEqual(["err-line\n", "out-start out-end\n"]);
  });

  test("a big read ending in a half line does not let a stderr line join it", async () => {
    const { chunks } = await run(`printf '%s\\nPARTIAL-' "$(seq 1 5000)"; sleep 0.1; echo ERR >&2; sleep 0.1; echo END`);
    const lines = chunks.join("").split("\n");
    expect(lines).toContain("ERR");
    expect(lines).toContain("PARTIAL-END");
  });

  test("the dyno has exited when its command has, though a background child still holds the pipes", async () => {
    const started = performance.now();
    const { chunks, status } = await run("sleep 4 & echo main; exit 3");
    expect(status).toBe(3);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(chunks.join("")).toBe("main\n");
  });

  test("output left unended when the process exits is passed on as a line", async () => {
    const { chunks } = await run("printf 'no newline'");
    expect(chunks.join("")).toBe("no newline\n");
  });

  test("the exit status, and 128 + the signal for a killed process", async () => {
    expect((await run("exit 7")).status).toBe(7);
    expect((await run("kill -TERM $$")).status).toBe(143);
  });

  test("each process is its own process group, as a PTY's session leader is", async () => {
    const { pid, pgid } = await run("sleep 0.2");
    expect(pgid).toBe(pid);
  });
});
