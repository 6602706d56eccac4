#!/usr/bin/env python3
# Checks the app icons: the names match the desktop file's Icon= key and the hicolor layout, the
# full-colour icon is drawn on the 128 px grid and the symbolic one on the 16 px grid, and the
# symbolic icon uses a single neutral colour, which GTK replaces with the theme's foreground.
#
# Usage: check-icons.py SOURCE_ROOT APP_ID DESKTOP_FILE

import configparser
import os
import re
import sys
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}'
SYMBOLIC_COLOURS = {'#2e3436', '#000000', '#000', 'currentcolor', 'none'}


def colours(root):
    found = set()
    for element in root.iter():
        for attribute in ('fill', 'stroke', 'stop-color'):
            value = element.get(attribute)
            if value and not value.startswith('url('):
                found.add(value.lower())
        for value in re.findall(r'(?:fill|stroke|stop-color)\s*:\s*([^;]+)', element.get('style', '')):
            found.add(value.strip().lower())
    return found


def check_svg(path, viewbox, errors):
    if not os.path.isfile(path):
        errors.append(f'{path} is missing')
        return None
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        errors.append(f'{path} is not well-formed XML: {e}')
        return None
    if root.tag != f'{SVG}svg':
        errors.append(f'{path} is not an SVG document')
        return None
    if root.get('viewBox') != viewbox:
        errors.append(f'{path} has viewBox {root.get("viewBox")!r}, expected {viewbox!r}')
    if root.find(f'.//{SVG}image') is not None:
        errors.append(f'{path} embeds a bitmap')
    return root


def main():
    if len(sys.argv) != 4:
        print('usage: check-icons.py SOURCE_ROOT APP_ID DESKTOP_FILE', file=sys.stderr)
        return 2
    root_dir, app_id, desktop = sys.argv[1:]
    errors = []

    entry = configparser.ConfigParser(interpolation=None, strict=False)
    entry.optionxform = str
    entry.read(desktop, encoding='utf-8')
    icon = entry.get('Desktop Entry', 'Icon', fallback=None)
    if icon != app_id:
        errors.append(f'the desktop file has Icon={icon}, expected {app_id}')

    hicolor = os.path.join(root_dir, 'data', 'icons', 'hicolor')
    check_svg(os.path.join(hicolor, 'scalable', 'apps', f'{app_id}.svg'), '0 0 128 128', errors)
    symbolic = check_svg(os.path.join(hicolor, 'symbolic', 'apps', f'{app_id}-symbolic.svg'),
                         '0 0 16 16', errors)
    if symbolic is not None:
        extra = colours(symbolic) - SYMBOLIC_COLOURS
        if extra:
            errors.append(f'the symbolic icon uses colours {sorted(extra)}; use #2e3436 only')

    for error in errors:
        print(f'not ok: {error}')
    print(f'icons checked, {len(errors)} problems')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
