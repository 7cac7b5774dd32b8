/**
 * X.509 certificates for `localhost` and 127.0.0.1, made in process with node:crypto (no
 * openssl binary: the embedded provider runs where nothing is installed): a self-signed one
 * for add-ons' TLS, and the platform's local CA with a server certificate it signs (the heroku
 * CLI's git and `heroku run` speak TLS only). RSA 2048 and SHA-256, valid for ten years. The
 * DER is written by hand (RFC 5280):
 *
 *   Certificate  ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature BIT STRING }
 *   TBSCertificate ::= SEQUENCE { [0] version v3, serialNumber, signature, issuer, validity,
 *                                 subject, subjectPublicKeyInfo, [3] extensions }
 */
import { createPrivateKey, generateKeyPair, type KeyObject, randomBytes, sign } from "node:crypto";
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
const TRUE = tlv(0x01, Buffer.from([0xff]));
const SHA256_WITH_RSA = seq(oid(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b), tlv(0x05));
const COMMON_NAME = oid(0x55, 0x04, 0x03);
const SUBJECT_ALT_NAME = oid(0x55, 0x1d, 0x11);
const BASIC_CONSTRAINTS = oid(0x55, 0x1d, 0x13);
const KEY_USAGE = oid(0x55, 0x1d, 0x0f);

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
function time(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z";
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(text.slice(2))) : tlv(0x18, Buffer.from(text));
}

const nameOf = (commonName: string) => seq(tlv(0x31, seq(COMMON_NAME, tlv(0x0c, Buffer.from(commonName)))));
const pem = (der: Buffer) => `-----BEGIN CERTIFICATE-----\n${der.toString("base64").match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----\n`;

interface CertificateRequest {
  readonly commonName: string;
  /** A CA (basicConstraints CA:TRUE, keyCertSign) rather than a server certificate for localhost and 127.0.0.1. */
  readonly ca?: boolean;
  /** The issuer's name and key; none: self-signed. */
  readonly issuer?: { readonly commonName: string; readonly key: KeyObject };
  readonly now?: Date;
}

async function makeCertificate(request: CertificateRequest): Promise<PemPair> {
  const now = request.now ?? new Date();
  const { publicKey, privateKey } = await promisify(generateKeyPair)("rsa", { modulusLength: 2048 });
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive, no leading zero byte
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(now.getUTCFullYear() + 10);
  const extensions = request.ca
    ? [seq(BASIC_CONSTRAINTS, TRUE, tlv(0x04, seq(TRUE))), seq(KEY_USAGE, TRUE, tlv(0x04, tlv(0x03, Buffer.from([0x01, 0x06]))))] // keyCertSign, cRLSign
    : [seq(SUBJECT_ALT_NAME, tlv(0x04, seq(tlv(0x82, Buffer.from("localhost")), tlv(0x87, Buffer.from([127, 0, 0, 1])))))];
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, serial),
    SHA256_WITH_RSA,
    nameOf(request.issuer?.commonName ?? request.commonName),
    seq(time(new Date(now.getTime() - 86_400_000)), time(notAfter)),
    nameOf(request.commonName),
    publicKey.export({ type: "spki", format: "der" }),
    tlv(0xa3, seq(...extensions)),
  );
  const der = seq(tbs, SHA256_WITH_RSA, tlv(0x03, Buffer.from([0]), sign("sha256", tbs, request.issuer?.key ?? privateKey)));
  return { cert: pem(der), key: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}

/** A self-signed server certificate for localhost and 127.0.0.1. */
export function makeSelfSigned(now = new Date()): Promise<PemPair> {
  return makeCertificate({ commonName: "localhost", now });
}

/** A CA (`commonName`) and a server certificate for localhost and 127.0.0.1 that it signs. */
export async function makeCaAndServer(commonName: string, now = new Date()): Promise<{ ca: PemPair; server: PemPair }> {
  const ca = await makeCertificate({ commonName, ca: true, now });
  const server = await makeCertificate({ commonName: "localhost", issuer: { commonName, key: createPrivateKey(ca.key) }, now });
  return { ca, server };
}
