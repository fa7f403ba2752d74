\set flag true
\if :flag
  \echo in true branch
  select 1 as one;
\elif false
  \echo not here
\else
  \echo not here either
\endif
\if false
  select 'skipped';
  \echo skipped
\elif true
  \echo elif taken
\else
  \echo else skipped
\endif
\if no
\else
  \echo else taken
  \if yes
    \echo nested
  \endif
\endif
\if notabool
  \echo bad expr
\endif
\else
\endif
\elif true
\if true
\else
\else
\endif
