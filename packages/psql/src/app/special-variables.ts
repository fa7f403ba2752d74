// The variables psql treats specially: their validation, their defaults when unset, and the
// settings they drive.
import type { PsqlState } from './state.js';
import { parseBool } from './variables.js';
import type { VariableHook } from './variables.js';

function boolHook(name: string, apply: (b: boolean) => void, unsetValue = 'off'): VariableHook {
  return (value) => {
    const v = value ?? unsetValue;
    const b = parseBool(v);
    if (b === null)
      return { ok: false, message: `unrecognized value "${v}" for "${name}": Boolean expected` };
    apply(b);
    return { ok: true, value: v };
  };
}

function enumHook(
  name: string,
  allowed: string[],
  apply: (v: string) => void,
  unsetValue: string,
): VariableHook {
  return (value) => {
    const v = value ?? unsetValue;
    const match = allowed.find((a) => a === v.toLowerCase());
    if (match === undefined)
      return {
        ok: false,
        message: `unrecognized value "${v}" for "${name}"\nAvailable values are: ${allowed.join(', ')}.`,
      };
    apply(match);
    return { ok: true, value: v };
  };
}

function intHook(name: string, apply: (n: number) => void, unsetValue = '0'): VariableHook {
  return (value) => {
    const v = value ?? unsetValue;
    if (!/^\s*[+-]?\d+\s*$/.test(v))
      return { ok: false, message: `invalid value "${v}" for "${name}": integer expected` };
    apply(parseInt(v, 10));
    return { ok: true, value: v };
  };
}

export function installSpecialVariables(
  state: PsqlState,
  version: { name: string; num: string; full: string },
): void {
  const vars = state.vars;
  vars.setRaw('VERSION', version.full);
  vars.setRaw('VERSION_NAME', version.name);
  vars.setRaw('VERSION_NUM', version.num);
  vars.hook(
    'AUTOCOMMIT',
    boolHook('AUTOCOMMIT', (b) => (state.autocommit = b), 'on'),
    'on',
  );
  vars.hook(
    'ON_ERROR_STOP',
    boolHook('ON_ERROR_STOP', (b) => (state.onErrorStop = b)),
    'off',
  );
  vars.hook(
    'QUIET',
    boolHook('QUIET', (b) => (state.quiet = b)),
    'off',
  );
  vars.hook(
    'SINGLELINE',
    boolHook('SINGLELINE', (b) => (state.singleLine = b)),
    'off',
  );
  vars.hook(
    'SINGLESTEP',
    boolHook('SINGLESTEP', (b) => (state.singleStep = b)),
    'off',
  );
  vars.hook(
    'SHOW_ALL_RESULTS',
    boolHook('SHOW_ALL_RESULTS', (b) => (state.showAllResults = b), 'on'),
    'on',
  );
  vars.hook(
    'HIDE_TABLEAM',
    boolHook('HIDE_TABLEAM', () => undefined),
    'off',
  );
  vars.hook(
    'HIDE_TOAST_COMPRESSION',
    boolHook('HIDE_TOAST_COMPRESSION', () => undefined),
    'off',
  );
  vars.hook(
    'FETCH_COUNT',
    intHook('FETCH_COUNT', (n) => (state.fetchCount = n)),
    '0',
  );
  vars.hook(
    'HISTSIZE',
    intHook('HISTSIZE', () => undefined, '500'),
    '500',
  );
  vars.hook(
    'IGNOREEOF',
    intHook('IGNOREEOF', () => undefined),
    '0',
  );
  vars.hook(
    'ECHO',
    enumHook(
      'ECHO',
      ['none', 'errors', 'queries', 'all'],
      (v) => (state.echo = v as PsqlState['echo']),
      'none',
    ),
    'none',
  );
  vars.hook(
    'ECHO_HIDDEN',
    (value) => {
      const v = value ?? 'off';
      if (v.toLowerCase() === 'noexec') {
        state.echoHidden = 'noexec';
        return { ok: true, value: v };
      }
      const b = parseBool(v);
      if (b === null)
        return {
          ok: false,
          message: `unrecognized value "${v}" for "ECHO_HIDDEN"\nAvailable values are: on, off, noexec.`,
        };
      state.echoHidden = b ? 'on' : 'off';
      return { ok: true, value: v };
    },
    'off',
  );
  vars.hook(
    'ON_ERROR_ROLLBACK',
    (value) => {
      const v = value ?? 'off';
      if (v.toLowerCase() === 'interactive') {
        state.onErrorRollback = 'interactive';
        return { ok: true, value: v };
      }
      const b = parseBool(v);
      if (b === null)
        return {
          ok: false,
          message: `unrecognized value "${v}" for "ON_ERROR_ROLLBACK"\nAvailable values are: on, off, interactive.`,
        };
      state.onErrorRollback = b ? 'on' : 'off';
      return { ok: true, value: v };
    },
    'off',
  );
  vars.hook(
    'VERBOSITY',
    enumHook(
      'VERBOSITY',
      ['default', 'verbose', 'terse', 'sqlstate'],
      (v) => (state.verbosity = v as PsqlState['verbosity']),
      'default',
    ),
    'default',
  );
  vars.hook(
    'SHOW_CONTEXT',
    enumHook(
      'SHOW_CONTEXT',
      ['never', 'errors', 'always'],
      (v) => (state.showContext = v as PsqlState['showContext']),
      'errors',
    ),
    'errors',
  );
  vars.hook(
    'COMP_KEYWORD_CASE',
    enumHook(
      'COMP_KEYWORD_CASE',
      ['lower', 'upper', 'preserve-lower', 'preserve-upper'],
      () => undefined,
      'preserve-upper',
    ),
    'preserve-upper',
  );
  vars.hook(
    'HISTCONTROL',
    enumHook(
      'HISTCONTROL',
      ['none', 'ignorespace', 'ignoredups', 'ignoreboth'],
      () => undefined,
      'none',
    ),
    'none',
  );
  vars.hook('PROMPT1', (v) => ({ ok: true, value: v ?? '' }), '%/%R%x%# ');
  vars.hook('PROMPT2', (v) => ({ ok: true, value: v ?? '' }), '%/%R%x%# ');
  vars.hook('PROMPT3', (v) => ({ ok: true, value: v ?? '' }), '>> ');
  vars.setRaw('LAST_ERROR_MESSAGE', '');
  vars.setRaw('LAST_ERROR_SQLSTATE', '00000');
}
