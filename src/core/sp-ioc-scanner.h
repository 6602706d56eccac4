/* sp-ioc-scanner.h: finds indicators of compromise in extracted strings
 *
 * The scanner runs one compiled GRegex per category over the UTF-8 text of
 * each extracted string (never over raw sample bytes), validates every
 * candidate in code (IPv4 octets, libpsl public suffixes, Base58Check and
 * bech32 checksums, …), recognises defanged forms and adds what survives to
 * an SpIocSet.
 *
 * Feed it each string (or each window of a long one, as SpStringScanner
 * sends them) with sp_ioc_scanner_scan(), then call sp_ioc_scanner_flush()
 * before sealing the set. A scanner is used by one thread at a time.
 */
#pragma once

#include <glib.h>

#include "sp-ioc.h"
#include "sp-string-table.h"

G_BEGIN_DECLS

typedef struct _SpIocScanner SpIocScanner;

SpIocScanner        *sp_ioc_scanner_new             (void);
void                 sp_ioc_scanner_scan            (SpIocScanner     *scanner,
                                                     const char       *utf8,
                                                     gsize             length,
                                                     guint64           offset,
                                                     SpStringEncoding  encoding,
                                                     SpIocSet         *set);
void                 sp_ioc_scanner_flush           (SpIocScanner     *scanner);
guint                sp_ioc_scanner_get_limit_hits  (SpIocScanner     *scanner);
void                 sp_ioc_scanner_free            (SpIocScanner     *scanner);

const char * const  *sp_ioc_api_lookup              (const char       *function_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpIocScanner, sp_ioc_scanner_free)

G_END_DECLS
