/**
 * Embedded Postgres (PGlite, which has no passwords) checks the add-on's user and password at
 * hoku's front, as a real server would (MD5), with or without SSL; PGlite itself listens on
 * a Unix socket in a private folder, so the front is the only way in.
 */
import { expect, test } from "bun:test";
import { makeAddonsApp } from "../helpers/addons.ts";
import { runHoku, testEnv } from "../helpers/hoku.ts";

test("a wrong password or user is refused with FATAL 28P01; the right one connects, with and without SSL; hoku listens on no other TCP port", async () => {
  const dir = makeAddonsApp({ addons: ["heroku-postgresql"] });
  const script = [
    'port=${DATABASE_URL##*:}; port=${port%%/*}',
    'psql "$DATABASE_URL?sslmode=require" -Atc "select \'tls ok\'"',
    'psql "$DATABASE_URL?sslmode=disable" -Atc "select \'plain ok\'"',
    'psql "postgres://postgres:wrong@127.0.0.1:$port/postgres?sslmode=require" -Atc "select 1" 2>&1',
    'psql "postgres://intruder:x@127.0.0.1:$port/postgres?sslmode=disable" -Atc "select 1" 2>&1',
    // Every TCP port hoku (this shell's parent) listens on: its socket inodes in /proc/net/tcp{,6} in state LISTEN (0A).
    'for fd in /proc/$PPID/fd/*; do readlink "$fd"; done | sed -n "s/^socket:\\[\\(.*\\)\\]$/\\1/p" > inodes',
    'awk \'NR == FNR { own[$1] = 1; next } FNR > 1 && $4 == "0A" && ($10 in own) { split($2, a, ":"); print "listens " a[2] }\' inodes /proc/net/tcp /proc/net/tcp6',
    'echo "port $port"',
  ].join("; ");
  const { code, stdout, stderr } = await runHoku(["run", "--addons", "embedded", script], { cwd: dir, env: testEnv() });
  expect(stderr).toContain("via embedded");
  expect(code).toBe(0);
  expect(stdout).toContain("tls ok\n");
  expect(stdout).toContain("plain ok\n");
  expect(stdout).toContain('FATAL:  password authentication failed for user "postgres"');
  expect(stdout).toContain('FATAL:  password authentication failed for user "intruder"');
  const port = /port (\d+)/.exec(stdout)![1];
  const listening = [...stdout.matchAll(/listens ([0-9A-F]+)/g)].map((m) => parseInt(m[1]!, 16));
  expect(listening).toEqual([Number(port)]);
}, 60_000);
