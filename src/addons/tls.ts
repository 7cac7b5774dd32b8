/**
 * TLS for add-ons that ask for it (heroku-redis with `"options": {"tls": true}`): a
 * self-signed certificate per add-on, made once with openssl and kept with its data.
 * Like Heroku's, it is self-signed: clients must skip verification (redis-cli --insecure).
 */
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { HokuError } from "../app/problem.ts";
import { runCaptured } from "../runtime/run-captured.ts";

export interface TlsFiles {
  readonly dir: string;
  readonly cert: string;
  readonly key: string;
}

export function wantsTls(options: Readonly<Record<string, unknown>>): boolean {
  return options.tls === true || options.tls === "true";
}

/** The add-on's certificate and key in `<dataDir>/tls`, created on first use. */
export async function selfSignedCertificate(dataDir: string): Promise<TlsFiles> {
  const dir = join(dataDir, "tls");
  const files = { dir, cert: join(dir, "cert.pem"), key: join(dir, "key.pem") };
  if (existsSync(files.cert) && existsSync(files.key)) return files;
  const openssl = Bun.which("openssl");
  if (!openssl) throw new HokuError("TLS was asked for, and making its certificate needs openssl\n    hint: apt-get install openssl, or drop \"tls\" from the add-on's options");
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const made = await runCaptured([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", files.key, "-out", files.cert]);
  if (made.code !== 0) throw new HokuError(`openssl could not make a certificate: ${made.stderr}`);
  // Read by the server's own user inside a container; a local, self-signed development key.
  chmodSync(files.key, 0o644);
  return files;
}

/** redis-server options for TLS on `port`, next to its plain port. */
export function redisTlsArgs(files: { cert: string; key: string }, port: number): string[] {
  return ["--tls-port", String(port), "--tls-cert-file", files.cert, "--tls-key-file", files.key, "--tls-ca-cert-file", files.cert, "--tls-auth-clients", "no"];
}
