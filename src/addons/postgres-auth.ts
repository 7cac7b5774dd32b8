/**
 * Password authentication of the Postgres wire protocol, for the front of a server that has
 * none (PGlite): MD5, as Postgres does it (pure, no I/O).
 *
 *   StartupMessage   Int32 len, Int32 196608 (3.0), then name\0value\0 pairs, \0
 *   AuthenticationMD5Password   'R', Int32 12, Int32 5, Byte4 salt
 *   PasswordMessage  'p', Int32 len, "md5" + md5hex(md5hex(password + user) + salt), \0
 *   ErrorResponse    'E', Int32 len, fields (S severity, V, C SQLSTATE, M message), \0
 */
import { createHash } from "node:crypto";

export const PROTOCOL_3 = 196608;
export const CANCEL_REQUEST = 80877102;

/** The parameters of a StartupMessage (the whole message, length included), or undefined if it is not one. */
export function startupParameters(message: Buffer): Record<string, string> | undefined {
  if (message.length < 8 || message.readInt32BE(4) !== PROTOCOL_3) return undefined;
  const parts = message.subarray(8).toString("utf8").split("\0");
  const parameters: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length && parts[i] !== ""; i += 2) parameters[parts[i]!] = parts[i + 1]!;
  return parameters;
}

export function md5Request(salt: Buffer): Buffer {
  const message = Buffer.alloc(13);
  message.write("R", 0);
  message.writeInt32BE(12, 1);
  message.writeInt32BE(5, 5);
  salt.copy(message, 9, 0, 4);
  return message;
}

const md5hex = (data: string | Buffer) => createHash("md5").update(data).digest("hex");

/** What the client must send for this user, password and salt: `md5` and 32 hex digits. */
export function md5Answer(user: string, password: string, salt: Buffer): string {
  return `md5${md5hex(Buffer.concat([Buffer.from(md5hex(password + user)), salt]))}`;
}

/** The password string of a PasswordMessage ('p' message, type byte included), or undefined. */
export function passwordOf(message: Buffer): string | undefined {
  if (message.length < 6 || message[0] !== 0x70) return undefined;
  const end = message.indexOf(0, 5);
  return message.subarray(5, end < 0 ? message.length : end).toString("utf8");
}

/** A FATAL ErrorResponse with a SQLSTATE and a message. */
export function fatal(code: string, text: string): Buffer {
  const body = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${text}\0\0`);
  const message = Buffer.alloc(5 + body.length);
  message.write("E", 0);
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return message;
}
