/** The self-signed certificate hoku makes in process (no openssl): what X.509 parsers and the key itself say of it. */
import { describe, expect, test } from "bun:test";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { makeSelfSigned } from "../../src/addons/self-signed.ts";

describe("makeSelfSigned", () => {
  test("localhost and 127.0.0.1, self-signed, its key, ten years from a day ago", async () => {
    const now = new Date("2026-03-01T12:00:00Z");
    const { cert, key } = await makeSelfSigned(now);
    expect(cert).toStartWith("-----BEGIN CERTIFICATE-----\n");
    expect(key).toStartWith("-----BEGIN PRIVATE KEY-----\n");
    const x509 = new X509Certificate(cert);
    expect(x509.subject).toBe("CN=localhost");
    expect(x509.issuer).toBe("CN=localhost");
    expect(x509.subjectAltName).toBe("DNS:localhost, IP Address:127.0.0.1");
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(new Date(x509.validFrom).toISOString()).toBe("2026-02-28T12:00:00.000Z");
    expect(new Date(x509.validTo).toISOString()).toBe("2036-03-01T12:00:00.000Z");
  });

  test("dates from 2050 on are GeneralizedTime (RFC 5280), and still parse", async () => {
    const x509 = new X509Certificate((await makeSelfSigned(new Date("2045-06-15T00:00:00Z"))).cert);
    expect(new Date(x509.validTo).toISOString()).toBe("2055-06-15T00:00:00.000Z");
    expect(Buffer.from(x509.raw).includes(Buffer.from("20550615000000Z"))).toBe(true);
  });
});
