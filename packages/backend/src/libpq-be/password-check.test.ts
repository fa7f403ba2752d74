import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleartextMatches,
  md5ResponseMatches,
  md5Verifier,
  scramVerifier,
  verifierKind,
} from './password-check.js';
import { ScramExchange, SCRAM } from './scram-exchange.js';
import { parseScramVerifier } from './password-check.js';
import { splitStartupOptions } from './startup-options.js';

const md5 = (s: Buffer | string) => createHash('md5').update(s).digest('hex');

describe('password verifiers', () => {
  it("md5 verifier is PostgreSQL's", () => {
    // SELECT 'md5' || md5('secret' || 'alice') in PostgreSQL.
    expect(md5Verifier('secret', 'alice')).toBe('md5' + md5('secretalice'));
    expect(verifierKind(md5Verifier('secret', 'alice'))).toBe('md5');
  });

  it('checks cleartext and md5 responses against every verifier kind', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.string({ maxLength: 10 }),
        (pw, other) => {
          const role = 'r';
          for (const v of [md5Verifier(pw, role), scramVerifier(pw, 16), pw]) {
            expect(cleartextMatches(v, role, pw)).toBe(true);
            if (other !== pw) expect(cleartextMatches(v, role, other)).toBe(false);
          }
          const salt = randomBytes(4);
          const response = 'md5' + md5(Buffer.concat([Buffer.from(md5(pw + role)), salt]));
          expect(md5ResponseMatches(md5Verifier(pw, role), role, salt, response)).toBe(true);
          expect(md5ResponseMatches(pw, role, salt, response)).toBe(true);
          expect(md5ResponseMatches(md5Verifier(pw + 'x', role), role, salt, response)).toBe(false);
        },
      ),
      { numRuns: 30 },
    );
  });
});

/** The client side of SCRAM, written from RFC 5802, to drive the server exchange. */
function clientProof(
  password: string,
  serverFirst: string,
  clientFirstBare: string,
  finalNoProof: string,
) {
  const attrs: Record<string, string> = Object.fromEntries(
    serverFirst.split(',').map((p) => [p[0]!, p.slice(2)]),
  );
  const salted = pbkdf2Sync(
    password,
    Buffer.from(attrs.s ?? '', 'base64'),
    Number(attrs.i),
    32,
    'sha256',
  );
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const auth = `${clientFirstBare},${serverFirst},${finalNoProof}`;
  const sig = createHmac('sha256', storedKey).update(auth).digest();
  const proof = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) proof[i] = clientKey[i]! ^ sig[i]!;
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return {
    proof: proof.toString('base64'),
    serverSig: createHmac('sha256', serverKey).update(auth).digest('base64'),
  };
}

describe('SCRAM-SHA-256 server exchange', () => {
  const run = (stored: string | undefined, password: string) => {
    const ex = new ScramExchange(stored ? parseScramVerifier(stored) : undefined, SCRAM, undefined);
    const bare = 'n=,r=clientnonce123';
    const serverFirst = ex.clientFirst('n,,' + bare);
    const nonce = /r=([^,]+)/.exec(serverFirst)![1]!;
    expect(nonce.startsWith('clientnonce123')).toBe(true);
    const finalNoProof = `c=${Buffer.from('n,,').toString('base64')},r=${nonce}`;
    const { proof, serverSig } = clientProof(password, serverFirst, bare, finalNoProof);
    const result = ex.clientFinal(`${finalNoProof},p=${proof}`);
    return { result, serverSig };
  };

  it('accepts the right password and proves itself', () => {
    const { result, serverSig } = run(scramVerifier('hunter2'), 'hunter2');
    expect(result).toBe(`v=${serverSig}`);
  });
  it('rejects a wrong password and a mock exchange', () => {
    expect(run(scramVerifier('hunter2'), 'hunter3').result).toBeUndefined();
    expect(run(undefined, 'anything').result).toBeUndefined();
  });
  it('rejects garbage with 08P01', () => {
    const ex = new ScramExchange(parseScramVerifier(scramVerifier('x')), SCRAM, undefined);
    expect(() => ex.clientFirst('garbage')).toThrow(/malformed SCRAM message/);
  });
});

describe('startup options', () => {
  it('splits PGOPTIONS as PostgreSQL does', () => {
    expect(splitStartupOptions('-c search_path=a\\ b --work-mem=4MB -cgeqo=off')).toEqual([
      ['search_path', 'a b'],
      ['work_mem', '4MB'],
      ['geqo', 'off'],
    ]);
    expect(() => splitStartupOptions('-B 10')).toThrow(
      'invalid command-line argument for server process: -B',
    );
  });
});
