// Expands PROMPT1/2/3 escapes: %/ database, %~ (~ for the default database), %R input state,
// %x transaction status, %# # for superusers, %M/%m host, %> port, %n user, %p backend pid,
// %l line number, %:name: variables, %[ %] (invisible markers, dropped), %% and octal %NNN.
import type { PsqlState } from './state.js';

export function expandPrompt(
  template: string,
  state: PsqlState,
  statusChar: string,
  lineNumber: number,
): string {
  const s = state.session;
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template.charAt(i);
    if (ch !== '%' || i + 1 >= template.length) {
      out += ch;
      continue;
    }
    const c = template.charAt(++i);
    switch (c) {
      case '/':
        out += s?.params.database ?? '';
        break;
      case '~':
        out += s ? (s.params.database === s.params.user ? '~' : s.params.database) : '';
        break;
      case 'R':
        out += s === null ? '!' : statusChar;
        break;
      case 'x': {
        const t = s?.transactionStatus();
        out += t === 'T' ? '*' : t === 'E' ? '!' : t === 'unknown' ? '?' : '';
        break;
      }
      case '#':
        out += s?.parameterStatus('is_superuser') === 'on' ? '#' : '>';
        break;
      case 'M':
      case 'm': {
        const h = s?.params.host ?? '';
        out += h.startsWith('/')
          ? c === 'M'
            ? '[local:' + h + ']'
            : '[local]'
          : c === 'm'
            ? (h.split('.')[0] ?? h)
            : h;
        break;
      }
      case '>':
        out += s ? String(s.params.port) : '';
        break;
      case 'n':
        out += s?.params.user ?? '';
        break;
      case 'p':
        out += s ? String(s.backendPid) : '';
        break;
      case 'l':
        out += String(lineNumber);
        break;
      case '[':
      case ']':
        break;
      case ':': {
        const end = template.indexOf(':', i + 1);
        if (end < 0) break;
        out += state.vars.get(template.slice(i + 1, end)) ?? '';
        i = end;
        break;
      }
      case '%':
        out += '%';
        break;
      default:
        if (/[0-7]/.test(c)) {
          const m = /^[0-7]{1,3}/.exec(template.slice(i))?.[0] ?? '0';
          out += String.fromCharCode(parseInt(m, 8));
          i += m.length - 1;
        } else out += c;
    }
  }
  return out;
}
