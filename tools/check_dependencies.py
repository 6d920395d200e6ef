#!/usr/bin/python3
"""The build graph as the architecture: fails when the layers of docs/architecture.md are crossed.

Checks, over the source tree given as the only argument (the project root by default):
  - every CRM area (crm-plugin/<area>/) uses only the areas its CMakeLists.txt lists in USES, and
    those lists have no cycle;
  - no core area includes Qt;
  - nothing under forms/ or adapters/ includes SOCI or Firebird, a core header that includes them
    (directly or through other headers), or an area's private src/ headers.
Prints one line per violation and exits 1 when there is any.
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
AREA_CALL = re.compile(r'conduit_crm_area\(\s*(\w+)(.*?)\)', re.S)
KEYWORDS = {'SOURCES', 'USES', 'PUBLIC_LIBS', 'PRIVATE_LIBS'}
SQL_HEADERS = ('soci/', 'ibase.h', 'firebird/')
QT_HEADER = re.compile(r'^(Q[A-Z]\w*|Qt\w*/.*)$')
SOURCE_EXT = ('.cpp', '.hpp', '.h', '.cc')


def read(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        return f.read()


def declared_areas(root):
    """area -> set of areas it says it uses, from crm-plugin/<area>/CMakeLists.txt."""
    areas = {}
    core = os.path.join(root, 'crm-plugin')
    for name in sorted(os.listdir(core)):
        cmake = os.path.join(core, name, 'CMakeLists.txt')
        if not os.path.isfile(cmake):
            continue
        for m in AREA_CALL.finditer(read(cmake)):
            uses, in_uses = set(), False
            for word in m.group(2).split():
                if word in KEYWORDS:
                    in_uses = word == 'USES'
                elif in_uses:
                    uses.add(word)
            areas[m.group(1)] = uses
    return areas


def find_cycle(graph):
    state = {}

    def visit(node, path):
        state[node] = 'open'
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 'open':
                return path[path.index(nxt):] + [nxt] if nxt in path else path + [nxt]
            if nxt not in state:
                found = visit(nxt, path + [nxt])
                if found:
                    return found
        state[node] = 'done'
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node, [node])
            if found:
                return found
    return None


def source_files(folder):
    for dirpath, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in ('build', '.git')]
        for f in sorted(files):
            if f.endswith(SOURCE_EXT):
                yield os.path.join(dirpath, f)


class Headers:
    """Resolves the core's public headers and tells which of them reach SOCI or Firebird."""

    def __init__(self, root, areas):
        self.public = {}
        for area in areas:
            inc = os.path.join(root, 'crm-plugin', area, 'include')
            for path in source_files(inc):
                self.public[os.path.relpath(path, inc)] = path
        self.private = set()
        for area in areas:
            for path in source_files(os.path.join(root, 'crm-plugin', area, 'src')):
                self.private.add(os.path.basename(path))
        self._sql = {}

    def reaches_sql(self, path, seen=None):
        if path in self._sql:
            return self._sql[path]
        seen = seen or set()
        seen.add(path)
        result = False
        for _, name in INCLUDE.findall(read(path)):
            if name.startswith(SQL_HEADERS):
                result = True
            elif name in self.public and self.public[name] not in seen:
                result = self.reaches_sql(self.public[name], seen)
            if result:
                break
        self._sql[path] = result
        return result


def check(root):
    problems = []
    areas = declared_areas(root)
    if not areas:
        return ['no CRM areas found under crm-plugin/ (conduit_crm_area in CMakeLists.txt)']
    cycle = find_cycle(areas)
    if cycle:
        problems.append('areas depend on each other: ' + ' -> '.join(cycle))
    for area, uses in areas.items():
        for used in sorted(uses - set(areas)):
            problems.append(f'area {area} uses {used}, which is not an area')
    headers = Headers(root, areas)
    for area, uses in areas.items():
        for path in source_files(os.path.join(root, 'crm-plugin', area)):
            rel = os.path.relpath(path, root)
            for _, name in INCLUDE.findall(read(path)):
                m = re.match(r'conduit/crm/(\w+)/', name)
                if m and m.group(1) != area and m.group(1) not in uses:
                    problems.append(f'{rel}: area {area} includes <{name}> but does not list '
                                    f'{m.group(1)} in USES')
                if QT_HEADER.match(name):
                    problems.append(f'{rel}: a core area includes Qt (<{name}>)')
    for outer in ('forms', 'adapters'):
        for path in source_files(os.path.join(root, outer)):
            rel = os.path.relpath(path, root)
            for kind, name in INCLUDE.findall(read(path)):
                if name.startswith(SQL_HEADERS):
                    problems.append(f'{rel}: {outer}/ includes SOCI/Firebird (<{name}>)')
                elif name in headers.public and headers.reaches_sql(headers.public[name]):
                    problems.append(f'{rel}: {outer}/ includes <{name}>, which brings in SOCI')
                elif '/src/' in name or name.startswith('../') or (
                        kind == '<' and name in headers.private):
                    problems.append(f'{rel}: {outer}/ includes an area\'s internals ({name})')
    return problems


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), '..'))
    problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print(f'{len(problems)} dependency violation(s); the allowed graph is in docs/architecture.md')
        return 1
    print(f'dependencies ok ({len(declared_areas(root))} areas)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
