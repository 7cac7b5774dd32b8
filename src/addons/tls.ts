/**
 * TLS for add-ons: Postgres always (Heroku Postgres requires SSL, so apps connect with
 * `sslmode=require`), heroku-redis when asked (`"options": {"tls": true}`). One
 * self-signed certificate per add-on, made once in process (self-signed.ts) and kept with
 * its data: the key 0600 in a 0700 folder, owned by the user the server runs as. Like
 * Heroku's, it is self-signed: clients skip verification (`sslmode=require`,
 * `redis-cli --insecure`, node-postgres `ssl: { rejectUnauthorized: false }`).
 */
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSelfSigned } from "../platform/certificate.ts";

export interface TlsFiles {
  readonly dir: string;
  readonly cert: string;
  readonly key: string;
}

/** Where a container gets the certificate and key (see tlsInContainer in docker-provider.ts). */
export const CONTAINER_TLS: TlsFiles = { dir: "/hoku-tls", cert: "/hoku-tls/cert.pem", key: "/hoku-tls/key.pem" };

export function wantsTls(options: Readonly<Record<string, unknown>>): boolean {
  return options.tls === true || options.tls === "true";
}

/** The certificate and key in `<parent>/tls`, created on first use; `owner` (the server's user, when not hoku's) gets them. */
export async function selfSignedCertificate(parent: string, owner?: { uid: number; gid: number }): Promise<TlsFiles> {
  const dir = join(parent, "tls");
  const files = { dir, cert: join(dir, "cert.pem"), key: join(dir, "key.pem") };
  if (!existsSync(files.cert) || !existsSync(files.key)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const made = await makeSelfSigned();
    writeFileSync(files.key, made.key, { mode: 0o600 });
    writeFileSync(files.cert, made.cert, { mode: 0o644 });
  }
  // Also for files made by an older hoku (0755 and 0644).
  chmodSync(dir, 0o700);
  chmodSync(files.key, 0o600);
  chmodSync(files.cert, 0o644);
  if (owner) for (const path of [dir, files.cert, files.key]) chownSync(path, owner.uid, owner.gid);
  return files;
}

/** redis-server options for TLS on `port`, next to its plain port. */
export function redisTlsArgs(files: { cert: string; key: string }, port: number): string[] {
  return ["--tls-port", String(port), "--tls-cert-file", files.cert, "--tls-key-file", files.key, "--tls-ca-cert-file", files.cert, "--tls-auth-clients", "no"];
}

/** postgres options for SSL with these files (plain connections still work, as `sslmode=prefer` expects). */
export function postgresTlsArgs(files: { cert: string; key: string }): string[] {
  return ["-c", "ssl=on", "-c", `ssl_cert_file=${files.cert}`, "-c", `ssl_key_file=${files.key}`];
}
