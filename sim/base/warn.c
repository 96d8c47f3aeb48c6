/*
 * warn — see warn.h.
 */
#include "warn.h"

void warn_vadd(warn_list *w, const char *fmt, va_list ap)
{
    if (w->n >= WARN_MAX)
        return;
    vsnprintf(w->msg[w->n++], sizeof w->msg[0], fmt, ap);
}

void warn_add(warn_list *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    warn_vadd(w, fmt, ap);
    va_end(ap);
}

void warn_line(FILE *fp, const char *msg)
{
    fprintf(fp, "warning: %s\n", msg);
}

void warn_print(FILE *fp, const warn_list *w)
{
    for (int i = 0; i < w->n; i++)
        warn_line(fp, w->msg[i]);
}

char *warn_text(char *buf, size_t n, const char *msg)
{
    snprintf(buf, n, "warning: %s", msg);
    return buf;
}

void warn_emit(FILE *fp, const char *fmt, ...)
{
    if (!fp)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("capmix: warning: ", fp);
    vfprintf(fp, fmt, ap);
    fputc('\n', fp);
    va_end(ap);
}
