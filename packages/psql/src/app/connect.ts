// Opening connections: the startup connection and \c / \connect, with psql's messages, and the
// variables that describe the connection (DBNAME, USER, HOST, PORT, ENCODING, SERVER_VERSION_*).
import type { SlashCommandScanner } from '../lexer/slash-scanner.js';
import type { ConnectParams, Session } from '../conn/session.js';
import { ConnectError } from '../conn/session.js';
import { connectWire } from '../conn/wire-client.js';
import { connectLibpq } from '../conn/libpq-session.js';
import { isConnString, passwordFromPgpass, resolveConnectParams } from '../conn/params.js';
import type { PsqlState } from './state.js';
import type { MetaStatus } from './main-loop.js';
import { formatServerMessage } from './error-format.js';
import { stdoutTarget } from './output.js';

/** psql's text for a failed connection attempt (without the "psql: error: " prefix). */
export function connectionFailure(p: ConnectParams, reason: string): string {
  const where = p.host.startsWith('/')
    ? `connection to server on socket "${p.host}/.s.PGSQL.${p.port}" failed: `
    : `connection to server at "${p.host}", port ${p.port} failed: `;
  let hint = '';
  if (reason === 'Connection refused' || reason === 'No such file or directory') {
    hint = p.host.startsWith('/')
      ? '\n\tIs the server running locally and accepting connections on that socket?'
      : '\n\tIs the server running on that host and accepting TCP/IP connections?';
  }
  return where + reason + hint;
}

/** Which client library carries the connection: @tuskdb/libpq unless TUSK_PSQL_TRANSPORT=wire. */
export function useLibpq(env: NodeJS.ProcessEnv): boolean {
  return env.TUSK_PSQL_TRANSPORT !== 'wire';
}

/**
 * Opens a session. With libpq the failure message is already libpq's full text; with the
 * built-in wire client it is wrapped like libpq's here (connectionFailure).
 */
export async function openSessionFor(
  request: {
    host?: string | undefined;
    port?: string | undefined;
    user?: string | undefined;
    dbname?: string | undefined;
  },
  password: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<Session> {
  if (useLibpq(env)) {
    const r: { host?: string; port?: string; user?: string; dbname?: string; password?: string } =
      {};
    if (request.host !== undefined) r.host = request.host;
    if (request.port !== undefined) r.port = request.port;
    if (request.user !== undefined) r.user = request.user;
    if (request.dbname !== undefined) r.dbname = request.dbname;
    if (password !== undefined) r.password = password;
    return connectLibpq(r, env);
  }
  const params = resolveConnectParams(request, env);
  if (password !== undefined) params.password = password;
  try {
    return await openSession(params, env);
  } catch (e) {
    if (e instanceof ConnectError)
      throw new ConnectError(connectionFailure(params, e.message), e.needsPassword);
    throw e;
  }
}

export async function openSession(params: ConnectParams, env: NodeJS.ProcessEnv): Promise<Session> {
  if (params.password === undefined) {
    const pw = passwordFromPgpass(params, env);
    if (pw !== undefined) params.password = pw;
  }
  return connectWire(params);
}

export function syncConnectionVariables(state: PsqlState): void {
  const s = state.session;
  if (s === null) return;
  state.vars.setRaw('DBNAME', s.params.database);
  state.vars.setRaw('USER', s.params.user);
  state.vars.setRaw('HOST', s.params.host);
  state.vars.setRaw('PORT', String(s.params.port));
  state.vars.setRaw('ENCODING', s.parameterStatus('client_encoding') ?? 'UTF8');
  const version = s.parameterStatus('server_version') ?? '';
  state.vars.setRaw('SERVER_VERSION_NAME', version);
  const m = /^(\d+)(?:\.(\d+))?/.exec(version);
  const major = Number(m?.[1] ?? 0);
  const minor = Number(m?.[2] ?? 0);
  state.vars.setRaw(
    'SERVER_VERSION_NUM',
    String(major >= 10 ? major * 10000 + minor : major * 10000 + minor * 100),
  );
  s.onNotice((n) => {
    state.info(
      formatServerMessage(n, {
        verbosity: state.verbosity,
        showContext: state.showContext,
        query: null,
        isError: false,
      }),
    );
  });
}

/** \c [dbname [user [host [port]]]] or \c conninfo; "-" keeps the current value. */
export async function connectCommand(
  state: PsqlState,
  args: SlashCommandScanner,
): Promise<MetaStatus> {
  const cur = state.session?.params;
  const first = args.next();
  const keep = (v: string | null): string | undefined => (v === null || v === '-' ? undefined : v);
  let params: ConnectParams;
  if (first !== null && isConnString(first)) {
    params = resolveConnectParams(
      { dbname: first, host: undefined },
      {
        ...process.env,
        PGHOST: cur?.host,
        PGPORT: cur ? String(cur.port) : undefined,
        PGUSER: cur?.user,
      },
    );
  } else {
    const user = args.next();
    const host = args.next();
    const port = args.next();
    params = resolveConnectParams(
      {
        dbname: keep(first) ?? cur?.database,
        user: keep(user) ?? cur?.user,
        host: keep(host) ?? cur?.host,
        port: keep(port) ?? (cur ? String(cur.port) : undefined),
      },
      process.env,
    );
    if (cur?.password !== undefined && params.user === cur.user) params.password = cur.password;
  }
  while (args.next() !== null);
  let session: Session;
  try {
    session = await openSessionFor(
      { host: params.host, port: String(params.port), user: params.user, dbname: params.database },
      params.password,
      process.env,
    );
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    state.error(`\\connect: ${msg}`);
    if (!state.interactive) {
      await state.session?.close();
      state.session = null;
    } else state.error('Previous connection kept');
    return 'error';
  }
  await state.session?.close();
  state.session = session;
  syncConnectionVariables(state);
  if (!state.quiet) {
    const p = session.params;
    const sameHost = cur !== undefined && cur.host === p.host && cur.port === p.port;
    stdoutTarget.write(
      sameHost
        ? `You are now connected to database "${p.database}" as user "${p.user}".\n`
        : p.host.startsWith('/')
          ? `You are now connected to database "${p.database}" as user "${p.user}" via socket in "${p.host}" at port "${p.port}".\n`
          : `You are now connected to database "${p.database}" as user "${p.user}" on host "${p.host}" at port "${p.port}".\n`,
    );
  }
  return 'ok';
}
