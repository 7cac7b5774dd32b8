/**
 * The embedded provider: Postgres as PGlite (Postgres compiled to WebAssembly) inside
 * hoku, served over the Postgres wire protocol on 127.0.0.1 by pglite-socket behind
 * hoku's TLS front (postgres-tls-front.ts: `sslmode=require` works), with its data in
 * hoku's state folder. Works on a machine with nothing installed; one process at a time
 * may own the data, and it lives as long as hoku. PGlite itself has no SSL, so its
 * `show ssl` says off even on a TLS connection.
 * PGlite's WebAssembly and data files are embedded into the binary and handed to it.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSecureContext } from "node:tls";
import initdbWasm from "../../node_modules/@electric-sql/pglite/dist/initdb.wasm" with { type: "file" };
import fsBundle from "../../node_modules/@electric-sql/pglite/dist/pglite.data" with { type: "file" };
import pgliteWasm from "../../node_modules/@electric-sql/pglite/dist/pglite.wasm" with { type: "file" };
import { RingBuffer } from "../runtime/ring-buffer.ts";
import type { Addon } from "./addon.ts";
import type { Service } from "./catalog.ts";
import { listenTlsFront, type TlsFront } from "./postgres-tls-front.ts";
import type { Availability, Provider, RunningAddon, StartRequest } from "./provider.ts";
import { selfSignedCertificate } from "./tls.ts";

/** PGlite's one user. */
const USER = "postgres";

/** PGlite queues queries from all connections through one backend; apps open pools. */
const MAX_CONNECTIONS = 100;

export const embeddedProvider: Provider = {
  kind: "embedded",

  async check(service: Service): Promise<Availability> {
    return service.kind === "postgres"
      ? { ok: true, why: "PGlite, Postgres in WebAssembly inside hoku" }
      : { ok: false, why: `no embedded ${service.kind}: only Postgres can run inside hoku` };
  },

  async start(request: StartRequest): Promise<RunningAddon> {
    const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([import("@electric-sql/pglite"), import("@electric-sql/pglite-socket")]);
    const logs = new RingBuffer<string>(50);
    const keep = (text: string) => {
      logs.push(text.trimEnd());
      return true;
    };
    const db = await PGlite.create(join(request.dataDir, "pglite"), {
      pgliteWasmModule: await WebAssembly.compile(await Bun.file(pgliteWasm).arrayBuffer()),
      initdbWasmModule: await WebAssembly.compile(await Bun.file(initdbWasm).arrayBuffer()),
      fsBundle: Bun.file(fsBundle),
      onStderr: keep,
      onStdout: keep,
    });
    // PGlite is built without SSL and without passwords: it listens on a Unix socket in a 0700
    // folder of hoku's (a short path under the temp folder), reachable by hoku's front alone,
    // which speaks TLS and checks the add-on's user and password as a real server would.
    const socketDir = mkdtempSync(join(tmpdir(), "hoku-pglite-"));
    const server = new PGLiteSocketServer({ db, path: join(socketDir, "pg.sock"), maxConnections: MAX_CONNECTIONS });
    await server.start();
    let front: TlsFront;
    try {
      const tls = await selfSignedCertificate(request.dataDir);
      front = await listenTlsFront({
        host: "127.0.0.1",
        port: request.port,
        secureContext: createSecureContext({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }),
        upstream: { path: join(socketDir, "pg.sock") },
        auth: { user: USER, password: request.addon.password },
      });
    } catch (error) {
      await server.stop();
      await db.close();
      rmSync(socketDir, { recursive: true, force: true });
      throw error;
    }
    return {
      // PGlite has one user and one database; the front checks the password.
      endpoint: { host: "127.0.0.1", port: request.port, user: USER, password: request.addon.password, database: "postgres", extraPorts: {} },
      runner: "PGlite inside hoku",
      recentLogs: async () => logs.toArray(),
      async stop() {
        await front.stop();
        await server.stop();
        await db.close();
        rmSync(socketDir, { recursive: true, force: true });
      },
    };
  },

  async destroy(_addon: Addon, _appId: string, dataDir: string): Promise<void> {
    rmSync(join(dataDir, "pglite"), { recursive: true, force: true });
  },
};
