#!/usr/bin/env python3
"""Proves tools/check_layers rejects each kind of layering violation.

Each case builds a small src/ tree in a temporary directory, runs the checker
on it and expects success or failure with a specific message.
"""
import pathlib
import subprocess
import sys
import tempfile
import unittest

CHECKER = pathlib.Path(__file__).resolve().parent / "check_layers"


def make_tree(root, modules, files):
    for module_dir, decl in modules.items():
        path = root / "src" / module_dir
        path.mkdir(parents=True, exist_ok=True)
        (path / "CMakeLists.txt").write_text(decl)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def run(root):
    result = subprocess.run([sys.executable, str(CHECKER), "--root", str(root)], capture_output=True, text=True)
    return result.returncode, result.stderr


BASE = {
    "base": "voxgate_module(base)",
    "sip/message": "voxgate_module(sip_message DEPS base)",
    "sdp": "voxgate_module(sdp DEPS base)",
}
BASE_FILES = {
    "src/base/log.hpp": "#pragma once\n",
    "src/sip/message/message.hpp": '#include "base/log.hpp"\n',
    "src/sip/message/detail/scanner.hpp": "#pragma once\n",
    "src/sdp/session.hpp": '#include "base/log.hpp"\n',
}


class CheckLayers(unittest.TestCase):
    def check(self, modules=None, files=None):
        with tempfile.TemporaryDirectory() as tmp:
            root = pathlib.Path(tmp)
            make_tree(root, {**BASE, **(modules or {})}, {**BASE_FILES, **(files or {})})
            return run(root)

    def test_downward_includes_pass(self):
        code, err = self.check()
        self.assertEqual(code, 0, err)

    def test_include_of_a_higher_layer_fails(self):
        code, err = self.check(files={"src/base/bad.cpp": '#include "sip/message/message.hpp"\n'})
        self.assertEqual(code, 1)
        self.assertIn("base includes sip/message/message.hpp but does not depend on sip/message", err)

    def test_include_of_an_undeclared_lower_module_fails(self):
        code, err = self.check(
            modules={"sip/transport": "voxgate_module(sip_transport DEPS base)"},
            files={"src/sip/transport/udp.cpp": '#include "sip/message/message.hpp"\n'},
        )
        self.assertEqual(code, 1)
        self.assertIn("sip/transport includes sip/message/message.hpp", err)

    def test_include_of_another_modules_detail_fails(self):
        code, err = self.check(
            modules={"sip/transport": "voxgate_module(sip_transport DEPS sip_message)"},
            files={"src/sip/transport/udp.cpp": '#include "sip/message/detail/scanner.hpp"\n'},
        )
        self.assertEqual(code, 1)
        self.assertIn("private detail/ header of sip/message", err)

    def test_tests_may_not_include_detail_either(self):
        code, err = self.check(files={"tests/fuzz/f.cpp": '#include "sip/message/detail/scanner.hpp"\n'})
        self.assertEqual(code, 1)
        self.assertIn("tests/fuzz/f.cpp:1", err)

    def test_module_may_include_its_own_detail(self):
        code, err = self.check(files={"src/sip/message/parser.cpp": '#include "sip/message/detail/scanner.hpp"\n'})
        self.assertEqual(code, 0, err)

    def test_upward_dependency_declaration_fails(self):
        code, err = self.check(modules={"base": "voxgate_module(base DEPS sip_message)"})
        self.assertEqual(code, 1)
        self.assertIn("base may not depend on sip/message", err)

    def test_sdp_depending_on_sip_fails(self):
        code, err = self.check(modules={"sdp": "voxgate_module(sdp DEPS base sip_message)"})
        self.assertEqual(code, 1)
        self.assertIn("sdp must know nothing of SIP", err)

    def test_cycle_within_a_family_fails(self):
        code, err = self.check(
            modules={
                "media/rtp": "voxgate_module(media_rtp DEPS base media_codec)",
                "media/codec": "voxgate_module(media_codec DEPS base media_rtp)",
            }
        )
        self.assertEqual(code, 1)
        self.assertIn("dependency cycle", err)

    def test_module_name_must_match_its_directory(self):
        code, err = self.check(modules={"sdp": "voxgate_module(session_description DEPS base)"})
        self.assertEqual(code, 1)
        self.assertIn("must be named sdp", err)


if __name__ == "__main__":
    unittest.main()
