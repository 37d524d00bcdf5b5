#!/usr/bin/env python3
"""Checks that every include in src/ points down the core's layers, and
that every core file names its own log domain.

The build already refuses most wrong includes, since a layer's library
sees only the folders below it.  This test also catches what the build
cannot: a header reached by a relative path, a new folder that nobody put
in the picture, and the agent or the helper reaching past what they may
link.  The order here is the one src/DESIGN.md draws.
"""
import os
import re
import sys

# Each layer and the layers it may include (itself included).
LAYERS = {
    'base': {'base'},
    'pki': {'base', 'pki'},
    'inventory': {'base', 'pki', 'inventory'},
    'ca': {'base', 'pki', 'inventory', 'ca'},
    'drivers': {'base', 'pki', 'inventory', 'ca', 'drivers'},
    'devices': {'base', 'pki', 'inventory', 'ca', 'drivers', 'devices'},
    'lifecycle': {'base', 'pki', 'inventory', 'ca', 'drivers', 'devices', 'lifecycle'},
    'trust': {'base', 'pki', 'trust'},
    'acme': {'base', 'pki', 'inventory', 'ca', 'drivers', 'devices', 'acme'},
}

# Programs beside the core that may link only part of it.
PROGRAMS = {
    'agent': {'base', 'pki'},
    # The helper links base and the layout table only, never the rest of
    # the trust layer.
    'helper': {'base', 'trust:vouch-trust-layout.h'},
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)
GENERATED = {'vouch-config.h'}


def main(top):
    core = os.path.join(top, 'src', 'core')
    owner = {}
    problems = []
    for entry in sorted(os.listdir(core)):
        path = os.path.join(core, entry)
        if entry.endswith(('.c', '.h')):
            problems.append(f'src/core/{entry}: lies outside every layer folder')
        if not os.path.isdir(path):
            continue
        if entry not in LAYERS:
            problems.append(f'src/core/{entry}/: a folder that is in no layer; '
                            'add it to tests/check-layers.py and src/DESIGN.md')
            continue
        for name in os.listdir(path):
            if name.endswith('.h'):
                owner[name] = entry

    def check(path, label, allowed):
        text = open(path, encoding='utf-8').read()
        # Each core file names its own log domain before any include, so
        # G_MESSAGES_DEBUG can show one part (src/DESIGN.md).
        if label.startswith('src/core/') and label.endswith('.c'):
            domain = re.search(r'^#define G_LOG_DOMAIN "vouch-[a-z0-9-]+"', text, re.MULTILINE)
            first_include = INCLUDE.search(text)
            if domain is None or (first_include and first_include.start() < domain.start()):
                problems.append(f'{label}: defines no G_LOG_DOMAIN of its own before its includes')
        for header in INCLUDE.findall(text):
            if '/' in header:
                problems.append(f'{label}: includes "{header}" by a path; '
                                'name the header alone and depend on its layer')
                continue
            if header in GENERATED or header not in owner:
                continue
            layer = owner[header]
            if layer in allowed or f'{layer}:{header}' in allowed:
                continue
            problems.append(f'{label}: includes {header} from {layer}/, '
                            f'above what it may use ({", ".join(sorted(allowed))})')

    checked = 0
    for layer in LAYERS:
        folder = os.path.join(core, layer)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(('.c', '.h')):
                check(os.path.join(folder, name), f'src/core/{layer}/{name}',
                      LAYERS[layer])
                checked += 1
    for program, allowed in PROGRAMS.items():
        folder = os.path.join(top, 'src', program)
        for name in sorted(os.listdir(folder)):
            if name.endswith(('.c', '.h')):
                check(os.path.join(folder, name), f'src/{program}/{name}', allowed)
                checked += 1

    print('1..1')
    if problems:
        for problem in problems:
            print(f'# {problem}')
        print(f'not ok 1 - {len(problems)} includes against the layers')
        return 1
    print(f'ok 1 - {checked} files include only down the layers')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else
                  os.path.join(os.path.dirname(__file__), '..')))
