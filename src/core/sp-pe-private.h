/* sp-pe-private.h: internals of the PE parser shared between its files */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *sp_pe_ordinal_lookup (const char *dll_lower,
                                  guint16     ordinal);

G_END_DECLS
