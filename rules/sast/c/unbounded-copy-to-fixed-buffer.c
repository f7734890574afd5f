#include <stdio.h>
#include <string.h>

void log_login(const char *user, const char *host)
{
    char message[128];
    // ruleid: c.unbounded-copy-to-fixed-buffer
    sprintf(message, "login from %s@%s", user, host);
    puts(message);
}

void build_path(const char *name)
{
    char path[256] = "/var/spool/statements/";
    // ruleid: c.unbounded-copy-to-fixed-buffer
    strcat(path, name);
    // ok: c.unbounded-copy-to-fixed-buffer
    strcat(path, ".pdf");
    puts(path);
}

int copy_iban(const char *src)
{
    char iban[35];
    // ruleid: c.unbounded-copy-to-fixed-buffer
    strcpy(iban, src);
    // ok: c.unbounded-copy-to-fixed-buffer
    snprintf(iban, sizeof iban, "%s", src);
    // ok: c.unbounded-copy-to-fixed-buffer
    strcpy(iban, "DE00000000000000000000");
    return iban[0];
}

void copy_heap(char *dst, const char *src)
{
    // ok: c.unbounded-copy-to-fixed-buffer
    strcpy(dst, src);
}
