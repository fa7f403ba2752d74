/**
 * The configuration files tusk-initdb writes: postgresql.conf (every setting the server acts on,
 * commented out at its default, the way PostgreSQL's sample is laid out, in our own words),
 * pg_hba.conf with the chosen methods, and an empty pg_ident.conf with its format explained.
 */

export function postgresqlConf(maxConnections: number): string {
  return `# Tusk server configuration (PostgreSQL 15 syntax)
#
# One setting per line:   name = value
# The "=" may be left out.  Text after "#" is a comment.  Values that are not
# plain words or numbers go in single quotes.  Memory sizes take the units
# B, kB, MB, GB, TB; times take us, ms, s, min, h, d.
#
# A setting that is commented out has its default value, shown here.  Changes
# take effect after "tusk-ctl reload" (SIGHUP), except those marked
# "(restart)", which need a server restart.
#
# Other files can be pulled in with:
#   include 'file'            include_if_exists 'file'            include_dir 'dir'

#------------------------------------------------------------------------------
# FILE LOCATIONS
#------------------------------------------------------------------------------

#hba_file = ''				# host-based authentication file
					# (empty: pg_hba.conf in the data directory)
#ident_file = ''			# user name maps (empty: pg_ident.conf here)

#------------------------------------------------------------------------------
# CONNECTIONS AND AUTHENTICATION
#------------------------------------------------------------------------------

#listen_addresses = 'localhost'		# comma-separated addresses to listen on;
					# '*' for all, '' for no TCP at all
					# (restart)
#port = 5432				# (restart)
max_connections = ${maxConnections}			# (restart)
#superuser_reserved_connections = 3	# (restart)
#unix_socket_directories = '/tmp'	# comma-separated directories
					# (restart)
#unix_socket_group = ''			# (restart)
#unix_socket_permissions = 0777		# octal, like chmod's
					# (restart)

#authentication_timeout = 1min		# 1s-600s
#password_encryption = scram-sha-256	# scram-sha-256 or md5

#ssl = off
#ssl_cert_file = 'server.crt'
#ssl_key_file = 'server.key'
#ssl_ca_file = ''

#------------------------------------------------------------------------------
# TUSK PROCESSES
#------------------------------------------------------------------------------

#tusk.idle_backends = 2			# warmed-up backend processes kept
					# waiting for new connections
#tusk.max_idle_backends = 8		# backends that finished a session and
					# stay, warm, for the next connection
					# (more stay 30 s after a burst)

#------------------------------------------------------------------------------
# REPORTING AND LOGGING
#------------------------------------------------------------------------------

#log_connections = off
#log_disconnections = off

#------------------------------------------------------------------------------
# CLIENT CONNECTION DEFAULTS
#------------------------------------------------------------------------------

#client_min_messages = notice
#search_path = '"$user", public'
#statement_timeout = 0			# in milliseconds, 0 is disabled
#lock_timeout = 0
#idle_in_transaction_session_timeout = 0
#default_transaction_isolation = 'read committed'
#datestyle = 'iso, mdy'
#intervalstyle = 'postgres'
#extra_float_digits = 1
#client_encoding = sql_ascii		# actually, defaults to database encoding
lc_messages = 'C'
lc_monetary = 'C'
lc_numeric = 'C'
lc_time = 'C'
`;
}

export function pgHbaConf(local: string, host: string): string {
  const row = (type: string, db: string, user: string, addr: string, method: string) =>
    `${type.padEnd(8)}${db.padEnd(16)}${user.padEnd(16)}${addr.padEnd(24)}${method}`.trimEnd() +
    '\n';
  return (
    `# Client authentication (PostgreSQL's pg_hba.conf format)
#
# Each record says which clients may connect and how they must prove who they
# are; the first record matching the connection decides.  Fields:
#
#   local      DATABASE  USER  METHOD  [OPTIONS]
#   host       DATABASE  USER  ADDRESS  METHOD  [OPTIONS]
#   hostssl    DATABASE  USER  ADDRESS  METHOD  [OPTIONS]
#   hostnossl  DATABASE  USER  ADDRESS  METHOD  [OPTIONS]
#
# "local" is a Unix-domain socket; "host" is TCP/IP, with or without SSL;
# "hostssl" only with SSL; "hostnossl" only without.
#
# DATABASE: "all", "sameuser", "samerole", "replication", a name, or a
# comma-separated list of these; "@file" reads names from a file.
# USER: "all", a role name, "+role" (members of role), or a list of these.
# ADDRESS: an address range in CIDR notation (127.0.0.1/32, ::1/128), an
# address and a separate netmask, "samehost", "samenet", or a host name.
# METHOD: trust, reject, password, md5, scram-sha-256 (peer is refused by this
# build: the server cannot learn a Unix-socket client's user id).
#
# After editing, run "tusk-ctl reload".  A file with errors is not applied and
# the previous rules stay in force.

` +
    row('# TYPE', 'DATABASE', 'USER', 'ADDRESS', 'METHOD') +
    '\n# "local" is for Unix domain socket connections only\n' +
    row('local', 'all', 'all', '', local) +
    '# IPv4 local connections:\n' +
    row('host', 'all', 'all', '127.0.0.1/32', host) +
    '# IPv6 local connections:\n' +
    row('host', 'all', 'all', '::1/128', host) +
    '# Allow replication connections from localhost, by a user with the\n# replication privilege.\n' +
    row('local', 'replication', 'all', '', local) +
    row('host', 'replication', 'all', '127.0.0.1/32', host) +
    row('host', 'replication', 'all', '::1/128', host)
  );
}

export const pgIdentConf = `# User name maps (PostgreSQL's pg_ident.conf format)
#
# Records of the form
#   MAPNAME       SYSTEM-USERNAME         PG-USERNAME
# let the operating-system user SYSTEM-USERNAME connect as the database role
# PG-USERNAME when a pg_hba.conf line says map=MAPNAME.  A SYSTEM-USERNAME
# starting with "/" is a regular expression; "\\1" in PG-USERNAME then stands
# for its first parenthesised match.

# MAPNAME       SYSTEM-USERNAME         PG-USERNAME
`;
