// psql variables (\set, -v): a sorted name → value map where some names are special: their values
// are validated (booleans, enums, integers) and changing them updates the settings they control.

/** Parses psql's boolean spellings (on/off, true/false, yes/no, 1/0, unique prefixes). */
export function parseBool(value: string): boolean | null {
  const v = value.trim().toLowerCase();
  if (v.length === 0) return null;
  const prefixOf = (word: string, min = 1): boolean => v.length >= min && word.startsWith(v);
  if (prefixOf('true') || prefixOf('yes') || prefixOf('on', 2) || v === '1') return true;
  if (prefixOf('false') || prefixOf('no') || prefixOf('off', 2) || v === '0') return false;
  return null;
}

export type VariableHook = (
  value: string | undefined,
) => { ok: true; value?: string } | { ok: false; message: string };

export class Variables {
  private readonly values = new Map<string, string>();
  private readonly hooks = new Map<string, VariableHook>();

  /** Registers a hook and runs it once with the current value (to apply defaults). */
  hook(name: string, fn: VariableHook, initial?: string): void {
    this.hooks.set(name, fn);
    if (initial !== undefined) this.values.set(name, initial);
    const r = fn(this.values.get(name));
    if (r.ok && r.value !== undefined) this.values.set(name, r.value);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  /** Sets (or with undefined, unsets) a variable; returns an error message if refused. */
  set(name: string, value: string | undefined): string | null {
    const fn = this.hooks.get(name);
    if (fn) {
      const r = fn(value);
      if (!r.ok) return r.message;
      const v = r.value ?? value;
      if (v === undefined) this.values.delete(name);
      else this.values.set(name, v);
      return null;
    }
    if (value === undefined) this.values.delete(name);
    else this.values.set(name, value);
    return null;
  }

  /** Internal assignment that bypasses validation (psql's SetVariable for status variables). */
  setRaw(name: string, value: string): void {
    this.values.set(name, value);
  }

  entries(): [string, string][] {
    return [...this.values.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/** Variable names psql accepts: letters, digits and underscores (and non-ASCII). */
export function validVariableName(name: string): boolean {
  return name.length > 0 && /^[A-Za-z0-9_\u0080-\uffff]+$/.test(name);
}
