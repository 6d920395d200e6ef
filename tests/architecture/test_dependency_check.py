#!/usr/bin/python3
"""Plants each kind of layer violation in a scratch copy of the tree and shows the check catching it."""
import os
import shutil
import sys
import tempfile
import unittest

ROOT = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else
                       os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'tools'))
import check_dependencies  # noqa: E402


class DependencyCheck(unittest.TestCase):
    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix='conduit-deps-')
        for folder in ('crm-plugin', 'forms', 'adapters'):
            shutil.copytree(os.path.join(ROOT, folder), os.path.join(self.scratch, folder),
                            ignore=shutil.ignore_patterns('build'))

    def tearDown(self):
        shutil.rmtree(self.scratch)

    def plant(self, rel, text, append=True):
        path = os.path.join(self.scratch, rel)
        with open(path, 'a' if append else 'w', encoding='utf-8') as f:
            f.write(text)

    def problems(self):
        return check_dependencies.check(self.scratch)

    def assertCaught(self, fragment):
        found = self.problems()
        self.assertTrue(any(fragment in p for p in found), f'{fragment!r} not in {found}')

    def test_the_tree_as_it_is_passes(self):
        self.assertEqual(self.problems(), [])

    def test_a_form_including_soci_is_caught(self):
        self.plant('forms/feed/feed_model.cpp', '\n#include <soci/soci.h>\n')
        self.assertCaught('forms/feed/feed_model.cpp: forms/ includes SOCI')

    def test_a_form_including_a_header_that_brings_in_soci_is_caught(self):
        self.plant('forms/feed/feed_model.cpp', '\n#include <conduit/crm/timeline/event_rows.hpp>\n')
        self.assertCaught('which brings in SOCI')

    def test_an_adapter_including_an_areas_internals_is_caught(self):
        self.plant('adapters/event_mapping.cpp', '\n#include <sql_util.hpp>\n')
        self.assertCaught("adapters/ includes an area's internals (sql_util.hpp)")

    def test_a_core_area_including_qt_is_caught(self):
        self.plant('crm-plugin/timeline/src/feed_query.cpp', '\n#include <QString>\n')
        self.assertCaught('a core area includes Qt (<QString>)')

    def test_an_include_of_an_area_not_listed_in_uses_is_caught(self):
        self.plant('crm-plugin/timeline/src/feed_query.cpp', '\n#include <conduit/crm/access/roles.hpp>\n')
        self.assertCaught('area timeline includes <conduit/crm/access/roles.hpp> but does not list access')

    def test_two_areas_depending_on_each_other_are_caught(self):
        cmake = os.path.join(self.scratch, 'crm-plugin/timeline/CMakeLists.txt')
        with open(cmake, encoding='utf-8') as f:
            text = f.read()
        self.assertIn('USES foundation database', text)
        self.plant('crm-plugin/timeline/CMakeLists.txt',
                   text.replace('USES foundation database', 'USES foundation database access'), append=False)
        self.assertCaught('areas depend on each other')


if __name__ == '__main__':
    unittest.main()
