// tusk-psql's \? text: the meta-commands this implementation supports, grouped as psql groups
// them (our own wording; psql's full list includes commands not implemented here).

export const SLASH_HELP = `General
  \\q                      quit tusk-psql
  \\g [(OPTIONS)] [FILE]   send the query buffer (or the last query); output to FILE or |pipe
  \\gx [(OPTIONS)] [FILE]  like \\g, with expanded output
  \\gdesc                  describe the result columns of the query buffer, without running it
  \\gexec                  run the query buffer, then run each value of its result as a query
  \\gset [PREFIX]          run the query buffer and store its one row in variables
  \\watch [SEC]            rerun the query buffer every SEC seconds (Ctrl-C stops)

Query Buffer
  \\p                      show the query buffer
  \\r                      clear the query buffer
  \\w FILE                 write the query buffer to a file

Input/Output
  \\copy ...               client-side COPY between the server and a file, program or stdio
  \\echo [-n] [STRING]     write text to standard output
  \\qecho [-n] [STRING]    write text to the query output
  \\warn [-n] [STRING]     write text to standard error
  \\i FILE                 run commands from a file
  \\ir FILE                like \\i, relative to the current script's directory
  \\o [FILE]               send query results to a file or |pipe (no argument: stdout again)

Conditional
  \\if EXPR  \\elif EXPR  \\else  \\endif

Informational (S = include system objects, + = more detail)
  \\d[S+]                  list tables, views, materialized views and sequences
  \\d[S+] NAME             describe a table, view, materialized view, index or sequence
  \\df[S] [PATTERN]        list functions
  \\di[S+] \\ds[S+] \\dt[S+] \\dv[S+] \\dm[S+] [PATTERN]   list indexes, sequences, tables, views, matviews
  \\dn[S+] [PATTERN]       list schemas
  \\dT[S] [PATTERN]        list data types
  \\du[S+] \\dg[S+] [PATTERN]  list roles
  \\l[+] [PATTERN]         list databases

Formatting
  \\a                      toggle aligned/unaligned output
  \\C [STRING]             set the table title (no argument: unset)
  \\f [STRING]             show or set the field separator for unaligned output
  \\H                      toggle HTML output
  \\pset [NAME [VALUE]]    set a table output option (no argument: show them all)
  \\t [on|off]             show rows only
  \\T [STRING]             set HTML <table> attributes
  \\x [on|off|auto]        toggle expanded output

Connection
  \\c[onnect] [DBNAME|- USER|- HOST|- PORT|-] | conninfo   connect to a database
  \\conninfo               show the current connection
  \\encoding               show the client encoding

Operating System
  \\cd [DIR]               change the working directory
  \\getenv VAR ENVVAR      copy an environment variable into a psql variable
  \\setenv NAME [VALUE]    set or unset an environment variable
  \\timing [on|off]        toggle timing of commands
  \\! [COMMAND]            run a shell command, or a shell

Variables
  \\set [NAME [VALUE]]     set a variable (no argument: list them all)
  \\unset NAME             unset a variable
  \\errverbose             show the last error in full detail
`;
