/**
 * The `tls-server-end-point` channel binding of RFC 5929, the only one PostgreSQL supports: the
 * binding data is a hash of the server's certificate (DER), with the certificate's own signature
 * hash — except that MD5 and SHA-1 are replaced by SHA-256.
 */
import { createHash } from 'node:crypto';

export const TLS_SERVER_END_POINT = 'tls-server-end-point';

/** Signature algorithm OIDs → the hash that signs, per RFC 5929 §4.1 choice. */
const SIGNATURE_HASHES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.1.1.4', 'sha256'], // md5WithRSAEncryption → SHA-256
  ['1.2.840.113549.1.1.5', 'sha256'], // sha1WithRSAEncryption → SHA-256
  ['1.2.840.113549.1.1.11', 'sha256'], // sha256WithRSAEncryption
  ['1.2.840.113549.1.1.12', 'sha384'], // sha384WithRSAEncryption
  ['1.2.840.113549.1.1.13', 'sha512'], // sha512WithRSAEncryption
  ['1.2.840.113549.1.1.14', 'sha224'], // sha224WithRSAEncryption
  ['1.2.840.10045.4.1', 'sha256'], // ecdsa-with-SHA1 → SHA-256
  ['1.2.840.10045.4.3.1', 'sha224'], // ecdsa-with-SHA224
  ['1.2.840.10045.4.3.2', 'sha256'], // ecdsa-with-SHA256
  ['1.2.840.10045.4.3.3', 'sha384'], // ecdsa-with-SHA384
  ['1.2.840.10045.4.3.4', 'sha512'], // ecdsa-with-SHA512
  ['1.2.840.10040.4.3', 'sha256'], // dsa-with-sha1 → SHA-256
  ['2.16.840.1.101.3.4.3.1', 'sha224'], // dsa-with-sha224
  ['2.16.840.1.101.3.4.3.2', 'sha256'], // dsa-with-sha256
]);

/** Minimal DER walker: reads one TLV at `pos`, returns the content's bounds. */
function readTlv(der: Uint8Array, pos: number): { tag: number; start: number; end: number } {
  const tag = der[pos];
  let len = der[pos + 1];
  if (tag === undefined || len === undefined) throw new Error('truncated certificate');
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('unsupported DER length');
    len = 0;
    for (let i = 0; i < n; i++) {
      const b = der[start + i];
      if (b === undefined) throw new Error('truncated certificate');
      len = len * 256 + b;
    }
    start += n;
  }
  const end = start + len;
  if (end > der.length) throw new Error('truncated certificate');
  return { tag, start, end };
}

function decodeOid(bytes: Uint8Array): string {
  const parts: number[] = [];
  let value = 0;
  for (const b of bytes) {
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (parts.length === 0)
        parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** The OID of a DER certificate's signatureAlgorithm (Certificate ::= SEQUENCE { tbs, alg, sig }). */
export function certificateSignatureAlgorithm(certDer: Uint8Array): string {
  const cert = readTlv(certDer, 0);
  if (cert.tag !== 0x30) throw new Error('not a DER certificate');
  const tbs = readTlv(certDer, cert.start);
  const alg = readTlv(certDer, tbs.end);
  if (alg.tag !== 0x30) throw new Error('not a DER certificate');
  const oid = readTlv(certDer, alg.start);
  if (oid.tag !== 0x06) throw new Error('not a DER certificate');
  return decodeOid(certDer.subarray(oid.start, oid.end));
}

/**
 * The channel-binding data for `tls-server-end-point`: the hash of the server certificate (DER).
 * Throws for signature algorithms without a single hash (RSASSA-PSS, Ed25519, …), where
 * PostgreSQL fails too ("could not determine server certificate signature algorithm").
 */
export function tlsServerEndPointData(certDer: Uint8Array): Buffer {
  const oid = certificateSignatureAlgorithm(certDer);
  const hash = SIGNATURE_HASHES.get(oid);
  if (!hash) throw new Error('could not determine server certificate signature algorithm');
  return createHash(hash).update(certDer).digest();
}
