// What may legitimately differ between PostgreSQL and Tusk output, and nothing more: process ids,
// timings, version strings and the script's temporary path.
export function normaliseOutput(text: string, scriptPath: string, scriptName: string): string {
  return text
    .split(scriptPath)
    .join(scriptName)
    .replace(/^Time: \d+(\.\d+)? ms.*$/gm, 'Time: <timing>')
    .replace(/PostgreSQL 15\.\d+[^\n|]*/g, '<version>')
    .replace(/\bpid \d+\b/g, 'pid <pid>');
}
