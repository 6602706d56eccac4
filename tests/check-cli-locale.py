#!/usr/bin/env python3
# Runs `specimen-cli --help` in English and with LANGUAGE=zh_CN against the catalogs compiled in
# the build tree (SPECIMEN_LOCALEDIR), and checks that every help line that zh_CN.po translates
# comes out in Chinese: the CLI really calls setlocale/bindtextdomain and finds the catalog.
#
# Usage: check-cli-locale.py SPECIMEN_CLI BUILD_LOCALEDIR zh_CN.po

import os
import re
import subprocess
import sys

CJK = re.compile(r'[\u4e00-\u9fff]')


def parse_po(path):
    """Returns {msgid: msgstr} for the translated, non-fuzzy, singular entries of a .po file."""
    entries = {}
    msgid = msgstr = None
    fuzzy = False
    field = None

    def flush():
        if msgid and msgstr and not fuzzy:
            entries[msgid] = msgstr

    with open(path, encoding='utf-8') as f:
        for raw in f:
            line = raw.strip()
            if not line:
                flush()
                msgid = msgstr = None
                fuzzy = False
                field = None
            elif line.startswith('#,') and 'fuzzy' in line:
                fuzzy = True
            elif line.startswith('#'):
                continue
            elif line.startswith('msgid '):
                msgid, field = unquote(line[6:]), 'id'
            elif line.startswith('msgstr '):
                msgstr, field = unquote(line[7:]), 'str'
            elif line.startswith(('msgctxt ', 'msgid_plural ', 'msgstr[')):
                field = None
            elif line.startswith('"'):
                if field == 'id':
                    msgid += unquote(line)
                elif field == 'str':
                    msgstr += unquote(line)
    flush()
    return entries


def unquote(token):
    text = token.strip()[1:-1]
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t'}.get(m.group(1), m.group(1)), text)


def run_help(cli, env):
    result = subprocess.run([cli, '--help'], env=env, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        print(f'not ok: {cli} --help exited with {result.returncode}: {result.stderr}')
        sys.exit(1)
    return result.stdout


def main():
    if len(sys.argv) != 4:
        print('usage: check-cli-locale.py SPECIMEN_CLI BUILD_LOCALEDIR zh_CN.po', file=sys.stderr)
        return 2
    cli, localedir, po = sys.argv[1:]

    mo = os.path.join(localedir, 'zh_CN', 'LC_MESSAGES', 'specimen.mo')
    if not os.path.isfile(mo):
        print(f'not ok: {mo} was not built')
        return 1

    env = dict(os.environ)
    for name in ('LANGUAGE', 'LC_ALL', 'LC_MESSAGES', 'LANG'):
        env.pop(name, None)
    # C.UTF-8 exists on every Debian system; glibc honours LANGUAGE with it (not with plain C).
    env['LANG'] = 'C.UTF-8'
    env['SPECIMEN_LOCALEDIR'] = localedir

    english = run_help(cli, env)
    chinese = run_help(cli, dict(env, LANGUAGE='zh_CN'))

    if CJK.search(english):
        print('not ok: the help without LANGUAGE already contains Chinese')
        return 1

    translations = parse_po(po)
    checked = 0
    errors = 0
    for line in english.splitlines():
        # A summary is a whole line; an option's description is the column after its name.
        columns = {line.strip(), re.split(r'\s{2,}', line.strip())[-1]}
        for msgid, msgstr in translations.items():
            if '\n' not in msgid and msgid in columns:
                checked += 1
                if msgstr not in chinese:
                    print(f'not ok: "{msgid}" is not shown as "{msgstr}" with LANGUAGE=zh_CN')
                    errors += 1
    if checked == 0:
        print('not ok: no line of the English --help has a translation in zh_CN.po')
        print(english)
        return 1
    if not CJK.search(chinese):
        print('not ok: the help with LANGUAGE=zh_CN contains no Chinese')
        return 1
    print(f'{checked} translated help lines checked, {errors} wrong')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
