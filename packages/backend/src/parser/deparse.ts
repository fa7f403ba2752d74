/**
 * Analyzed expressions back to SQL text, as PostgreSQL's ruleutils prints them for pg_get_expr,
 * pg_get_constraintdef and pg_get_indexdef in pretty mode: literals with their type labels,
 * implicit casts invisible, explicit ones as `::type`, operators infix with parentheses only
 * around nested operators.
 */
import { T, formatTypeWithTypmod, typeByOid, type FormatContext } from '../utils/adt/types.js';
import type { Expr } from './primnodes.js';

/** Quotes an identifier when PostgreSQL's quote_ident would. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !reservedWords.has(name)) return name;
  return '"' + name.replace(/"/g, '""') + '"';
}

/** Keywords quote_ident quotes (the reserved and type/function-name ones clients meet most). */
const reservedWords = new Set(
  `all analyse analyze and any array as asc asymmetric authorization between bigint binary bit
  boolean both case cast char character check coalesce collate collation column concurrently
  constraint create cross current_catalog current_date current_role current_schema current_time
  current_timestamp current_user dec decimal default deferrable desc distinct do else end except
  exists extract false fetch float for foreign freeze from full grant greatest group grouping
  having ilike in initially inner inout int integer intersect interval into is isnull join
  lateral leading least left like limit localtime localtimestamp national natural nchar none
  normalize not notnull null nullif numeric offset on only or order out outer overlaps overlay
  placing position precision primary real references returning right row select session_user
  setof similar smallint some substring symmetric system_user table tablesample then time
  timestamp to trailing treat trim true union unique user using values varchar variadic verbose
  when where window with xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces
  xmlparse xmlpi xmlroot xmlserialize xmltable`.split(/\s+/),
);

export function quoteLiteral(s: string): string {
  return (s.includes('\\') ? 'E' : '') + "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
}

export interface DeparseContext {
  format: FormatContext;
  /** ruleutils' pretty mode: parentheses only where precedence needs them. */
  pretty: boolean;
  /** Name of the column a Var at `index` refers to. */
  columnName(index: number): string;
}

function deparseConst(e: Extract<Expr, { k: 'const' }>, ctx: DeparseContext): string {
  if (e.value === null) return `NULL::${formatTypeWithTypmod(e.type, e.typmod)}`;
  const lit = e.literal;
  if (lit) {
    // Non-negative numeric literals print bare; negative ones quoted with their literal's type.
    if (!lit.text.startsWith('-')) return lit.text;
    return `'${lit.text}'::${formatTypeWithTypmod(lit.type, -1)}`;
  }
  const text = typeByOid(e.type).output(e.value, ctx.format);
  switch (e.type) {
    case T.bool:
      return e.value ? 'true' : 'false';
    case T.int4:
      if (!text.startsWith('-')) return text;
      break;
    case T.numeric:
      if (/^\d/.test(text) && /[.eE]/.test(text)) return text;
      break;
    case T.unknown:
      return quoteLiteral(text);
  }
  // The length coercion of a typed literal is implicit, so the label shows the bare type.
  return `${quoteLiteral(text)}::${formatTypeWithTypmod(e.type, -1)}`;
}

/** Whether `e` prints as a single token or call (needs no parentheses before `::`). */
function isSimple(e: Expr): boolean {
  if (e.k === 'var') return true;
  if (e.k === 'func') return e.display === undefined || typeof e.display === 'object';
  return e.k === 'coalesce' || e.k === 'minmax';
}

const arithmeticPrecedence: Record<string, number> = {
  '+': 1,
  '-': 1,
  '*': 2,
  '/': 2,
  '%': 2,
  '^': 3,
};

function isOperator(e: Expr): boolean {
  return e.k === 'func' && e.display === 'operator';
}

/** Whether `child` needs no parentheses as an operand of `parent` in pretty mode. */
function isSimpleUnder(child: Expr, parent: Expr): boolean {
  if (isOperator(child)) {
    if (parent.k === 'bool') return true;
    if (isOperator(parent) && parent.k === 'func' && child.k === 'func') {
      const c = arithmeticPrecedence[child.name];
      const p = arithmeticPrecedence[parent.name];
      return c !== undefined && p !== undefined && c > p;
    }
    return false;
  }
  if (child.k === 'bool') {
    if (parent.k !== 'bool' || child.op === 'not') return child.op === 'not' && parent.k === 'bool';
    return child.op === 'and' ? parent.op !== 'not' : parent.op === 'or';
  }
  return !(child.k === 'nulltest' || child.k === 'booltest' || child.k === 'saop');
}

function operand(e: Expr, parent: Expr, ctx: DeparseContext): string {
  const text = deparseExpr(e, ctx);
  // Non-pretty output already parenthesises every operator expression itself.
  if (!ctx.pretty) return text;
  return isSimpleUnder(e, parent) ? text : `(${text})`;
}

/** Non-pretty mode wraps every operator, boolean and test expression in parentheses. */
function wrap(text: string, ctx: DeparseContext): string {
  return ctx.pretty ? text : `(${text})`;
}

export function deparseExpr(e: Expr, ctx: DeparseContext): string {
  switch (e.k) {
    case 'const':
      return deparseConst(e, ctx);
    case 'var':
      return quoteIdent(ctx.columnName(e.index));
    case 'param':
      return `$${e.index + 1}`;
    case 'func': {
      const d = e.display;
      if (typeof d === 'object') return d.sql;
      if (d === 'implicit-cast') return deparseExpr(e.args[0]!, ctx);
      if (d === 'explicit-cast') {
        const arg = e.args[0]!;
        const inner = deparseExpr(arg, ctx);
        const shown = arg.k === 'const' || isSimple(arg) ? inner : `(${inner})`;
        return `${shown}::${formatTypeWithTypmod(e.type, e.typmod)}`;
      }
      if (d === 'operator') {
        if (e.args.length === 1) return wrap(`${e.name} ${operand(e.args[0]!, e, ctx)}`, ctx);
        return wrap(`${operand(e.args[0]!, e, ctx)} ${e.name} ${operand(e.args[1]!, e, ctx)}`, ctx);
      }
      return `${e.name}(${e.args.map((a) => deparseExpr(a, ctx)).join(', ')})`;
    }
    case 'bool':
      if (e.op === 'not') return wrap(`NOT ${operand(e.args[0]!, e, ctx)}`, ctx);
      return wrap(
        e.args.map((a) => operand(a, e, ctx)).join(e.op === 'and' ? ' AND ' : ' OR '),
        ctx,
      );
    case 'nulltest':
      return wrap(`${operand(e.arg, e, ctx)} IS ${e.isNull ? '' : 'NOT '}NULL`, ctx);
    case 'booltest':
      return wrap(`${operand(e.arg, e, ctx)} IS ${e.test.toUpperCase()}`, ctx);
    case 'case': {
      const whens = e.whens
        .map((w) => ` WHEN ${deparseExpr(w.cond, ctx)} THEN ${deparseExpr(w.result, ctx)}`)
        .join('');
      const otherwise =
        e.otherwise.k === 'const' && e.otherwise.value === null
          ? ''
          : ` ELSE ${deparseExpr(e.otherwise, ctx)}`;
      return `CASE${whens}${otherwise} END`;
    }
    case 'coalesce':
      return `COALESCE(${e.args.map((a) => deparseExpr(a, ctx)).join(', ')})`;
    case 'minmax':
      return `${e.op.toUpperCase()}(${e.args.map((a) => deparseExpr(a, ctx)).join(', ')})`;
    case 'array':
      return `ARRAY[${e.elements.map((a) => deparseExpr(a, ctx)).join(', ')}]`;
    case 'saop': {
      if (e.overArray) {
        const quant = e.useOr ? 'ANY' : 'ALL';
        const arr = deparseExpr(e.list[0]!, ctx);
        return wrap(`${operand(e.arg, e, ctx)} ${e.opName ?? '='} ${quant} (${arr})`, ctx);
      }
      const list = `ARRAY[${e.list.map((a) => deparseExpr(a, ctx)).join(', ')}]`;
      return wrap(`${operand(e.arg, e, ctx)} ${e.useOr ? '= ANY' : '<> ALL'} (${list})`, ctx);
    }
    case 'aggref':
    case 'sublink':
      return '...';
  }
}
