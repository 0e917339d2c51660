/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A tiny SMBIOS assembler for tests: entry points with correct checksums, and
 * structures (header, formatted area, string set) appended to a table, so that
 * each test says what it builds instead of carrying opaque binary files.
 */
#ifndef HVD_SMBIOS_BUILDER_H
#define HVD_SMBIOS_BUILDER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sb_table {
	uint8_t *buf;
	size_t len, cap;
	unsigned count;
	uint16_t next_handle;
};

static inline void sb_bytes(struct sb_table *t, const void *p, size_t n)
{
	/* Nothing to copy; also keeps GCC's -Wnonnull quiet about memcpy(..., NULL, 0) in -O2 builds. */
	if (n == 0)
		return;
	if (t->len + n > t->cap) {
		size_t ncap = t->cap ? t->cap : 256;
		while (ncap < t->len + n)
			ncap *= 2;
		t->buf = realloc(t->buf, ncap);
		if (!t->buf)
			abort();
		t->cap = ncap;
	}
	memcpy(t->buf + t->len, p, n);
	t->len += n;
}

/*
 * Append a structure of TYPE whose formatted area after the 4-byte header is
 * the FLEN bytes of F, then the strings (NULL-terminated list), then the
 * double-NUL terminator. Returns the structure's offset.
 */
static inline size_t sb_struct_v(struct sb_table *t, uint8_t type, const uint8_t *f, size_t flen, va_list ap)
{
	size_t off = t->len;
	uint8_t hdr[4] = { type, (uint8_t)(4 + flen), (uint8_t)t->next_handle, (uint8_t)(t->next_handle >> 8) };
	bool any = false;

	t->next_handle++;
	sb_bytes(t, hdr, 4);
	if (flen)
		sb_bytes(t, f, flen);
	for (const char *s = va_arg(ap, const char *); s; s = va_arg(ap, const char *)) {
		sb_bytes(t, s, strlen(s) + 1);
		any = true;
	}
	sb_bytes(t, "\0\0", any ? 1 : 2);
	t->count++;
	return off;
}

static inline size_t sb_struct(struct sb_table *t, uint8_t type, const uint8_t *f, size_t flen, ...)
{
	va_list ap;
	va_start(ap, flen);
	size_t off = sb_struct_v(t, type, f, flen, ap);
	va_end(ap);
	return off;
}

static inline void sb_end(struct sb_table *t)
{
	sb_struct(t, 127, NULL, 0, NULL);
}

static inline void sb_free(struct sb_table *t)
{
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

static inline uint8_t sb_sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

/* A 31-byte "_SM_" entry point for a table of TABLE_LEN bytes and COUNT structures. */
static inline void sb_ep2(uint8_t ep[31], uint8_t major, uint8_t minor, uint16_t table_len, uint16_t count)
{
	memset(ep, 0, 31);
	memcpy(ep, "_SM_", 4);
	ep[5] = 31;
	ep[6] = major;
	ep[7] = minor;
	ep[8] = 0xff;  /* max structure size, unused */
	memcpy(ep + 0x10, "_DMI_", 5);
	ep[0x16] = (uint8_t)table_len;
	ep[0x17] = (uint8_t)(table_len >> 8);
	ep[0x18] = 0x00; ep[0x19] = 0x00; ep[0x1A] = 0x0e; ep[0x1B] = 0x00;  /* table address */
	ep[0x1C] = (uint8_t)count;
	ep[0x1D] = (uint8_t)(count >> 8);
	ep[0x1E] = (uint8_t)(major << 4 | (minor & 0x0f));
	ep[0x15] = (uint8_t)-sb_sum(ep + 0x10, 15);
	ep[4] = (uint8_t)-sb_sum(ep, 31);
}

/* A 24-byte "_SM3_" entry point for a table of at most MAX_LEN bytes. */
static inline void sb_ep3(uint8_t ep[24], uint8_t major, uint8_t minor, uint32_t max_len)
{
	memset(ep, 0, 24);
	memcpy(ep, "_SM3_", 5);
	ep[6] = 24;
	ep[7] = major;
	ep[8] = minor;
	ep[9] = 0;
	ep[10] = 1;  /* entry point revision */
	for (int i = 0; i < 4; i++)
		ep[0x0C + i] = (uint8_t)(max_len >> (8 * i));
	ep[0x10] = 0x00; ep[0x11] = 0xf0; ep[0x12] = 0x0e;  /* table address */
	ep[5] = (uint8_t)-sb_sum(ep, 24);
}

/* Formatted areas (after the 4-byte header) of the types the parser decodes; string numbers as given. */
static inline size_t sb_type0(uint8_t f[0x14], uint8_t vendor, uint8_t version, uint8_t date, uint8_t ext2)
{
	memset(f, 0, 0x14);
	f[0x04 - 4] = vendor;
	f[0x05 - 4] = version;
	f[0x06 - 4] = 0x00; f[0x07 - 4] = 0xe8;  /* start segment */
	f[0x08 - 4] = date;
	f[0x0A - 4] = 0x80;                        /* characteristics: PCI */
	f[0x13 - 4] = ext2;
	return 0x14 - 4;
}

static inline size_t sb_type1(uint8_t f[0x1B - 4], uint8_t mfr, uint8_t product, uint8_t version,
                              uint8_t serial, uint8_t sku, uint8_t family)
{
	memset(f, 0, 0x1B - 4);
	f[0x04 - 4] = mfr;
	f[0x05 - 4] = product;
	f[0x06 - 4] = version;
	f[0x07 - 4] = serial;
	f[0x18 - 4] = 6;  /* wake-up type: power switch */
	f[0x19 - 4] = sku;
	f[0x1A - 4] = family;
	return 0x1B - 4;
}

#endif
