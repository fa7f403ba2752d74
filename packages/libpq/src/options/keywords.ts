/**
 * The connection options libpq knows, in PQconninfoOptions order: keyword, environment variable,
 * compiled-in default, and whether the value is secret ('*') or debug-only ('D'). This table is the
 * single source for parsing (unknown keywords are rejected), environment fallback and `conninfo()`.
 *
 * Defaults are those of Debian's libpq 15 (built with SSL and GSSAPI); `require_auth`,
 * `load_balance_hosts` and `sslcertmode` are PostgreSQL 16 options supported here as well.
 */

export interface OptionSpec {
  readonly keyword: string;
  readonly envvar: string | null;
  readonly compiled: string | null;
  /** '' normal, '*' password-like (hidden), 'D' debug option. */
  readonly dispchar: '' | '*' | 'D';
  readonly label: string;
}

function o(
  keyword: string,
  envvar: string | null,
  compiled: string | null,
  dispchar: '' | '*' | 'D',
  label: string,
): OptionSpec {
  return { keyword, envvar, compiled, dispchar, label };
}

export const OPTION_SPECS: readonly OptionSpec[] = [
  o('service', 'PGSERVICE', null, '', 'Database-Service'),
  o('user', 'PGUSER', null, '', 'Database-User'),
  o('password', 'PGPASSWORD', null, '*', 'Database-Password'),
  o('passfile', 'PGPASSFILE', null, '', 'Database-Password-File'),
  o('channel_binding', 'PGCHANNELBINDING', 'prefer', '', 'Channel-Binding'),
  o('connect_timeout', 'PGCONNECT_TIMEOUT', null, '', 'Connect-timeout'),
  o('dbname', 'PGDATABASE', null, '', 'Database-Name'),
  o('host', 'PGHOST', null, '', 'Database-Host'),
  o('hostaddr', 'PGHOSTADDR', null, '', 'Database-Host-IP-Address'),
  o('port', 'PGPORT', '5432', '', 'Database-Port'),
  o('client_encoding', 'PGCLIENTENCODING', null, '', 'Client-Encoding'),
  o('options', 'PGOPTIONS', '', '', 'Backend-Options'),
  o('application_name', 'PGAPPNAME', null, '', 'Application-Name'),
  o('fallback_application_name', null, null, '', 'Fallback-Application-Name'),
  o('keepalives', null, null, '', 'TCP-Keepalives'),
  o('keepalives_idle', null, null, '', 'TCP-Keepalives-Idle'),
  o('keepalives_interval', null, null, '', 'TCP-Keepalives-Interval'),
  o('keepalives_count', null, null, '', 'TCP-Keepalives-Count'),
  o('tcp_user_timeout', null, null, '', 'TCP-User-Timeout'),
  o('sslmode', 'PGSSLMODE', 'prefer', '', 'SSL-Mode'),
  o('sslcompression', 'PGSSLCOMPRESSION', '0', '', 'SSL-Compression'),
  o('sslcert', 'PGSSLCERT', null, '', 'SSL-Client-Cert'),
  o('sslkey', 'PGSSLKEY', null, '', 'SSL-Client-Key'),
  o('sslcertmode', 'PGSSLCERTMODE', 'allow', '', 'SSL-Client-Cert-Mode'),
  o('sslpassword', null, null, '*', 'SSL-Client-Key-Password'),
  o('sslrootcert', 'PGSSLROOTCERT', null, '', 'SSL-Root-Certificate'),
  o('sslcrl', 'PGSSLCRL', null, '', 'SSL-Revocation-List'),
  o('sslcrldir', 'PGSSLCRLDIR', null, '', 'SSL-Revocation-List-Dir'),
  o('sslsni', 'PGSSLSNI', '1', '', 'SSL-SNI'),
  o('requirepeer', 'PGREQUIREPEER', null, '', 'Require-Peer'),
  o('require_auth', 'PGREQUIREAUTH', null, '', 'Require-Auth'),
  o(
    'ssl_min_protocol_version',
    'PGSSLMINPROTOCOLVERSION',
    'TLSv1.2',
    '',
    'SSL-Minimum-Protocol-Version',
  ),
  o(
    'ssl_max_protocol_version',
    'PGSSLMAXPROTOCOLVERSION',
    null,
    '',
    'SSL-Maximum-Protocol-Version',
  ),
  o('gssencmode', 'PGGSSENCMODE', 'prefer', '', 'GSSENC-Mode'),
  o('krbsrvname', 'PGKRBSRVNAME', 'postgres', '', 'Kerberos-service-name'),
  o('gsslib', 'PGGSSLIB', null, '', 'GSS-library'),
  o('replication', null, null, 'D', 'Replication'),
  o('target_session_attrs', 'PGTARGETSESSIONATTRS', 'any', '', 'Target-Session-Attrs'),
  o('load_balance_hosts', 'PGLOADBALANCEHOSTS', 'disable', '', 'Load-Balance-Hosts'),
];

export type OptionKeyword = (typeof OPTION_SPECS)[number]['keyword'];

const BY_KEYWORD = new Map(OPTION_SPECS.map((s) => [s.keyword, s]));

export function optionSpec(keyword: string): OptionSpec | undefined {
  return BY_KEYWORD.get(keyword);
}

/** Raw option values by keyword; absent = not set (libpq's NULL). */
export type OptionValues = Map<string, string>;
