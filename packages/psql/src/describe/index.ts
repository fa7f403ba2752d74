// The \d family of meta-commands: catalog queries whose output matches psql 15's.
import type { SlashCommandScanner } from '../lexer/slash-scanner.js';
import type { PsqlState } from '../app/state.js';
import type { MetaStatus } from '../app/main-loop.js';
import { describeDispatch, DESCRIBE_COMMANDS } from './commands.js';

export function isDescribeCommand(name: string): boolean {
  return DESCRIBE_COMMANDS.test(name);
}

export function describeCommand(
  state: PsqlState,
  name: string,
  args: SlashCommandScanner,
): Promise<MetaStatus> {
  return describeDispatch(state, name, args);
}
