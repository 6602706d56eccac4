#!/usr/bin/env python3
# Checks the Flatpak manifest against Flathub conventions and our sandbox policy: valid JSON, the
# app id matches the desktop file, the command is the GUI, every downloaded source is pinned by
# sha256, and the sandbox holds no network and no broad filesystem access.
#
# Usage: check-flatpak-manifest.py MANIFEST DESKTOP_FILE

import json
import os
import re
import sys

# Everything the app needs: a Wayland/X11 window with GL, and shared memory for X11.
ALLOWED_FINISH_ARGS = {'--share=ipc', '--socket=fallback-x11', '--socket=wayland', '--device=dri'}
FORBIDDEN_FILESYSTEMS = ('host', 'host-os', 'host-etc', 'home')
SHA256 = re.compile(r'^[0-9a-f]{64}$')


def main():
    if len(sys.argv) != 3:
        print('usage: check-flatpak-manifest.py MANIFEST DESKTOP_FILE', file=sys.stderr)
        return 2
    manifest_path, desktop_path = sys.argv[1:]
    errors = []

    try:
        with open(manifest_path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print(f'not ok: {manifest_path} is not valid JSON: {e}')
        return 1

    desktop_id = os.path.basename(desktop_path)
    for suffix in ('.in', '.desktop'):
        if desktop_id.endswith(suffix):
            desktop_id = desktop_id[:-len(suffix)]
    app_id = manifest.get('id', manifest.get('app-id'))
    if app_id != desktop_id:
        errors.append(f'app id {app_id!r} differs from the desktop file id {desktop_id!r}')
    if os.path.basename(manifest_path) != f'{app_id}.json':
        errors.append(f'the manifest file is not named after the app id {app_id!r}')
    if manifest.get('command') != 'specimen':
        errors.append(f'command is {manifest.get("command")!r}, not \'specimen\'')
    if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
        errors.append('runtime/sdk are not org.gnome.Platform/org.gnome.Sdk')
    if not isinstance(manifest.get('runtime-version'), str):
        errors.append('runtime-version must be a string')

    for arg in manifest.get('finish-args', []):
        if arg.startswith('--filesystem='):
            target = arg.split('=', 1)[1].split(':', 1)[0]
            if target in FORBIDDEN_FILESYSTEMS or target.startswith('~') or target == '/':
                errors.append(f'finish-args grants broad file access: {arg}')
        if arg == '--share=network':
            errors.append('finish-args grants network access')
        if arg not in ALLOWED_FINISH_ARGS:
            errors.append(f'finish-args has {arg}, beyond the minimal set')

    modules = manifest.get('modules', [])
    if not modules:
        errors.append('the manifest has no modules')
    manifest_dir = os.path.dirname(os.path.abspath(manifest_path))

    def check_module(module, where):
        if isinstance(module, str):
            errors.append(f'{where}: modules in separate files are not used here ({module})')
            return
        name = module.get('name', '?')
        for source in module.get('sources', []):
            kind = source.get('type')
            if kind == 'dir':
                path = os.path.join(manifest_dir, source.get('path', ''))
                if not os.path.isfile(os.path.join(path, 'meson.build')):
                    errors.append(f'module {name}: dir source {source.get("path")!r} is not the '
                                  'project root')
                continue
            if kind in ('git',):
                if not source.get('commit'):
                    errors.append(f'module {name}: git source without a pinned commit')
                continue
            if not SHA256.match(source.get('sha256', '')):
                errors.append(f'module {name}: {kind} source {source.get("url", source.get("path"))}'
                              ' has no sha256')
            url = source.get('url', '')
            if url and not url.startswith('https://'):
                errors.append(f'module {name}: {url} is not fetched over https')
        for child in module.get('modules', []):
            check_module(child, f'module {name}')

    for module in modules:
        check_module(module, 'manifest')

    app = modules[-1] if modules and isinstance(modules[-1], dict) else {}
    if app.get('name') != 'specimen' or app.get('buildsystem') != 'meson':
        errors.append('the last module must be specimen, built with meson')
    elif '-Dtests=false' not in app.get('config-opts', []):
        errors.append('the specimen module must build with -Dtests=false')
    elif not any(s.get('type') == 'dir' for s in app.get('sources', [])):
        errors.append('the specimen module must build the local tree (a dir source)')

    for error in errors:
        print(f'not ok: {error}')
    print(f'{manifest_path}: {len(modules)} modules, {len(errors)} problems')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
