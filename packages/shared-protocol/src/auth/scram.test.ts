// SCRAM-SHA-256: the RFC 7677 test vector, client↔server round trips, and every failure path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthenticationError } from './errors.js';
import { ScramClient } from './scram-client.js';
import { ScramServer, type ScramServerOptions } from './scram-server.js';
import {
  mockScramVerifier,
  parseScramVerifier,
  scramKeys,
  scramVerifier,
  scramVerifyPlainPassword,
} from './scram-verifier.js';
import { hmacSha256, xorBytes } from './scram-primitives.js';

// RFC 7677 §3.
const RFC = {
  clientNonce: 'rOprNGfwEbeRWgbNEkqO',
  serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  salt: Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'),
  clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
  serverFirst:
    'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal:
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,' +
    'p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};

/**
 * Passwords mixing ASCII with characters SASLprep cares about: mapped to nothing or to space,
 * changed by NFKC, right-to-left, prohibited, unassigned in Unicode 3.2, astral.
 */
const codePoint = fc
  .oneof(
    fc.integer({ min: 0x20, max: 0x7e }),
    fc.integer({ min: 0x80, max: 0x33ff }),
    fc.constantFrom(0xad, 0x2168, 0xa0, 0x200b, 0xfb01, 0x627, 0x5d0, 0x1f600, 0xe000, 0x7),
    fc.integer({ min: 0x10000, max: 0x10ffff }),
  )
  .filter((cp) => cp < 0xd800 || cp > 0xdfff);
const passwordArb = fc
  .array(codePoint, { minLength: 1, maxLength: 12 })
  .map((cps) => String.fromCodePoint(...cps));

function rejection(fn: () => unknown): AuthenticationError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AuthenticationError);
    return err as AuthenticationError;
  }
  throw new Error('expected an AuthenticationError');
}

/** One full exchange; returns the server's verdict (after the client checked it, if ok). */
function exchange(
  password: string,
  serverOptions: ScramServerOptions,
  client: ScramClient = new ScramClient({ password }),
) {
  const server = new ScramServer(serverOptions);
  const serverFirst = server.handleClientFirst(client.clientFirstMessage());
  const result = server.handleClientFinal(client.handleServerFirst(serverFirst));
  if (result.ok) client.handleServerFinal(result.serverFinal);
  return result;
}

describe('RFC 7677 test vector', () => {
  const verifier = scramVerifier('pencil', { salt: RFC.salt, iterations: 4096 });

  it('client produces the exact messages', () => {
    const client = new ScramClient({
      password: 'pencil',
      username: 'user',
      nonce: RFC.clientNonce,
    });
    expect(client.mechanism).toBe('SCRAM-SHA-256');
    expect(client.clientFirstMessage()).toBe(RFC.clientFirst);
    expect(client.handleServerFirst(RFC.serverFirst)).toBe(RFC.clientFinal);
    expect(() => client.handleServerFinal(RFC.serverFinal)).not.toThrow();
    expect(client.done).toBe(true);
  });

  it('server produces the exact messages', () => {
    const server = new ScramServer({ verifier, nonce: RFC.serverNonce });
    expect(server.handleClientFirst(RFC.clientFirst)).toBe(RFC.serverFirst);
    expect(server.handleClientFinal(RFC.clientFinal)).toEqual({
      ok: true,
      serverFinal: RFC.serverFinal,
    });
  });

  it('verifier text round-trips and checks plain passwords', () => {
    const parsed = parseScramVerifier(verifier);
    expect(parsed?.iterations).toBe(4096);
    expect(parsed?.salt.equals(RFC.salt)).toBe(true);
    expect(verifier).toMatch(/^SCRAM-SHA-256\$4096:W22ZaJ0SNY7soEsUEjb6gQ==\$[^:]{44}:[^:]{44}$/);
    expect(scramVerifyPlainPassword('pencil', verifier)).toBe(true);
    expect(scramVerifyPlainPassword('pencil!', verifier)).toBe(false);
    expect(parseScramVerifier('md5' + '0'.repeat(32))).toBeUndefined();
    expect(parseScramVerifier(verifier.replace('4096', '0'))).toBeUndefined();
    expect(parseScramVerifier(verifier.slice(0, -2))).toBeUndefined();
  });

  it('client rejects a tampered server signature', () => {
    const client = new ScramClient({
      password: 'pencil',
      username: 'user',
      nonce: RFC.clientNonce,
    });
    client.clientFirstMessage();
    client.handleServerFirst(RFC.serverFirst);
    const tampered = 'v=' + Buffer.alloc(32, 7).toString('base64');
    const err = rejection(() => client.handleServerFinal(tampered));
    expect(err.message).toBe('incorrect server signature');
    expect(err.code).toBe('28P01');
    expect(client.done).toBe(false);
  });
});

describe('round trips', () => {
  it('any password (unicode included) authenticates against its own verifier', () => {
    fc.assert(
      fc.property(passwordArb, fc.integer({ min: 1, max: 64 }), (password, iterations) => {
        const verifier = scramVerifier(password, { iterations });
        expect(exchange(password, { verifier }).ok).toBe(true);
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('a different password fails with invalid-proof', () => {
    fc.assert(
      fc.property(passwordArb, passwordArb, (a, b) => {
        // Different after SASLprep (equivalent passwords rightly authenticate each other).
        const fixed = { iterations: 2, salt: Buffer.alloc(16) };
        fc.pre(scramVerifier(a, fixed) !== scramVerifier(b, fixed));
        const verifier = scramVerifier(a, { iterations: 2 });
        expect(exchange(b, { verifier })).toEqual({ ok: false, reason: 'invalid-proof' });
      }),
      { numRuns: 100 },
    );
  });

  it('SASLprep-equivalent passwords authenticate each other (as in PostgreSQL)', () => {
    const verifier = scramVerifier('I\u00adX\u2168', { iterations: 8 });
    expect(exchange('IXIX', { verifier }).ok).toBe(true);
  });

  it('channel binding: matching data succeeds, other data fails', () => {
    const verifier = scramVerifier('pw', { iterations: 8 });
    const data = Buffer.alloc(32, 1);
    const plus = (d: Uint8Array) =>
      new ScramClient({
        password: 'pw',
        channelBinding: { type: 'tls-server-end-point', data: d },
      });
    const c = plus(data);
    expect(c.mechanism).toBe('SCRAM-SHA-256-PLUS');
    expect(c.clientFirstMessage()).toMatch(/^p=tls-server-end-point,,n=,r=/);
    const opts: ScramServerOptions = {
      verifier,
      mechanism: 'SCRAM-SHA-256-PLUS',
      channelBinding: { data },
    };
    expect(exchange('pw', opts, plus(data)).ok).toBe(true);
    const err = rejection(() => exchange('pw', opts, plus(Buffer.alloc(32, 2))));
    expect([err.code, err.message]).toEqual(['28000', 'SCRAM channel binding check failed']);
  });

  it("'y' flag: accepted without server support, refused when the server could bind", () => {
    const verifier = scramVerifier('pw', { iterations: 8 });
    const y = () =>
      new ScramClient({ password: 'pw', channelBinding: 'client-supports-but-not-used' });
    expect(y().clientFirstMessage()).toMatch(/^y,,n=,r=/);
    expect(exchange('pw', { verifier }, y()).ok).toBe(true);
    const err = rejection(() =>
      exchange('pw', { verifier, channelBinding: { data: Buffer.alloc(32) } }, y()),
    );
    expect(err.message).toBe('SCRAM channel binding negotiation error');
    expect(err.detail).toBe(
      'The client supports SCRAM channel binding but thinks the server does not.  However, this server does support channel binding.',
    );
  });

  it('doomed exchange for unknown users: stable fake salt, always fails', () => {
    const serverSecret = Buffer.from('installation secret');
    const mock = { username: 'nobody', serverSecret };
    const s1 = new ScramServer({ mock }).handleClientFirst('n,,n=,r=abc');
    const s2 = new ScramServer({ mock }).handleClientFirst('n,,n=,r=abc');
    const salt = (s: string) => /,s=([^,]+),/.exec(s)![1];
    expect(salt(s1)).toBe(salt(s2));
    expect(s1).toMatch(/,i=4096$/);
    expect(salt(s1)).toBe(mockScramVerifier('nobody', serverSecret).salt.toString('base64'));
    const other = new ScramServer({ mock: { username: 'somebody', serverSecret } });
    expect(salt(other.handleClientFirst('n,,n=,r=abc'))).not.toBe(salt(s1));
    expect(exchange('anything', { mock })).toEqual({ ok: false, reason: 'no-valid-secret' });
    // An MD5 secret is not a SCRAM secret: doomed too.
    const md5 = { verifier: 'md5' + 'a'.repeat(32), mock };
    expect(new ScramServer(md5).isDoomed).toBe(true);
  });
});

describe('server rejects malformed messages with PostgreSQL texts', () => {
  const verifier = scramVerifier('pw', { iterations: 2 });
  const first = (msg: string, extra: Partial<ScramServerOptions> = {}) =>
    rejection(() => new ScramServer({ verifier, ...extra }).handleClientFirst(msg));
  const cases: Array<[string, string, string | undefined]> = [
    ['', 'malformed SCRAM message', 'The message is empty.'],
    ['x,,n=,r=a', 'malformed SCRAM message', 'Unexpected channel-binding flag "\'x\'".'],
    ['n;,n=,r=a', 'malformed SCRAM message', 'Comma expected, but found character "\';\'".'],
    ['p=tls-server-end-point,,n=,r=a', 'malformed SCRAM message',
      'The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message includes channel binding data.'],
    ['n,a=x,n=,r=a', 'client uses authorization identity, but it is not supported', undefined],
    ['n,b,n=,r=a', 'malformed SCRAM message', 'Unexpected attribute "\'b\'" in client-first-message.'],
    ['n,,m=x,n=,r=a', 'client requires an unsupported SCRAM extension', undefined],
    ['n,,r=a', 'malformed SCRAM message', 'Expected attribute "n" but found "\'r\'".'],
    ['n,,n=,r', 'malformed SCRAM message', 'Expected character "=" for attribute "r".'],
    ['n,,n=,r=a,1', 'malformed SCRAM message', 'Attribute expected, but found invalid character "\'1\'".'],
    ['n,,n=,r=a\x7f', 'non-printable characters in SCRAM nonce', undefined],
  ]; // prettier-ignore
  for (const [msg, message, detail] of cases) {
    it(JSON.stringify(msg), () => {
      const err = first(msg);
      expect([err.message, err.detail]).toEqual([message, detail]);
      expect(err.code).toBe(message.startsWith('client') ? '0A000' : '08P01');
    });
  }

  it('PLUS without channel-binding data in the message', () => {
    const err = first('n,,n=,r=a', {
      mechanism: 'SCRAM-SHA-256-PLUS',
      channelBinding: { data: Buffer.alloc(32) },
    });
    expect(err.detail).toBe(
      'The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include channel binding data.',
    );
    const err2 = first('p=tls-unique,,n=,r=a', {
      mechanism: 'SCRAM-SHA-256-PLUS',
      channelBinding: { data: Buffer.alloc(32) },
    });
    expect(err2.message).toBe('unsupported SCRAM channel-binding type "tls-unique"');
  });

  it('client-final errors', () => {
    const run = (mangle: (final: string) => string) => {
      const client = new ScramClient({ password: 'pw' });
      const server = new ScramServer({ verifier });
      const final = client.handleServerFirst(server.handleClientFirst(client.clientFirstMessage()));
      return rejection(() => server.handleClientFinal(mangle(final)));
    };
    expect(run((f) => f.replace('c=biws', 'c=eSws')).message).toBe(
      'unexpected SCRAM channel-binding attribute in client-final-message',
    );
    const nonce = run((f) => f.replace(',r=', ',r=X'));
    expect([nonce.message, nonce.detail]).toEqual([
      'invalid SCRAM response',
      'Nonce does not match.',
    ]);
    expect(run((f) => f.replace(/p=.*$/, 'p=abcd')).detail).toBe(
      'Malformed proof in client-final-message.',
    );
    expect(run((f) => f + ',x=1').detail).toBe('Garbage found at the end of client-final-message.');
  });

  it('client-final extensions before the proof are covered by the proof', () => {
    const server = new ScramServer({ verifier, nonce: 'SN' });
    const clientFirstBare = 'n=,r=CN';
    const serverFirst = server.handleClientFirst('n,,' + clientFirstBare);
    const withoutProof = 'c=biws,r=CNSN,x=ext';
    const v = parseScramVerifier(verifier)!;
    const keys = scramKeys('pw', v.salt, v.iterations);
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const proof = xorBytes(keys.clientKey, hmacSha256(keys.storedKey, authMessage));
    const result = server.handleClientFinal(`${withoutProof},p=${proof.toString('base64')}`);
    expect(result).toEqual({
      ok: true,
      serverFinal: 'v=' + hmacSha256(keys.serverKey, authMessage).toString('base64'),
    });
  });
});

describe('client rejects malformed server messages with libpq texts', () => {
  const started = () => {
    const c = new ScramClient({ password: 'pw', nonce: 'abc' });
    c.clientFirstMessage();
    return c;
  };
  const cases: Array<[string, string]> = [
    ['', 'malformed SCRAM message (empty message)'],
    ['r=abd1,s=AAAA,i=1', 'invalid SCRAM response (nonce mismatch)'],
    ['r=abc,s=AAAA,i=1', 'invalid SCRAM response (nonce mismatch)'],
    ['s=AAAA', 'malformed SCRAM message (attribute "r" expected)'],
    ['r=abc1,s=A!,i=1', 'malformed SCRAM message (invalid salt)'],
    ['r=abc1,s=AAAA,i=0', 'malformed SCRAM message (invalid iteration count)'],
    ['r=abc1,s=AAAA,i=x', 'malformed SCRAM message (invalid iteration count)'],
    ['r=abc1,s=AAAA,i=1,x=y', 'malformed SCRAM message (garbage at end of server-first-message)'],
  ];
  for (const [msg, text] of cases) {
    it(JSON.stringify(msg), () => {
      expect(rejection(() => started().handleServerFirst(msg)).message).toBe(text);
    });
  }

  it('server-final errors', () => {
    const final = (msg: string) => {
      const c = started();
      c.handleServerFirst('r=abc1,s=AAAA,i=1');
      return rejection(() => c.handleServerFinal(msg)).message;
    };
    expect(final('e=other-error')).toBe(
      'error received from server in SCRAM exchange: other-error',
    );
    expect(final('v=AAAA')).toBe('malformed SCRAM message (invalid server signature)');
    expect(final('v=AAAA,x')).toBe(
      'malformed SCRAM message (garbage at end of server-final-message)',
    );
  });

  it('enforces the order of calls', () => {
    const c = new ScramClient({ password: 'pw' });
    expect(rejection(() => c.handleServerFirst('r=x,s=AAAA,i=1')).message).toBe(
      'invalid SCRAM exchange state',
    );
  });
});
