#include <stdio.h>
#include <string.h>
#include <stdlib.h>

void f(char *src, char *fmt) {
    char buf[16];
    // ruleid: c-strcpy
    strcpy(buf, src);
    // ruleid: c-gets
    gets(buf);
    // ruleid: c-format
    printf(fmt);
    // ok: c-format
    printf("hello");
    char *p = malloc(4);
    // ruleid: c-double-free
    free(p);
    if (src) {
        free(p);
    }
}
