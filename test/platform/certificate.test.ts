/** The self-signed certificate hoku makes in process (no openssl): what X.509 parsers and the key itself say of it. */
import { describe, expect, test } from "bun:test";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { makeCaAndServer, makeSelfSigned } from "../../src/platform/certificate.ts";

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

describe("makeCaAndServer", () => {
  test("a CA (CA:TRUE) and a server certificate for localhost and 127.0.0.1 that it signs and Node's TLS accepts", async () => {
    const { ca, server } = await makeCaAndServer("hoku local CA");
    const caCert = new X509Certificate(ca.cert);
    const serverCert = new X509Certificate(server.cert);
    expect(caCert.ca).toBe(true);
    expect(caCert.subject).toBe("CN=hoku local CA");
    expect(serverCert.ca).toBe(false);
    expect(serverCert.issuer).toBe("CN=hoku local CA");
    expect(serverCert.subjectAltName).toBe("DNS:localhost, IP Address:127.0.0.1");
    expect(serverCert.checkIssued(caCert)).toBe(true);
    expect(serverCert.verify(caCert.publicKey)).toBe(true);
    expect(serverCert.checkPrivateKey(createPrivateKey(server.key))).toBe(true);
    // A real handshake: trusted through the CA alone, refused without it.
    const listener = Bun.serve({ hostname: "127.0.0.1", port: 0, tls: { cert: server.cert, key: server.key }, fetch: () => new Response("over tls") });
    try {
      const trusted = await fetch(`https://127.0.0.1:${listener.port}/`, { tls: { ca: ca.cert } });
      expect(await trusted.text()).toBe("over tls");
      expect((await fetch(`https://localhost:${listener.port}/`, { tls: { ca: ca.cert } })).status).toBe(200);
      await expect(fetch(`https://127.0.0.1:${listener.port}/`)).rejects.toThrow();
    } finally {
      listener.stop(true);
    }
  });
});
