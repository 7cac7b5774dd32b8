/**
 * A first router: Host-based (`<app>.localhost`), a random `up` web dyno, one log line per
 * request. Replaced by the full router (RT-1..RT-7) on its branch.
 */
export interface WebDyno { readonly name: string; readonly port: number; readonly state: string }
export interface RouteTarget { readonly app: string; readonly released: boolean; readonly webDynos: readonly WebDyno[] }
export interface RouteTable { lookup(app: string): RouteTarget | undefined }
export function startRouter(options: { port: number; table: RouteTable; log: (app: string, line: string) => void }) {
  const server = Bun.serve({ hostname: "127.0.0.1", port: options.port, async fetch(request) {
    const app = (request.headers.get("host") ?? "").split(".")[0]!;
    const target = options.table.lookup(app);
    if (!target) return new Response("no such app", { status: 404 });
    const up = target.webDynos.filter((d) => d.state === "up");
    const dyno = up[Math.floor(Math.random() * up.length)];
    if (!dyno) return new Response("H10", { status: 503 });
    const url = new URL(request.url);
    const r = await fetch(`http://127.0.0.1:${dyno.port}${url.pathname}`, { headers: { "X-Request-Id": crypto.randomUUID() } });
    options.log(app, `at=info method=${request.method} path="${url.pathname}" host=${app}.localhost dyno=${dyno.name} status=${r.status}`);
    return r;
  } });
  return { port: server.port, stop: async () => server.stop(true) };
}
