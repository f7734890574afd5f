#include <stdio.h>
#include <stdlib.h>

#define BACKUP_COMMAND "/usr/local/bin/backup --all"

int ping_host(const char *host)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ping -c 1 %s", host);
    // ruleid: c.command-injection-system
    return system(cmd);
}

FILE *list_dir(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ls -l %s", dir);
    // ruleid: c.command-injection-system
    return popen(cmd, "r");
}

int run_hook(int argc, char **argv)
{
    if (argc > 1) {
        // ruleid: c.command-injection-system
        return system(argv[1]);
    }
    // ok: c.command-injection-system
    system("/usr/bin/logger rotated");
    // ok: c.command-injection-system
    FILE *p = popen("date +%s", "r");
    pclose(p);
    // ok: c.command-injection-system
    return system(BACKUP_COMMAND);
}
