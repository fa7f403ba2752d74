/**
 * A small getopt for the three commands: short options with attached or separate values (-D dir,
 * -Ddir), long options with = or a separate value (--pgdata=dir, --pgdata dir), and flags.
 */
export interface OptionSpec {
  /** Short letter, e.g. 'D'. */
  short?: string;
  long?: string;
  /** Whether the option takes a value. */
  value: boolean;
  key: string;
}

export interface ParsedArgs {
  /** key → values in order (flags get 'true'). */
  options: Map<string, string[]>;
  positional: string[];
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], specs: OptionSpec[]): ParsedArgs {
  const options = new Map<string, string[]>();
  const positional: string[] = [];
  const add = (key: string, v: string) => options.set(key, [...(options.get(key) ?? []), v]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      const spec = specs.find((s) => s.long === name);
      if (!spec) {
        // --name=value is a configuration setting for the server (as postgres accepts it).
        const setting = specs.find((s) => s.key === '--setting');
        if (setting && eq > 2) {
          add('--setting', arg.slice(2));
          continue;
        }
        throw new UsageError(`unrecognized option '${arg}'`);
      }
      if (!spec.value) add(spec.key, 'true');
      else if (eq >= 0) add(spec.key, arg.slice(eq + 1));
      else {
        const v = argv[++i];
        if (v === undefined) throw new UsageError(`option '--${name}' requires an argument`);
        add(spec.key, v);
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      const letter = arg[1]!;
      const spec = specs.find((s) => s.short === letter);
      if (!spec) throw new UsageError(`invalid option -- '${letter}'`);
      if (!spec.value) {
        add(spec.key, 'true');
        // Bundled flags (-wq) are not used by these tools; treat the rest as an error.
        if (arg.length > 2) throw new UsageError(`invalid option -- '${arg[2]}'`);
      } else if (arg.length > 2) add(spec.key, arg.slice(2));
      else {
        const v = argv[++i];
        if (v === undefined) throw new UsageError(`option requires an argument -- '${letter}'`);
        add(spec.key, v);
      }
      continue;
    }
    positional.push(arg);
  }
  return { options, positional };
}

export function last(args: ParsedArgs, key: string): string | undefined {
  const v = args.options.get(key);
  return v?.[v.length - 1];
}
