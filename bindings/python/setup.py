"""setup.py -- the extension pmemkit._pmemkit for pip (pyproject.toml).

The package is bindings/python/pmemkit/*.py with its stubs, plus what the
build makes from SWIG's interface, as the in-tree build lays it out
(Makefile.inc): SWIG, run here, turns bindings/python/pmemkit.i and the
shared swig/*.i of the source tree into the wrapper pmemkit_wrap.c, which
becomes the extension pmemkit/_pmemkit.*.so, and the proxy, installed as
pmemkit/_swig.py. Nothing generated is shipped: a build needs swig (the
Debian package), this directory inside pmemkit's source tree, and an
installed libpmemkit that pkg-config finds (PKG_CONFIG_PATH,
PKG_CONFIG_SYSROOT_DIR; $PKG_CONFIG names the program, $SWIG swig). The
extension links libpmemkit.so with its directory as the run path.
"""

import os
import shlex
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))     # swig/ is there


def pkg_config(*args):
    """pkg-config's answer about pmemkit, split into words."""
    cmd = shlex.split(os.environ.get("PKG_CONFIG", "pkg-config"))
    try:
        out = subprocess.check_output(cmd + list(args) + ["pmemkit"])
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit("pmemkit: %s finds no pmemkit (%s): install libpmemkit "
                 "(make install) and point PKG_CONFIG_PATH at the "
                 "directory of its pmemkit.pc" % (cmd[0], e))
    return shlex.split(out.decode())


def swig():
    """The swig program."""
    for name in (os.environ.get("SWIG"), "swig", "swig4.0"):
        if name and shutil.which(name):
            return name
    sys.exit("pmemkit: swig not found: install the Debian package swig")


class BuildExt(build_ext):
    """build_ext running SWIG first: the wrapper into build_temp, the
    proxy into the package as _swig.py."""

    def run(self):
        if not os.path.isfile(os.path.join(TOP, "swig", "pmemkit.i")):
            sys.exit("pmemkit: %s is not in pmemkit's source tree (no "
                     "swig/pmemkit.i two levels up)" % (HERE,))
        gen = os.path.join(os.path.abspath(self.build_temp), "swig")
        os.makedirs(gen, exist_ok=True)
        wrap = os.path.join(gen, "pmemkit_wrap.c")
        incs = pkg_config("--cflags-only-I")
        self.spawn([swig(), "-python", "-doxygen"] + incs +
                   ["-I" + TOP, "-I" + HERE, "-outdir", gen, "-o", wrap,
                    os.path.join(HERE, "pmemkit.i")])
        for ext in self.extensions:
            ext.sources = [wrap]
        pkg = os.path.join(HERE if self.inplace else self.build_lib,
                           "pmemkit")
        os.makedirs(pkg, exist_ok=True)
        self.copy_file(os.path.join(gen, "pmemkit.py"),
                       os.path.join(pkg, "_swig.py"))
        self._swig_py = os.path.join(pkg, "_swig.py")
        build_ext.run(self)

    def get_outputs(self):
        out = build_ext.get_outputs(self)
        if getattr(self, "_swig_py", None):
            out.append(self._swig_py)
        return out


libdirs = [f[2:] for f in pkg_config("--libs-only-L")]
setup(
    version=pkg_config("--modversion")[0],
    ext_modules=[Extension(
        "pmemkit._pmemkit",
        sources=["pmemkit.i"],     # replaced by SWIG's output (BuildExt)
        include_dirs=[f[2:] for f in pkg_config("--cflags-only-I")],
        extra_compile_args=["-std=gnu11", "-fno-strict-aliasing"] +
        pkg_config("--cflags-only-other"),
        library_dirs=libdirs,
        libraries=[f[2:] for f in pkg_config("--libs-only-l")],
        runtime_library_dirs=libdirs,
    )],
    cmdclass={"build_ext": BuildExt},
)
