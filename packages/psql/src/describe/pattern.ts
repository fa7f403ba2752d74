// psql's object name patterns (processSQLNamePattern): "schema.name" with * and ? wildcards,
// unquoted letters folded to lower case, "double quotes" for exact text, turned into anchored
// regular expressions compared with OPERATOR(pg_catalog.~), plus the visibility test used when
// no schema is given.

export interface PatternColumns {
  /** Column compared with the object-name part. */
  nameColumn: string;
  /** Column compared with the schema part (null: the object kind has no schema). */
  schemaColumn: string | null;
  /** Visibility expression added when no schema part is given (e.g. pg_table_is_visible(c.oid)). */
  visibility: string | null;
}

export interface PatternClause {
  /** The conditions joined by "\n  AND ", or '' when the pattern matches everything. */
  clause: string;
  error?: string;
}

/** Splits a pattern into dot-separated parts, converting each to a regex body. */
export function patternParts(pattern: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let inQuotes = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern.charAt(i);
    if (ch === '"') {
      if (inQuotes && pattern.charAt(i + 1) === '"') {
        cur += '"';
        i++;
      } else inQuotes = !inQuotes;
    } else if (!inQuotes && ch === '.') {
      parts.push(cur);
      cur = '';
    } else if (!inQuotes && ch === '*') cur += '.*';
    else if (!inQuotes && ch === '?') cur += '.';
    else if (!inQuotes && /[A-Z]/.test(ch)) cur += ch.toLowerCase();
    else if (/[|*+?()[\]{}.^$\\]/.test(ch)) cur += '\\' + ch;
    else cur += ch;
  }
  parts.push(cur);
  return parts;
}

const literal = (s: string): string =>
  (s.includes('\\') ? "E'" : "'") + s.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";

function condition(column: string, regex: string): string {
  return `${column} OPERATOR(pg_catalog.~) ${literal('^(' + regex + ')$')} COLLATE pg_catalog.default`;
}

export function processPattern(pattern: string | null, cols: PatternColumns): PatternClause {
  const conds: string[] = [];
  if (pattern === null) {
    if (cols.visibility) conds.push(cols.visibility);
    return { clause: conds.join('\n  AND ') };
  }
  const parts = patternParts(pattern);
  if (parts.length > (cols.schemaColumn ? 3 : 2)) {
    return { clause: '', error: `improper qualified name (too many dotted names): ${pattern}` };
  }
  const name = parts[parts.length - 1] ?? '';
  const schema = cols.schemaColumn && parts.length >= 2 ? (parts[parts.length - 2] ?? '') : null;
  if (name !== '.*' && name !== '') conds.push(condition(cols.nameColumn, name));
  if (schema !== null && cols.schemaColumn) {
    if (schema !== '.*' && schema !== '') conds.push(condition(cols.schemaColumn, schema));
  } else if (cols.visibility) conds.push(cols.visibility);
  return { clause: conds.join('\n  AND ') };
}
