/**
 * SSL and passwords for a Postgres server that has neither (PGlite): a front on the add-on's
 * port that speaks the start of the wire protocol, then passes the bytes to the server behind it.
 *
 *   SSLRequest     Int32 8, Int32 80877103  ->  'S', then a TLS handshake on the same socket
 *   GSSENCRequest  Int32 8, Int32 80877104  ->  'N' (no GSSAPI); the client then sends one of these again
 *   StartupMessage ->  with `auth`: an MD5 password exchange (postgres-auth.ts) first, a FATAL
 *                      28P01 and a closed socket for a wrong user or password; then it passes on
 *   anything else  (CancelRequest) passes through as is
 *
 * After an SSLRequest the client's StartupMessage and everything after it flow inside TLS.
 * The server behind should be reachable by hoku alone (a Unix socket in a 0700 folder).
 */
import { randomBytes } from "node:crypto";
import { connect, createServer, type Socket } from "node:net";
import { type SecureContext, TLSSocket } from "node:tls";
import { fatal, md5Answer, md5Request, passwordOf, startupParameters } from "./postgres-auth.ts";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

export interface TlsFront {
  stop(): Promise<void>;
}

/** Where the server behind listens. */
export type Upstream = { readonly host: string; readonly port: number } | { readonly path: string };

/** Listens on host:port; each client, once negotiated (and authenticated, with `auth`), is piped to `upstream`. */
export async function listenTlsFront(options: {
  host: string;
  port: number;
  secureContext: SecureContext;
  upstream: Upstream;
  auth?: { readonly user: string; readonly password: string };
}): Promise<TlsFront> {
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    return socket;
  };
  const server = createServer((socket) => {
    track(socket).on("error", () => socket.destroy());
    negotiate(socket, options.secureContext, async (client, negotiated) => {
      const head = options.auth ? await authenticate(client, negotiated, options.auth) : negotiated;
      if (!head) return void client.destroy();
      const upstream = options.upstream;
      const backend = track("path" in upstream ? connect(upstream.path) : connect(upstream.port, upstream.host));
      if (!("path" in upstream)) backend.setNoDelay(true);
      if (head.length > 0) backend.write(head);
      const close = () => {
        client.destroy();
        backend.destroy();
      };
      for (const end of [client, backend]) end.on("error", close).on("close", close);
      client.pipe(backend);
      backend.pipe(client);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Reads the client's first 8 bytes (twice after a GSSENCRequest) and calls `ready` with the
 * socket to use, TLS or plain, and the bytes read that belong to the server.
 */
function negotiate(socket: Socket, secureContext: SecureContext, ready: (client: Socket, head: Buffer) => void): void {
  socket.setNoDelay(true);
  const onReadable = () => {
    for (;;) {
      const head: Buffer | null = socket.read(8);
      if (head === null) return; // fewer than 8 bytes yet
      if (head.length < 8) return void socket.destroy(); // the client ended mid-request
      const code = head.readInt32BE(0) === 8 ? head.readInt32BE(4) : 0;
      if (code === GSSENC_REQUEST) {
        socket.write("N");
        continue;
      }
      socket.off("readable", onReadable);
      if (code !== SSL_REQUEST) return ready(socket, head);
      socket.write("S");
      const tls = new TLSSocket(socket, { isServer: true, secureContext });
      tls.on("error", () => socket.destroy());
      return ready(tls, Buffer.alloc(0));
    }
  };
  socket.on("readable", onReadable);
}

/** The next `n` bytes of a socket, `first` counted in; undefined if it ends before. */
function readExactly(socket: Socket, n: number, first: Buffer = Buffer.alloc(0)): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    let got: Buffer = first;
    const done = (value: Buffer | undefined) => {
      socket.off("readable", more).off("end", ended).off("close", ended);
      resolve(value);
    };
    const ended = () => done(undefined);
    const more = () => {
      for (let chunk: Buffer | null; got.length < n && (chunk = socket.read()) !== null; ) got = Buffer.concat([got, chunk]);
      if (got.length >= n) {
        if (got.length > n) socket.unshift(got.subarray(n));
        done(got.subarray(0, n));
      }
    };
    socket.on("readable", more).on("end", ended).on("close", ended);
    more();
  });
}

/**
 * The MD5 password exchange for a StartupMessage that starts with `negotiated`: resolves the
 * whole StartupMessage to hand to the server once the password is right, else undefined (the
 * client was told why). A CancelRequest passes as it came.
 */
async function authenticate(client: Socket, negotiated: Buffer, auth: { user: string; password: string }): Promise<Buffer | undefined> {
  // After an SSLRequest the StartupMessage is still to come, inside TLS.
  const head = await readExactly(client, 8, negotiated);
  if (!head) return undefined;
  const length = head.readInt32BE(0);
  if (length < 8 || length > 10_000) return undefined;
  const startup = await readExactly(client, length, head);
  const parameters = startup && startupParameters(startup);
  if (!parameters) return startup; // a CancelRequest: no password, as in Postgres
  const salt = randomBytes(4);
  client.write(md5Request(salt));
  const header = await readExactly(client, 5);
  if (!header || header[0] !== 0x70) return undefined;
  const message = await readExactly(client, header.readInt32BE(1) + 1, header);
  const user = parameters.user ?? "";
  if (message && user === auth.user && passwordOf(message) === md5Answer(user, auth.password, salt)) return startup;
  client.end(fatal("28P01", `password authentication failed for user "${user}"`));
  return undefined;
}
