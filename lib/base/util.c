/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

char *strdup_vprintf(const char *format, va_list ap)
{
	char *s;

	if (vasprintf(&s, format, ap) < 0)
		return NULL;
	return s;
}

char *strdup_printf(const char *format, ...)
{
	va_list ap;
	char *s;

	va_start(ap, format);
	s = strdup_vprintf(format, ap);
	va_end(ap);
	return s;
}

size_t strip_trailing(char *s, size_t len)
{
	while (len > 0 && (s[len - 1] == '\0' || isspace((unsigned char)s[len - 1])))
		s[--len] = '\0';
	return len;
}

bool contains_ci(const char *haystack, const char *needle)
{
	return haystack && needle && strcasestr(haystack, needle) != NULL;
}

bool startswith(const char *s, const char *prefix)
{
	return s && prefix && strncmp(s, prefix, strlen(prefix)) == 0;
}

bool streq_ptr(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}
