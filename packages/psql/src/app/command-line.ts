// psql's command-line options (GNU getopt style: clustered short options, --long[=value],
// arguments anywhere, "--" to stop), collected into the settings and ordered -c/-f actions.

export type Action = { kind: 'command'; text: string } | { kind: 'file'; path: string };

export interface CommandLine {
  actions: Action[];
  host?: string;
  port?: string;
  user?: string;
  dbname?: string;
  /** -v NAME=VALUE and -v NAME (unset) in order. */
  variables: [string, string | undefined][];
  /** -P VAR[=ARG] in order. */
  psets: [string, string | undefined][];
  noPsqlrc: boolean;
  list: boolean;
  version: boolean;
  help: string | null;
  echoAll: boolean;
  echoErrors: boolean;
  echoQueries: boolean;
  echoHidden: boolean;
  logFile?: string;
  noReadline: boolean;
  output?: string;
  quiet: boolean;
  singleStep: boolean;
  singleLine: boolean;
  singleTransaction: boolean;
  passwordPrompt: 'auto' | 'never' | 'force';
  /** Positional arguments after the database name and user (psql warns and ignores them). */
  extra: string[];
}

export class CommandLineError extends Error {}

interface OptionSpec {
  short?: string;
  long: string[];
  arg: 'none' | 'required' | 'optional';
  apply(cl: CommandLine, value: string | undefined): void;
}

const pset = (name: string, value?: string) => (cl: CommandLine) => {
  cl.psets.push([name, value]);
};

const SPECS: OptionSpec[] = [
  { short: 'a', long: ['echo-all'], arg: 'none', apply: (cl) => (cl.echoAll = true) },
  { short: 'A', long: ['no-align'], arg: 'none', apply: pset('format', 'unaligned') },
  { short: 'b', long: ['echo-errors'], arg: 'none', apply: (cl) => (cl.echoErrors = true) },
  {
    short: 'c',
    long: ['command'],
    arg: 'required',
    apply: (cl, v) => cl.actions.push({ kind: 'command', text: v ?? '' }),
  },
  { short: 'd', long: ['dbname'], arg: 'required', apply: (cl, v) => (cl.dbname = v) },
  { short: 'e', long: ['echo-queries'], arg: 'none', apply: (cl) => (cl.echoQueries = true) },
  { short: 'E', long: ['echo-hidden'], arg: 'none', apply: (cl) => (cl.echoHidden = true) },
  {
    short: 'f',
    long: ['file'],
    arg: 'required',
    apply: (cl, v) => cl.actions.push({ kind: 'file', path: v ?? '' }),
  },
  {
    short: 'F',
    long: ['field-separator'],
    arg: 'required',
    apply: (cl, v) => cl.psets.push(['fieldsep', v]),
  },
  { short: 'h', long: ['host'], arg: 'required', apply: (cl, v) => (cl.host = v) },
  { short: 'H', long: ['html'], arg: 'none', apply: pset('format', 'html') },
  { short: 'l', long: ['list'], arg: 'none', apply: (cl) => (cl.list = true) },
  { short: 'L', long: ['log-file'], arg: 'required', apply: (cl, v) => (cl.logFile = v) },
  { short: 'n', long: ['no-readline'], arg: 'none', apply: (cl) => (cl.noReadline = true) },
  { short: 'o', long: ['output'], arg: 'required', apply: (cl, v) => (cl.output = v) },
  { short: 'p', long: ['port'], arg: 'required', apply: (cl, v) => (cl.port = v) },
  {
    short: 'P',
    long: ['pset'],
    arg: 'required',
    apply: (cl, v) => {
      const s = v ?? '';
      const eq = s.indexOf('=');
      cl.psets.push(eq < 0 ? [s, undefined] : [s.slice(0, eq), s.slice(eq + 1)]);
    },
  },
  { short: 'q', long: ['quiet'], arg: 'none', apply: (cl) => (cl.quiet = true) },
  {
    short: 'R',
    long: ['record-separator'],
    arg: 'required',
    apply: (cl, v) => cl.psets.push(['recordsep', v]),
  },
  { short: 's', long: ['single-step'], arg: 'none', apply: (cl) => (cl.singleStep = true) },
  { short: 'S', long: ['single-line'], arg: 'none', apply: (cl) => (cl.singleLine = true) },
  { short: 't', long: ['tuples-only'], arg: 'none', apply: pset('tuples_only', 'on') },
  {
    short: 'T',
    long: ['table-attr'],
    arg: 'required',
    apply: (cl, v) => cl.psets.push(['tableattr', v]),
  },
  { short: 'U', long: ['username'], arg: 'required', apply: (cl, v) => (cl.user = v) },
  {
    short: 'v',
    long: ['set', 'variable'],
    arg: 'required',
    apply: (cl, v) => {
      const s = v ?? '';
      const eq = s.indexOf('=');
      cl.variables.push(eq < 0 ? [s, undefined] : [s.slice(0, eq), s.slice(eq + 1)]);
    },
  },
  { short: 'V', long: ['version'], arg: 'none', apply: (cl) => (cl.version = true) },
  { short: 'w', long: ['no-password'], arg: 'none', apply: (cl) => (cl.passwordPrompt = 'never') },
  { short: 'W', long: ['password'], arg: 'none', apply: (cl) => (cl.passwordPrompt = 'force') },
  { short: 'x', long: ['expanded'], arg: 'none', apply: pset('expanded', 'on') },
  { short: 'X', long: ['no-psqlrc'], arg: 'none', apply: (cl) => (cl.noPsqlrc = true) },
  { short: 'z', long: ['field-separator-zero'], arg: 'none', apply: pset('fieldsep_zero') },
  { short: '0', long: ['record-separator-zero'], arg: 'none', apply: pset('recordsep_zero') },
  {
    short: '1',
    long: ['single-transaction'],
    arg: 'none',
    apply: (cl) => (cl.singleTransaction = true),
  },
  { short: '?', long: ['help'], arg: 'optional', apply: (cl, v) => (cl.help = v ?? 'options') },
  { long: ['csv'], arg: 'none', apply: pset('format', 'csv') },
];

export function parseCommandLine(argv: readonly string[], program: string): CommandLine {
  const cl: CommandLine = {
    actions: [],
    variables: [],
    psets: [],
    noPsqlrc: false,
    list: false,
    version: false,
    help: null,
    echoAll: false,
    echoErrors: false,
    echoQueries: false,
    echoHidden: false,
    noReadline: false,
    quiet: false,
    singleStep: false,
    singleLine: false,
    singleTransaction: false,
    passwordPrompt: 'auto',
    extra: [],
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const matches = SPECS.filter((s) => s.long.some((l) => l.startsWith(name)));
      const exact = SPECS.find((s) => s.long.includes(name));
      const spec = exact ?? (matches.length === 1 ? matches[0] : undefined);
      if (!spec) {
        if (matches.length > 1)
          throw new CommandLineError(`${program}: option '${arg}' is ambiguous`);
        throw new CommandLineError(`${program}: unrecognized option '${arg}'`);
      }
      const longName = spec.long.find((l) => l.startsWith(name)) ?? name;
      let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
      if (spec.arg === 'none' && value !== undefined)
        throw new CommandLineError(`${program}: option '--${longName}' doesn't allow an argument`);
      if (spec.arg === 'required' && value === undefined) {
        if (i + 1 >= argv.length)
          throw new CommandLineError(`${program}: option '--${longName}' requires an argument`);
        value = argv[++i];
      }
      spec.apply(cl, value);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const ch = arg.charAt(j);
        const spec = SPECS.find((s) => s.short === ch);
        if (!spec) throw new CommandLineError(`${program}: invalid option -- '${ch}'`);
        if (spec.arg === 'none') {
          spec.apply(cl, undefined);
          continue;
        }
        const rest = arg.slice(j + 1);
        if (rest.length > 0) spec.apply(cl, rest);
        else if (spec.arg === 'optional') spec.apply(cl, undefined);
        else {
          if (i + 1 >= argv.length)
            throw new CommandLineError(`${program}: option requires an argument -- '${ch}'`);
          spec.apply(cl, argv[++i]);
        }
        break;
      }
      continue;
    }
    positional.push(arg);
  }
  // psql: the first positional is the database (unless -d), the next the user (unless -U).
  for (const p of positional) {
    if (cl.dbname === undefined) cl.dbname = p;
    else if (cl.user === undefined) cl.user = p;
    else cl.extra.push(p);
  }
  return cl;
}
