/*
 * access/sequence.ts — sequence storage (PostgreSQL's sequence.c, storage part).
 *
 * A sequence is one record [S][relFileId] -> last_value:i64, is_called:u8.
 * nextval/setval are single LMDB write transactions: atomic across
 * processes and, as in PostgreSQL, never rolled back with the transaction.
 */
import type { RelFileId, SequenceParams, SequenceState, SequenceStore, Snapshot } from './api.js';
import { SnapshotImpl } from './snapshot.js';
import type { LmdbEnv } from '../storage/env.js';
import { SEQUENCE, key32 } from '../storage/keys.js';
import { SqlState, storageError } from '../storage/errors.js';

function encodeState(last: bigint, isCalled: boolean): Buffer {
  const b = Buffer.allocUnsafe(9);
  b.writeBigInt64BE(last, 0);
  b[8] = isCalled ? 1 : 0;
  return b;
}

function decodeState(b: Buffer): SequenceState {
  return { lastValue: b.readBigInt64BE(0), isCalled: b[8] === 1 };
}

export class SequenceStoreImpl implements SequenceStore {
  private readonly env: LmdbEnv;

  constructor(env: LmdbEnv) {
    this.env = env;
  }

  create(relFileId: RelFileId, params: SequenceParams): void {
    this.env.write(() => {
      this.env.put(key32(SEQUENCE, relFileId), encodeState(params.start, false));
    });
  }

  drop(relFileId: RelFileId): void {
    this.env.write(() => {
      this.env.del(key32(SEQUENCE, relFileId));
    });
  }

  nextval(relFileId: RelFileId, p: SequenceParams, name: string): bigint {
    const key = key32(SEQUENCE, relFileId);
    return this.env.write(() => {
      const cur = this.env.get(key);
      if (!cur)
        throw storageError(SqlState.internalError, `sequence storage ${relFileId} is missing`);
      const s = decodeState(cur);
      let next: bigint;
      if (!s.isCalled) {
        next = s.lastValue;
      } else {
        next = s.lastValue + p.increment;
        if (p.increment > 0n && next > p.maxValue) {
          if (!p.cycle) {
            throw storageError(
              SqlState.sequenceGeneratorLimitExceeded,
              `nextval: reached maximum value of sequence "${name}" (${p.maxValue})`,
            );
          }
          next = p.minValue;
        } else if (p.increment < 0n && next < p.minValue) {
          if (!p.cycle) {
            throw storageError(
              SqlState.sequenceGeneratorLimitExceeded,
              `nextval: reached minimum value of sequence "${name}" (${p.minValue})`,
            );
          }
          next = p.maxValue;
        }
      }
      this.env.put(key, encodeState(next, true));
      return next;
    });
  }

  setval(
    relFileId: RelFileId,
    p: SequenceParams,
    name: string,
    value: bigint,
    isCalled: boolean,
  ): void {
    if (value < p.minValue || value > p.maxValue) {
      throw storageError(
        SqlState.numericValueOutOfRange,
        `setval: value ${value} is out of bounds for sequence "${name}" (${p.minValue}..${p.maxValue})`,
      );
    }
    this.env.write(() => {
      this.env.put(key32(SEQUENCE, relFileId), encodeState(value, isCalled));
    });
  }

  read(relFileId: RelFileId, snapshot?: Snapshot): SequenceState | undefined {
    let v: Buffer | undefined;
    if (snapshot instanceof SnapshotImpl) {
      v = this.env.get(key32(SEQUENCE, relFileId), snapshot.readTxnFor(this.env));
    } else {
      this.env.refresh();
      v = this.env.get(key32(SEQUENCE, relFileId));
    }
    return v ? decodeState(v) : undefined;
  }
}
