/**
 * A self-signed X.509 certificate for `localhost` and 127.0.0.1, made in process with
 * node:crypto (no openssl binary: the embedded provider runs where nothing is installed).
 * RSA 2048 and SHA-256, valid for ten years. The DER is written by hand (RFC 5280):
 *
 *   Certificate  ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature BIT STRING }
 *   TBSCertificate ::= SEQUENCE { [0] version v3, serialNumber, signature, issuer, validity,
 *                                 subject, subjectPublicKeyInfo, [3] extensions (subjectAltName) }
 */
import { generateKeyPair, randomBytes, sign } from "node:crypto";
import { promisify } from "node:util";

export interface PemPair {
  readonly cert: string;
  readonly key: string;
}

/** A DER tag-length-value. */
function tlv(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

const seq = (...content: Uint8Array[]) => tlv(0x30, ...content);
const oid = (...bytes: number[]) => tlv(0x06, Buffer.from(bytes));
const SHA256_WITH_RSA = seq(oid(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b), tlv(0x05));
const COMMON_NAME = oid(0x55, 0x04, 0x03);
const SUBJECT_ALT_NAME = oid(0x55, 0x1d, 0x11);

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
function time(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z";
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(text.slice(2))) : tlv(0x18, Buffer.from(text));
}

export async function makeSelfSigned(now = new Date()): Promise<PemPair> {
  const { publicKey, privateKey } = await promisify(generateKeyPair)("rsa", { modulusLength: 2048 });
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive, no leading zero byte
  const name = seq(tlv(0x31, seq(COMMON_NAME, tlv(0x0c, Buffer.from("localhost")))));
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(now.getUTCFullYear() + 10);
  const altNames = seq(tlv(0x82, Buffer.from("localhost")), tlv(0x87, Buffer.from([127, 0, 0, 1])));
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, serial),
    SHA256_WITH_RSA,
    name,
    seq(time(new Date(now.getTime() - 86_400_000)), time(notAfter)),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    tlv(0xa3, seq(seq(SUBJECT_ALT_NAME, tlv(0x04, altNames)))),
  );
  const der = seq(tbs, SHA256_WITH_RSA, tlv(0x03, Buffer.from([0]), sign("sha256", tbs, privateKey)));
  const lines = der.toString("base64").match(/.{1,64}/g)!.join("\n");
  return { cert: `-----BEGIN CERTIFICATE-----\n${lines}\n-----END CERTIFICATE-----\n`, key: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}
