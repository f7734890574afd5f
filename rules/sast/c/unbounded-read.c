#include <stdio.h>
#include <string.h>

int read_account(char *out, size_t out_len)
{
    char line[64];
    // ruleid: c.unbounded-read
    if (gets(line) == NULL) {
        return -1;
    }
    strncpy(out, line, out_len - 1);
    out[out_len - 1] = '\0';
    return 0;
}

int read_pin(void)
{
    char pin[8];
    // ruleid: c.unbounded-read
    scanf("%s", pin);
    // ok: c.unbounded-read
    scanf("%7s", pin);
    return pin[0];
}

int read_name(char *name)
{
    int age;
    // ruleid: c.unbounded-read
    return scanf("%d %s", &age, name);
}

int read_line_safely(char *buf, int len)
{
    // ok: c.unbounded-read
    if (fgets(buf, len, stdin) == NULL) {
        return -1;
    }
    buf[strcspn(buf, "\n")] = '\0';
    int amount;
    // ok: c.unbounded-read
    return scanf("%d", &amount);
}
