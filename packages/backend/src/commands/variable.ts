/**
 * SET, RESET and SHOW (PostgreSQL's guc_funcs / variable.c): turns the statement's arguments into
 * the setting's text form (lists such as search_path are joined and quoted as PostgreSQL does) and
 * produces SHOW's one-column result.
 */
import type { Node, VariableSetStmt } from 'libpg-query';
import { PgError } from '../utils/errors.js';
import type { SessionSettings } from '../utils/guc.js';

function quoteIdentifierIfNeeded(s: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(s)) return s;
  return '"' + s.replace(/"/g, '""') + '"';
}

function argText(n: Node, isList: boolean): string {
  if ('A_Const' in n) {
    const c = n.A_Const;
    if (c.sval !== undefined)
      return isList ? quoteIdentifierIfNeeded(c.sval.sval ?? '') : (c.sval.sval ?? '');
    if (c.ival !== undefined) return String(c.ival.ival ?? 0);
    if (c.fval !== undefined) return c.fval.fval ?? '';
    if (c.boolval !== undefined) return c.boolval.boolval ? 'on' : 'off';
  }
  if ('TypeCast' in n && n.TypeCast.arg) return argText(n.TypeCast.arg, isList);
  throw new PgError('42601', 'syntax error in SET value');
}

const listSettings = new Set(['search_path']);

/** The text a SET name = … statement assigns (lists such as search_path joined and quoted). */
export function setValueText(stmt: VariableSetStmt): string {
  const name = stmt.name ?? '';
  const isList = listSettings.has(name.toLowerCase());
  const args = stmt.args ?? [];
  if (args.length > 1 && !isList) throw new PgError('22023', `SET ${name} takes only one argument`);
  return args.map((a) => argText(a, isList)).join(', ');
}

/** Applies a SET / RESET statement. */
export function executeSet(
  settings: SessionSettings,
  stmt: VariableSetStmt,
  inTransactionBlock: boolean,
  superuser: boolean,
  warn: (msg: string, code: string) => void,
): void {
  const name = stmt.name ?? '';
  switch (stmt.kind) {
    case 'VAR_RESET_ALL':
      settings.resetAll();
      return;
    case 'VAR_RESET':
    case 'VAR_SET_DEFAULT':
      settings.set(name, null, { local: stmt.is_local === true, givenName: name, superuser });
      return;
    case 'VAR_SET_MULTI': {
      // SET TRANSACTION … / SET SESSION CHARACTERISTICS AS TRANSACTION …
      const session = name === 'SESSION CHARACTERISTICS';
      for (const a of stmt.args ?? []) {
        const d = (a as Extract<Node, { DefElem: unknown }>).DefElem;
        const value = d.arg ? argText(d.arg, false) : '';
        const guc = d.defname ?? '';
        const target = session ? `default_${guc}` : guc;
        if (!session && !inTransactionBlock) {
          warn('SET TRANSACTION can only be used in transaction blocks', '25P01');
          continue;
        }
        settings.set(target, value === 'on' || value === 'off' ? value : value, {
          local: !session,
          givenName: target,
          superuser,
        });
      }
      return;
    }
    case 'VAR_SET_VALUE': {
      if (stmt.is_local && !inTransactionBlock) {
        warn('SET LOCAL can only be used in transaction blocks', '25P01');
      }
      const gucName = name === 'timezone' ? 'TimeZone' : name;
      const args = stmt.args ?? [];
      const isList = listSettings.has(gucName.toLowerCase());
      if (args.length > 1 && !isList)
        throw new PgError('22023', `SET ${name} takes only one argument`);
      const text = args.map((a) => argText(a, isList)).join(', ');
      settings.set(gucName, text, { local: stmt.is_local === true, givenName: name, superuser });
      return;
    }
    default:
      throw new PgError('0A000', `SET ${stmt.kind ?? ''} is not supported yet`);
  }
}

/** SHOW name → [column name, value]. */
export function executeShow(
  settings: SessionSettings,
  name: string,
): { column: string; value: string } {
  const lower = name.toLowerCase();
  if (lower === 'time zone' || lower === 'timezone')
    return { column: 'TimeZone', value: settings.show('TimeZone') };
  if (lower === 'transaction isolation level')
    return { column: 'transaction_isolation', value: settings.show('transaction_isolation') };
  if (lower === 'session authorization')
    return { column: 'session_authorization', value: settings.show('session_authorization') };
  return { column: settings.canonicalName(name), value: settings.show(name) };
}
