/**
 * The server's TLS context (ssl_cert_file, ssl_key_file, optional ssl_ca_file), built once per
 * backend process and rebuilt only when the files' paths or modification times change (a reload
 * that replaces the certificate takes effect on the next connection, as in PostgreSQL).
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import type { ConnectionConfig } from '../main/ipc-protocol.js';

let cached: { key: string; context: tls.SecureContext } | undefined;

function resolve(dataDir: string, file: string): string {
  return path.isAbsolute(file) ? file : path.join(dataDir, file);
}

export function serverSecureContext(config: ConnectionConfig): tls.SecureContext {
  const cert = resolve(config.dataDir, config.sslCertFile);
  const key = resolve(config.dataDir, config.sslKeyFile);
  const ca = config.sslCaFile ? resolve(config.dataDir, config.sslCaFile) : '';
  const stamp = [cert, key, ca]
    .filter((f) => f !== '')
    .map((f) => `${f}@${statSync(f).mtimeMs}`)
    .join('|');
  if (cached?.key === stamp) return cached.context;
  const context = tls.createSecureContext({
    cert: readFileSync(cert),
    key: readFileSync(key),
    ...(ca ? { ca: readFileSync(ca) } : {}),
    minVersion: 'TLSv1.2',
  });
  cached = { key: stamp, context };
  return context;
}
