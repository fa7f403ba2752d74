// Dispatch for the \d family: parses the command letters and modifiers (S for system objects,
// + for verbose) and the optional pattern, then runs the matching describe function.
import type { SlashCommandScanner } from '../lexer/slash-scanner.js';
import type { PsqlState } from '../app/state.js';
import type { MetaStatus } from '../app/main-loop.js';
import { listRelations, listRoles, listSchemas } from './list-relations.js';
import { describeObjects } from './describe-object.js';
import { listDatabases } from './list-databases.js';
import { listFunctions, listTypes } from './list-routines.js';

export const DESCRIBE_COMMANDS = /^(d[tisvmEnugS+]*|df[S+]*|dT[S+]*|l\+?|list\+?)$/;

export async function describeDispatch(
  state: PsqlState,
  name: string,
  args: SlashCommandScanner,
): Promise<MetaStatus> {
  const pattern = args.next();
  while (args.next() !== null);
  const verbose = name.includes('+');
  const showSystem = name.includes('S');
  const letters = name.replace(/[+S]/g, '');
  let ok: boolean;
  if (letters === 'l' || letters === 'list') ok = await listDatabases(state, pattern, verbose);
  else if (letters === 'd') {
    ok =
      pattern === null
        ? await listRelations(
            state,
            {
              tables: false,
              indexes: false,
              sequences: false,
              views: false,
              matviews: false,
              foreign: false,
            },
            null,
            verbose,
            showSystem,
          )
        : await describeObjects(state, pattern, verbose, showSystem);
  } else if (letters === 'df' && !verbose) ok = await listFunctions(state, pattern, showSystem);
  else if (letters === 'dT' && !verbose) ok = await listTypes(state, pattern, showSystem);
  else if (letters === 'dn') ok = await listSchemas(state, pattern, verbose, showSystem);
  else if (letters === 'du' || letters === 'dg')
    ok = await listRoles(state, pattern, verbose, showSystem);
  else if (/^d[tisvmE]+$/.test(letters)) {
    ok = await listRelations(
      state,
      {
        tables: letters.includes('t'),
        indexes: letters.includes('i'),
        sequences: letters.includes('s'),
        views: letters.includes('v'),
        matviews: letters.includes('m'),
        foreign: letters.includes('E'),
      },
      pattern,
      verbose,
      showSystem,
    );
  } else {
    state.error(`invalid command \\${name}`);
    return 'error';
  }
  return ok ? 'ok' : 'error';
}
