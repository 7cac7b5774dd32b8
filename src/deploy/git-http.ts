/**
 * git over smart HTTP: `git http-backend` (the system git's CGI program) behind the platform's
 * HTTP server. Each app has a bare repository `<repos>/<app id>.git` whose pre-receive hook
 * builds the push (git-hook.ts), so a failed build rejects it and the build's lines reach the
 * pusher as `remote:` lines, live. REMOTE_USER is set once the request carried the platform's
 * token, which is what lets http-backend accept a push (receive-pack).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The bare repository of an app, created (with its hook) on first use. */
export function ensureRepo(repos: string, appId: string, hook: string): string {
  const repo = join(repos, `${appId}.git`);
  if (!existsSync(join(repo, "HEAD"))) {
    mkdirSync(repos, { recursive: true, mode: 0o700 });
    const init = Bun.spawnSync(["git", "init", "--quiet", "--bare", "--initial-branch=main", repo], { stderr: "pipe" });
    if (init.exitCode !== 0) throw new Error(`git init --bare failed: ${init.stderr.toString().trim()}`);
    // Refs of a rejected push are not kept, and a push of any size is taken.
    Bun.spawnSync(["git", "-C", repo, "config", "receive.denyCurrentBranch", "ignore"]);
    Bun.spawnSync(["git", "-C", repo, "config", "http.receivepack", "true"]);
  }
  writeFileSync(join(repo, "hooks", "pre-receive"), hook, { mode: 0o755 });
  return repo;
}

/** The CGI environment http-backend reads, from an HTTP request for `/<repo>.git/...`. */
function cgiEnv(request: Request, repos: string, extra: Record<string, string>): Record<string, string> {
  const url = new URL(request.url);
  const header = (name: string) => request.headers.get(name) ?? "";
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    GIT_PROJECT_ROOT: repos,
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    REQUEST_METHOD: request.method,
    CONTENT_TYPE: header("content-type"),
    REMOTE_ADDR: "127.0.0.1",
    HTTP_CONTENT_ENCODING: header("content-encoding"),
    GIT_PROTOCOL: header("git-protocol"),
    ...extra,
  };
}

/**
 * Runs http-backend for one request and streams its answer back: the CGI headers (Status,
 * Content-Type, ...) become the response's, the rest its body, as the program writes it (a
 * pre-receive hook's output arrives while the build runs).
 */
export async function gitHttp(request: Request, repos: string, extraEnv: Record<string, string>): Promise<Response> {
  const proc = Bun.spawn(["git", "http-backend"], { env: cgiEnv(request, repos, extraEnv), stdin: "pipe", stdout: "pipe", stderr: "pipe" });
  void (async () => {
    try {
      if (request.body) for await (const chunk of request.body) proc.stdin.write(chunk);
    } finally {
      void proc.stdin.end();
    }
  })();
  const reader = proc.stdout.getReader();
  let head = new Uint8Array(0);
  let split = -1;
  while (split < 0) {
    const { value, done } = await reader.read();
    if (done) break;
    const joined = new Uint8Array(head.length + value.length);
    joined.set(head);
    joined.set(value, head.length);
    head = joined;
    split = Buffer.from(head).indexOf("\r\n\r\n");
  }
  if (split < 0) {
    const stderr = await new Response(proc.stderr).text();
    return new Response(`git http-backend failed: ${stderr.trim()}\n`, { status: 500 });
  }
  const headers = new Headers();
  let status = 200;
  for (const line of Buffer.from(head.subarray(0, split)).toString().split("\r\n")) {
    const [name, ...rest] = line.split(":");
    const value = rest.join(":").trim();
    if (/^status$/i.test(name ?? "")) status = Number(value.split(" ")[0]) || 200;
    else if (name) headers.set(name, value);
  }
  const rest = head.subarray(split + 4);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (rest.length > 0) controller.enqueue(rest);
    },
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: () => void proc.kill(),
  });
  return new Response(body, { status, headers });
}
