/* Test oracle: parses each stdin line with the system libpq's PQconninfoParse and prints the
 * explicitly set options (hex-encoded values) or the error text, one line per input. */
#include <stdio.h>
#include <string.h>
#include <libpq-fe.h>

static void hex(const char *s) {
  for (const unsigned char *p = (const unsigned char *) s; *p; p++) printf("%02x", *p);
}

int main(void) {
  static char line[65536];
  while (fgets(line, sizeof line, stdin)) {
    size_t n = strlen(line);
    if (n && line[n - 1] == '\n') line[--n] = 0;
    char *err = NULL;
    PQconninfoOption *o = PQconninfoParse(line, &err);
    if (!o) {
      printf("ERR ");
      if (err) {
        size_t m = strlen(err);
        if (m && err[m - 1] == '\n') err[m - 1] = 0;
        hex(err);
      }
      printf("\n");
      continue;
    }
    printf("OK");
    for (PQconninfoOption *p = o; p->keyword; p++) {
      if (!p->val) continue;
      printf(" %s=", p->keyword);
      hex(p->val);
    }
    printf("\n");
    PQconninfoFree(o);
    fflush(stdout);
  }
  return 0;
}
