/**
 * A named prepared statement (PQprepare / PQexecPrepared / PQdescribePrepared): its parameter
 * types and result columns as the server described them, executed with Bind/Execute only.
 */
import type { FieldDescription } from '@tuskdb/shared-protocol';
import type { QueryParam } from '../query/params.js';
import { toQueryResult, type QueryResult, type Result } from '../query/result.js';
import type { Connection, QueryOptions } from './connection.js';

export class PreparedStatement {
  constructor(
    private readonly conn: Connection,
    /** Statement name ('' = unnamed). */
    readonly name: string,
    readonly sql: string,
    /** Parameter type OIDs the server inferred or was given. */
    readonly paramTypes: number[],
    /** Result columns (empty for statements returning no rows). */
    readonly fields: FieldDescription[],
  ) {}

  execute<T = Record<string, unknown>>(
    params: readonly QueryParam[] = [],
    options: QueryOptions = {},
  ): Promise<QueryResult<T>> {
    return this.executeRaw(params, options).then((r) =>
      toQueryResult<T>(r, this.conn.types, options.rowMode ?? 'object'),
    );
  }

  executeRaw(params: readonly QueryParam[] = [], options: QueryOptions = {}): Promise<Result> {
    return this.conn.runExtended({ statement: this.name }, params, options);
  }

  /** Deallocates the statement on the server. */
  close(): Promise<void> {
    return this.conn.closeStatement(this.name);
  }
}
