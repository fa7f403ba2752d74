/**
 * Process-level start-up of the SQL engine: everything that is slow to load (the parser's WASM)
 * happens here, once, before the process joins the idle pool.
 */
import { loadParser, parseStatements } from '../parser/parse.js';

export async function warmUpEngine(): Promise<void> {
  await loadParser();
  // The first parse also warms the JIT and the JSON path of the WASM boundary.
  parseStatements('SELECT 1');
}
