/**
 * @tuskdb/postmaster: Tusk's supervisor daemon and its tools (tusk-initdb, tusk-postmaster,
 * tusk-ctl). The programmatic surface is what the binaries are built from.
 */
export const PACKAGE_NAME = '@tuskdb/postmaster';
export { Postmaster, isDataDir } from './postmaster.js';
export type { PostmasterOptions } from './postmaster.js';
export { runInitdb, InitdbError } from './initdb/initdb.js';
export type { InitdbOptions } from './initdb/initdb.js';
export { parseConf, loadConfFile, ConfFileError } from './config/conf-file.js';
export type { ConfEntry } from './config/conf-file.js';
export { buildSettings, loadSettings, parseBool, SettingError } from './config/settings.js';
export type { ServerSettings, SettingsResult } from './config/settings.js';
export { FatalError, checkDataDir } from './data-dir.js';
export { formatLock } from './lock-file.js';
export type { LockContents } from './lock-file.js';
