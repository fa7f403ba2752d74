/**
 * tls-server-end-point channel binding data (RFC 5929): the hash of the server's DER certificate
 * with the hash function of its signature algorithm, SHA-256 when that is MD5 or SHA-1. Node does
 * not expose the signature algorithm, so the certificate's outer AlgorithmIdentifier OID is read
 * from the DER directly.
 */
import { createHash } from 'node:crypto';

/** Reads a DER tag+length at `pos`; returns [contentStart, contentEnd]. */
function tlv(der: Uint8Array, pos: number): [number, number] {
  let p = pos + 1;
  let len = der[p++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[p++]!;
  }
  return [p, p + len];
}

function oidText(bytes: Uint8Array): string {
  const parts = [Math.floor(bytes[0]! / 40), bytes[0]! % 40];
  let v = 0;
  for (let i = 1; i < bytes.length; i++) {
    v = v * 128 + (bytes[i]! & 0x7f);
    if (!(bytes[i]! & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** The OID of the certificate's signatureAlgorithm. */
export function signatureAlgorithmOid(der: Uint8Array): string {
  const [certStart] = tlv(der, 0); // Certificate SEQUENCE
  const [, tbsEnd] = tlv(der, certStart); // tbsCertificate
  const [algStart] = tlv(der, tbsEnd); // signatureAlgorithm SEQUENCE
  const [oidStart, oidEnd] = tlv(der, algStart); // OBJECT IDENTIFIER
  return oidText(der.subarray(oidStart, oidEnd));
}

const HASH_BY_OID: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'sha256', // md5WithRSA → SHA-256 per RFC 5929
  '1.2.840.113549.1.1.5': 'sha256', // sha1WithRSA
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.10045.4.1': 'sha256', // ecdsa-with-SHA1
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.113549.1.1.10': 'sha256', // RSASSA-PSS: parameters not inspected; SHA-256 is the usual
};

/** The channel binding data for a server certificate (DER). */
export function tlsServerEndPoint(der: Uint8Array): Buffer {
  const oid = signatureAlgorithmOid(der);
  const hash = HASH_BY_OID[oid];
  if (!hash) throw new Error(`could not find digest for NID ${oid}`);
  return createHash(hash).update(der).digest();
}
