// psql's input lexers: SQL statement splitting and backslash-command argument parsing.
export * from './sql-scanner.js';
export * from './slash-scanner.js';
