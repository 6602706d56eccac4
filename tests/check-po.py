#!/usr/bin/env python3
# Checks a translation: msgfmt --check must accept it with no fuzzy and no untranslated entries,
# and (with --pot-from) it must translate every string that xgettext finds today in the files
# po/POTFILES lists, extracted with the keywords of meson's 'glib' gettext preset.
#
# Usage: check-po.py [--pot-from SOURCE_ROOT] LANG.po

import argparse
import os
import re
import subprocess
import sys
import tempfile

# The keywords and flags meson's i18n.gettext(preset: 'glib') passes to xgettext.
GLIB_PRESET = [
    '--from-code=UTF-8',
    '--add-comments',
    '--keyword=_',
    '--keyword=N_',
    '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format',
    '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]


def check_statistics(po):
    result = subprocess.run(['msgfmt', '--check', '--statistics', '-o', os.devnull, po],
                            capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip()
    print(f'msgfmt --check --statistics: {output}')
    if result.returncode != 0:
        print(f'not ok: msgfmt --check failed on {po}')
        return False
    match = re.search(r'(\d+) translated message', output)
    translated = int(match.group(1)) if match else 0
    ok = True
    if translated == 0:
        print(f'not ok: {po} has no translated messages')
        ok = False
    for kind in ('fuzzy', 'untranslated'):
        if re.search(rf'\d+ {kind} translation', output):
            print(f'not ok: {po} has {kind} entries')
            ok = False
    return ok


def check_complete(po, root):
    potfiles = os.path.join(root, 'po', 'POTFILES')
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'current.pot')
        result = subprocess.run(['xgettext', *GLIB_PRESET, '--directory', root,
                                 '--files-from', potfiles, '--output', pot],
                                capture_output=True, text=True)
        if result.returncode != 0:
            print(f'not ok: xgettext failed:\n{result.stderr}')
            return False
        if not os.path.exists(pot):
            print('not ok: xgettext found no translatable strings in po/POTFILES')
            return False
        # msgcmp treats untranslated and (with -N, no fuzzy matching) unmatched entries as missing.
        result = subprocess.run(['msgcmp', '--no-fuzzy-matching', po, pot],
                                capture_output=True, text=True)
        if result.returncode != 0:
            missing = len(re.findall(r'this message is (?:used but not defined|untranslated)',
                                     result.stderr))
            print(result.stderr.strip())
            print(f'not ok: {po} lacks {missing} current strings; run build-aux/update-po.sh '
                  'and translate them')
            return False
        print(f'ok: {po} translates every string in the files po/POTFILES lists')
        return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--pot-from', metavar='SOURCE_ROOT')
    parser.add_argument('po')
    args = parser.parse_args()

    ok = check_statistics(args.po)
    if args.pot_from:
        ok = check_complete(args.po, args.pot_from) and ok
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
