// Dispatch for \d-family commands (filled in by the describe modules).
import type { SlashCommandScanner } from '../lexer/slash-scanner.js';
import type { PsqlState } from '../app/state.js';
import type { MetaStatus } from '../app/main-loop.js';

export const DESCRIBE_COMMANDS = /^(d[a-zA-Z]*[S+x]*|l\+?|list\+?|z)$/;

export function describeDispatch(
  state: PsqlState,
  name: string,
  args: SlashCommandScanner,
): Promise<MetaStatus> {
  while (args.next() !== null);
  state.error(`invalid command \\${name}`);
  return Promise.resolve('error');
}
