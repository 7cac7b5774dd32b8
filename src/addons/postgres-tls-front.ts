/**
 * SSL for a Postgres server that has none (PGlite): a front on the add-on's port that
 * speaks the start of the wire protocol, then passes the bytes to the server behind it.
 *
 *   SSLRequest     Int32 8, Int32 80877103  ->  'S', then a TLS handshake on the same socket
 *   GSSENCRequest  Int32 8, Int32 80877104  ->  'N' (no GSSAPI); the client then sends one of these again
 *   anything else  (StartupMessage, CancelRequest) passes through as is, unencrypted
 *
 * After an SSLRequest the client's StartupMessage and everything after it flow inside TLS.
 */
import { connect, createServer, type Socket } from "node:net";
import { type SecureContext, TLSSocket } from "node:tls";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

export interface TlsFront {
  stop(): Promise<void>;
}

/** Listens on host:port; each client, once negotiated, is piped to `upstream`. */
export async function listenTlsFront(options: { host: string; port: number; secureContext: SecureContext; upstream: { host: string; port: number } }): Promise<TlsFront> {
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    return socket;
  };
  const server = createServer((socket) => {
    track(socket).on("error", () => socket.destroy());
    negotiate(socket, options.secureContext, (client, head) => {
      const backend = track(connect(options.upstream.port, options.upstream.host));
      backend.setNoDelay(true);
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
