#!/usr/bin/env python3
# Installs the merged shared-mime-info XML into a private data dir, builds its cache with
# update-mime-database, and asks GIO (which reads that cache) what type a file that starts with
# the encrypted-report magic has, with and without the .specimen extension. Also checks that the
# zh_CN comment was merged in from po/.
#
# Usage: check-mime.py MERGED_MIME_XML

import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

MIME_TYPE = 'application/x-specimen-encrypted-report'
NS = '{http://www.freedesktop.org/standards/shared-mime-info}'
XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'
# The first bytes of a real encrypted report: magic, version 1, cipher 1 (see sp-crypto.h).
REPORT_START = b'SPECIMEN\x01\x01\x01\x01' + bytes(44)


def content_type(path, env):
    result = subprocess.run(['gio', 'info', '--attributes=standard::content-type', path],
                            env=env, capture_output=True, text=True, check=True)
    for line in result.stdout.splitlines():
        line = line.strip()
        if line.startswith('standard::content-type:'):
            return line.split(':', 3)[-1].strip()
    return None


def main():
    if len(sys.argv) != 2:
        print('usage: check-mime.py MERGED_MIME_XML', file=sys.stderr)
        return 2
    merged = sys.argv[1]
    errors = []

    mime_type = ET.parse(merged).getroot().find(f'{NS}mime-type')
    if mime_type is None or mime_type.get('type') != MIME_TYPE:
        print(f'not ok: {merged} does not define {MIME_TYPE}')
        return 1
    langs = {c.get(XML_LANG) for c in mime_type.findall(f'{NS}comment')}
    if None not in langs or 'zh_CN' not in langs:
        errors.append(f'comments in {sorted(str(l) for l in langs)}; want the English one and zh_CN')

    with tempfile.TemporaryDirectory() as tmp:
        packages = os.path.join(tmp, 'data', 'mime', 'packages')
        os.makedirs(packages)
        shutil.copy(merged, packages)
        # Only the types from freedesktop.org's own package, so that ours has to win by itself.
        system = '/usr/share/mime/packages/freedesktop.org.xml'
        if os.path.exists(system):
            shutil.copy(system, packages)
        env = dict(os.environ, XDG_DATA_DIRS=os.path.join(tmp, 'data'),
                   XDG_DATA_HOME=os.path.join(tmp, 'home'))
        subprocess.run(['update-mime-database', os.path.join(tmp, 'data', 'mime')], env=env,
                       check=True)

        samples = {
            'by-magic': (REPORT_START, MIME_TYPE),
            'report.specimen': (REPORT_START, MIME_TYPE),
            'not-a-report.bin': (b'SPECIMEM' + bytes(48), None),
        }
        for name, (data, expected) in samples.items():
            path = os.path.join(tmp, name)
            with open(path, 'wb') as f:
                f.write(data)
            found = content_type(path, env)
            if expected and found != expected:
                errors.append(f'{name} is {found}, expected {expected}')
            if not expected and found == MIME_TYPE:
                errors.append(f'{name} without the magic is taken for {MIME_TYPE}')
            print(f'{name}: {found}')

    for error in errors:
        print(f'not ok: {error}')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
