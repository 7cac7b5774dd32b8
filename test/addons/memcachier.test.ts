/** memcachier on Debian's memcached (native provider): MEMCACHIER_SERVERS/USERNAME/PASSWORD, and it stores and returns a value. */
import { afterEach, expect, test } from "bun:test";
import { appIdentity, cleanupNative, makeAddonsApp } from "../helpers/addons.ts";
import { runHoku, testEnv } from "../helpers/hoku.ts";

const apps: string[] = [];
afterEach(async () => {
  for (const appId of apps.splice(0)) await cleanupNative(appId);
});

test("memcachier via native: the vars Heroku sets, and a set/get over its protocol", async () => {
  const dir = makeAddonsApp({ addons: ["memcachier"] });
  const env = testEnv();
  apps.push(appIdentity(dir, env).appId);
  const talk = 'printf "set k 0 0 2\\r\\nhi\\r\\nget k\\r\\nquit\\r\\n" | timeout 5 bash -c "exec 3<>/dev/tcp/${MEMCACHIER_SERVERS%:*}/${MEMCACHIER_SERVERS#*:}; cat >&3; cat <&3"';
  const { code, stdout, stderr } = await runHoku(["run", "--addons", "native", `echo "$MEMCACHIER_SERVERS|$MEMCACHIER_USERNAME|$MEMCACHIER_PASSWORD"; ${talk}`], { cwd: dir, env });
  expect(stderr).toMatch(/memcachier memcachier-\S+ via native: found \S*memcached/);
  expect(code).toBe(0);
  const [vars, ...reply] = stdout.split("\n");
  expect(vars).toMatch(/^127\.0\.0\.1:\d+\|hoku\|[0-9a-f]{32}$/);
  expect(reply.join("\n")).toContain("STORED\r\nVALUE k 0 2\r\nhi\r\nEND");
});
