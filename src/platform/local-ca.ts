/**
 * The platform's local CA: the heroku CLI reaches git and `heroku run` over TLS only, and
 * verifies certificates, so the platform serves them with a server certificate its own CA
 * signs, and clients trust that CA alone (`hoku heroku:env` hands it to node and git through
 * the environment; nothing is added to the system's trust store). Made once, under the
 * platform's folder in `tls/`: the keys 0600, the folder 0700.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeCaAndServer, type PemPair } from "./certificate.ts";
import { ensureOwnedDir } from "./state-dir.ts";

export interface LocalTls {
  /** The CA certificate's file (what clients trust). */
  readonly caFile: string;
  /** The server certificate and key the platform's TLS listeners use. */
  readonly server: PemPair;
}

const FILES = ["ca.pem", "ca.key", "server.pem", "server.key"] as const;

export async function localTls(platformDir: string): Promise<LocalTls> {
  const dir = ensureOwnedDir(join(platformDir, "tls"));
  const path = (name: string) => join(dir, name);
  if (!FILES.every((name) => existsSync(path(name)))) {
    const { ca, server } = await makeCaAndServer("hoku local platform CA");
    const texts: Record<(typeof FILES)[number], string> = { "ca.pem": ca.cert, "ca.key": ca.key, "server.pem": server.cert, "server.key": server.key };
    // Each file whole or not at all: written aside, then renamed; the CA's certificate last (it marks the set complete).
    for (const name of [...FILES].reverse()) {
      writeFileSync(`${path(name)}.new`, texts[name], { mode: 0o600 });
      renameSync(`${path(name)}.new`, path(name));
    }
  }
  return { caFile: path("ca.pem"), server: { cert: readFileSync(path("server.pem"), "utf8"), key: readFileSync(path("server.key"), "utf8") } };
}
