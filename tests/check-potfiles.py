#!/usr/bin/env python3
# Checks that po/POTFILES lists every source and data file with translatable strings, that every
# listed file exists, and that the list is sorted without duplicates. A file missing from POTFILES
# would silently stay English in every translation.
#
# Usage: check-potfiles.py SOURCE_ROOT

import os
import re
import sys

SCAN_DIRS = ('src', 'data')

# C: _(), N_(), C_(), NC_(), Q_() and the plural/context helpers, not part of a longer identifier.
C_MARKER = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|Q_|g_dngettext|g_dpgettext2|ngettext)\s*\(')
UI_MARKER = re.compile(r'translatable\s*=\s*["\'](?:yes|true|1)["\']', re.IGNORECASE)
# gschema.its translates <summary> and <description>; shared-mime-info.its translates <comment>.
GSCHEMA_MARKER = re.compile(r'<(?:summary|description)\b')
MIME_MARKER = re.compile(r'<comment\b')


def has_translatable_text(path):
    name = os.path.basename(path)
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except UnicodeDecodeError:
        return False

    if name.endswith(('.c', '.h')):
        return C_MARKER.search(strip_c_comments(text)) is not None
    if name.endswith(('.ui', '.ui.in')):
        return UI_MARKER.search(text) is not None
    # Name, GenericName, Comment and Keywords are always translated.
    if name.endswith('.desktop.in'):
        return True
    if name.endswith(('.metainfo.xml.in', '.appdata.xml.in')):
        return True
    if name.endswith(('.gschema.xml', '.gschema.xml.in')):
        return GSCHEMA_MARKER.search(text) is not None
    if name.endswith(('.mime.xml', '.mime.xml.in')):
        return MIME_MARKER.search(text) is not None
    return False


def strip_c_comments(text):
    # A comment that mentions _() is not a translatable string.
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.DOTALL)
    return re.sub(r'//[^\n]*', ' ', text)


def read_list(path):
    entries = []
    if not os.path.exists(path):
        return entries
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                entries.append(line)
    return entries


def main():
    if len(sys.argv) != 2:
        print('usage: check-potfiles.py SOURCE_ROOT', file=sys.stderr)
        return 2
    root = sys.argv[1]
    potfiles = read_list(os.path.join(root, 'po', 'POTFILES'))
    skipped = set(read_list(os.path.join(root, 'po', 'POTFILES.skip')))
    listed = set(potfiles)
    errors = []

    for entry in potfiles:
        if not os.path.isfile(os.path.join(root, entry)):
            errors.append(f'po/POTFILES lists {entry}, which does not exist')
    duplicates = sorted({e for e in potfiles if potfiles.count(e) > 1})
    for entry in duplicates:
        errors.append(f'po/POTFILES lists {entry} more than once')
    if potfiles != sorted(potfiles):
        errors.append('po/POTFILES is not sorted (LC_ALL=C sort)')

    found = []
    for top in SCAN_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(('.', '_')))
            for filename in sorted(filenames):
                path = os.path.join(dirpath, filename)
                relpath = os.path.relpath(path, root).replace(os.sep, '/')
                if has_translatable_text(path):
                    found.append(relpath)
                    if relpath not in listed and relpath not in skipped:
                        errors.append(f'{relpath} has translatable strings but is not in po/POTFILES')

    for error in errors:
        print(f'not ok: {error}')
    print(f'{len(found)} files with translatable strings, {len(potfiles)} in po/POTFILES, '
          f'{len(errors)} problems')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
