/**
 * Transaction-block state of a session (PostgreSQL's xact.c TBLOCK states, seen from the SQL
 * layer): autocommit statements, implicit blocks (a multi-statement Query message, or extended-
 * protocol messages up to Sync), explicit BEGIN blocks, the failed state, and savepoints. The
 * storage transaction is started lazily at the first statement that needs one, so BEGIN followed
 * by SET TRANSACTION ISOLATION LEVEL works as in PostgreSQL.
 */
import { nowMicros } from '../utils/clock.js';
import type { Cluster, IsolationLevel, Transaction } from '../access/api.js';
import { PgError } from '../utils/errors.js';
import type { SessionSettings } from '../utils/guc.js';
import { findGuc } from '../utils/guc-tables.js';

export type BlockState = 'none' | 'implicit' | 'explicit' | 'failed';

export class TransactionState {
  block: BlockState = 'none';
  txn: Transaction | undefined;
  /** Savepoint names, outermost first; each maps to one storage subtransaction level. */
  savepoints: string[] = [];
  /** GUC frame depth at each savepoint (for ROLLBACK TO). */
  private savepointFrames: number[] = [];
  private afterCommit: Array<() => void> = [];
  catalogChanged = false;
  /** Microsecond timestamp of the transaction's start (now()). */
  startTimestamp = 0n;
  /** The block began with BEGIN (for the 'T' vs 'I' status of an implicit block). */
  private settingsFramePushed = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly settings: SessionSettings,
    private readonly onCatalogChange: () => void,
    private readonly onCatalogCommit: () => void,
    /** Transaction end, for session objects tied to it (portals): before commit, or on abort. */
    private readonly onEnd: (phase: 'precommit' | 'abort') => void = () => undefined,
    /** Work that must succeed before COMMIT (deferred constraint checks). */
    private readonly beforeCommit: () => Promise<void> = () => Promise.resolve(),
  ) {}

  /** ReadyForQuery status. */
  get status(): 'I' | 'T' | 'E' {
    if (this.block === 'failed') return 'E';
    if (this.block === 'explicit') return 'T';
    return 'I';
  }

  get inBlock(): boolean {
    return this.block === 'explicit' || this.block === 'failed';
  }

  /** Called before any statement runs: the session's view of "a transaction is open". */
  startIfIdle(kind: 'none' | 'implicit'): void {
    if (this.block === 'none' && kind === 'implicit') this.block = 'implicit';
    if (!this.settingsFramePushed) {
      this.settings.pushFrame();
      this.settingsFramePushed = true;
      this.startTimestamp = nowMicros();
    }
  }

  /** The storage transaction, begun on first use. */
  storage(): Transaction {
    if (this.block === 'failed') throw abortedError();
    if (!this.txn) {
      const iso = this.settings.getString('transaction_isolation') as
        IsolationLevel | 'read uncommitted';
      this.txn = this.cluster.beginTransaction({
        isolation: iso === 'read uncommitted' ? 'read committed' : iso,
        readOnly: this.settings.getBool('transaction_read_only'),
        lockTimeoutMs: this.settings.getInt('lock_timeout'),
      });
      for (let i = 0; i < this.savepoints.length; i++) this.txn.beginSubtransaction();
    }
    return this.txn;
  }

  get hasStorageTransaction(): boolean {
    return this.txn !== undefined;
  }

  onCommit(fn: () => void): void {
    this.afterCommit.push(fn);
  }

  markCatalogChanged(): void {
    this.catalogChanged = true;
    this.onCatalogChange();
  }

  begin(): void {
    if (this.block === 'explicit' || this.block === 'failed') {
      throw new PgError('25001', 'there is already a transaction in progress', {
        severity: 'WARNING',
      });
    }
    this.startIfIdle('none');
    this.block = 'explicit';
    // transaction_isolation starts from default_transaction_isolation in each transaction.
    const def = findGuc('transaction_isolation')!;
    this.settings.assign(def, this.settings.getString('default_transaction_isolation'), true);
    this.settings.assign(
      findGuc('transaction_read_only')!,
      this.settings.getBool('default_transaction_read_only'),
      true,
    );
  }

  /** Commits whatever is open (COMMIT, end of an implicit block, autocommit statement). */
  async commit(): Promise<void> {
    if (this.txn) {
      try {
        await this.beforeCommit();
      } catch (err) {
        this.abort();
        throw err;
      }
    }
    this.onEnd('precommit');
    const txn = this.txn;
    const after = this.afterCommit;
    const changed = this.catalogChanged;
    this.reset();
    if (txn) await txn.commit();
    this.settings.commitTransaction();
    if (changed) this.onCatalogCommit();
    for (const fn of after) fn();
  }

  /** Aborts whatever is open (ROLLBACK, or an error outside a block). */
  abort(): void {
    this.onEnd('abort');
    const txn = this.txn;
    const changed = this.catalogChanged;
    this.reset();
    txn?.abort();
    this.settings.abortTransaction();
    if (changed) this.onCatalogChange();
  }

  private reset(): void {
    this.txn = undefined;
    this.block = 'none';
    this.savepoints = [];
    this.savepointFrames = [];
    this.afterCommit = [];
    this.catalogChanged = false;
    this.settingsFramePushed = false;
  }

  /** An error happened inside an explicit block: it stays open, failed, until ROLLBACK. */
  fail(): void {
    this.block = 'failed';
    if (this.savepoints.length === 0 && this.txn) {
      // Nothing can be rolled back to: release the storage transaction now.
      this.txn.abort();
      this.txn = undefined;
    }
    if (this.catalogChanged) this.onCatalogChange();
  }

  savepoint(name: string): void {
    if (!this.inBlock)
      throw new PgError('25P01', 'SAVEPOINT can only be used in transaction blocks');
    if (this.block === 'failed') throw abortedError();
    this.txn?.beginSubtransaction();
    this.savepoints.push(name);
    this.settings.pushFrame();
    this.savepointFrames.push(this.settings.frameDepth - 1);
  }

  private findSavepoint(name: string, verb: string): number {
    if (!this.inBlock) throw new PgError('25P01', `${verb} can only be used in transaction blocks`);
    const i = this.savepoints.lastIndexOf(name);
    if (i < 0) throw new PgError('3B001', `savepoint "${name}" does not exist`);
    return i;
  }

  release(name: string): void {
    if (this.block === 'failed') throw abortedError();
    const i = this.findSavepoint(name, 'RELEASE SAVEPOINT');
    while (this.savepoints.length > i) {
      this.txn?.releaseSubtransaction();
      this.savepoints.pop();
    }
    this.settings.releaseFrames(this.savepointFrames[i]! + 1);
    this.savepointFrames.length = i;
  }

  rollbackTo(name: string): void {
    const i = this.findSavepoint(name, 'ROLLBACK TO SAVEPOINT');
    if (this.block === 'failed' && !this.txn && this.savepoints.length > 0) {
      // The storage transaction is gone only when there were no savepoints; defensive.
      throw abortedError();
    }
    while (this.savepoints.length > i + 1) {
      this.txn?.rollbackSubtransaction();
      this.savepoints.pop();
      this.savepointFrames.pop();
    }
    // Undo the savepoint's own subtransaction and open it again (the savepoint stays).
    if (this.txn) {
      this.txn.rollbackSubtransaction();
      this.txn.beginSubtransaction();
    }
    this.settings.rollbackToFrame(this.savepointFrames[i]!);
    this.block = 'explicit';
    if (this.catalogChanged) this.onCatalogChange();
  }
}

export function abortedError(): PgError {
  return new PgError(
    '25P02',
    'current transaction is aborted, commands ignored until end of transaction block',
  );
}
