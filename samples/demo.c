/* demo.c: Specimen's harmless demo sample.
 *
 * It only prints a line. Everything else in it is there to be found by
 * Specimen: strings in ASCII and UTF-16LE, indicators (all on reserved
 * example domains and documentation address ranges), a version resource
 * and a few imports that analysts look for. The calls below never run.
 */
#include <stdio.h>
#include <wchar.h>
#include <windows.h>

static const char *config[] = {
  "https://updates.example.com/client/check.php?id=42",
  "hxxp://cdn.example[.]net/payload.bin",
  "203.0.113.77:8443",
  "2001:db8::1337",
  "admin@example.org",
  "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
  "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\DemoSvc",
  "%APPDATA%\\Demo\\agent.exe",
  "\\\\fileserver\\share\\drop.dll",
  "CreateRemoteThread",
  "WriteProcessMemory",
  "URLDownloadToFileW",
  "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
  "CVE-2021-44228",
  "d41d8cd98f00b204e9800998ecf8427e",
  "<span foreground=\"red\">markup must show literally</span>",
};

static const wchar_t *wide_config[] = {
  L"http://wide.example.com/beacon",
  L"C:\\Users\\Public\\demo-log.txt",
  L"\x6837\x672c\x6587\x4ef6",  /* 样本文件: "sample file" in Chinese */
};

int
main (int argc, char **argv)
{
  printf ("Specimen demo sample: nothing to see here.\n");
  if (argc > 99)
    {
      /* Never reached: these only put imports in the table. */
      printf ("%d %d %s %ls\n", IsDebuggerPresent (), GetAsyncKeyState (VK_SHIFT),
              config[argc % 16], wide_config[argc % 3]);
      VirtualAlloc (NULL, 0, MEM_RESERVE, PAGE_NOACCESS);
    }
  return 0;
}
