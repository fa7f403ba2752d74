// tls-server-end-point data: the certificate hash follows its signature algorithm (RFC 5929),
// with MD5/SHA-1 upgraded to SHA-256. Certificates are made by openssl for each algorithm.
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateSignatureAlgorithm, tlsServerEndPointData } from './channel-binding.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tusk-cb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A self-signed certificate's DER for a key type and digest (undefined: the key's own). */
function certificate(name: string, keyArgs: string[], digest?: string): Buffer {
  const key = path.join(dir, `${name}.key`);
  const crt = path.join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', ...keyArgs, ...(digest ? [`-${digest}`] : []),
    '-nodes', '-subj', '/CN=x', '-days', '1', '-keyout', key, '-out', crt], { stdio: 'ignore' }); // prettier-ignore
  return Buffer.from(new X509Certificate(readFileSync(crt)).raw);
}

const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

describe('tlsServerEndPointData', () => {
  const cases: Array<[string, string, string]> = [
    ['sha1', '1.2.840.10045.4.1', 'sha256'],
    ['sha224', '1.2.840.10045.4.3.1', 'sha224'],
    ['sha256', '1.2.840.10045.4.3.2', 'sha256'],
    ['sha384', '1.2.840.10045.4.3.3', 'sha384'],
    ['sha512', '1.2.840.10045.4.3.4', 'sha512'],
  ];
  for (const [digest, oid, hash] of cases) {
    it(`ECDSA with ${digest} → ${hash}`, () => {
      const der = certificate(`ec-${digest}`, ec, digest);
      expect(certificateSignatureAlgorithm(der)).toBe(oid);
      expect(tlsServerEndPointData(der)).toEqual(createHash(hash).update(der).digest());
    });
  }

  it('Ed25519 has no separate hash: refused as PostgreSQL does', () => {
    const der = certificate('ed25519', ['-newkey', 'ed25519']);
    expect(certificateSignatureAlgorithm(der)).toBe('1.3.101.112');
    expect(() => tlsServerEndPointData(der)).toThrow(
      'could not determine server certificate signature algorithm',
    );
  });

  it('rejects what is not a certificate', () => {
    expect(() => tlsServerEndPointData(Buffer.from([0x30, 0x05, 0x01]))).toThrow();
    expect(() => tlsServerEndPointData(Buffer.from('hello'))).toThrow();
  });
});
