#!/usr/bin/env python3
# yaml-to-json.py INPUT.yaml OUTPUT.json
#
# Converts the Atlas OpenAPI extract to JSON at build time, so that the tests can read it with
# json-glib (tests/sim/kl-schema-check.c). Keys are always strings; dates and other YAML scalars that
# JSON lacks become strings.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import sys

import yaml


def normalize(value):
    if isinstance(value, dict):
        return {str(k): normalize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: yaml-to-json.py INPUT.yaml OUTPUT.json')
    with open(sys.argv[1], encoding='utf-8') as f:
        spec = yaml.safe_load(f)
    with open(sys.argv[2], 'w', encoding='utf-8') as f:
        json.dump(normalize(spec), f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    main()
