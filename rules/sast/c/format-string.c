#include <stdio.h>
#include <stdarg.h>
#include <syslog.h>

#define AUDIT_FORMAT "user=%s action=%s\n"

void audit(const char *user, const char *action, const char *comment)
{
    // ruleid: c.format-string
    printf(comment);
    // ruleid: c.format-string
    fprintf(stderr, comment);
    // ruleid: c.format-string
    syslog(LOG_WARNING, comment);

    char line[256];
    // ruleid: c.format-string
    snprintf(line, sizeof line, user);

    // ok: c.format-string
    printf("%s", comment);
    // ok: c.format-string
    fprintf(stderr, AUDIT_FORMAT, user, action);
    // ok: c.format-string
    syslog(LOG_INFO, "user=%s action=%s", user, action);
    // ok: c.format-string
    snprintf(line, sizeof line, "%s", user);
    // ok: c.format-string
    printf(gettext("Audit entry for %s\n"), user);
}

void log_error(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    // ok: c.format-string
    vfprintf(stderr, format, args);
    va_end(args);
}

