/* sp-ioc-scanner.c: finds indicators of compromise in extracted strings
 *
 * How a string is scanned:
 *  1. Defanged notation ("hxxp", "[.]", "(dot)", "[:]", "[@]", …) is rewritten
 *     into a working copy, with a map from each copy byte back to the input so
 *     offsets and the raw text stay exact.
 *  2. One GRegex per category runs over the copy. Patterns use explicit ASCII
 *     classes, lookarounds for boundaries and only bounded, mostly possessive
 *     quantifiers, so no pattern can backtrack more than a few dozen steps per
 *     start position. They are compiled with G_REGEX_RAW (bytes; the input may
 *     be cut mid-character at a window edge) and G_REGEX_OPTIMIZE (PCRE2 JIT).
 *     Long inputs are matched in windows of SCAN_WINDOW bytes that overlap by
 *     more than the longest possible match.
 *  3. Candidates are validated in code and added to the SpIocSet.
 *  4. A run longer than SP_STRING_SCANNER_WINDOW characters arrives from the
 *     strings scanner as overlapping windows. The next window of a run is
 *     recognised by its offset; what it shares with the previous one and was
 *     whole there is skipped, and a match touching the end of a full window
 *     is held back until the next window (or sp_ioc_scanner_flush()) shows
 *     whether the run really ended there. So a long run yields exactly what
 *     one call over all of it would, with no cut or suffix indicators.
 *
 * Overlaps, decided once: the host of a URL and the server of a UNC path are
 * reported as a domain (or IP address) too, at the host's offset, because
 * that is what an analyst pivots on. Any other domain-shaped text inside a
 * URL, an email address, a path or a registry key (a URL path "a/setup.zip",
 * the domain of "someone@gmail.com", "C:\x\update.info") is not reported as a
 * standalone domain. IPv4 addresses are reported wherever they occur, and
 * library names also inside paths and URLs.
 */
#include "config.h"
#define G_LOG_DOMAIN "sp-ioc-scanner"

#include <string.h>

#include <gio/gio.h>
#include <libpsl.h>

#include "sp-ioc-scanner.h"
#include "sp-string-scanner.h"

/* Window size for one regex call, and the overlap between windows. The
 * overlap exceeds the longest match any pattern can produce (a URL of
 * 2048 + scheme bytes; longer path matches are dropped). */
#define SCAN_WINDOW  (64 * 1024)
#define SCAN_OVERLAP (4 * 1024)
#define MAX_PATH_MATCH 2048

typedef enum
{
  PATTERN_URL,
  PATTERN_EMAIL,
  PATTERN_PATH,
  PATTERN_REGISTRY,
  PATTERN_DOMAIN,
  PATTERN_IPV4,
  PATTERN_IPV6,
  PATTERN_LIBRARY,
  PATTERN_BTC_BASE58,
  PATTERN_BTC_BECH32,
  PATTERN_HASH,
  PATTERN_CVE,
  N_PATTERNS
} Pattern;

static const char * const pattern_sources[N_PATTERNS] = {
  [PATTERN_URL] =
    "(?<![A-Za-z0-9+.-])(?i:https?|ftps?)://[A-Za-z0-9._~:/?#\\[\\]@!$&()*+,;=%-]{1,2048}+",
  [PATTERN_EMAIL] =
    "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}+@[A-Za-z0-9-]{1,63}+"
    "(?:\\.[A-Za-z0-9-]{1,63}+){1,16}+",
  [PATTERN_PATH] =
    "(?:(?<![A-Za-z0-9])[A-Za-z]:\\\\"
    "|\\\\\\\\[?.]\\\\(?:[A-Za-z]:\\\\)?"
    "|(?<!\\\\)\\\\\\\\[A-Za-z0-9$_-][A-Za-z0-9.$_-]{0,254}+\\\\"
    "|(?<![A-Za-z0-9%])%[A-Za-z_][A-Za-z0-9_()]{0,63}+%\\\\)"
    "(?:(?![A-Za-z]:\\\\)[^\\x00-\\x1f\"*:<>?|;\\x7f])++",
  [PATTERN_REGISTRY] =
    "(?<![A-Za-z0-9_\\\\])"
    "(?i:HKEY_(?:LOCAL_MACHINE|CURRENT_USER|CLASSES_ROOT|USERS|CURRENT_CONFIG)"
    "|HKLM|HKCU|HKCR|HKU|HKCC|SOFTWARE(?=\\\\)|SYSTEM(?=\\\\CurrentControlSet\\\\)):?"
    "\\\\[^\\x00-\\x1f\"*<>|;\\x7f]{1,1024}+",
  [PATTERN_DOMAIN] =
    "(?<![A-Za-z0-9_.-])[A-Za-z0-9-]{1,63}+(?:\\.[A-Za-z0-9-]{1,63}+){1,32}+(?![A-Za-z0-9_-])",
  [PATTERN_IPV4] =
    "(?<![0-9A-Za-z.])(?:[0-9]{1,3}\\.){3}[0-9]{1,3}+(?![0-9A-Za-z]|\\.[0-9])",
  [PATTERN_IPV6] =
    "(?<![0-9A-Za-z:.])(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:]{2,39}+(?![0-9A-Za-z:]|\\.[0-9])",
  [PATTERN_LIBRARY] =
    "(?<![A-Za-z0-9_.$~-])[A-Za-z0-9_$~-][A-Za-z0-9_.$~-]{0,63}\\.(?i:dll|sys|drv|ocx|cpl|exe)"
    "(?![A-Za-z0-9_])",
  [PATTERN_BTC_BASE58] =
    "(?<![A-Za-z0-9])[13][1-9A-HJ-NP-Za-km-z]{25,34}+(?![A-Za-z0-9])",
  [PATTERN_BTC_BECH32] =
    "(?<![A-Za-z0-9])(?:bc1[02-9ac-hj-np-z]{6,87}+|BC1[02-9AC-HJ-NP-Z]{6,87}+)(?![A-Za-z0-9])",
  [PATTERN_HASH] =
    "(?<![A-Za-z0-9])[0-9A-Fa-f]{32,64}+(?![A-Za-z0-9])",
  [PATTERN_CVE] =
    "(?<![A-Za-z0-9])(?i:CVE)-[0-9]{4}-[0-9]{4,7}+(?![0-9])",
};

/* An indicator held back because its match touched the end of a full
 * window: if the next window continues the run it is found there whole. */
typedef struct
{
  SpIocCategory  category;
  char          *value;
  char          *raw;
  guint64        offset;
  GStrv          tags;
} Stashed;

/* Windowing state of one encoding's runs (see sp-string-scanner.h). */
typedef struct
{
  gboolean   pending;      /* the last text was a full window */
  guint64    next_offset;  /* where its continuation window starts */
  SpIocSet  *set;
  GPtrArray *stash;
} RunState;

struct _SpIocScanner
{
  GRegex           *regex[N_PATTERNS];
  const psl_ctx_t  *psl;
  guint             limit_hits;
  RunState          runs[2];
  GArray           *spans;    /* of Span, reused by every scan */
  GHashTable       *domains;  /* lowercase name -> GINT_TO_POINTER (is_valid_domain) */
};

static void
stashed_free (gpointer data)
{
  Stashed *stashed = data;

  g_free (stashed->value);
  g_free (stashed->raw);
  g_strfreev (stashed->tags);
  g_free (stashed);
}

/* Adds the held-back indicators (@commit) or drops them, and forgets the window. */
static void
run_state_settle (RunState *run,
                  gboolean  commit)
{
  if (commit)
    for (guint i = 0; i < run->stash->len; i++)
      {
        Stashed *stashed = g_ptr_array_index (run->stash, i);

        sp_ioc_set_add (run->set, stashed->category, stashed->value, stashed->raw,
                        stashed->offset, (const char * const *) stashed->tags);
      }
  g_ptr_array_set_size (run->stash, 0);
  g_clear_object (&run->set);
  run->pending = FALSE;
}

/* Suspicious Windows APIs */

static const char * const tags_injection[] = { "process-injection", NULL };
static const char * const tags_keylogging[] = { "keylogging", NULL };
static const char * const tags_persistence[] = { "persistence", NULL };
static const char * const tags_persistence_execution[] = { "persistence", "execution", NULL };
static const char * const tags_network[] = { "network", NULL };
static const char * const tags_anti_debugging[] = { "anti-debugging", NULL };
static const char * const tags_privilege[] = { "privilege", NULL };
static const char * const tags_crypto[] = { "crypto", NULL };
static const char * const tags_execution[] = { "execution", NULL };

static const struct
{
  const char         *name;
  const char * const *tags;
} suspicious_apis[] = {
  { "CreateRemoteThread", tags_injection },
  { "CreateRemoteThreadEx", tags_injection },
  { "WriteProcessMemory", tags_injection },
  { "ReadProcessMemory", tags_injection },
  { "VirtualAllocEx", tags_injection },
  { "VirtualProtectEx", tags_injection },
  { "NtWriteVirtualMemory", tags_injection },
  { "ZwWriteVirtualMemory", tags_injection },
  { "NtAllocateVirtualMemory", tags_injection },
  { "NtCreateThreadEx", tags_injection },
  { "ZwCreateThreadEx", tags_injection },
  { "RtlCreateUserThread", tags_injection },
  { "QueueUserAPC", tags_injection },
  { "NtQueueApcThread", tags_injection },
  { "SetThreadContext", tags_injection },
  { "NtSetContextThread", tags_injection },
  { "NtUnmapViewOfSection", tags_injection },
  { "ZwUnmapViewOfSection", tags_injection },
  { "NtMapViewOfSection", tags_injection },
  { "SetWindowsHookEx", tags_keylogging },
  { "GetAsyncKeyState", tags_keylogging },
  { "GetKeyState", tags_keylogging },
  { "GetKeyboardState", tags_keylogging },
  { "RegisterRawInputDevices", tags_keylogging },
  { "GetRawInputData", tags_keylogging },
  { "RegSetValueEx", tags_persistence },
  { "RegSetValue", tags_persistence },
  { "RegCreateKeyEx", tags_persistence },
  { "CreateService", tags_persistence_execution },
  { "ChangeServiceConfig", tags_persistence },
  { "NetScheduleJobAdd", tags_persistence },
  { "URLDownloadToFile", tags_network },
  { "URLDownloadToCacheFile", tags_network },
  { "InternetOpen", tags_network },
  { "InternetOpenUrl", tags_network },
  { "InternetConnect", tags_network },
  { "InternetReadFile", tags_network },
  { "InternetWriteFile", tags_network },
  { "HttpOpenRequest", tags_network },
  { "HttpSendRequest", tags_network },
  { "WinHttpOpen", tags_network },
  { "WinHttpConnect", tags_network },
  { "WinHttpOpenRequest", tags_network },
  { "WinHttpSendRequest", tags_network },
  { "WinHttpReadData", tags_network },
  { "FtpPutFile", tags_network },
  { "WSAStartup", tags_network },
  { "WSASocket", tags_network },
  { "IsDebuggerPresent", tags_anti_debugging },
  { "CheckRemoteDebuggerPresent", tags_anti_debugging },
  { "NtQueryInformationProcess", tags_anti_debugging },
  { "ZwQueryInformationProcess", tags_anti_debugging },
  { "NtSetInformationThread", tags_anti_debugging },
  { "ZwSetInformationThread", tags_anti_debugging },
  { "OutputDebugString", tags_anti_debugging },
  { "DebugActiveProcess", tags_anti_debugging },
  { "AdjustTokenPrivileges", tags_privilege },
  { "OpenProcessToken", tags_privilege },
  { "LookupPrivilegeValue", tags_privilege },
  { "ImpersonateLoggedOnUser", tags_privilege },
  { "DuplicateTokenEx", tags_privilege },
  { "SetTokenInformation", tags_privilege },
  { "CreateProcessWithToken", tags_privilege },
  { "CryptEncrypt", tags_crypto },
  { "CryptDecrypt", tags_crypto },
  { "CryptGenKey", tags_crypto },
  { "CryptDeriveKey", tags_crypto },
  { "CryptImportKey", tags_crypto },
  { "CryptExportKey", tags_crypto },
  { "CryptAcquireContext", tags_crypto },
  { "BCryptEncrypt", tags_crypto },
  { "BCryptDecrypt", tags_crypto },
  { "BCryptGenerateSymmetricKey", tags_crypto },
  { "WinExec", tags_execution },
  { "ShellExecute", tags_execution },
  { "ShellExecuteEx", tags_execution },
  { "CreateProcess", tags_execution },
  { "CreateProcessAsUser", tags_execution },
  { "CreateProcessWithLogon", tags_execution },
  { "StartService", tags_execution },
};

/* Name lengths in the table, plus one for an "A"/"W" suffix: tokens outside
 * these bounds need no lookup. Set with the table. */
static gsize api_min_length;
static gsize api_max_length;

static GHashTable *
api_table (void)
{
  static GHashTable *table;

  if (g_once_init_enter (&table))
    {
      GHashTable *built = g_hash_table_new (g_str_hash, g_str_equal);

      api_min_length = G_MAXSIZE;
      for (guint i = 0; i < G_N_ELEMENTS (suspicious_apis); i++)
        {
          gsize length = strlen (suspicious_apis[i].name);

          api_min_length = MIN (api_min_length, length);
          api_max_length = MAX (api_max_length, length + 1);
          g_hash_table_insert (built, (gpointer) suspicious_apis[i].name,
                               (gpointer) suspicious_apis[i].tags);
        }
      g_once_init_leave (&table, built);
    }
  return table;
}

static const char * const *
api_lookup_len (const char  *name,
                gsize        length,
                const char **folded)
{
  char buffer[72];
  const char * const *tags;
  GHashTable *table = api_table ();
  gpointer key;

  if (length < 4 || length >= sizeof buffer)
    return NULL;
  memcpy (buffer, name, length);
  buffer[length] = '\0';

  if (g_hash_table_lookup_extended (table, buffer, &key, (gpointer *) &tags))
    {
      *folded = key;
      return tags;
    }
  /* The ANSI/wide variants (CreateProcessA, CreateProcessW) share one entry. */
  if (buffer[length - 1] == 'A' || buffer[length - 1] == 'W')
    {
      buffer[length - 1] = '\0';
      if (g_hash_table_lookup_extended (table, buffer, &key, (gpointer *) &tags))
        {
          *folded = key;
          return tags;
        }
    }
  return NULL;
}

/**
 * sp_ioc_api_lookup:
 * @function_name: an exported or imported function name, e.g. "CreateProcessW"
 *
 * Looks @function_name up in the curated table of Windows APIs that malware
 * commonly uses. The comparison is case-sensitive; a trailing "A" or "W"
 * (ANSI/wide variant) is ignored when the bare name is in the table.
 *
 * Returns: (transfer none) (nullable): the behaviour tags ("process-injection",
 * "keylogging", "persistence", "network", "anti-debugging", "privilege",
 * "crypto", "execution"), or %NULL if the function is not suspicious.
 */
const char * const *
sp_ioc_api_lookup (const char *function_name)
{
  const char *folded;

  if (function_name == NULL)
    return NULL;
  return api_lookup_len (function_name, strlen (function_name), &folded);
}

/* Scanner life cycle */

/**
 * sp_ioc_scanner_new:
 *
 * Compiles the patterns once. A scanner may be used from one thread at a
 * time; create one per worker.
 *
 * Returns: (transfer full): a new scanner; free with sp_ioc_scanner_free().
 */
SpIocScanner *
sp_ioc_scanner_new (void)
{
  SpIocScanner *self = g_new0 (SpIocScanner, 1);

  for (guint i = 0; i < N_PATTERNS; i++)
    {
      GError *error = NULL;

      /* G_REGEX_RAW: bytes, not UTF-8 (the input may be cut mid-character at a
       * window edge); G_REGEX_OPTIMIZE: the PCRE2 JIT. */
      self->regex[i] = g_regex_new (pattern_sources[i], G_REGEX_RAW | G_REGEX_OPTIMIZE, 0, &error);
      /* The patterns are constants: failing to compile them is a programming error. */
      if (self->regex[i] == NULL)
        g_error ("IOC pattern %u does not compile: %s", i, error->message);
    }

  for (guint i = 0; i < G_N_ELEMENTS (self->runs); i++)
    self->runs[i].stash = g_ptr_array_new_with_free_func (stashed_free);
  api_table ();  /* sets the name length bounds scan_survey() uses */
  self->spans = g_array_new (FALSE, FALSE, sizeof (gsize) * 2);
  self->domains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->psl = psl_builtin ();
  if (self->psl == NULL)
    g_warning ("libpsl has no built-in public suffix list; no domain will be reported");
  return self;
}

/**
 * sp_ioc_scanner_flush:
 *
 * Call after the last string: adds the indicators that end exactly at the
 * end of the last full window of a run (held back in case another window of
 * the same run followed). Freeing the scanner flushes too, but a set should
 * be flushed before it is sealed.
 */
void
sp_ioc_scanner_flush (SpIocScanner *self)
{
  g_return_if_fail (self != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (self->runs); i++)
    if (self->runs[i].pending)
      run_state_settle (&self->runs[i], TRUE);
}

void
sp_ioc_scanner_free (SpIocScanner *self)
{
  if (self == NULL)
    return;
  sp_ioc_scanner_flush (self);
  for (guint i = 0; i < G_N_ELEMENTS (self->runs); i++)
    g_ptr_array_unref (self->runs[i].stash);
  g_array_unref (self->spans);
  g_hash_table_unref (self->domains);
  for (guint i = 0; i < N_PATTERNS; i++)
    g_clear_pointer (&self->regex[i], g_regex_unref);
  g_free (self);
}

/**
 * sp_ioc_scanner_get_limit_hits:
 *
 * Returns: how many regex runs stopped early because PCRE2 hit its match
 * limit or JIT stack limit; indicators in those strings may be missing.
 */
guint
sp_ioc_scanner_get_limit_hits (SpIocScanner *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->limit_hits;
}

/* One scan */

typedef struct
{
  gsize start;
  gsize end;
} Span;

/* The scanner allocates its reusable span array before this type is known. */
G_STATIC_ASSERT (sizeof (Span) == 2 * sizeof (gsize));

typedef struct
{
  SpIocScanner      *scanner;
  SpIocSet          *set;
  const char        *orig;
  gsize              orig_length;
  /* The refanged text; equals orig when nothing was rewritten (map is then NULL). */
  const char        *text;
  gsize              length;
  guint32           *map;
  guint64            offset;
  SpStringEncoding   encoding;
  /* Spans of URLs, emails, paths and registry keys: no standalone domains there. */
  GArray            *spans;
  /* Cursor for converting byte positions to UTF-16 code units. */
  gsize              cursor_byte;
  guint64            cursor_units;
  /* Windows of a long run: matches ending before @keep_from (input bytes) were
   * whole in the previous window; with @may_continue, matches touching the end
   * are held back in @run (@stash_current) until the next window shows whether
   * they were cut. */
  gsize              keep_from;
  gboolean           may_continue;
  gboolean           stash_current;
  RunState          *run;
} Scan;

typedef void (*MatchFunc) (Scan  *scan,
                           gsize  start,
                           gsize  end);

static gsize
scan_orig_pos (Scan  *scan,
               gsize  pos)
{
  return scan->map != NULL ? scan->map[pos] : pos;
}

static guint64
scan_file_offset (Scan  *scan,
                  gsize  orig_pos)
{
  if (scan->encoding != SP_STRING_ENCODING_UTF16LE)
    return scan->offset + orig_pos;

  /* Each UTF-16 code unit was two bytes in the file: characters above the
   * BMP (4-byte UTF-8 lead bytes) took a surrogate pair. */
  if (orig_pos < scan->cursor_byte)
    {
      scan->cursor_byte = 0;
      scan->cursor_units = 0;
    }
  for (gsize i = scan->cursor_byte; i < orig_pos; i++)
    {
      guchar c = scan->orig[i];

      if ((c & 0xc0) != 0x80)
        scan->cursor_units += c >= 0xf0 ? 2 : 1;
    }
  scan->cursor_byte = orig_pos;
  return scan->offset + 2 * scan->cursor_units;
}

/* Cuts @length back so that @text[0..length) ends on a whole UTF-8 character. */
static gsize
utf8_valid_prefix (const char *text,
                   gsize       length)
{
  const char *end;

  g_utf8_validate_len (text, length, &end);
  return end - text;
}

static void
scan_emit (Scan               *scan,
           SpIocCategory       category,
           const char         *value,
           gsize               start,
           gsize               end,
           const char * const *extra_tags)
{
  const char *tags[8];
  guint n_tags = 0;
  gsize orig_start = scan_orig_pos (scan, start);
  gsize orig_end = scan_orig_pos (scan, end);
  gsize raw_length;
  char *raw;

  if (value[0] == '\0' || !g_utf8_validate (value, -1, NULL))
    return;

  raw_length = utf8_valid_prefix (scan->orig + orig_start, orig_end - orig_start);
  raw = g_strndup (scan->orig + orig_start, raw_length);

  if (extra_tags != NULL)
    for (guint i = 0; extra_tags[i] != NULL && n_tags < G_N_ELEMENTS (tags) - 2; i++)
      tags[n_tags++] = extra_tags[i];
  /* Rewritten text differs from the original only where defanging was undone. */
  if (scan->map != NULL
      && (end - start != raw_length || memcmp (scan->text + start, raw, raw_length) != 0))
    tags[n_tags++] = "defanged";
  tags[n_tags] = NULL;

  if (scan->stash_current)
    {
      Stashed *stashed = g_new0 (Stashed, 1);

      stashed->category = category;
      stashed->value = g_strdup (value);
      stashed->raw = raw;
      stashed->offset = scan_file_offset (scan, orig_start);
      stashed->tags = n_tags > 0 ? g_strdupv ((char **) tags) : NULL;
      g_ptr_array_add (scan->run->stash, stashed);
      return;
    }

  sp_ioc_set_add (scan->set, category, value, raw, scan_file_offset (scan, orig_start),
                  n_tags > 0 ? tags : NULL);
  g_free (raw);
}

/* Decides whether a match belongs to this window (see Scan.keep_from). */
static gboolean
scan_accept (Scan  *scan,
             gsize  start,
             gsize  end)
{
  if (scan_orig_pos (scan, end) < scan->keep_from)
    return FALSE;
  scan->stash_current = scan->may_continue && end == scan->length;
  return TRUE;
}

static void
scan_add_span (Scan  *scan,
               gsize  start,
               gsize  end)
{
  Span span = { start, end };

  g_array_append_val (scan->spans, span);
}

static gboolean
scan_in_span (Scan  *scan,
              gsize  start,
              gsize  end)
{
  guint lo = 0;
  guint hi = scan->spans->len;

  /* Spans are sorted and merged: find the last one starting at or before @start. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (scan->spans, Span, mid).start <= start)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == 0)
    return FALSE;
  return end <= g_array_index (scan->spans, Span, lo - 1).end;
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const Span *x = a;
  const Span *y = b;

  return x->start < y->start ? -1 : x->start > y->start;
}

static void
scan_merge_spans (Scan *scan)
{
  guint out = 0;

  g_array_sort (scan->spans, compare_spans);
  for (guint i = 0; i < scan->spans->len; i++)
    {
      Span span = g_array_index (scan->spans, Span, i);

      if (out > 0 && span.start <= g_array_index (scan->spans, Span, out - 1).end)
        {
          Span *last = &g_array_index (scan->spans, Span, out - 1);

          last->end = MAX (last->end, span.end);
        }
      else
        g_array_index (scan->spans, Span, out++) = span;
    }
  g_array_set_size (scan->spans, out);
}

/* Runs @pattern over the whole text in overlapping windows; each match start is
 * handed to @func exactly once. Limit failures are counted, not mistaken for
 * "no match". */
static void
scan_run (Scan      *scan,
          Pattern    pattern,
          MatchFunc  func)
{
  GRegex *regex = scan->scanner->regex[pattern];
  gsize window_start = 0;

  while (window_start < scan->length)
    {
      gsize window_end = MIN (scan->length, window_start + SCAN_WINDOW);
      gsize accept_end = window_end == scan->length ? window_end : window_end - SCAN_OVERLAP;
      GMatchInfo *info = NULL;
      GError *error = NULL;
      gboolean matched;

      matched = g_regex_match_full (regex, scan->text, window_end, window_start, 0, &info, &error);
      while (matched)
        {
          int start, end;

          if (!g_match_info_fetch_pos (info, 0, &start, &end) || (gsize) start >= accept_end)
            break;
          if (scan_accept (scan, start, end))
            func (scan, start, end);
          scan->stash_current = FALSE;
          matched = g_match_info_next (info, &error);
        }
      /* A match-limit or JIT-stack failure also ends the loop: count it, never read it as
       * "no match". */
      if (error != NULL)
        {
          scan->scanner->limit_hits++;
          g_debug ("IOC pattern %u stopped at a limit near byte %" G_GSIZE_FORMAT ": %s",
                   pattern, window_start, error->message);
          g_clear_error (&error);
        }
      g_match_info_free (info);

      if (window_end == scan->length)
        break;
      window_start = accept_end;
    }
}

/* Validation helpers */

static gboolean
is_ascii_digits (const char *text,
                 gsize       length)
{
  if (length == 0)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

/* Strict dotted quad: four decimal octets 0-255 without leading zeros. */
static gboolean
parse_ipv4 (const char *text,
            gsize       length,
            guint8      octets[4])
{
  gsize i = 0;

  for (guint n = 0; n < 4; n++)
    {
      gsize begin = i;
      guint value = 0;

      while (i < length && g_ascii_isdigit (text[i]) && i - begin < 3)
        value = value * 10 + (text[i++] - '0');
      if (i == begin || value > 255 || (i - begin > 1 && text[begin] == '0'))
        return FALSE;
      octets[n] = value;
      if (n < 3)
        {
          if (i >= length || text[i] != '.')
            return FALSE;
          i++;
        }
    }
  return i == length;
}

static const char *
ipv4_range_tag (const guint8 o[4])
{
  if (o[0] == 10 || (o[0] == 172 && (o[1] & 0xf0) == 16) || (o[0] == 192 && o[1] == 168))
    return "private";
  if (o[0] == 127)
    return "loopback";
  if (o[0] == 169 && o[1] == 254)
    return "link-local";
  if (o[0] >= 224 && o[0] <= 239)
    return "multicast";
  if ((o[0] == 192 && o[1] == 0 && o[2] == 2) || (o[0] == 198 && o[1] == 51 && o[2] == 100)
      || (o[0] == 203 && o[1] == 0 && o[2] == 113))
    return "documentation";
  if (o[0] == 0 || o[0] >= 240 || (o[0] == 100 && (o[1] & 0xc0) == 64)
      || (o[0] == 192 && o[1] == 0 && o[2] == 0) || (o[0] == 198 && (o[1] & 0xfe) == 18))
    return "reserved";
  return NULL;
}

static const char *
ipv6_range_tag (GInetAddress *address)
{
  const guint8 *bytes = g_inet_address_to_bytes (address);

  if (g_inet_address_get_is_loopback (address))
    return "loopback";
  if (g_inet_address_get_is_link_local (address))
    return "link-local";
  if (g_inet_address_get_is_multicast (address))
    return "multicast";
  if ((bytes[0] & 0xfe) == 0xfc)
    return "private";
  if (bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0d && bytes[3] == 0xb8)
    return "documentation";
  return NULL;
}

/* Host name syntax: two or more labels of letters, digits and inner hyphens,
 * at most 253 bytes, ending in a TLD of letters (or punycode). Sets @tld. */
static gboolean
is_host_name (const char  *name,
              const char **tld_out)
{
  gsize length = strlen (name);
  const char *label = name;
  const char *tld = NULL;
  guint n_labels = 0;

  if (length < 3 || length > 253)
    return FALSE;

  while (label != NULL)
    {
      const char *dot = strchr (label, '.');
      gsize label_length = dot != NULL ? (gsize) (dot - label) : strlen (label);

      if (label_length == 0 || label_length > 63 || label[0] == '-'
          || label[label_length - 1] == '-')
        return FALSE;
      for (gsize i = 0; i < label_length; i++)
        if (!g_ascii_isalnum (label[i]) && label[i] != '-')
          return FALSE;
      n_labels++;
      tld = label;
      label = dot != NULL ? dot + 1 : NULL;
    }
  if (n_labels < 2)
    return FALSE;

  /* A real TLD is letters, or an IDN in punycode. */
  if (!g_str_has_prefix (tld, "xn--"))
    for (const char *p = tld; *p != '\0'; p++)
      if (!g_ascii_isalpha (*p))
        return FALSE;
  if (strlen (tld) < 2)
    return FALSE;

  *tld_out = tld;
  return TRUE;
}

/* Checks a lowercase host name: syntax, a TLD that really exists in the
 * Public Suffix List (no "*" fallback, so "kernel32.dll" fails), and a name
 * that is not itself a public suffix ("co.uk"). */
static gboolean
judge_domain (const psl_ctx_t *psl,
              const char      *name)
{
  const char *tld;

  if (psl == NULL || !is_host_name (name, &tld))
    return FALSE;
  if (!psl_is_public_suffix2 (psl, tld, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE))
    return FALSE;
  return psl_registrable_domain (psl, name) != NULL;
}

/* Domains come back over and over (a URL's host in every request line), and
 * a Public Suffix List lookup costs thousands of instructions: the verdicts
 * are remembered, up to a bound so memory stays small. */
#define MAX_CACHED_DOMAINS 32768

static gboolean
is_valid_domain (Scan       *scan,
                 const char *name)
{
  GHashTable *cache = scan->scanner->domains;
  gpointer verdict;
  gboolean valid;

  if (g_hash_table_lookup_extended (cache, name, NULL, &verdict))
    return GPOINTER_TO_INT (verdict);

  valid = judge_domain (scan->scanner->psl, name);
  if (g_hash_table_size (cache) >= MAX_CACHED_DOMAINS)
    g_hash_table_remove_all (cache);
  g_hash_table_insert (cache, g_strdup (name), GINT_TO_POINTER (valid));
  return valid;
}

/* Adds a URL host or UNC server as the indicator it is. */
static void
emit_host (Scan       *scan,
           const char *host,
           gsize       start,
           gsize       end)
{
  guint8 octets[4];

  if (parse_ipv4 (host, strlen (host), octets))
    {
      const char *tags[] = { ipv4_range_tag (octets), NULL };

      scan_emit (scan, SP_IOC_IPV4, host, start, end, tags);
    }
  else if (is_valid_domain (scan, host))
    scan_emit (scan, SP_IOC_DOMAIN, host, start, end, NULL);
}

/* URL */

static gsize
trim_trailing_punctuation (const char *text,
                           gsize       start,
                           gsize       end,
                           const char *strip)
{
  while (end > start)
    {
      char c = text[end - 1];
      char open = c == ')' ? '(' : c == ']' ? '[' : c == '}' ? '{' : '\0';

      if (strchr (strip, c) != NULL && c != '\0')
        {
          end--;
          continue;
        }
      if (open != '\0')
        {
          int balance = 0;

          /* Keep a closing bracket only when the match itself opened it. */
          for (gsize i = start; i < end; i++)
            balance += text[i] == open ? 1 : text[i] == c ? -1 : 0;
          if (balance < 0)
            {
              end--;
              continue;
            }
        }
      break;
    }
  return end;
}

static void
on_url (Scan  *scan,
        gsize  start,
        gsize  end)
{
  const char *text = scan->text;
  gsize scheme_end, authority, authority_end, host_start, host_end, port;
  g_autofree char *host = NULL;
  g_autoptr(GString) value = NULL;
  gboolean host_ok = FALSE;

  end = trim_trailing_punctuation (text, start, end, ".,;:!?*'\"");
  scheme_end = start;
  while (text[scheme_end] != ':')
    scheme_end++;
  authority = scheme_end + 3;

  authority_end = authority;
  while (authority_end < end && strchr ("/?#", text[authority_end]) == NULL)
    authority_end++;

  host_start = authority;
  for (gsize i = authority; i < authority_end; i++)
    if (text[i] == '@')
      host_start = i + 1;

  if (host_start < authority_end && text[host_start] == '[')
    {
      g_autoptr(GInetAddress) address = NULL;

      host_end = host_start + 1;
      while (host_end < authority_end && text[host_end] != ']')
        host_end++;
      if (host_end >= authority_end)
        return;
      host = g_strndup (text + host_start + 1, host_end - host_start - 1);
      address = g_inet_address_new_from_string (host);
      if (address == NULL || g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV6)
        return;
      g_free (host);
      host = g_inet_address_to_string (address);
      port = host_end + 1;
      host_ok = TRUE;
    }
  else
    {
      host_end = host_start;
      while (host_end < authority_end && text[host_end] != ':')
        host_end++;
      port = host_end;
      host = g_ascii_strdown (text + host_start, host_end - host_start);
    }

  if (port < authority_end)
    {
      guint64 number;

      if (text[port] != ':' || !is_ascii_digits (text + port + 1, authority_end - port - 1)
          || authority_end - port - 1 > 5)
        return;
      number = g_ascii_strtoull (text + port + 1, NULL, 10);
      if (number == 0 || number > 65535)
        return;
    }

  if (!host_ok)
    {
      guint8 octets[4];

      const char *tld;

      /* The scheme is evidence enough for a well-formed host outside the public
       * suffix list ("intranet.corp", "a.example"); only public ones are also
       * reported as domains. */
      host_ok = parse_ipv4 (host, strlen (host), octets) || strcmp (host, "localhost") == 0
                || is_host_name (host, &tld);
    }
  if (!host_ok)
    return;

  value = g_string_new (NULL);
  for (gsize i = start; i < scheme_end; i++)
    g_string_append_c (value, g_ascii_tolower (text[i]));
  g_string_append_len (value, text + scheme_end, host_start - scheme_end);
  if (text[host_start] == '[')
    g_string_append_printf (value, "[%s]", host);
  else
    g_string_append (value, host);
  g_string_append_len (value, text + host_end + (text[host_start] == '[' ? 1 : 0),
                       end - host_end - (text[host_start] == '[' ? 1 : 0));

  scan_emit (scan, SP_IOC_URL, value->str, start, end, NULL);
  scan_add_span (scan, start, end);

  if (text[host_start] == '[')
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);
      const char *tags[] = { ipv6_range_tag (address), NULL };

      scan_emit (scan, SP_IOC_IPV6, host, host_start + 1, host_end, tags);
    }
  else
    emit_host (scan, host, host_start, host_end);
}

/* Email */

static void
on_email (Scan  *scan,
          gsize  start,
          gsize  end)
{
  const char *text = scan->text;
  const char *at = memchr (text + start, '@', end - start);
  g_autofree char *domain = NULL;
  g_autofree char *value = NULL;
  gsize local_length = at - (text + start);

  /* The local part: no leading, trailing or doubled dot. */
  if (text[start] == '.' || at[-1] == '.' || g_strstr_len (text + start, local_length, "..") != NULL)
    return;

  domain = g_ascii_strdown (at + 1, text + end - (at + 1));
  if (!is_valid_domain (scan, domain))
    return;

  value = g_strdup_printf ("%.*s@%s", (int) local_length, text + start, domain);
  scan_emit (scan, SP_IOC_EMAIL, value, start, end, NULL);
  scan_add_span (scan, start, end);
}

/* Windows path */

/* Appends @text[start..end) collapsing runs of backslashes, as found in
 * strings copied from source code ("C:\\Windows\\x"). */
static void
append_collapsing_backslashes (GString    *out,
                               const char *text,
                               gsize       start,
                               gsize       end)
{
  for (gsize i = start; i < end; i++)
    {
      if (text[i] == '\\' && out->len > 0 && out->str[out->len - 1] == '\\')
        continue;
      g_string_append_c (out, text[i]);
    }
}

static void
on_path (Scan  *scan,
         gsize  start,
         gsize  end)
{
  const char *text = scan->text;
  gsize prefix_end;
  g_autoptr(GString) value = NULL;

  /* The tail cannot be bounded inside the pattern (PCRE2 would expand the
   * group); anything this long is not a path, and would not fit the window
   * overlap. */
  if (end - start > MAX_PATH_MATCH)
    return;
  end = start + utf8_valid_prefix (text + start, end - start);
  end = trim_trailing_punctuation (text, start, end, " \t.,'");

  if (text[start] == '%')
    prefix_end = (const char *) memchr (text + start + 1, '%', end - start - 1) - text + 2;
  else if (text[start] == '\\')
    {
      prefix_end = start + 2;
      if (text[prefix_end] == '?' || text[prefix_end] == '.')
        prefix_end += 2;
    }
  else
    prefix_end = start + 3;
  if (prefix_end >= end)
    return;

  value = g_string_new (NULL);
  g_string_append_len (value, text + start, prefix_end - start);
  append_collapsing_backslashes (value, text, prefix_end, end);

  /* A UNC path needs a share after the server: "\\server\share". */
  if (text[start] == '\\' && text[start + 2] != '?' && text[start + 2] != '.')
    {
      const char *slash = memchr (text + start + 2, '\\', end - start - 2);
      g_autofree char *server = NULL;

      if (slash == NULL || slash + 1 >= text + end || slash[1] == '\\')
        return;
      server = g_ascii_strdown (text + start + 2, slash - (text + start + 2));
      emit_host (scan, server, start + 2, slash - text);
    }
  else if (value->len <= prefix_end - start)
    return;

  scan_emit (scan, SP_IOC_PATH, value->str, start, end, NULL);
  scan_add_span (scan, start, end);
}

/* Registry */

static const struct
{
  const char *abbreviation;
  const char *name;
} hives[] = {
  { "HKLM", "HKEY_LOCAL_MACHINE" },
  { "HKCU", "HKEY_CURRENT_USER" },
  { "HKCR", "HKEY_CLASSES_ROOT" },
  { "HKU", "HKEY_USERS" },
  { "HKCC", "HKEY_CURRENT_CONFIG" },
};

/* Keys that make a program start again: autoruns, services, Winlogon, IFEO. */
static const char * const persistence_keys[] = {
  "\\currentversion\\run",
  "\\currentversion\\policies\\explorer\\run",
  "\\currentcontrolset\\services\\",
  "\\currentversion\\winlogon",
  "\\image file execution options",
  "\\active setup\\installed components",
  "\\currentversion\\explorer\\shell folders",
  "\\currentversion\\windows\\appinit_dlls",
};

static void
on_registry (Scan  *scan,
             gsize  start,
             gsize  end)
{
  const char *text = scan->text;
  const char *slash;
  gsize hive_end;
  g_autofree char *hive = NULL;
  g_autofree char *lower = NULL;
  g_autoptr(GString) value = NULL;
  const char *tags[2] = { NULL, NULL };

  end = start + utf8_valid_prefix (text + start, end - start);
  end = trim_trailing_punctuation (text, start, end, " \t.,'\\");
  slash = memchr (text + start, '\\', end - start);
  if (slash == NULL || slash + 1 >= text + end)
    return;
  hive_end = slash - text;
  if (text[hive_end - 1] == ':')
    hive_end--;
  hive = g_ascii_strup (text + start, hive_end - start);

  value = g_string_new (NULL);
  if (g_str_has_prefix (hive, "HKEY_"))
    g_string_append (value, hive);
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (hives); i++)
        if (strcmp (hive, hives[i].abbreviation) == 0)
          g_string_append (value, hives[i].name);
      /* A key without a hive ("SOFTWARE\…") keeps its own spelling. */
      if (value->len == 0)
        g_string_append_len (value, text + start, hive_end - start);
    }
  g_string_append_c (value, '\\');
  append_collapsing_backslashes (value, text, slash - text + 1, end);

  lower = g_ascii_strdown (value->str, value->len);
  for (guint i = 0; i < G_N_ELEMENTS (persistence_keys); i++)
    if (strstr (lower, persistence_keys[i]) != NULL)
      tags[0] = "persistence";

  scan_emit (scan, SP_IOC_REGISTRY, value->str, start, end, tags);
  scan_add_span (scan, start, end);
}

/* Domain */

/* Standalone two-label names are judged harder than hosts found in a URL,
 * an email address or a UNC path, because binaries are full of code:
 *
 * - TLDs that are also file extensions ("install.sh", "setup.py",
 *   "archive.zip", "search.cc", "Config.pm") or common member names ("file.read", "io.open",
 *   "os.name", "d.data", "self.stream");
 * - first labels that name an object in code ("self.x", "value.ir");
 * - one-letter first labels ("u.id", "r.date"), except under the TLDs where
 *   short links really live ("t.co", "x.com"), and one-letter inner labels.
 */
static const char * const ambiguous_tlds[] = {
  "zip", "mov", "sh", "py", "pl", "md", "rs", "so", "ps", "app", "cab", "docs", "java", "run",
  "name", "read", "open", "date", "search", "help", "link", "abc", "stream", "seek", "data",
  "prime", "map", "call", "save", "show", "play", "new", "next", "post", "style", "host", "page",
  "id", "list", "buy", "get", "like", "free", "fun", "dev", "test", "box", "select", "menu",
  "today", "target", "pid",
  /* source, build and document files: Perl, C++, OCaml, automake, libtool, gettext, OneNote */
  "pm", "cc", "ml", "am", "ac", "mk", "inc", "la", "mo", "one", "ws",
};

static const char * const code_object_labels[] = {
  "self", "this", "value", "ctx", "obj", "args", "context",
};

static const char * const short_link_tlds[] = { "com", "net", "org", "co" };

static gboolean
str_in (const char         *needle,
        const char * const *list,
        gsize               n)
{
  for (gsize i = 0; i < n; i++)
    if (strcmp (needle, list[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
looks_like_code (Scan       *scan,
                 const char *name,
                 gsize       start,
                 gsize       end)
{
  const char *text = scan->text;
  const char *dot = strchr (name, '.');
  const char *tld = strrchr (name, '.') + 1;
  g_autofree char *first = g_strndup (name, dot - name);

  /* A call, an index or a dereference: "os.open(", "d.data[", "p->u.id". */
  if (end < scan->length && (text[end] == '(' || text[end] == '['))
    return TRUE;
  if (start >= 2 && text[start - 2] == '-' && text[start - 1] == '>')
    return TRUE;
  if (str_in (first, code_object_labels, G_N_ELEMENTS (code_object_labels)))
    return TRUE;
  /* One-letter inner labels are operand suffixes ("amoadd.w.aq", "cmov.d.at"). */
  for (const char *p = dot; p != NULL && p < tld - 1; p = strchr (p + 1, '.'))
    if (p[2] == '.')
      return TRUE;
  if (dot != tld - 1)
    return FALSE;

  /* Two labels from here on. */
  if (str_in (tld, ambiguous_tlds, G_N_ELEMENTS (ambiguous_tlds)))
    return TRUE;
  return strlen (first) == 1 && !str_in (tld, short_link_tlds, G_N_ELEMENTS (short_link_tlds));
}

static void
on_domain (Scan  *scan,
           gsize  start,
           gsize  end)
{
  const char *text = scan->text;
  g_autofree char *name = NULL;
  gboolean has_lower = FALSE;
  gboolean all_capitalised = TRUE;

  if (scan_in_span (scan, start, end))
    return;
  /* A path component ("\evil.com") was judged with its path. */
  if (start > 0 && text[start - 1] == '\\')
    return;

  for (gsize i = start; i < end; i++)
    {
      has_lower = has_lower || g_ascii_islower (text[i]);
      if ((i == start || text[i - 1] == '.') && !g_ascii_isupper (text[i]))
        all_capitalised = FALSE;
    }
  /* "System.Net", "Microsoft.Win32.Registry": .NET namespaces, not hosts. */
  if (all_capitalised && has_lower)
    return;

  name = g_ascii_strdown (text + start, end - start);
  if (looks_like_code (scan, name, start, end))
    return;
  if (is_valid_domain (scan, name))
    scan_emit (scan, SP_IOC_DOMAIN, name, start, end, NULL);
}

/* IP addresses */

static void
on_ipv4 (Scan  *scan,
         gsize  start,
         gsize  end)
{
  guint8 octets[4];
  g_autofree char *value = NULL;
  const char *tags[2] = { NULL, NULL };

  if (!parse_ipv4 (scan->text + start, end - start, octets))
    return;
  /* "1.0.0.0", "6.0.0.0": assembly versions, not hosts. */
  if (octets[2] == 0 && octets[3] == 0)
    return;
  /* Four-part ASN.1 object identifiers ("1.3.6.1" internet, "1.3.101.112"
   * Ed25519, "2.5.29.15" key usage) fill crypto code. */
  if ((octets[0] == 1 && octets[1] == 3) || (octets[0] == 2 && octets[1] == 5))
    return;

  value = g_strndup (scan->text + start, end - start);
  tags[0] = ipv4_range_tag (octets);
  scan_emit (scan, SP_IOC_IPV4, value, start, end, tags);
}

static void
on_ipv6 (Scan  *scan,
         gsize  start,
         gsize  end)
{
  g_autofree char *candidate = NULL;
  g_autofree char *value = NULL;
  g_autoptr(GInetAddress) address = NULL;
  guint n_colons = 0, n_groups = 0, longest_group = 0, group = 0;
  const char *tags[2] = { NULL, NULL };

  for (gsize i = start; i < end; i++)
    {
      if (scan->text[i] == ':')
        {
          n_colons++;
          group = 0;
        }
      else if (++group == 1)
        n_groups++;
      longest_group = MAX (longest_group, group);
    }
  if (n_colons < 2)
    return;

  candidate = g_strndup (scan->text + start, end - start);
  address = g_inet_address_new_from_string (candidate);
  if (address == NULL || g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV6
      || g_inet_address_get_is_any (address))
    return;
  /* "A::B" or "ab:cd::ef" is more likely C++ or a label than an address. */
  if (!g_inet_address_get_is_loopback (address) && longest_group < 4 && n_groups < 4)
    return;

  value = g_inet_address_to_string (address);
  tags[0] = ipv6_range_tag (address);
  scan_emit (scan, SP_IOC_IPV6, value, start, end, tags);
}

/* Library */

static void
on_library (Scan  *scan,
            gsize  start,
            gsize  end)
{
  g_autofree char *value = g_ascii_strdown (scan->text + start, end - start);

  scan_emit (scan, SP_IOC_LIBRARY, value, start, end, NULL);
}

/* Bitcoin */

static const char base58_alphabet[] =
  "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

static gboolean
base58check_is_address (const char *text,
                        gsize       length)
{
  guint8 bytes[25] = { 0 };
  guint8 first[32], second[32];
  gsize digest_length = sizeof first;
  GChecksum *checksum;
  gsize leading_ones = 0, leading_zeros = 0;

  for (gsize i = 0; i < length; i++)
    {
      const char *digit = strchr (base58_alphabet, text[i]);
      guint carry;

      if (digit == NULL || text[i] == '\0')
        return FALSE;
      carry = digit - base58_alphabet;
      for (int j = G_N_ELEMENTS (bytes) - 1; j >= 0; j--)
        {
          carry += 58u * bytes[j];
          bytes[j] = carry & 0xff;
          carry >>= 8;
        }
      if (carry != 0)
        return FALSE;
    }

  while (leading_ones < length && text[leading_ones] == '1')
    leading_ones++;
  while (leading_zeros < sizeof bytes && bytes[leading_zeros] == 0)
    leading_zeros++;
  if (leading_ones != leading_zeros)
    return FALSE;
  /* Version byte: 0x00 pay-to-pubkey-hash ("1…"), 0x05 pay-to-script-hash ("3…"). */
  if (bytes[0] != 0x00 && bytes[0] != 0x05)
    return FALSE;

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, bytes, 21);
  g_checksum_get_digest (checksum, first, &digest_length);
  g_checksum_reset (checksum);
  g_checksum_update (checksum, first, sizeof first);
  digest_length = sizeof second;
  g_checksum_get_digest (checksum, second, &digest_length);
  g_checksum_free (checksum);

  return memcmp (second, bytes + 21, 4) == 0;
}

static guint32
bech32_polymod (const guint8 *values,
                gsize         length)
{
  static const guint32 generator[5] = {
    0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3
  };
  guint32 check = 1;

  for (gsize i = 0; i < length; i++)
    {
      guint32 top = check >> 25;

      check = ((check & 0x1ffffff) << 5) ^ values[i];
      for (guint j = 0; j < 5; j++)
        if ((top >> j) & 1)
          check ^= generator[j];
    }
  return check;
}

/* BIP-173 (bech32, witness v0) and BIP-350 (bech32m, v1+) segwit addresses on mainnet. */
static gboolean
bech32_is_address (const char *text,
                   gsize       length)
{
  static const char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  guint8 values[96];
  gsize n = 0;
  gsize data_length;
  guint32 residue;
  guint witness_version;
  guint bits = 0, program_length = 0;
  guint32 accumulator = 0;

  if (length < 14 || length > 90 || g_ascii_tolower (text[0]) != 'b'
      || g_ascii_tolower (text[1]) != 'c' || text[2] != '1')
    return FALSE;

  /* The human-readable part "bc", expanded as BIP-173 specifies. */
  values[n++] = 'b' >> 5;
  values[n++] = 'c' >> 5;
  values[n++] = 0;
  values[n++] = 'b' & 31;
  values[n++] = 'c' & 31;
  for (gsize i = 3; i < length; i++)
    {
      const char *digit = strchr (charset, g_ascii_tolower (text[i]));

      if (digit == NULL || text[i] == '\0')
        return FALSE;
      values[n++] = digit - charset;
    }

  residue = bech32_polymod (values, n);
  data_length = length - 3 - 6;
  witness_version = values[5];
  if (witness_version > 16 || data_length < 1)
    return FALSE;
  if (residue != (witness_version == 0 ? 1u : 0x2bc830a3u))
    return FALSE;

  /* Regroup the 5-bit program into bytes; leftover bits must be zero padding. */
  for (gsize i = 6; i < 5 + data_length; i++)
    {
      accumulator = (accumulator << 5) | values[i];
      bits += 5;
      if (bits >= 8)
        {
          bits -= 8;
          program_length++;
        }
    }
  if (bits >= 5 || (accumulator & ((1u << bits) - 1)) != 0)
    return FALSE;
  if (program_length < 2 || program_length > 40)
    return FALSE;
  return witness_version != 0 || program_length == 20 || program_length == 32;
}

static void
on_btc_base58 (Scan  *scan,
               gsize  start,
               gsize  end)
{
  g_autofree char *value = NULL;

  if (!base58check_is_address (scan->text + start, end - start))
    return;
  value = g_strndup (scan->text + start, end - start);
  scan_emit (scan, SP_IOC_BTC, value, start, end, NULL);
}

static void
on_btc_bech32 (Scan  *scan,
               gsize  start,
               gsize  end)
{
  g_autofree char *value = NULL;

  if (!bech32_is_address (scan->text + start, end - start))
    return;
  value = g_ascii_strdown (scan->text + start, end - start);
  scan_emit (scan, SP_IOC_BTC, value, start, end, NULL);
}

/* Hash */

static void
on_hash (Scan  *scan,
         gsize  start,
         gsize  end)
{
  const char *tags[2] = { NULL, NULL };
  gboolean has_digit = FALSE, has_letter = FALSE, has_lower = FALSE, has_upper = FALSE;
  g_autofree char *value = NULL;

  switch (end - start)
    {
    case 32: tags[0] = "md5"; break;
    case 40: tags[0] = "sha1"; break;
    case 64: tags[0] = "sha256"; break;
    default: return;
    }

  for (gsize i = start; i < end; i++)
    {
      char c = scan->text[i];

      has_digit = has_digit || g_ascii_isdigit (c);
      has_letter = has_letter || g_ascii_isalpha (c);
      has_lower = has_lower || g_ascii_islower (c);
      has_upper = has_upper || g_ascii_isupper (c);
    }
  /* Digests mix digits and letters and use one case; "0000…" or "ffff…" are fill. */
  if (!has_digit || !has_letter || (has_lower && has_upper))
    return;

  value = g_ascii_strdown (scan->text + start, end - start);
  scan_emit (scan, SP_IOC_HASH, value, start, end, tags);
}

/* CVE */

static void
on_cve (Scan  *scan,
        gsize  start,
        gsize  end)
{
  g_autofree char *value = g_ascii_strup (scan->text + start, end - start);
  guint year = g_ascii_strtoull (value + 4, NULL, 10);

  /* CVE identifiers start in 1999. */
  if (year < 1999 || year > 2099)
    return;
  scan_emit (scan, SP_IOC_CVE, value, start, end, NULL);
}

/* API: a table lookup, not a pattern, so a tokenizer suffices. Identifiers are
 * split at anything but ASCII letters and digits, which also frees decorated
 * import names such as "__imp_CreateRemoteThread@24". */
static void
scan_apis (Scan *scan)
{
  const char *text = scan->text;
  gsize i = 0;

  api_table ();  /* sets the length bounds */

  while (i < scan->length)
    {
      gsize start;

      while (i < scan->length && !g_ascii_isalnum (text[i]))
        i++;
      start = i;
      while (i < scan->length && g_ascii_isalnum (text[i]))
        i++;
      if (i - start >= MAX (api_min_length, 4) && i - start <= api_max_length
          && g_ascii_isupper (text[start]))
        {
          const char *folded;
          const char * const *tags = api_lookup_len (text + start, i - start, &folded);

          if (tags != NULL && scan_accept (scan, start, i))
            scan_emit (scan, SP_IOC_API, folded, start, i, tags);
          scan->stash_current = FALSE;
        }
    }
}

/* Defanging */

/* Each rule rewrites a bracketed or substituted form back to its character. */
static const struct
{
  const char *from;
  const char *to;
} refang_rules[] = {
  { "[.]", "." }, { "(.)", "." }, { "{.}", "." },
  { "[dot]", "." }, { "(dot)", "." }, { "{dot}", "." },
  { "[:]", ":" }, { "[://]", "://" },
  { "[@]", "@" }, { "(@)", "@" }, { "[at]", "@" }, { "(at)", "@" },
  { "[/]", "/" },
};

/* The bytes a defanged form can start with (see refang_at). */
static const guint8 refang_start[256] = {
  ['['] = 1, ['('] = 1, ['{'] = 1, ['h'] = 1, ['H'] = 1,
};

/* Returns the length of the defanged form at @in[i], 0 if there is none, and
 * the text it stands for in @to. */
static gsize
refang_at (const char  *in,
           gsize        length,
           gsize        i,
           const char **to)
{
  switch (in[i])
    {
    case '[':
    case '(':
    case '{':
      for (guint r = 0; r < G_N_ELEMENTS (refang_rules); r++)
        {
          gsize from_length = strlen (refang_rules[r].from);

          if (length - i >= from_length
              && g_ascii_strncasecmp (in + i, refang_rules[r].from, from_length) == 0)
            {
              *to = refang_rules[r].to;
              return from_length;
            }
        }
      return 0;

    /* "hxxp://", "hXXps[:]//": the scheme with its "tt" replaced. */
    case 'h':
    case 'H':
      if (length - i >= 5 && g_ascii_strncasecmp (in + i + 1, "xxp", 3) == 0
          && in[i + 4] != '\0' && strchr ("sS:[", in[i + 4]) != NULL)
        {
          *to = "http";
          return 4;
        }
      return 0;

    default:
      return 0;
    }
}

/* Builds the refanged copy and its map, or leaves scan->text as the input when
 * nothing needs rewriting. Every rule shortens or keeps the text, so the copy
 * and the map never outgrow the input. */
static void
scan_refang (Scan *scan)
{
  const char *in = scan->orig;
  gsize length = scan->orig_length;
  char *out;
  guint32 *map;
  gsize first = 0;
  gsize n = 0;
  gsize i;
  const char *to = NULL;

  if (length >= G_MAXUINT32)
    return;
  while (first < length
         && (!refang_start[(guchar) in[first]] || refang_at (in, length, first, &to) == 0))
    first++;
  if (first == length)
    return;

  out = g_malloc (length + 1);
  map = g_new (guint32, length + 1);
  memcpy (out, in, first);
  for (n = 0; n < first; n++)
    map[n] = n;

  i = first;
  while (i < length)
    {
      gsize from_length = refang_at (in, length, i, &to);

      if (from_length > 0)
        {
          gsize to_length = strlen (to);

          /* Same-length rewrites ("hxxp") map byte for byte; shorter ones to their start. */
          for (gsize k = 0; k < to_length; k++)
            {
              out[n] = to[k];
              map[n++] = to_length == from_length ? i + k : i;
            }
          i += from_length;
        }
      else
        {
          out[n] = in[i];
          map[n++] = i++;
        }
    }
  out[n] = '\0';
  /* One past the end maps to the end, so a match's end maps too. */
  map[n] = length;

  scan->length = n;
  scan->text = out;
  scan->map = map;
}

/* Counts the characters of @text up to one more than a window, and finds the
 * byte where character SP_STRING_SCANNER_OVERLAP starts and the file bytes of
 * the first WINDOW - OVERLAP characters (the step to the next window). */
static guint
count_window (const char       *text,
              gsize             length,
              SpStringEncoding  encoding,
              guint64          *step_bytes,
              gsize            *overlap_byte)
{
  const guint step = SP_STRING_SCANNER_WINDOW - SP_STRING_SCANNER_OVERLAP;
  guint n = 0;
  guint64 file_bytes = 0;

  *step_bytes = 0;
  *overlap_byte = length;
  for (gsize i = 0; i < length && n <= SP_STRING_SCANNER_WINDOW; i++)
    {
      guchar c = text[i];

      if ((c & 0xc0) == 0x80)
        continue;
      if (n == SP_STRING_SCANNER_OVERLAP)
        *overlap_byte = i;
      if (n == step)
        *step_bytes = file_bytes;
      /* A UTF-16LE character took 2 file bytes, or 4 as a surrogate pair. */
      file_bytes += encoding == SP_STRING_ENCODING_UTF16LE ? (c >= 0xf0 ? 4 : 2) : 1;
      n++;
    }
  return n;
}

/* What a text holds, found in one pass: each flag is a necessary condition
 * for a pattern to match (see pattern_sources), so a pattern whose flag is
 * clear is not run at all. Most strings of a binary match nothing, and
 * starting a regex costs more than this whole pass. */
typedef struct
{
  gboolean dot;
  gboolean colon;
  gboolean backslash;
  gboolean at;
  gboolean url;           /* "://" */
  gboolean domain;        /* [A-Za-z0-9-] "." [A-Za-z0-9-] */
  gboolean ipv4;          /* digit "." digit */
  gboolean ipv6;          /* ":" up to four hex digits ":" */
  gboolean library;       /* ".dll", ".exe", … in any case */
  gboolean bech32;        /* "bc1" or "BC1" */
  gboolean cve;           /* "cve-" in any case */
  gboolean api;           /* a capitalised token as long as a table name */
  gsize    longest_alnum;
  gsize    longest_hex;
} Survey;

static inline gboolean
is_label_byte (guchar c)
{
  return g_ascii_isalnum (c) || c == '-';
}

static gboolean
is_library_extension (const char *ext)
{
  static const char extensions[][4] = { "dll", "sys", "drv", "ocx", "cpl", "exe" };
  char lower[3] = { g_ascii_tolower (ext[0]), g_ascii_tolower (ext[1]), g_ascii_tolower (ext[2]) };

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (memcmp (lower, extensions[i], 3) == 0)
      return TRUE;
  return FALSE;
}

static void
scan_survey (const char *text,
             gsize       length,
             Survey     *survey)
{
  gsize alnum = 0, hex = 0;
  /* Hex digits since the last colon; G_MAXSIZE when something else came. */
  gsize since_colon = G_MAXSIZE;

  memset (survey, 0, sizeof *survey);
  for (gsize i = 0; i < length; i++)
    {
      guchar c = text[i];

      if (g_ascii_isalnum (c))
        {
          /* The token scan_apis() would look up ends here. */
          if (!survey->api && alnum + 1 >= MAX (api_min_length, 4) && alnum + 1 <= api_max_length
              && (i + 1 == length || !g_ascii_isalnum (text[i + 1]))
              && g_ascii_isupper (text[i - alnum]))
            survey->api = TRUE;
          alnum++;
          survey->longest_alnum = MAX (survey->longest_alnum, alnum);
          if (g_ascii_isxdigit (c))
            {
              hex++;
              survey->longest_hex = MAX (survey->longest_hex, hex);
              if (since_colon != G_MAXSIZE)
                since_colon++;
            }
          else
            {
              hex = 0;
              since_colon = G_MAXSIZE;
            }
          if (c == '1' && i >= 2 && ((text[i - 2] == 'b' && text[i - 1] == 'c')
                                     || (text[i - 2] == 'B' && text[i - 1] == 'C')))
            survey->bech32 = TRUE;
          continue;
        }

      alnum = 0;
      hex = 0;
      switch (c)
        {
        case '.':
          survey->dot = TRUE;
          if (i > 0 && i + 1 < length)
            {
              guchar before = text[i - 1], after = text[i + 1];

              survey->ipv4 |= g_ascii_isdigit (before) && g_ascii_isdigit (after);
              survey->domain |= is_label_byte (before) && is_label_byte (after);
            }
          if (i + 3 < length && !survey->library)
            survey->library = is_library_extension (text + i + 1);
          break;
        case ':':
          survey->colon = TRUE;
          survey->ipv6 |= since_colon <= 4;
          if (i + 2 < length && text[i + 1] == '/' && text[i + 2] == '/')
            survey->url = TRUE;
          break;
        case '\\':
          survey->backslash = TRUE;
          break;
        case '@':
          survey->at = TRUE;
          break;
        case '-':
          if (i >= 3 && g_ascii_strncasecmp (text + i - 3, "cve", 3) == 0)
            survey->cve = TRUE;
          break;
        default:
          break;
        }
      since_colon = c == ':' ? 0 : G_MAXSIZE;
    }
}

/* Bytes one of which every pattern (or defanged form) needs: '.' (domain,
 * IPv4, library, email), ':' (URL, IPv6), '@', '\\' (path, registry), '-'
 * (CVE) and the brackets of defanged forms. */
static const guint8 indicator_byte[256] = {
  ['.'] = 1, [':'] = 1, ['@'] = 1, ['\\'] = 1, ['-'] = 1, ['['] = 1, ['('] = 1, ['{'] = 1,
};

/* FALSE for the many strings that cannot hold an indicator: no indicator
 * byte, and no alphanumeric run as long as the shortest API name (Base58,
 * bech32 and hashes need longer runs still). "hxxp" refangs letters into
 * letters, so the runs are the same after refanging. */
static gboolean
may_hold_indicator (const char *text,
                    gsize       length)
{
  gsize shortest_run = MIN (MAX (api_min_length, 4), 9);
  gsize alnum = 0;

  for (gsize i = 0; i < length; i++)
    {
      guchar c = text[i];

      if (g_ascii_isalnum (c))
        {
          if (++alnum >= shortest_run)
            return TRUE;
          continue;
        }
      alnum = 0;
      if (indicator_byte[c])
        return TRUE;
    }
  return FALSE;
}

/**
 * sp_ioc_scanner_scan:
 * @utf8: the text of one extracted string (or a window of it); need not be
 *   nul-terminated
 * @length: its length in bytes
 * @offset: the file offset of @utf8[0]
 * @encoding: how the string was stored; for %SP_STRING_ENCODING_UTF16LE the
 *   offset of a match is @offset + 2 × (UTF-16 code units before it)
 * @set: receives the indicators
 *
 * Finds every indicator in @utf8 and adds it to @set. Regex runs that stop
 * at a PCRE2 limit are counted (sp_ioc_scanner_get_limit_hits()).
 */
void
sp_ioc_scanner_scan (SpIocScanner     *scanner,
                     const char       *utf8,
                     gsize             length,
                     guint64           offset,
                     SpStringEncoding  encoding,
                     SpIocSet         *set)
{
  Scan scan = { 0 };
  Survey survey;
  RunState *run;
  gboolean continuation;
  guint n_chars = 0;
  guint64 step_bytes = 0;
  gsize overlap_byte = length;

  g_return_if_fail (scanner != NULL);
  g_return_if_fail (utf8 != NULL || length == 0);
  g_return_if_fail (SP_IS_IOC_SET (set));

  /* A run longer than a window arrives as overlapping windows. A full window
   * may be followed by the next one, starting WINDOW - OVERLAP characters
   * later; that one is recognised by its offset. */
  run = &scanner->runs[encoding == SP_STRING_ENCODING_UTF16LE ? 1 : 0];
  continuation = run->pending && run->set == set && offset == run->next_offset;
  if (run->pending)
    run_state_settle (run, !continuation);
  if (length >= SP_STRING_SCANNER_OVERLAP)
    n_chars = count_window (utf8, length, encoding, &step_bytes, &overlap_byte);

  /* The shortest indicator worth reporting ("a.io", "WinExec") has 4 bytes.
   * A string shorter than a window leaves no run state to keep. */
  if (length < 4 || (length < SP_STRING_SCANNER_OVERLAP && !may_hold_indicator (utf8, length)))
    return;

  scan.scanner = scanner;
  scan.set = set;
  scan.orig = utf8;
  scan.orig_length = length;
  scan.text = utf8;
  scan.length = length;
  scan.offset = offset;
  scan.encoding = encoding;
  scan.spans = scanner->spans;
  g_array_set_size (scan.spans, 0);
  scan.run = run;
  scan.keep_from = continuation ? overlap_byte : 0;
  scan.may_continue = n_chars == SP_STRING_SCANNER_WINDOW;

  scan_refang (&scan);
  scan_survey (scan.text, scan.length, &survey);

  /* Containers first: their spans decide which domains stand alone. */
  if (survey.url)
    scan_run (&scan, PATTERN_URL, on_url);
  if (survey.dot && survey.at)
    scan_run (&scan, PATTERN_EMAIL, on_email);
  if (survey.backslash)
    {
      scan_run (&scan, PATTERN_PATH, on_path);
      scan_run (&scan, PATTERN_REGISTRY, on_registry);
    }
  if (scan.spans->len > 1)
    scan_merge_spans (&scan);

  if (survey.domain)
    scan_run (&scan, PATTERN_DOMAIN, on_domain);
  if (survey.ipv4)
    scan_run (&scan, PATTERN_IPV4, on_ipv4);
  if (survey.library)
    scan_run (&scan, PATTERN_LIBRARY, on_library);
  if (survey.ipv6)
    scan_run (&scan, PATTERN_IPV6, on_ipv6);
  /* An address is a 1 or 3 and 25 to 34 more Base58 digits. */
  if (survey.longest_alnum >= 26)
    scan_run (&scan, PATTERN_BTC_BASE58, on_btc_base58);
  if (survey.bech32 && survey.longest_alnum >= 9)
    scan_run (&scan, PATTERN_BTC_BECH32, on_btc_bech32);
  if (survey.longest_hex >= 32)
    scan_run (&scan, PATTERN_HASH, on_hash);
  if (survey.cve && scan.length >= 13)
    scan_run (&scan, PATTERN_CVE, on_cve);
  if (survey.api)
    scan_apis (&scan);

  if (scan.may_continue)
    {
      run->pending = TRUE;
      run->next_offset = offset + step_bytes;
      g_set_object (&run->set, set);
    }
  if (scan.map != NULL)
    {
      g_free ((char *) scan.text);
      g_free (scan.map);
    }
}
