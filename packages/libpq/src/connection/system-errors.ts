/**
 * Node's socket error codes as the C library's strerror / gai_strerror texts, so connection
 * failures read exactly as libpq's do ("Connection refused", "No such file or directory" …).
 */
const STRERROR: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ENOENT: 'No such file or directory',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ECONNRESET: 'Connection reset by peer',
  EPIPE: 'Broken pipe',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EADDRINUSE: 'Address already in use',
  ENOTDIR: 'Not a directory',
  ENAMETOOLONG: 'File name too long',
  ENOTSOCK: 'Socket operation on non-socket',
};

const GAI: Record<string, string> = {
  ENOTFOUND: 'Name or service not known',
  EAI_AGAIN: 'Temporary failure in name resolution',
  EAI_FAIL: 'Non-recoverable failure in name resolution',
  EAI_NONAME: 'Name or service not known',
};

export function strerror(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && STRERROR[code]) return STRERROR[code];
  return err instanceof Error ? err.message : String(err);
}

export function gaiStrerror(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && GAI[code]) return GAI[code];
  return strerror(err);
}
