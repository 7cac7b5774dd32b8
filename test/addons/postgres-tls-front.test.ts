/**
 * The TLS front embedded Postgres sits behind (src/addons/postgres-tls-front.ts), on real
 * sockets: an SSLRequest gets 'S' and a TLS session whose bytes reach the server behind in
 * the clear; a GSSENCRequest gets 'N' and the client may ask again; anything else passes
 * through untouched. The server behind is a TCP listener that records what it receives.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect, createSecureContext } from "node:tls";
import { listenTlsFront, type TlsFront } from "../../src/addons/postgres-tls-front.ts";
import { selfSignedCertificate } from "../../src/addons/tls.ts";
import { anyFreePort } from "../../src/runtime/port-probe.ts";

const request = (code: number) => Buffer.from([0, 0, 0, 8, (code >>> 24) & 0xff, (code >>> 16) & 0xff, (code >>> 8) & 0xff, code & 0xff]);
const SSL_REQUEST = request(80877103);
const GSSENC_REQUEST = request(80877104);
/** A StartupMessage's first 8 bytes (length 24, protocol 3.0) and the rest. */
const STARTUP = Buffer.concat([Buffer.from([0, 0, 0, 24, 0, 3, 0, 0]), Buffer.from("user\0app\0\0\0\0\0\0\0")]);

let front: TlsFront | undefined;
let upstream: Bun.TCPSocketListener | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await front?.stop();
  upstream?.stop(true);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A front before a recording server; resolves the bytes the server got once it got `n`. */
async function setup() {
  let got = Buffer.alloc(0);
  const waiters: (() => void)[] = [];
  const server = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket, data) {
        got = Buffer.concat([got, data]);
        socket.write(`seen ${got.length}`);
        for (const wake of waiters.splice(0)) wake();
      },
    },
  });
  upstream = server;
  const dir = mkdtempSync(join(tmpdir(), "hoku-front-"));
  dirs.push(dir);
  const tls = await selfSignedCertificate(dir);
  const port = anyFreePort();
  front = await listenTlsFront({ host: "127.0.0.1", port, secureContext: createSecureContext({ cert: await Bun.file(tls.cert).text(), key: await Bun.file(tls.key).text() }), upstream: { host: "127.0.0.1", port: server.port } });
  const received = async (n: number) => {
    while (got.length < n) await new Promise<void>((wake) => waiters.push(wake));
    return got;
  };
  return { port, received };
}

/** The next `n` bytes the socket reads. */
function readBytes(socket: Socket, n: number): Promise<Buffer> {
  return new Promise((resolve) => {
    let buffer = Buffer.alloc(0);
    const onData = (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      if (buffer.length >= n) {
        socket.off("data", onData);
        resolve(buffer);
      }
    };
    socket.on("data", onData);
  });
}

async function plainSocket(port: number): Promise<Socket> {
  const socket = connect(port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  return socket;
}

describe("the Postgres TLS front", () => {
  test("SSLRequest: 'S', then TLS; the startup message reaches the server in the clear, its answer comes back", async () => {
    const { port, received } = await setup();
    const raw = await plainSocket(port);
    const answer = readBytes(raw, 1);
    raw.write(SSL_REQUEST);
    expect((await answer).toString()).toBe("S");
    const secure = tlsConnect({ socket: raw, rejectUnauthorized: false, servername: "localhost" });
    await new Promise((resolve) => secure.once("secureConnect", resolve));
    expect(secure.getProtocol()).toMatch(/^TLSv1\.[23]$/);
    expect(secure.getPeerCertificate().subject.CN).toBe("localhost");
    const reply = readBytes(secure, 7);
    secure.write(STARTUP);
    expect(await received(STARTUP.length)).toEqual(STARTUP);
    expect((await reply).toString()).toBe(`seen ${STARTUP.length}`);
    secure.destroy();
  });

  test("GSSENCRequest: 'N', then the client asks for SSL and gets it", async () => {
    const { port, received } = await setup();
    const raw = await plainSocket(port);
    const answers = readBytes(raw, 2);
    raw.write(Buffer.concat([GSSENC_REQUEST, SSL_REQUEST]));
    expect((await answers).toString()).toBe("NS");
    const secure = tlsConnect({ socket: raw, rejectUnauthorized: false });
    await new Promise((resolve) => secure.once("secureConnect", resolve));
    secure.write(STARTUP);
    expect(await received(STARTUP.length)).toEqual(STARTUP);
    secure.destroy();
  });

  test("a client without SSL: its bytes pass through as they are, in pieces too", async () => {
    const { port, received } = await setup();
    const raw = await plainSocket(port);
    const reply = readBytes(raw, 7);
    raw.write(STARTUP.subarray(0, 5));
    await Bun.sleep(50);
    raw.write(STARTUP.subarray(5));
    expect(await received(STARTUP.length)).toEqual(STARTUP);
    expect((await reply).toString()).toBe(`seen ${STARTUP.length}`);
    raw.destroy();
  });
});
