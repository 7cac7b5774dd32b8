/**
 * `hoku start` end to end: the real binary, real PTYs, fixture apps in temp folders.
 * Ports, env, PTY, color and line formats (procfile-dotenv-cases.md "Ports", "Env
 * files", "Lifecycle" 1 and 5).
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { freeBase, makeApp, Running, runHoku, testEnv } from "../helpers/hoku.ts";
import { icuOffsetMinutes } from "../helpers/zone.ts";

const hold = "exec sleep 60";

describe("ports and dyno env (Ports rules 1-3)", () => {
  test("each type gets base + 100 x its Procfile position, + 1 per instance, with PS, FOREMAN_WORKER_NAME and HOKU_<TYPE>_PORT, and no DYNO (heroku local: foreman's proc.cjs sets PORT and FOREMAN_WORKER_NAME only)", async () => {
    const dir = makeApp({
      Procfile: [
        "# comments and blank lines do not count",
        "",
        `web: echo "web PORT=$PORT DYNO=\${DYNO-unset} PS=$PS FWN=$FOREMAN_WORKER_NAME peers=$HOKU_WEB_PORT,$HOKU_WORKER_PORT"; ${hold}`,
        `other: echo other; ${hold}`,
        `worker: echo "worker PORT=$PORT DYNO=\${DYNO-unset} peers=$HOKU_WEB_PORT,$HOKU_WORKER_PORT,\${HOKU_OTHER_PORT:-none}"; ${hold}`,
      ].join("\n"),
    });
    const base = await freeBase();
    const hoku = new Running(["start", "-p", String(base), "-m", "web=2,worker=1", "--color", "never"], { cwd: dir });
    await hoku.waitFor(/worker\.1 +\| worker PORT=.*\n/);
    await hoku.waitFor(/web\.2 +\| .*PS=web\.2.*\n/);
    await hoku.waitFor(/web\.1 +\| .*PS=web\.1.*\n/);
    const peers = `${base},${base + 200}`;
    expect(hoku.output).toContain(`web PORT=${base} DYNO=unset PS=web.1 FWN=web.1 peers=${peers}`);
    expect(hoku.output).toContain(`web PORT=${base + 1} DYNO=unset PS=web.2 FWN=web.2 peers=${peers}`);
    expect(hoku.output).toContain(`worker PORT=${base + 200} DYNO=unset peers=${peers},none`);
    expect(hoku.output).not.toContain("| other");
    expect(await hoku.stop()).toBe(143);
  });

  test("an app that switches to production settings on DYNO (as real apps do) stays in development under hoku start", async () => {
    // The shape of Django/Flask/Express samples: `if "DYNO" in os.environ: require HTTPS, DATABASE_URL, ...`.
    const app = `const prod = "DYNO" in process.env; console.log(prod ? "mode=production (DYNO seen)" : "mode=development"); setInterval(() => {}, 1000);`;
    const dir = makeApp({ Procfile: "web: node app.js\n", "app.js": app });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--color", "never"], { cwd: dir });
    await hoku.waitFor("| mode=");
    expect(hoku.output).toContain("| mode=development");
    expect(await hoku.stop()).toBe(143);
  });

  test("base port: -p beats PORT in the env file, which beats PORT in the shell", async () => {
    const dir = makeApp({ Procfile: `web: echo "port=$PORT"; ${hold}`, ".env": "PORT=5611\n" });
    const shellOnly = makeApp({ Procfile: `web: echo "port=$PORT"; ${hold}` });
    const base = await freeBase();
    const cases: [string, string[], Record<string, string>, number][] = [
      [dir, ["-p", String(base)], { PORT: "5711" }, base],
      [dir, [], { PORT: "5711" }, 5611],
      [shellOnly, [], { PORT: String(base + 2) }, base + 2],
    ];
    for (const [cwd, args, env, expected] of cases) {
      const hoku = new Running(["start", "--color", "never", ...args], { cwd, env: testEnv(env) });
      await hoku.waitFor(`port=${expected}`);
      expect(await hoku.stop()).toBe(143);
    }
  });

  test("without -p, PORT or a shell PORT the base is 5006", async () => {
    const dir = makeApp({ Procfile: `web: echo "port=$PORT"; ${hold}` });
    const hoku = new Running(["start", "--color", "never"], { cwd: dir });
    const result = await Promise.race([hoku.waitFor("port=5006"), hoku.waitFor("5006 for web.1 is already in use")]);
    expect(result[0]).toMatch(/5006/);
    await hoku.stop();
  });

  test("a port in use is named, with its dyno, before anything starts", async () => {
    const base = await freeBase();
    const server = Bun.listen({ hostname: "127.0.0.1", port: base + 100, socket: { data() {} } });
    try {
      const dir = makeApp({ Procfile: `web: touch started-web; ${hold}\nworker: touch started-worker; ${hold}` });
      const { code, stderr } = await runHoku(["start", "-p", String(base)], { cwd: dir });
      expect(code).toBe(1);
      expect(stderr).toContain(`${base + 100} for worker.1 is already in use`);
      expect(stderr).toContain("-p");
      expect(readdirSync(dir).filter((f) => f.startsWith("started"))).toEqual([]);
    } finally {
      server.stop(true);
    }
  });
});

describe("env (Env files rules 1-3; app.json env is not applied locally)", () => {
  test("env files in order, later wins; files beat the shell; --shell-env-wins reverses; app.json env is not applied (heroku local ignores it)", async () => {
    const dir = makeApp({
      Procfile: `web: echo "A=$A B=$B C=$C D=\${D-unset} E=$E"; ${hold}`,
      "a.env": "A=from-a\nB=from-a\n",
      "b.env": "B=from-b\nC=from-b\n",
      "app.json": JSON.stringify({ env: { D: { value: "from-app-json" }, A: "app-json-loses", E: { value: "app-json-loses-to-shell" } } }),
    });
    const base = String(await freeBase());
    const files = new Running(["start", "-p", base, "-e", "a.env,b.env"], { cwd: dir, env: testEnv({ C: "from-shell", E: "from-shell" }) });
    await files.waitFor("A=from-a B=from-b C=from-b D=unset E=from-shell");
    expect(await files.stop()).toBe(143);
    const shell = new Running(["start", "-p", base, "-e", "a.env,b.env", "--shell-env-wins"], { cwd: dir, env: testEnv({ C: "from-shell" }) });
    await shell.waitFor("A=from-a B=from-b C=from-shell D=unset");
    expect(await shell.stop()).toBe(143);
  });

  test("a .env beside the app is not read when -e names other files (the binary loads no .env of its own)", async () => {
    const dir = makeApp({ Procfile: `web: echo "ONLY_IN_DOTENV=[$ONLY_IN_DOTENV] OTHER=$OTHER"; ${hold}`, ".env": "ONLY_IN_DOTENV=leaked\n", "other.env": "OTHER=1\n" });
    const hoku = new Running(["start", "-p", String(await freeBase()), "-e", "other.env", "--color", "never"], { cwd: dir });
    await hoku.waitFor("ONLY_IN_DOTENV=[] OTHER=1");
    expect(await hoku.stop()).toBe(143);
    const run = await runHoku(["run", "-e", "other.env", "printenv", "ONLY_IN_DOTENV"], { cwd: dir });
    expect(run.stdout).toBe("");
    expect(run.code).toBe(1);
  });

  test("expansion from earlier keys and the shell; --no-expand keeps it literal", async () => {
    const dir = makeApp({ Procfile: `web: echo "URL=$URL"; ${hold}`, ".env": "HOST=db.local\nURL=postgres://${USER_NAME}@${HOST}/app\n" });
    const base = String(await freeBase());
    const expanded = new Running(["start", "-p", base], { cwd: dir, env: testEnv({ USER_NAME: "ann" }) });
    await expanded.waitFor("URL=postgres://ann@db.local/app");
    await expanded.stop();
    const literal = new Running(["start", "-p", base, "--no-expand"], { cwd: dir, env: testEnv({ USER_NAME: "ann" }) });
    await literal.waitFor("URL=postgres://${USER_NAME}@${HOST}/app");
    await literal.stop();
  });

  test("required app.json vars the env files do not set are one note, not a refusal; production values are not applied", async () => {
    const dir = makeApp({
      Procfile: `web: echo "started DJANGO_SETTINGS_MODULE=\${DJANGO_SETTINGS_MODULE-unset} TOKEN=$TOKEN"; ${hold}`,
      ".env": "TOKEN=set-locally\n",
      "app.json": JSON.stringify({
        env: { API_KEY: { description: "the API key" }, TOKEN: { required: true }, OPTIONAL: { required: false }, DJANGO_SETTINGS_MODULE: "app.settings.production" },
      }),
    });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--color", "never"], { cwd: dir });
    await hoku.waitFor("started DJANGO_SETTINGS_MODULE=unset TOKEN=set-locally");
    expect(await hoku.stop()).toBe(143);
    const notes = hoku.lines.filter((l) => l.includes("required config vars"));
    expect(notes).toEqual(["hoku: app.json lists required config vars that no env file sets: API_KEY (app.json env is for the deployed app; locally, set them in .env if the app needs them)"]);
  });

  test("an app.json that Heroku's app setup would refuse still runs, with warnings (heroku local never reads app.json); a broken add-on entry still stops it", async () => {
    const files = { Procfile: `web: echo "up SECRET_KEY=[$SECRET_KEY]"; ${hold}`, ".env": "SECRET_KEY=dev\n" };
    const dir = makeApp({ ...files, "app.json": '{\n  "name": "x",\n  "website_url": "https://example.com",\n  "env": {"secret_key": "prod"}\n}\n' });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--color", "never"], { cwd: dir });
    await hoku.waitFor("up SECRET_KEY=[dev]");
    expect(await hoku.stop()).toBe(143);
    expect(hoku.output).toContain('hoku: app.json:3 /: warning: unknown key "website_url"');
    expect(hoku.output).toContain('hoku: app.json:4 /env: warning: env var name "secret_key" in env is invalid');
    expect(hoku.output).toContain("heroku local ignores app.json, so the app runs; an app set up from it (hoku apps:setup) would be refused");

    const broken = makeApp({ ...files, "app.json": '{"addons": [{"plan": "heroku-postgresql", "name": "db"}]}' });
    const refused = await runHoku(["start", "-p", String(await freeBase())], { cwd: broken });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('app.json:1 /addons/0: unknown key "name" in addons[0]');
  });

  test("a secret generator generates nothing locally, and nothing is written in the app tree", async () => {
    const dir = makeApp({ Procfile: `web: echo "secret=[$SECRET]"; ${hold}`, "app.json": JSON.stringify({ env: { SECRET: { generator: "secret" } } }) });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--color", "never"], { cwd: dir });
    await hoku.waitFor("secret=[]");
    await hoku.stop();
    expect(readdirSync(dir).sort()).toEqual(["Procfile", "app.json"]);
  });

  test("a reference set nowhere expands to empty, with a warning naming the file and line", async () => {
    const dir = makeApp({ Procfile: `web: echo "X=[$X]"; ${hold}`, ".env": "# comment\nX=${NOT_SET_ANYWHERE}\n" });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--color", "never"], { cwd: dir });
    await hoku.waitFor("X=[]");
    await hoku.stop();
    expect(hoku.output).toContain('hoku: .env:2: warning: NOT_SET_ANYWHERE is set nowhere (not earlier in this file, in an earlier env file, by an add-on, or in the shell), so it expands to ""');
  });
});

describe("pseudo-terminals, color and line formats (Lifecycle rules 1 and 5)", () => {
  test("each dyno runs in its own pseudo-terminal and session", async () => {
    const dir = makeApp({ Procfile: `web: echo "tty=$(tty) sid=$(ps -o sid= -p $$) pid=$$"; ${hold}\nworker: echo "tty=$(tty)"; ${hold}` });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--color", "never"], { cwd: dir });
    const web = await hoku.waitFor(/web\.1 +\| tty=(\/dev\/pts\/\d+) sid= *(\d+) pid=(\d+)/);
    const worker = await hoku.waitFor(/worker\.1 +\| tty=(\/dev\/pts\/\d+)/);
    expect(web[1]).not.toBe(worker[1]!);
    expect(web[2]).toBe(web[3]!); // the dyno's shell leads its own session
    await hoku.stop();
  });

  test("plain lines are `HH:MM:SS name | text`, names padded to the longest; \\r\\n becomes \\n", async () => {
    const dir = makeApp({ Procfile: `web: echo hello-web; ${hold}\nlongworker: echo hello-worker; ${hold}` });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--color", "never"], { cwd: dir });
    await hoku.waitFor("| hello-worker");
    await hoku.waitFor("| hello-web");
    expect(hoku.output).toMatch(/^\d\d:\d\d:\d\d web\.1        \| hello-web$/m);
    expect(hoku.output).toMatch(/^\d\d:\d\d:\d\d longworker\.1 \| hello-worker$/m);
    expect(hoku.output).not.toContain("\r");
    await hoku.stop();
  });

  test.each([
    ["Asia/Kolkata", 330],
    ["America/St_Johns", undefined],
    ["UTC", 0],
  ] as const)("plain timestamps are local time in hoku's TZ (%s)", async (zone, fixedMinutes) => {
    const dir = makeApp({ Procfile: `web: echo hello; ${hold}` });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--color", "never"], { cwd: dir, env: testEnv({ TZ: zone }) });
    const [line] = await hoku.waitFor(/^\d\d:\d\d:\d\d web\.1 \| hello$/m);
    await hoku.stop();
    const minutes = icuOffsetMinutes(zone);
    if (fixedMinutes !== undefined) expect(minutes).toBe(fixedMinutes);
    const [h, m] = line.split(":").map(Number) as [number, number];
    const shown = h * 60 + m;
    const utcNow = new Date();
    const expected = (((utcNow.getUTCHours() * 60 + utcNow.getUTCMinutes() + minutes) % 1440) + 1440) % 1440;
    // the line was printed within the last few seconds: same minute, or the one before
    expect([expected, (expected + 1439) % 1440]).toContain(shown);
  });

  test("--format heroku prints Logplex lines and heroku[dyno] lifecycle lines", async () => {
    const dir = makeApp({ Procfile: `worker: echo hello; ${hold}` });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--format", "heroku"], { cwd: dir });
    await hoku.waitFor("]: hello\n");
    await hoku.waitFor("State changed from starting to up");
    const ts = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00`;
    expect(hoku.output).toMatch(new RegExp(`^${ts} app\\[worker\\.1\\]: hello$`, "m"));
    expect(hoku.output).toMatch(new RegExp(`^${ts} heroku\\[worker\\.1\\]: State changed from down to starting$`, "m"));
    expect(hoku.output).toMatch(new RegExp(`^${ts} heroku\\[worker\\.1\\]: Starting process with command \`echo hello; ${hold}\`$`, "m"));
    expect(hoku.output).toMatch(new RegExp(`^${ts} heroku\\[worker\\.1\\]: State changed from starting to up$`, "m"));
    hoku.signal("SIGTERM");
    expect(await hoku.exited).toBe(143);
    expect(hoku.output).toMatch(new RegExp(`^${ts} heroku\\[worker\\.1\\]: Stopping all processes with SIGTERM$`, "m"));
    expect(hoku.output).toMatch(new RegExp(`^${ts} heroku\\[worker\\.1\\]: Process exited with status 143$`, "m"));
  });

  test("a web dyno is up only once it listens on $PORT", async () => {
    // "binding" is printed before listen(): "bound" from its callback could come after the probe saw the port.
    const server = `console.log("binding"); require("http").createServer((q, s) => s.end("hi")).listen(process.env.PORT, "127.0.0.1")`;
    const dir = makeApp({ Procfile: `web: sleep 1; exec node -e '${server}'` });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--color", "never"], { cwd: dir });
    await hoku.waitFor("web.1 State changed from starting to up");
    const lines = hoku.lines;
    const starting = lines.findIndex((l) => l.includes("web.1 State changed from down to starting"));
    const up = lines.findIndex((l) => l.includes("web.1 State changed from starting to up"));
    expect(starting).toBeGreaterThanOrEqual(0);
    expect(lines.slice(starting, up).some((l) => l.includes("| binding"))).toBe(true);
    await hoku.stop();
  });

  const colorScript = `printf '\\033[31mred\\033[0m\\n'; ${hold}`;
  test.each([
    ["never", false],
    ["always", true],
    ["auto", false], // stdout is a pipe here
  ] as const)("--color %s: dyno colors and colored prefixes kept = %p", async (when, kept) => {
    const dir = makeApp({ Procfile: `web: ${colorScript}` });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--color", when], { cwd: dir });
    const output = /web\.1 \|(\x1b\[0m)? .*red/;
    await hoku.waitFor(output);
    await hoku.stop();
    const line = hoku.lines.find((l) => output.test(l))!;
    expect(line.includes("\x1b[31mred\x1b[0m")).toBe(kept);
    expect(line.includes("\x1b[")).toBe(kept);
  });

  test("a partial last line is flushed when the dyno exits", async () => {
    const dir = makeApp({ Procfile: "web: printf 'no newline at the end'; exit 0" });
    const { stdout, code } = await runHoku(["start", "-p", String(await freeBase()), "--exit-on-crash", "--color", "never"], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toMatch(/web\.1 \| no newline at the end$/m);
  });

  test("lines over 10000 bytes are split into 10000-byte lines", async () => {
    const dir = makeApp({ Procfile: "web: head -c 25000 /dev/zero | tr '\\0' x; echo; exit 0" });
    const { stdout } = await runHoku(["start", "-p", String(await freeBase()), "--exit-on-crash", "--color", "never"], { cwd: dir });
    const pieces = stdout.split("\n").filter((l) => l.includes("| x")).map((l) => l.slice(l.indexOf("| ") + 2));
    expect(pieces.map((p) => p.length)).toEqual([10000, 10000, 5000]);
  });

  test("line integrity: two dynos flooding never split or merge each other's lines", async () => {
    const gen = (tag: string) => `awk 'BEGIN{for(i=1;i<=20000;i++) printf "${tag}-%06d-%s\\n", i, "payload-payload-payload-payload-payload-payload-payload"}'; ${hold}`;
    const dir = makeApp({ Procfile: `a: ${gen("A")}\nb: ${gen("B")}` });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--color", "never"], { cwd: dir });
    await hoku.waitFor(/A-020000-.*\n[^]*B-020000-|B-020000-.*\n[^]*A-020000-/, 30000);
    await hoku.stop();
    for (const tag of ["A", "B"]) {
      const dyno = tag === "A" ? "a.1" : "b.1";
      const payloads = hoku.lines.filter((l) => l.includes(`${tag}-0`));
      expect(payloads.length).toBe(20000);
      payloads.forEach((line, i) => {
        const expected = `${dyno} | ${tag}-${String(i + 1).padStart(6, "0")}-payload-payload-payload-payload-payload-payload-payload`;
        if (line.replace(/^\d\d:\d\d:\d\d (\S+) +\| /, "$1 | ") !== expected) throw new Error(`line ${i + 1} of ${tag} is broken: ${JSON.stringify(line)}`);
      });
    }
  });
});

describe("formation and selection as heroku local takes them (Lifecycle rule 4, Procfile rule 8)", () => {
  const procfile = `web: echo "I am $PS"; ${hold}\nworker: echo "I am $PS"; ${hold}\nrelease: echo "I am $PS"`;

  test("default: one of each type but release; app.json formation is the deployed app's and is not applied", async () => {
    const dir = makeApp({ Procfile: procfile, "app.json": JSON.stringify({ formation: { worker: { quantity: 2 }, web: { quantity: 0 } } }) });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--color", "never"], { cwd: dir });
    await hoku.waitFor("I am worker.1");
    await hoku.waitFor("I am web.1");
    await hoku.stop();
    expect(hoku.output).not.toContain("I am release");
    expect(hoku.output).not.toContain("I am worker.2");
  });

  // heroku/cli local/index.js passes its argument to foreman `start`, whose getreqs splits it on ',' and '='.
  test.each([
    [["worker"], ["worker.1"], ["web.1", "release.1"]],
    [["web=2"], ["web.1", "web.2"], ["worker.1"]],
    [["web=1,worker=2"], ["web.1", "worker.1", "worker.2"], ["web.2", "release.1"]],
    [["web,worker"], ["web.1", "worker.1"], ["release.1"]],
    [["web", "worker=2"], ["web.1", "worker.2"], ["release.1"]],
    [["-m", "web=2,worker=0"], ["web.1", "web.2"], ["worker.1", "release.1"]],
    [["-m", "all=2"], ["web.2", "worker.2"], ["release.1"]],
    [["release"], ["release.1"], ["web.1"]],
    [["--release"], ["release.1", "web.1", "worker.1"], []],
    [["--release", "web"], ["release.1", "web.1"], ["worker.1"]],
  ])("hoku start %p runs %p, not %p (heroku local's forms)", async (args, present, absent) => {
    const dir = makeApp({ Procfile: procfile });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--color", "never", ...args], { cwd: dir });
    for (const dyno of present) await hoku.waitFor(`I am ${dyno}`);
    if (present.length > 1 || present[0] !== "release.1") await hoku.stop();
    else await hoku.exited;
    for (const dyno of absent) expect(hoku.output).not.toContain(`I am ${dyno}`);
  });

  test("`hoku local:start` is heroku local's alias; `hoku local:version` answers", async () => {
    const dir = makeApp({ Procfile: procfile });
    const hoku = new Running(["local:start", "web", "-p", String(await freeBase()), "--color", "never"], { cwd: dir });
    await hoku.waitFor("I am web.1");
    expect(await hoku.stop()).toBe(143);
    expect((await runHoku(["local:version"], { cwd: dir })).code).toBe(0);
  });

  test("--start-cmd runs as web when there is no Procfile, and is ignored with a note when there is one (heroku local's flag)", async () => {
    const bare = makeApp({ "README.md": "no Procfile" });
    const base = await freeBase();
    const hoku = new Running(["start", "--start-cmd", `echo "started on $PORT"; ${hold}`, "-p", String(base), "--color", "never"], { cwd: bare });
    await hoku.waitFor(`web.1 | started on ${base}`);
    expect(await hoku.stop()).toBe(143);
    const withProcfile = new Running(["start", "web", "--start-cmd", "echo ignored", "-p", String(base), "--color", "never"], { cwd: makeApp({ Procfile: procfile }) });
    await withProcfile.waitFor("I am web.1");
    await withProcfile.stop();
    expect(withProcfile.output).toContain("--start-cmd: warning: the start command `echo ignored` is ignored: Procfile declares the process types");
  });

  test.each([
    [["-c", "web=2"], "-c/--concurrency is not a flag of hoku start", "hoku start web=2"],
    [["web=two"], '"web=two" is not a formation entry', "web=2,worker=1"],
  ])("hoku start %p is an error naming the right form", async (args, message, form) => {
    const { code, stderr } = await runHoku(["start", ...args], { cwd: makeApp({ Procfile: procfile }) });
    expect(code).toBe(1);
    expect(stderr).toContain(message);
    expect(stderr).toContain(form);
  });
});

describe("release phase locally (--release, hoku start release)", () => {
  test("release runs once, first, with no port, and listing it first in the Procfile does not shift the other ports", async () => {
    const dir = makeApp({ Procfile: `release: echo "migrating PORT=[$PORT]"; sleep 1; echo migrated\nweb: echo "web on $PORT"; ${hold}\nworker: echo "worker on $PORT"; ${hold}\n` });
    const base = await freeBase();
    const hoku = new Running(["start", "--release", "-p", String(base), "--color", "never"], { cwd: dir });
    await hoku.waitFor(`web on ${base}`);
    await hoku.waitFor(`worker on ${base + 100}`);
    expect(await hoku.stop()).toBe(143);
    const lines = hoku.lines;
    const migrated = lines.findIndex((l) => l.includes("release.1 | migrated"));
    const exited = lines.findIndex((l) => l.includes("release.1 Process exited with status 0"));
    const firstWeb = lines.findIndex((l) => l.includes("web.1 State changed from down to starting"));
    expect(lines.some((l) => l.includes("release.1 | migrating PORT=[]"))).toBe(true);
    expect(migrated).toBeGreaterThan(-1);
    expect(exited).toBeGreaterThan(migrated);
    expect(firstWeb).toBeGreaterThan(exited);
    expect(hoku.output).toContain("release.1 State changed from up to complete");
    expect(hoku.output).not.toMatch(/release\.1 .*crashed|release\.1 .*Restarting/);
    // Once: the formation's start does not run it again.
    expect(lines.filter((l) => l.includes("release.1 Starting process with command"))).toHaveLength(1);
    expect(lines.filter((l) => l.includes("release.1 | migrating"))).toHaveLength(1);
  });

  test("a failing release stops startup with its exit code and output; no other dyno starts", async () => {
    const dir = makeApp({ Procfile: `release: echo "relation users does not exist"; exit 3\nweb: touch web-started; ${hold}\n` });
    const { code, stdout } = await runHoku(["start", "--release", "-p", String(await freeBase()), "--color", "never"], { cwd: dir });
    expect(code).toBe(3);
    expect(stdout).toContain("release.1 | relation users does not exist");
    expect(stdout).toContain("The release command failed with status 3: not starting the other dynos");
    expect(existsSync(join(dir, "web-started"))).toBe(false);
  });

  test("hoku start release alone runs it and exits with its status", async () => {
    const dir = makeApp({ Procfile: `web: ${hold}\nrelease: echo done-releasing\n` });
    const { code, stdout } = await runHoku(["start", "release", "--color", "never"], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toContain("release.1 | done-releasing");
  });
});

describe("when every dyno has crashed", () => {
  test("hoku says so once: which dynos, their last status, a hint for 127, and when the next restart comes", async () => {
    const dir = makeApp({ Procfile: "web: no-such-server --port $PORT\nworker: exit 1\n" });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--backoff", "10m", "--color", "never"], { cwd: dir });
    await hoku.waitFor(/Every dyno has crashed.*\n/);
    await Bun.sleep(300);
    expect(await hoku.stop()).toBe(143);
    const said = hoku.lines.filter((l) => l.includes("Every dyno has crashed"));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain("web.1 (status 127), worker.1 (status 1)");
    expect(said[0]).toContain("Status 127: the command was not found: are the app's dependencies installed");
    expect(said[0]).toMatch(/Next restart: (web|worker)\.1 in 10m/);
  });
});

describe("errors", () => {
  const procfile = `web: ${hold}\nworker: ${hold}\n`;
  test.each([
    [["nope"], 'the command line names process type "nope", which the Procfile does not declare'],
    [["-m", "web=1,nope=2"], '--formation names process type "nope", which the Procfile does not declare'],
    [["-m", "web=two"], '"web=two" is not a formation entry'],
    [["-e", "missing.env"], "missing.env: env file not found"],
    [["-m", "web=0,worker=0"], "nothing to start"],
    [["--timeout", "soon"], '--timeout "soon" is not a duration'],
  ])("hoku start %p is an error: %s", async (args, message) => {
    const dir = makeApp({ Procfile: procfile });
    const { code, stderr } = await runHoku(["start", ...args], { cwd: dir });
    expect(stderr).toContain(message);
    expect(stderr).not.toContain("hoku: hoku");
    expect(code).toBe(1);
  });

  test("no Procfile: the Node.js buildpack default `web: npm start`, said in one line", async () => {
    const dir = makeApp({ "package.json": JSON.stringify({ name: "x", scripts: { start: "echo started by npm on $PORT; sleep 60" } }) });
    const base = await freeBase();
    const hoku = new Running(["start", "-p", String(base), "--color", "never"], { cwd: dir });
    await hoku.waitFor(`started by npm on ${base}`);
    expect(hoku.output).toContain("No Procfile; using the Node.js buildpack default (package.json has a start script): web: npm start");
    await hoku.stop();
  });

  test("no Procfile and no start script is an error that says what to write", async () => {
    const { code, stderr } = await runHoku(["start"], { cwd: makeApp({ "README": "x" }) });
    expect(code).toBe(1);
    expect(stderr).toContain("Procfile: Procfile not found");
    expect(stderr).toContain("web: npm start");
  });
});
