/**
 * Qualified names written as strings ('schema.table', '"Mixed".name'), parsed the way PostgreSQL's
 * stringToQualifiedNameList does for regclass input and nextval('…').
 */
import { PgError } from '../utils/errors.js';

/** Splits 'a.b' / '"A".b' into identifier parts as PostgreSQL's stringToQualifiedNameList does. */
export function parseQualifiedName(text: string): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    let part = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            part += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        part += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== '.') part += text[i++];
      part = part.trim().toLowerCase();
    }
    parts.push(part);
    if (text[i] === '.') i++;
    else if (i < text.length) throw new PgError('42602', `invalid name syntax`);
  }
  return parts;
}
