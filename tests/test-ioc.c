/* test-ioc.c: indicator extraction, validation, defanging and the merging set
 *
 * The case table states, for one string, the exact category and normalised
 * value that must be found (with its raw text, file offset and a tag), or a
 * value that must not be. Bitcoin vectors are published ones (the genesis
 * address, BIP-173 and BIP-350 test vectors); digests are those of the empty
 * input.
 */
#include "config.h"

#include <string.h>

#include "sp-ioc-scanner.h"
#include "sp-string-scanner.h"

#define BASE_OFFSET 1000

#define ASCII SP_STRING_ENCODING_ASCII
#define UTF16 SP_STRING_ENCODING_UTF16LE

typedef struct
{
  const char       *name;
  const char       *text;
  SpStringEncoding  encoding;
  SpIocCategory     category;
  /* The normalised value; with present = FALSE it must not be found (NULL:
   * nothing of the category at all). */
  gboolean          present;
  const char       *value;
  /* Expected raw text (NULL: same as value). */
  const char       *raw;
  /* Expected file offset; -1: BASE_OFFSET + byte position of raw in text. */
  gint64            file_offset;
  /* A tag the indicator must carry, or NULL. */
  const char       *tag;
} IocCase;

#define YES(n, t, e, c, v, r, o, tag) { n, t, e, c, TRUE, v, r, o, tag }
#define NO(n, t, c, v) { n, t, ASCII, c, FALSE, v, NULL, -1, NULL }

static const IocCase cases[] = {
  /* URLs */
  YES ("url/plain", "see http://example.com/index.html now", ASCII, SP_IOC_URL,
       "http://example.com/index.html", NULL, -1, NULL),
  YES ("url/trailing-paren-dot", "(https://a.example/x).", ASCII, SP_IOC_URL,
       "https://a.example/x", "https://a.example/x", -1, NULL),
  YES ("url/balanced-paren", "http://en.wikipedia.org/wiki/Foo_(bar)", ASCII, SP_IOC_URL,
       "http://en.wikipedia.org/wiki/Foo_(bar)", NULL, -1, NULL),
  YES ("url/trailing-comma", "get http://evil.com/a, then", ASCII, SP_IOC_URL,
       "http://evil.com/a", NULL, -1, NULL),
  YES ("url/quoted", "u='http://evil.com/a'", ASCII, SP_IOC_URL, "http://evil.com/a", NULL, -1,
       NULL),
  YES ("url/hxxp", "hxxp://evil[.]com/payload", ASCII, SP_IOC_URL, "http://evil.com/payload",
       "hxxp://evil[.]com/payload", -1, "defanged"),
  YES ("url/hXXps", "go hXXps://bad[.]org now", ASCII, SP_IOC_URL, "https://bad.org",
       "hXXps://bad[.]org", -1, "defanged"),
  YES ("url/defanged-colon-paren", "hxxps[:]//c2(.)example(.)net/gate.php", ASCII, SP_IOC_URL,
       "https://c2.example.net/gate.php", "hxxps[:]//c2(.)example(.)net/gate.php", BASE_OFFSET,
       "defanged"),
  YES ("url/ip-port", "http://10.0.0.5:8080/a", ASCII, SP_IOC_URL, "http://10.0.0.5:8080/a",
       NULL, -1, NULL),
  YES ("url/ipv6-literal", "x http://[2001:db8::1]:8080/x", ASCII, SP_IOC_URL,
       "http://[2001:db8::1]:8080/x", NULL, -1, NULL),
  YES ("url/uppercase", "HTTP://EVIL.COM/Path", ASCII, SP_IOC_URL, "http://evil.com/Path",
       "HTTP://EVIL.COM/Path", -1, NULL),
  YES ("url/ftp", "ftp://files.evil.com/x.bin", ASCII, SP_IOC_URL, "ftp://files.evil.com/x.bin",
       NULL, -1, NULL),
  YES ("url/userinfo", "http://user:pass@evil.com/", ASCII, SP_IOC_URL,
       "http://user:pass@evil.com/", NULL, -1, NULL),
  YES ("url/host-is-domain", "http://www.evil.com/a", ASCII, SP_IOC_DOMAIN, "www.evil.com", NULL,
       BASE_OFFSET + 7, NULL),
  YES ("url/host-is-ipv4", "http://45.33.32.156/x", ASCII, SP_IOC_IPV4, "45.33.32.156", NULL,
       BASE_OFFSET + 7, NULL),
  NO ("url/path-not-domain", "http://evil.com/files/update.info", SP_IOC_DOMAIN, "update.info"),
  NO ("url/bad-port", "http://evil.com:99999/", SP_IOC_URL, NULL),
  NO ("url/format-string", "http://%s/%s", SP_IOC_URL, NULL),
  NO ("url/single-label", "http://www/", SP_IOC_URL, NULL),
  NO ("url/in-word", "xhttp://evil.com/", SP_IOC_URL, NULL),

  /* Domains */
  YES ("domain/plain", "connect to evil.com now", ASCII, SP_IOC_DOMAIN, "evil.com", NULL,
       BASE_OFFSET + 11, NULL),
  YES ("domain/uppercase", "EVIL.COM", ASCII, SP_IOC_DOMAIN, "evil.com", "EVIL.COM", -1, NULL),
  YES ("domain/co-uk", "www.bbc.co.uk", ASCII, SP_IOC_DOMAIN, "www.bbc.co.uk", NULL, -1, NULL),
  YES ("domain/trailing-dot", "Visit evil.com.", ASCII, SP_IOC_DOMAIN, "evil.com", NULL, -1,
       NULL),
  YES ("domain/defanged-brackets", "evil[.]com", ASCII, SP_IOC_DOMAIN, "evil.com", "evil[.]com",
       -1, "defanged"),
  YES ("domain/defanged-dot-word", "c2 at evil[dot]com", ASCII, SP_IOC_DOMAIN, "evil.com",
       "evil[dot]com", -1, "defanged"),
  YES ("domain/punycode", "xn--80ak6aa92e.com", ASCII, SP_IOC_DOMAIN, "xn--80ak6aa92e.com", NULL,
       -1, NULL),
  NO ("domain/dll", "kernel32.dll", SP_IOC_DOMAIN, NULL),
  NO ("domain/bin", "payload.bin", SP_IOC_DOMAIN, NULL),
  NO ("domain/dotnet-namespace", "System.Net", SP_IOC_DOMAIN, NULL),
  NO ("domain/suffix-only", "co.uk", SP_IOC_DOMAIN, NULL),
  NO ("domain/file-like-tld", "install.sh", SP_IOC_DOMAIN, NULL),
  NO ("domain/unknown-tld", "dc01.corp.local", SP_IOC_DOMAIN, NULL),
  NO ("domain/version", "version 1.2.3", SP_IOC_DOMAIN, NULL),
  NO ("domain/bad-hyphen", "evil-.com", SP_IOC_DOMAIN, NULL),
  NO ("domain/in-email", "bob@mailer.com", SP_IOC_DOMAIN, "mailer.com"),
  NO ("domain/method-call", "can't os.open(path)", SP_IOC_DOMAIN, NULL),
  NO ("domain/member-tld", "file.read() returned", SP_IOC_DOMAIN, NULL),
  NO ("domain/code-object", "self.stream and value.ir", SP_IOC_DOMAIN, NULL),
  NO ("domain/one-letter", "u.id", SP_IOC_DOMAIN, NULL),
  NO ("domain/dereference", "p->cert.ru", SP_IOC_DOMAIN, NULL),
  NO ("domain/mnemonic", "amoadd.w.aq", SP_IOC_DOMAIN, NULL),
  NO ("domain/source-file", "signals.cc:120", SP_IOC_DOMAIN, NULL),
  YES ("domain/short-link", "see t.co", ASCII, SP_IOC_DOMAIN, "t.co", NULL, -1, NULL),
  YES ("domain/new-gtld", "beacon.xyz", ASCII, SP_IOC_DOMAIN, "beacon.xyz", NULL, -1, NULL),
  YES ("domain/ambiguous-in-url", "https://evil.zip/a", ASCII, SP_IOC_DOMAIN, "evil.zip", NULL,
       BASE_OFFSET + 8, NULL),
  YES ("domain/three-labels", "cdn.files.app", ASCII, SP_IOC_DOMAIN, "cdn.files.app", NULL, -1,
       NULL),
  NO ("domain/in-path", "C:\\Temp\\update.info", SP_IOC_DOMAIN, NULL),

  /* IPv4 */
  YES ("ipv4/plain", "dns 8.8.8.8", ASCII, SP_IOC_IPV4, "8.8.8.8", NULL, BASE_OFFSET + 4, NULL),
  YES ("ipv4/port", "45.33.32.156:4444", ASCII, SP_IOC_IPV4, "45.33.32.156", NULL, -1, NULL),
  YES ("ipv4/private", "192.168.1.10", ASCII, SP_IOC_IPV4, "192.168.1.10", NULL, -1, "private"),
  YES ("ipv4/private-172", "172.20.0.1", ASCII, SP_IOC_IPV4, "172.20.0.1", NULL, -1, "private"),
  YES ("ipv4/loopback", "127.0.0.1", ASCII, SP_IOC_IPV4, "127.0.0.1", NULL, -1, "loopback"),
  YES ("ipv4/link-local", "169.254.10.1", ASCII, SP_IOC_IPV4, "169.254.10.1", NULL, -1,
       "link-local"),
  YES ("ipv4/reserved", "240.1.2.3", ASCII, SP_IOC_IPV4, "240.1.2.3", NULL, -1, "reserved"),
  YES ("ipv4/defanged", "ip 192[.]168[.]1[.]1", ASCII, SP_IOC_IPV4, "192.168.1.1",
       "192[.]168[.]1[.]1", BASE_OFFSET + 3, "defanged"),
  YES ("ipv4/end-of-sentence", "Beacon to 1.2.3.4.", ASCII, SP_IOC_IPV4, "1.2.3.4", NULL, -1,
       NULL),
  NO ("ipv4/999", "999.1.1.1", SP_IOC_IPV4, NULL),
  NO ("ipv4/256", "256.1.1.1", SP_IOC_IPV4, NULL),
  NO ("ipv4/dotnet-version", "2.0.50727.42", SP_IOC_IPV4, NULL),
  NO ("ipv4/five-parts", "1.2.3.4.5", SP_IOC_IPV4, NULL),
  NO ("ipv4/leading-zero", "010.1.1.1", SP_IOC_IPV4, NULL),
  NO ("ipv4/assembly-version", "version=\"6.0.0.0\"", SP_IOC_IPV4, NULL),
  NO ("ipv4/in-word", "abc1.2.3.4", SP_IOC_IPV4, NULL),
  NO ("ipv4/oid-iso", "ED25519:1.3.101.112", SP_IOC_IPV4, NULL),
  NO ("ipv4/oid-x500", "2.5.29.15", SP_IOC_IPV4, NULL),

  /* IPv6 */
  YES ("ipv6/full", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", ASCII, SP_IOC_IPV6,
       "2001:db8:85a3::8a2e:370:7334", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", -1,
       "documentation"),
  YES ("ipv6/link-local", "fe80::1", ASCII, SP_IOC_IPV6, "fe80::1", NULL, -1, "link-local"),
  YES ("ipv6/loopback", "bind ::1", ASCII, SP_IOC_IPV6, "::1", NULL, BASE_OFFSET + 5,
       "loopback"),
  YES ("ipv6/defanged", "2a00[:]1450[:][:]200e", ASCII, SP_IOC_IPV6, "2a00:1450::200e",
       "2a00[:]1450[:][:]200e", -1, "defanged"),
  NO ("ipv6/cpp", "std::vector A::B", SP_IOC_IPV6, NULL),
  NO ("ipv6/time", "12:30:45", SP_IOC_IPV6, NULL),
  NO ("ipv6/mac", "00:1A:2B:3C:4D:5E", SP_IOC_IPV6, NULL),

  /* Email */
  YES ("email/plain", "contact admin@evil.com", ASCII, SP_IOC_EMAIL, "admin@evil.com", NULL,
       BASE_OFFSET + 8, NULL),
  YES ("email/case", "Bob.Smith@Example.CO.UK", ASCII, SP_IOC_EMAIL, "Bob.Smith@example.co.uk",
       "Bob.Smith@Example.CO.UK", -1, NULL),
  YES ("email/defanged", "user[@]evil[.]com", ASCII, SP_IOC_EMAIL, "user@evil.com",
       "user[@]evil[.]com", -1, "defanged"),
  YES ("email/at-dot-words", "user(at)evil(dot)com", ASCII, SP_IOC_EMAIL, "user@evil.com",
       "user(at)evil(dot)com", -1, "defanged"),
  NO ("email/retina-image", "icon@2x.png", SP_IOC_EMAIL, NULL),
  NO ("email/double-dot", "a..b@evil.com", SP_IOC_EMAIL, NULL),

  /* Windows paths */
  YES ("path/drive", "C:\\Windows\\System32\\cmd.exe", ASCII, SP_IOC_PATH,
       "C:\\Windows\\System32\\cmd.exe", NULL, -1, NULL),
  YES ("path/unc", "\\\\fileserver\\share\\drop.exe", ASCII, SP_IOC_PATH,
       "\\\\fileserver\\share\\drop.exe", NULL, -1, NULL),
  YES ("path/unc-host-domain", "\\\\files.evil.com\\pub\\x", ASCII, SP_IOC_DOMAIN,
       "files.evil.com", NULL, BASE_OFFSET + 2, NULL),
  YES ("path/envvar", "%APPDATA%\\x.exe", ASCII, SP_IOC_PATH, "%APPDATA%\\x.exe", NULL, -1,
       NULL),
  YES ("path/doubled-backslashes", "C:\\\\Users\\\\Public\\\\a.exe", ASCII, SP_IOC_PATH,
       "C:\\Users\\Public\\a.exe", "C:\\\\Users\\\\Public\\\\a.exe", -1, NULL),
  YES ("path/quoted-with-space", "\"C:\\Program Files\\Evil\\run.exe\" /q", ASCII, SP_IOC_PATH,
       "C:\\Program Files\\Evil\\run.exe", NULL, -1, NULL),
  YES ("path/first-of-two", "copy C:\\a.exe D:\\b.exe", ASCII, SP_IOC_PATH, "C:\\a.exe", NULL,
       BASE_OFFSET + 5, NULL),
  YES ("path/second-of-two", "copy C:\\a.exe D:\\b.exe", ASCII, SP_IOC_PATH, "D:\\b.exe", NULL,
       BASE_OFFSET + 14, NULL),
  YES ("path/device", "\\\\.\\PhysicalDrive0", ASCII, SP_IOC_PATH, "\\\\.\\PhysicalDrive0",
       NULL, -1, NULL),
  YES ("path/long-prefix", "\\\\?\\C:\\Temp\\x.dat", ASCII, SP_IOC_PATH,
       "\\\\?\\C:\\Temp\\x.dat", NULL, -1, NULL),
  NO ("path/drive-only", "C:\\", SP_IOC_PATH, NULL),
  NO ("path/in-word", "abC:\\x", SP_IOC_PATH, NULL),
  NO ("path/unc-without-share", "\\\\server\\", SP_IOC_PATH, NULL),

  /* Registry */
  YES ("registry/hklm-run", "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", ASCII,
       SP_IOC_REGISTRY, "HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
       "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", -1, "persistence"),
  YES ("registry/hkcu-full", "HKEY_CURRENT_USER\\Software\\Evil", ASCII, SP_IOC_REGISTRY,
       "HKEY_CURRENT_USER\\Software\\Evil", NULL, -1, NULL),
  YES ("registry/powershell-drive", "HKCU:\\Software\\Evil", ASCII, SP_IOC_REGISTRY,
       "HKEY_CURRENT_USER\\Software\\Evil", "HKCU:\\Software\\Evil", -1, NULL),
  YES ("registry/hiveless-runonce", "Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce",
       ASCII, SP_IOC_REGISTRY, "Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce", NULL, -1,
       "persistence"),
  YES ("registry/services", "SYSTEM\\CurrentControlSet\\Services\\evilsvc", ASCII,
       SP_IOC_REGISTRY, "SYSTEM\\CurrentControlSet\\Services\\evilsvc", NULL, -1, "persistence"),
  YES ("registry/trailing-backslash", "HKCR\\exefile\\shell\\open\\command\\", ASCII,
       SP_IOC_REGISTRY, "HKEY_CLASSES_ROOT\\exefile\\shell\\open\\command",
       "HKCR\\exefile\\shell\\open\\command", -1, NULL),
  NO ("registry/hive-only", "HKEY_LOCAL_MACHINE", SP_IOC_REGISTRY, NULL),

  /* Libraries */
  YES ("library/dll", "LoadLibrary(\"WININET.DLL\")", ASCII, SP_IOC_LIBRARY, "wininet.dll",
       "WININET.DLL", -1, NULL),
  YES ("library/sys", "evil.sys loaded", ASCII, SP_IOC_LIBRARY, "evil.sys", NULL, BASE_OFFSET,
       NULL),
  YES ("library/ocx", "mscomctl.ocx", ASCII, SP_IOC_LIBRARY, "mscomctl.ocx", NULL, -1, NULL),
  YES ("library/cpl", "desk.cpl", ASCII, SP_IOC_LIBRARY, "desk.cpl", NULL, -1, NULL),
  YES ("library/drv", "wdmaud.drv", ASCII, SP_IOC_LIBRARY, "wdmaud.drv", NULL, -1, NULL),
  YES ("library/exe-in-path", "C:\\Windows\\System32\\cmd.exe", ASCII, SP_IOC_LIBRARY,
       "cmd.exe", NULL, BASE_OFFSET + 20, NULL),
  YES ("library/exe-in-url", "http://evil.com/dropper.exe", ASCII, SP_IOC_LIBRARY,
       "dropper.exe", NULL, -1, NULL),
  NO ("library/longer-extension", "foo.dllx", SP_IOC_LIBRARY, NULL),
  NO ("library/extension-only", "a .dll", SP_IOC_LIBRARY, NULL),

  /* Suspicious APIs */
  YES ("api/create-remote-thread", "CreateRemoteThread", ASCII, SP_IOC_API,
       "CreateRemoteThread", NULL, -1, "process-injection"),
  YES ("api/fold-a", "URLDownloadToFileA", ASCII, SP_IOC_API, "URLDownloadToFile",
       "URLDownloadToFileA", -1, "network"),
  YES ("api/fold-w", "SetWindowsHookExW", ASCII, SP_IOC_API, "SetWindowsHookEx",
       "SetWindowsHookExW", -1, "keylogging"),
  YES ("api/decorated-import", "__imp_VirtualAllocEx@20", ASCII, SP_IOC_API, "VirtualAllocEx",
       NULL, BASE_OFFSET + 6, "process-injection"),
  YES ("api/anti-debugging", "IsDebuggerPresent", ASCII, SP_IOC_API, "IsDebuggerPresent", NULL,
       -1, "anti-debugging"),
  YES ("api/privilege", "AdjustTokenPrivileges", ASCII, SP_IOC_API, "AdjustTokenPrivileges",
       NULL, -1, "privilege"),
  YES ("api/crypto", "CryptEncrypt", ASCII, SP_IOC_API, "CryptEncrypt", NULL, -1, "crypto"),
  YES ("api/execution", "WinExec", ASCII, SP_IOC_API, "WinExec", NULL, -1, "execution"),
  YES ("api/persistence", "RegSetValueExA", ASCII, SP_IOC_API, "RegSetValueEx", "RegSetValueExA",
       -1, "persistence"),
  YES ("api/service", "CreateServiceW", ASCII, SP_IOC_API, "CreateService", "CreateServiceW", -1,
       "persistence"),
  YES ("api/http", "HttpSendRequestA", ASCII, SP_IOC_API, "HttpSendRequest", "HttpSendRequestA",
       -1, "network"),
  NO ("api/lowercase", "createremotethread", SP_IOC_API, NULL),
  NO ("api/longer-name", "CreateRemoteThreadPool", SP_IOC_API, NULL),
  NO ("api/harmless", "GetProcAddress", SP_IOC_API, NULL),

  /* Bitcoin */
  YES ("btc/genesis", "pay 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", ASCII, SP_IOC_BTC,
       "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", NULL, BASE_OFFSET + 4, NULL),
  YES ("btc/p2sh", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", ASCII, SP_IOC_BTC,
       "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", NULL, -1, NULL),
  YES ("btc/bech32-bip173", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", ASCII, SP_IOC_BTC,
       "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
       -1, NULL),
  YES ("btc/bech32-p2wsh", "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
       ASCII, SP_IOC_BTC, "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3", NULL,
       -1, NULL),
  YES ("btc/bech32m-bip350",
       "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", ASCII,
       SP_IOC_BTC, "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
       NULL, -1, NULL),
  NO ("btc/bad-checksum", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", SP_IOC_BTC, NULL),
  NO ("btc/bech32-bad-checksum", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", SP_IOC_BTC, NULL),
  NO ("btc/v0-with-bech32m", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", SP_IOC_BTC, NULL),
  NO ("btc/mixed-case", "bc1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", SP_IOC_BTC, NULL),

  /* Hashes */
  YES ("hash/md5", "md5=d41d8cd98f00b204e9800998ecf8427e", ASCII, SP_IOC_HASH,
       "d41d8cd98f00b204e9800998ecf8427e", NULL, BASE_OFFSET + 4, "md5"),
  YES ("hash/sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709", ASCII, SP_IOC_HASH,
       "da39a3ee5e6b4b0d3255bfef95601890afd80709", NULL, -1, "sha1"),
  YES ("hash/sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ASCII,
       SP_IOC_HASH, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", NULL, -1,
       "sha256"),
  YES ("hash/uppercase", "D41D8CD98F00B204E9800998ECF8427E", ASCII, SP_IOC_HASH,
       "d41d8cd98f00b204e9800998ecf8427e", "D41D8CD98F00B204E9800998ECF8427E", -1, "md5"),
  NO ("hash/33-digits", "d41d8cd98f00b204e9800998ecf8427e1", SP_IOC_HASH, NULL),
  NO ("hash/31-digits", "d41d8cd98f00b204e9800998ecf8427", SP_IOC_HASH, NULL),
  NO ("hash/all-decimal", "12345678901234567890123456789012", SP_IOC_HASH, NULL),
  NO ("hash/sha512-too-long",
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
      "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e", SP_IOC_HASH, NULL),
  NO ("hash/mixed-case", "D41d8cd98f00b204e9800998ecf8427E", SP_IOC_HASH, NULL),

  /* CVE */
  YES ("cve/log4shell", "exploits CVE-2021-44228.", ASCII, SP_IOC_CVE, "CVE-2021-44228", NULL,
       BASE_OFFSET + 9, NULL),
  YES ("cve/lowercase", "cve-2014-0160", ASCII, SP_IOC_CVE, "CVE-2014-0160", "cve-2014-0160", -1,
       NULL),
  YES ("cve/seven-digits", "CVE-2023-1234567", ASCII, SP_IOC_CVE, "CVE-2023-1234567", NULL, -1,
       NULL),
  NO ("cve/before-1999", "CVE-1990-1234", SP_IOC_CVE, NULL),
  NO ("cve/short-number", "CVE-2021-123", SP_IOC_CVE, NULL),

  /* UTF-16LE strings: offset = string offset + 2 x UTF-16 code units before the match;
   * U+00E9 is one unit, U+1F600 a surrogate pair. */
  YES ("utf16/url", "\xc3\xa9 http://evil.com/x", UTF16, SP_IOC_URL, "http://evil.com/x", NULL,
       BASE_OFFSET + 2 * 2, NULL),
  YES ("utf16/domain-after-emoji", "\xf0\x9f\x98\x80 evil.com", UTF16, SP_IOC_DOMAIN, "evil.com",
       NULL, BASE_OFFSET + 2 * 3, NULL),
  YES ("utf16/ipv4", "IP=8.8.4.4", UTF16, SP_IOC_IPV4, "8.8.4.4", NULL, BASE_OFFSET + 2 * 3,
       NULL),
  YES ("utf16/registry", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\x", UTF16, SP_IOC_REGISTRY,
       "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\x",
       "HKLM\\SYSTEM\\CurrentControlSet\\Services\\x", BASE_OFFSET, "persistence"),
  YES ("utf16/defanged-after-accent", "\xc3\xa9\xc3\xa9 evil[.]com", UTF16, SP_IOC_DOMAIN,
       "evil.com", "evil[.]com", BASE_OFFSET + 2 * 3, "defanged"),
  YES ("utf16/path-unicode", "C:\\Users\\\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd\\a.exe", UTF16,
       SP_IOC_PATH, "C:\\Users\\\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd\\a.exe", NULL, BASE_OFFSET,
       NULL),
  YES ("utf16/library-after-cyrillic", "C:\\Users\\\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd\\a.exe",
       UTF16, SP_IOC_LIBRARY, "a.exe", NULL, BASE_OFFSET + 2 * 14, NULL),
};

static SpIoc *
find_ioc (SpIocSet      *set,
          SpIocCategory  category,
          const char    *value,
          guint         *n_in_category)
{
  GListModel *model = G_LIST_MODEL (set);
  SpIoc *found = NULL;

  *n_in_category = 0;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SpIoc) ioc = g_list_model_get_item (model, i);

      if (sp_ioc_get_category (ioc) != category)
        continue;
      (*n_in_category)++;
      if (value != NULL && strcmp (sp_ioc_get_value (ioc), value) == 0)
        found = ioc;
    }
  return found;
}

static SpIocSet *
scan_text (const char       *text,
           SpStringEncoding  encoding,
           guint64           offset)
{
  SpIocScanner *scanner = sp_ioc_scanner_new ();
  SpIocSet *set = sp_ioc_set_new ();

  sp_ioc_scanner_scan (scanner, text, strlen (text), offset, encoding, set);
  g_assert_cmpuint (sp_ioc_scanner_get_limit_hits (scanner), ==, 0);
  sp_ioc_scanner_free (scanner);
  sp_ioc_set_seal (set);
  return set;
}

static void
test_case (gconstpointer data)
{
  const IocCase *c = data;
  g_autoptr(SpIocSet) set = scan_text (c->text, c->encoding, BASE_OFFSET);
  guint n_in_category;
  SpIoc *ioc = find_ioc (set, c->category, c->value, &n_in_category);

  if (!c->present)
    {
      if (c->value == NULL)
        g_assert_cmpuint (n_in_category, ==, 0);
      else
        g_assert_null (ioc);
      return;
    }

  if (ioc == NULL)
    g_error ("%s: no %s \"%s\" in \"%s\"", c->name, sp_ioc_category_to_id (c->category),
             c->value, c->text);
  {
    const char *raw = c->raw != NULL ? c->raw : c->value;
    guint64 expected_offset;
    guint n_offsets;
    const guint64 *offsets = sp_ioc_get_offsets (ioc, &n_offsets);

    g_assert_cmpstr (sp_ioc_get_raw (ioc), ==, raw);
    if (c->file_offset >= 0)
      expected_offset = c->file_offset;
    else
      {
        const char *at = strstr (c->text, raw);

        g_assert_nonnull (at);
        g_assert_cmpint (c->encoding, ==, ASCII);
        expected_offset = BASE_OFFSET + (at - c->text);
      }
    g_assert_cmpuint (sp_ioc_get_first_offset (ioc), ==, expected_offset);
    g_assert_cmpuint (n_offsets, ==, 1);
    g_assert_cmpuint (offsets[0], ==, expected_offset);
    g_assert_cmpuint (sp_ioc_get_count (ioc), ==, 1);
    if (c->tag != NULL)
      g_assert_true (g_strv_contains (sp_ioc_get_tags (ioc), c->tag));
    if (c->tag == NULL || strcmp (c->tag, "defanged") != 0)
      g_assert_false (g_strv_contains (sp_ioc_get_tags (ioc), "defanged"));
  }
}

/* The scanner merges: the same domain three times is one indicator, count 3. */
static void
test_scan_merges (void)
{
  const char *text = "evil.com EVIL.COM x evil[.]com";
  g_autoptr(SpIocSet) set = scan_text (text, ASCII, 0);
  guint n_in_category, n_offsets;
  SpIoc *ioc = find_ioc (set, SP_IOC_DOMAIN, "evil.com", &n_in_category);
  const guint64 *offsets;

  g_assert_nonnull (ioc);
  g_assert_cmpuint (n_in_category, ==, 1);
  g_assert_cmpuint (sp_ioc_get_count (ioc), ==, 3);
  offsets = sp_ioc_get_offsets (ioc, &n_offsets);
  g_assert_cmpuint (n_offsets, ==, 3);
  g_assert_cmpuint (offsets[0], ==, 0);
  g_assert_cmpuint (offsets[1], ==, 9);
  g_assert_cmpuint (offsets[2], ==, 20);
  g_assert_cmpstr (sp_ioc_get_raw (ioc), ==, "evil.com");
  /* One occurrence was defanged, so the indicator says so. */
  g_assert_true (g_strv_contains (sp_ioc_get_tags (ioc), "defanged"));
}

/* A URL host seen by both the URL and the IPv4 pattern is one occurrence. */
static void
test_scan_host_counted_once (void)
{
  g_autoptr(SpIocSet) set = scan_text ("http://45.33.32.156/a", ASCII, 0);
  guint n;
  SpIoc *ioc = find_ioc (set, SP_IOC_IPV4, "45.33.32.156", &n);

  g_assert_nonnull (ioc);
  g_assert_cmpuint (sp_ioc_get_count (ioc), ==, 1);
  g_assert_cmpuint (sp_ioc_get_first_offset (ioc), ==, 7);
}

/* Texts longer than one regex window: indicators around the window edges
 * (64 KiB windows overlapping by 4 KiB) are found once, at the right offset. */
static void
test_scan_window_edges (void)
{
  static const gsize positions[] = {
    0, 61420, 61431, 61440, 61449, 65520, 65530, 122870, 122880, 131060, 184315, 199990,
  };
  gsize length = 200000;
  g_autofree char *text = g_malloc (length + 1);
  g_autoptr(SpIocSet) set = sp_ioc_set_new ();
  SpIocScanner *scanner = sp_ioc_scanner_new ();
  guint n;
  SpIoc *ioc;
  const guint64 *offsets;
  guint n_offsets;

  memset (text, ' ', length);
  text[length] = '\0';
  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    memcpy (text + positions[i], "evil.com", 8);
  sp_ioc_scanner_scan (scanner, text, length, 5, ASCII, set);
  g_assert_cmpuint (sp_ioc_scanner_get_limit_hits (scanner), ==, 0);
  sp_ioc_scanner_free (scanner);
  sp_ioc_set_seal (set);

  ioc = find_ioc (set, SP_IOC_DOMAIN, "evil.com", &n);
  g_assert_nonnull (ioc);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (sp_ioc_get_count (ioc), ==, G_N_ELEMENTS (positions));
  offsets = sp_ioc_get_offsets (ioc, &n_offsets);
  g_assert_cmpuint (n_offsets, ==, G_N_ELEMENTS (positions));
  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    g_assert_cmpuint (offsets[i], ==, 5 + positions[i]);
}

/* Pathological inputs: 10 MB runs that would make a backtracking pattern
 * explode must each finish well under a second with no limit hit. */
static const char * const pathological_units[] = {
  "a", ".", "a.", "1.", "1", "f", ":", "a:", "\\", "a\\", "@", "a@", "[.]", "%", "-",
  "HKLM\\", "C:\\", "\\\\a", "1A", "bc1q", "hxxp", "(dot)",
};

static void
test_pathological (gconstpointer data)
{
  const char *unit = data;
  gsize unit_length = strlen (unit);
  gsize length = 10 * 1024 * 1024;
  const char *prefix = "http://";
  g_autofree char *text = g_malloc (length + 1);
  g_autoptr(SpIocSet) set = sp_ioc_set_new ();
  SpIocScanner *scanner = sp_ioc_scanner_new ();
  gint64 started;
  gint64 elapsed;

  /* Half the runs start like a URL, so the URL pattern sees the whole run too. */
  memcpy (text, prefix, strlen (prefix));
  for (gsize i = strlen (prefix); i < length; i++)
    text[i] = unit[i % unit_length];
  text[length] = '\0';

  for (guint with_prefix = 0; with_prefix < 2; with_prefix++)
    {
      const char *start = with_prefix ? text : text + strlen (prefix);

      started = g_get_monotonic_time ();
      sp_ioc_scanner_scan (scanner, start, length - (start - text), 0, ASCII, set);
      elapsed = g_get_monotonic_time () - started;
      g_test_message ("run of \"%s\"%s: %.3f s", unit, with_prefix ? " after http://" : "",
                      elapsed / 1e6);
      g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);
    }
  g_assert_cmpuint (sp_ioc_scanner_get_limit_hits (scanner), ==, 0);
  sp_ioc_scanner_free (scanner);
}

/* Long runs arrive as overlapping windows (sp-string-scanner.h): windows of
 * SP_STRING_SCANNER_WINDOW characters stepping by WINDOW - OVERLAP, the last
 * one sent only if it holds more than OVERLAP characters. This sends @text
 * exactly so, with each window's file offset. */
static void
scan_in_windows (SpIocScanner     *scanner,
                 const char       *text,
                 SpStringEncoding  encoding,
                 guint64           offset,
                 SpIocSet         *set)
{
  const guint window = SP_STRING_SCANNER_WINDOW;
  const guint step = SP_STRING_SCANNER_WINDOW - SP_STRING_SCANNER_OVERLAP;
  glong n = g_utf8_strlen (text, -1);
  g_autofree guint64 *file_offsets = g_new (guint64, n + 1);
  g_autofree gsize *byte_offsets = g_new (gsize, n + 1);
  const char *p = text;
  glong i;

  for (i = 0; i <= n; i++)
    {
      gunichar c = i < n ? g_utf8_get_char (p) : 0;

      byte_offsets[i] = p - text;
      file_offsets[i] = i == 0 ? offset : file_offsets[i];
      if (i < n)
        {
          file_offsets[i + 1] = file_offsets[i]
                                + (encoding == SP_STRING_ENCODING_UTF16LE ? (c > 0xffff ? 4 : 2)
                                                                          : 1);
          p = g_utf8_next_char (p);
        }
    }

  if (n <= (glong) window)
    {
      sp_ioc_scanner_scan (scanner, text, strlen (text), offset, encoding, set);
      return;
    }
  for (i = 0; i + window <= n; i += step)
    sp_ioc_scanner_scan (scanner, text + byte_offsets[i], byte_offsets[i + window] - byte_offsets[i],
                         file_offsets[i], encoding, set);
  if (n - i > (glong) SP_STRING_SCANNER_OVERLAP)
    sp_ioc_scanner_scan (scanner, text + byte_offsets[i], byte_offsets[n] - byte_offsets[i],
                         file_offsets[i], encoding, set);
}

static void
assert_same_sets (SpIocSet *a,
                  SpIocSet *b)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (a));

  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (b)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SpIoc) x = g_list_model_get_item (G_LIST_MODEL (a), i);
      g_autoptr(SpIoc) y = g_list_model_get_item (G_LIST_MODEL (b), i);
      guint n_x, n_y;
      const guint64 *offsets_x = sp_ioc_get_offsets (x, &n_x);
      const guint64 *offsets_y = sp_ioc_get_offsets (y, &n_y);

      g_assert_cmpint (sp_ioc_get_category (x), ==, sp_ioc_get_category (y));
      g_assert_cmpstr (sp_ioc_get_value (x), ==, sp_ioc_get_value (y));
      g_assert_cmpstr (sp_ioc_get_raw (x), ==, sp_ioc_get_raw (y));
      g_assert_cmpuint (sp_ioc_get_count (x), ==, sp_ioc_get_count (y));
      g_assert_cmpuint (n_x, ==, n_y);
      for (guint k = 0; k < n_x; k++)
        g_assert_cmpuint (offsets_x[k], ==, offsets_y[k]);
    }
}

static const char * const window_tokens[] = {
  "evil.com", "http://c2.example.org/gate.php?id=1", "8.8.8.8",
  "d41d8cd98f00b204e9800998ecf8427e", "C:\\Windows\\Temp\\x.exe", "CreateRemoteThread",
  "admin@evil.com", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "HKCU\\Software\\Evil",
  "CVE-2021-44228", "www.bbc.co.uk", "hxxp://bad[.]org/x",
};

/* Builds a run of @n_chars characters (spaces, with an emoji every 97 when
 * @wide) and writes one token at each window edge: ending on it (@placement
 * 0), straddling it (1) or starting on it (2). */
static char *
build_windowed_text (guint    n_chars,
                     guint    placement,
                     gboolean wide)
{
  const guint step = SP_STRING_SCANNER_WINDOW - SP_STRING_SCANNER_OVERLAP;
  g_autofree char **chars = g_new0 (char *, n_chars + 1);
  GString *out = g_string_new (NULL);
  guint token = 0;

  for (guint i = 0; i < n_chars; i++)
    chars[i] = wide && i % 97 == 50 ? "\xf0\x9f\x98\x80" : " ";

  /* Window k covers [k * step, k * step + WINDOW): edges at starts and ends. */
  for (guint edge = step; edge < n_chars; edge += SP_STRING_SCANNER_OVERLAP)
    {
      const char *t = window_tokens[token++ % G_N_ELEMENTS (window_tokens)];
      guint length = strlen (t);
      guint at = placement == 0 ? edge - length : placement == 1 ? edge - length / 2 : edge;

      if (at + length > n_chars)
        break;
      for (guint k = 0; k < length; k++)
        chars[at + k] = NULL;
      chars[at] = (char *) t;
    }
  for (guint i = 0; i < n_chars; i++)
    if (chars[i] != NULL)
      g_string_append (out, chars[i]);
  return g_string_free (out, FALSE);
}

/* Windowed delivery finds exactly what one call over the whole run finds. */
static void
test_scan_string_windows (void)
{
  const guint lengths[] = { 60000, SP_STRING_SCANNER_WINDOW + 2 * 12288 };

  for (guint l = 0; l < G_N_ELEMENTS (lengths); l++)
    for (guint placement = 0; placement < 3; placement++)
      for (guint wide = 0; wide < 2; wide++)
        {
          g_autofree char *text = build_windowed_text (lengths[l], placement, wide);
          SpStringEncoding encoding = wide ? UTF16 : ASCII;
          g_autoptr(SpIocSet) whole = sp_ioc_set_new ();
          g_autoptr(SpIocSet) windowed = sp_ioc_set_new ();
          g_autoptr(SpIocScanner) scanner = sp_ioc_scanner_new ();

          sp_ioc_scanner_scan (scanner, text, strlen (text), 100, encoding, whole);
          scan_in_windows (scanner, text, encoding, 100, windowed);
          sp_ioc_scanner_flush (scanner);
          g_assert_cmpuint (sp_ioc_scanner_get_limit_hits (scanner), ==, 0);
          sp_ioc_set_seal (whole);
          sp_ioc_set_seal (windowed);
          assert_same_sets (whole, windowed);
        }
}

/* A run whose last window is full ends with an indicator held back until the
 * next string (of the same encoding) or a flush shows the run is over. */
static void
test_scan_held_back_until_flush (void)
{
  const guint n_chars = SP_STRING_SCANNER_WINDOW + (SP_STRING_SCANNER_WINDOW
                                                    - SP_STRING_SCANNER_OVERLAP);
  g_autofree char *text = g_malloc (n_chars + 1);
  g_autoptr(SpIocSet) set = sp_ioc_set_new ();
  SpIocScanner *scanner = sp_ioc_scanner_new ();
  guint n;

  memset (text, ' ', n_chars);
  memcpy (text + n_chars - 8, "evil.com", 8);
  text[n_chars] = '\0';
  scan_in_windows (scanner, text, ASCII, 0, set);
  g_assert_null (find_ioc (set, SP_IOC_DOMAIN, "evil.com", &n));

  /* A later, unrelated string settles the run. */
  sp_ioc_scanner_scan (scanner, "8.8.8.8", 7, 900000, ASCII, set);
  g_assert_nonnull (find_ioc (set, SP_IOC_DOMAIN, "evil.com", &n));

  /* Freeing flushes what is still held back. */
  scan_in_windows (scanner, text, ASCII, 1000000, set);
  sp_ioc_scanner_free (scanner);
  g_assert_cmpuint (sp_ioc_get_count (find_ioc (set, SP_IOC_DOMAIN, "evil.com", &n)), ==, 2);
}

static void
test_api_lookup (void)
{
  const char * const *tags;

  tags = sp_ioc_api_lookup ("CreateProcessW");
  g_assert_nonnull (tags);
  g_assert_cmpstr (tags[0], ==, "execution");
  g_assert_null (tags[1]);
  tags = sp_ioc_api_lookup ("CreateServiceA");
  g_assert_nonnull (tags);
  g_assert_true (g_strv_contains (tags, "persistence"));
  g_assert_true (g_strv_contains (tags, "execution"));
  tags = sp_ioc_api_lookup ("WriteProcessMemory");
  g_assert_nonnull (tags);
  g_assert_cmpstr (tags[0], ==, "process-injection");
  g_assert_nonnull (sp_ioc_api_lookup ("IsDebuggerPresent"));
  g_assert_nonnull (sp_ioc_api_lookup ("GetAsyncKeyState"));
  g_assert_nonnull (sp_ioc_api_lookup ("InternetOpenUrlA"));
  g_assert_null (sp_ioc_api_lookup ("GetProcAddress"));
  g_assert_null (sp_ioc_api_lookup ("printf"));
  g_assert_null (sp_ioc_api_lookup ("WinExecA2"));
  g_assert_null (sp_ioc_api_lookup ("A"));
  g_assert_null (sp_ioc_api_lookup (""));
  g_assert_null (sp_ioc_api_lookup (NULL));
}

static void
test_defang (void)
{
  static const struct
  {
    SpIocCategory  category;
    const char    *value;
    const char    *expected;
  } vectors[] = {
    { SP_IOC_URL, "http://evil.com", "hxxp://evil[.]com" },
    { SP_IOC_URL, "https://a.b.example/x.php?q=1.2", "hxxps://a[.]b[.]example/x.php?q=1.2" },
    { SP_IOC_URL, "ftp://files.evil.com/a", "fxp://files[.]evil[.]com/a" },
    { SP_IOC_URL, "http://[2001:db8::1]:80/", "hxxp://[2001:db8::1]:80/" },
    { SP_IOC_DOMAIN, "evil.co.uk", "evil[.]co[.]uk" },
    { SP_IOC_IPV4, "192.168.1.1", "192[.]168[.]1[.]1" },
    { SP_IOC_IPV6, "fe80::1", "fe80[:][:]1" },
    { SP_IOC_EMAIL, "bob@evil.com", "bob[@]evil[.]com" },
    { SP_IOC_LIBRARY, "kernel32.dll", "kernel32.dll" },
    { SP_IOC_HASH, "d41d8cd98f00b204e9800998ecf8427e", "d41d8cd98f00b204e9800998ecf8427e" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *defanged = sp_defang (vectors[i].value, vectors[i].category);

      g_assert_cmpstr (defanged, ==, vectors[i].expected);
    }
}

static void
test_categories (void)
{
  static const char * const ids[] = {
    "url", "domain", "ipv4", "ipv6", "email", "path", "registry", "library", "api", "btc",
    "hash", "cve",
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (ids) == SP_N_IOC_CATEGORIES);
  for (guint i = 0; i < SP_N_IOC_CATEGORIES; i++)
    {
      SpIocCategory category = SP_N_IOC_CATEGORIES;

      g_assert_cmpstr (sp_ioc_category_to_id (i), ==, ids[i]);
      g_assert_true (sp_ioc_category_from_id (ids[i], &category));
      g_assert_cmpint (category, ==, i);
      g_assert_nonnull (sp_ioc_category_to_label (i));
      g_assert_cmpstr (sp_ioc_category_to_label (i), !=, "");
    }
  g_assert_false (sp_ioc_category_from_id ("URL", NULL));
  g_assert_false (sp_ioc_category_from_id ("", NULL));
  g_assert_false (sp_ioc_category_from_id (NULL, NULL));
  g_assert_null (sp_ioc_category_to_id (SP_N_IOC_CATEGORIES));
}

/* The set as a list model */

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  guint *calls = user_data;

  calls[0]++;
  calls[1] = position;
  calls[2] = removed;
  calls[3] = added;
}

static void
test_set_merge_and_seal (void)
{
  g_autoptr(SpIocSet) set = sp_ioc_set_new ();
  const char * const defanged[] = { "defanged", NULL };
  const char * const private_tags[] = { "private", "defanged", NULL };
  guint calls[4] = { 0 };
  SpIoc *ioc;
  const guint64 *offsets;
  guint n_offsets;
  g_autoptr(SpIoc) first = NULL;
  g_autoptr(SpIoc) second = NULL;
  g_autoptr(SpIoc) third = NULL;

  g_signal_connect (set, "items-changed", G_CALLBACK (on_items_changed), calls);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (set)) == SP_TYPE_IOC);

  /* 100 occurrences: 64 offsets kept, all 100 counted, the lowest offset remembered. */
  for (guint i = 0; i < 100; i++)
    ioc = sp_ioc_set_add (set, SP_IOC_DOMAIN, "evil.com", i == 0 ? "evil[.]com" : NULL,
                          1000 - i, i == 0 ? defanged : NULL);
  /* The same occurrence reported twice counts once. */
  g_assert_true (sp_ioc_set_add (set, SP_IOC_DOMAIN, "evil.com", NULL, 1000, NULL) == ioc);
  sp_ioc_set_add (set, SP_IOC_IPV4, "10.0.0.1", NULL, 50, private_tags);
  sp_ioc_set_add (set, SP_IOC_IPV4, "10.0.0.1", NULL, 40, defanged);
  sp_ioc_set_add (set, SP_IOC_URL, "http://evil.com/", NULL, 500, NULL);
  /* Same value, other category: a different indicator. */
  sp_ioc_set_add (set, SP_IOC_LIBRARY, "evil.com", NULL, 7, NULL);
  g_assert_cmpuint (calls[0], ==, 0);

  sp_ioc_set_seal (set);
  g_assert_cmpuint (calls[0], ==, 1);
  g_assert_cmpuint (calls[1], ==, 0);
  g_assert_cmpuint (calls[2], ==, 0);
  g_assert_cmpuint (calls[3], ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (set)), ==, 4);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (set), 4));

  /* Sorted by category (url < domain < ipv4 < library). */
  first = g_list_model_get_item (G_LIST_MODEL (set), 0);
  second = g_list_model_get_item (G_LIST_MODEL (set), 1);
  third = g_list_model_get_item (G_LIST_MODEL (set), 2);
  g_assert_cmpint (sp_ioc_get_category (first), ==, SP_IOC_URL);
  g_assert_cmpint (sp_ioc_get_category (second), ==, SP_IOC_DOMAIN);
  g_assert_cmpint (sp_ioc_get_category (third), ==, SP_IOC_IPV4);

  g_assert_true (second == ioc);
  g_assert_cmpuint (sp_ioc_get_count (ioc), ==, 100);
  g_assert_cmpuint (sp_ioc_get_first_offset (ioc), ==, 901);
  offsets = sp_ioc_get_offsets (ioc, &n_offsets);
  g_assert_cmpuint (n_offsets, ==, SP_IOC_MAX_OFFSETS);
  /* The kept offsets are the first 64 added (1000 down to 937), sorted on sealing. */
  for (guint i = 0; i < n_offsets; i++)
    g_assert_cmpuint (offsets[i], ==, 937 + i);
  g_assert_cmpstr (sp_ioc_get_raw (ioc), ==, "evil[.]com");
  g_assert_cmpstr (sp_ioc_get_value (ioc), ==, "evil.com");
  g_assert_true (g_strv_contains (sp_ioc_get_tags (ioc), "defanged"));

  g_assert_cmpuint (sp_ioc_get_count (third), ==, 2);
  g_assert_cmpuint (sp_ioc_get_first_offset (third), ==, 40);
  g_assert_cmpuint (g_strv_length ((char **) sp_ioc_get_tags (third)), ==, 2);
  g_assert_true (g_strv_contains (sp_ioc_get_tags (third), "private"));
  g_assert_true (g_strv_contains (sp_ioc_get_tags (third), "defanged"));
  g_assert_cmpstr (sp_ioc_get_raw (third), ==, "10.0.0.1");
  g_assert_cmpuint (g_strv_length ((char **) sp_ioc_get_tags (first)), ==, 0);

  g_assert_cmpuint (sp_ioc_set_count_in_category (set, SP_IOC_DOMAIN), ==, 1);
  g_assert_cmpuint (sp_ioc_set_count_in_category (set, SP_IOC_IPV4), ==, 1);
  g_assert_cmpuint (sp_ioc_set_count_in_category (set, SP_IOC_HASH), ==, 0);

  {
    g_autofree char *defanged_url = sp_ioc_dup_defanged (first);
    g_autofree char *label = NULL;
    guint64 count = 0;

    g_assert_cmpstr (defanged_url, ==, "hxxp://evil[.]com/");
    g_object_get (second, "category-label", &label, "count", &count, NULL);
    g_assert_cmpstr (label, ==, sp_ioc_category_to_label (SP_IOC_DOMAIN));
    g_assert_cmpuint (count, ==, 100);
  }

  /* Adding after a seal needs another seal, which replaces the whole range. */
  sp_ioc_set_add (set, SP_IOC_CVE, "CVE-2021-44228", NULL, 1, NULL);
  g_assert_cmpuint (calls[0], ==, 1);
  sp_ioc_set_seal (set);
  g_assert_cmpuint (calls[0], ==, 2);
  g_assert_cmpuint (calls[2], ==, 4);
  g_assert_cmpuint (calls[3], ==, 5);
}

static void
test_set_add_full (void)
{
  g_autoptr(SpIocSet) set = sp_ioc_set_new ();
  const guint64 offsets_in[] = { 300, 100, 200 };
  const char * const tags[] = { "md5", NULL };
  g_autoptr(SpIoc) ioc = NULL;
  const guint64 *offsets;
  guint n_offsets;

  /* As read back from a report: 3 kept offsets of 1000 occurrences. */
  sp_ioc_set_add_full (set, SP_IOC_HASH, "d41d8cd98f00b204e9800998ecf8427e", NULL, offsets_in, 3,
                       1000, tags);
  /* A count lower than the offsets is raised to them. */
  sp_ioc_set_add_full (set, SP_IOC_CVE, "CVE-2014-0160", "cve-2014-0160", offsets_in, 3, 1, NULL);
  sp_ioc_set_seal (set);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (set)), ==, 2);

  ioc = g_list_model_get_item (G_LIST_MODEL (set), 0);
  g_assert_cmpint (sp_ioc_get_category (ioc), ==, SP_IOC_HASH);
  g_assert_cmpuint (sp_ioc_get_count (ioc), ==, 1000);
  g_assert_cmpuint (sp_ioc_get_first_offset (ioc), ==, 100);
  offsets = sp_ioc_get_offsets (ioc, &n_offsets);
  g_assert_cmpuint (n_offsets, ==, 3);
  g_assert_cmpuint (offsets[0], ==, 100);
  g_assert_cmpuint (offsets[2], ==, 300);
  g_assert_cmpstr (sp_ioc_get_tags (ioc)[0], ==, "md5");
  g_clear_object (&ioc);

  ioc = g_list_model_get_item (G_LIST_MODEL (set), 1);
  g_assert_cmpuint (sp_ioc_get_count (ioc), ==, 3);
  g_assert_cmpstr (sp_ioc_get_raw (ioc), ==, "cve-2014-0160");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/specimen/ioc/case/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_case);
    }
  for (guint i = 0; i < G_N_ELEMENTS (pathological_units); i++)
    {
      g_autofree char *path = g_strdup_printf ("/specimen/ioc/pathological/%u", i);

      g_test_add_data_func (path, pathological_units[i], test_pathological);
    }
  g_test_add_func ("/specimen/ioc/scan/merges", test_scan_merges);
  g_test_add_func ("/specimen/ioc/scan/host-counted-once", test_scan_host_counted_once);
  g_test_add_func ("/specimen/ioc/scan/window-edges", test_scan_window_edges);
  g_test_add_func ("/specimen/ioc/scan/string-windows", test_scan_string_windows);
  g_test_add_func ("/specimen/ioc/scan/held-back-until-flush", test_scan_held_back_until_flush);
  g_test_add_func ("/specimen/ioc/api-lookup", test_api_lookup);
  g_test_add_func ("/specimen/ioc/defang", test_defang);
  g_test_add_func ("/specimen/ioc/categories", test_categories);
  g_test_add_func ("/specimen/ioc/set/merge-and-seal", test_set_merge_and_seal);
  g_test_add_func ("/specimen/ioc/set/add-full", test_set_add_full);

  return g_test_run ();
}
