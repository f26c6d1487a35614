dnl bindings/ruby/configure.m4 -- configure's detection of the Ruby module
dnl (m4_include'd by configure.ac): SWIG, Ruby and its headers (Debian
dnl packages swig, ruby, ruby-dev), minitest for the tests (ruby-minitest).
dnl --with-ruby takes auto (default: build when everything is there), yes
dnl (fail when something is missing) or no. RUBY= chooses the interpreter.
AC_ARG_WITH([ruby], [AS_HELP_STRING([--with-ruby@<:@=auto|yes|no@:>@],
	[build the Ruby module for $RUBY (default: auto)])],
	[], [with_ruby=auto])

have_ruby=no
pk_rb_missing=
if test "x$with_ruby" != xno; then
	AC_PATH_PROGS([RUBY], [ruby], [])
	if test -z "$SWIG"; then
		pk_rb_missing="$pk_rb_missing swig"
	fi
	if test -z "$RUBY" || ! "$RUBY" -e 'exit 0' >/dev/null 2>&1; then
		pk_rb_missing="$pk_rb_missing ruby ruby-dev"
	else
		dnl RbConfig without brackets (m4 quotes) or #{} (m4 comments).
		dnl -isystem: ruby/config.h redefines the __STDC_WANT_* macros
		dnl that AC_USE_SYSTEM_EXTENSIONS puts in DEFS, which GCC warns
		dnl about outside system headers.
		RUBY_CPPFLAGS=`$RUBY -rrbconfig -e 'c = RbConfig::CONFIG
print "-isystem ", c.fetch("rubyarchhdrdir"), " -isystem ", c.fetch("rubyhdrdir")' 2>/dev/null`
		RUBY_LIBS=`$RUBY -rrbconfig -e 'c = RbConfig::CONFIG
print "-L", c.fetch("libdir"), " ", c.fetch("LIBRUBYARG_SHARED")' 2>/dev/null`
		RUBY_DLEXT=`$RUBY -rrbconfig -e 'print RbConfig::CONFIG.fetch("DLEXT")' 2>/dev/null`
		dnl Where `make install` puts the module: Ruby's site dirs with
		dnl their prefix replaced by ours. Debian's Ruby reads
		dnl /usr/local/lib/... (its site prefix is PREFIX/local), so
		dnl --prefix=/usr/local installs where it looks.
		pk_rb_sitedir='c = RbConfig::CONFIG
d = c.fetch(ARGV.fetch(0))
base = [[c.fetch("prefix") + "/local", c.fetch("prefix")]].find { |p| d.start_with?(p + "/") }
print base ? ARGV.fetch(1) + d.delete_prefix(base) : ""'
		RUBY_SITEARCHDIR=`$RUBY -rrbconfig -e "$pk_rb_sitedir" sitearchdir '${exec_prefix}' 2>/dev/null`
		RUBY_SITELIBDIR=`$RUBY -rrbconfig -e "$pk_rb_sitedir" sitelibdir '${prefix}' 2>/dev/null`
		test -n "$RUBY_SITEARCHDIR" || RUBY_SITEARCHDIR='${libdir}/ruby/site_ruby'
		test -n "$RUBY_SITELIBDIR" || RUBY_SITELIBDIR='${libdir}/ruby/site_ruby'

		AC_MSG_CHECKING([for ruby.h of $RUBY])
		pk_save_CPPFLAGS=$CPPFLAGS
		CPPFLAGS="$CPPFLAGS $RUBY_CPPFLAGS"
		pk_rb_hdr=no
		AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <ruby.h>]],
			[[return (int)rb_intern("x");]])], [pk_rb_hdr=yes])
		CPPFLAGS=$pk_save_CPPFLAGS
		AC_MSG_RESULT([$pk_rb_hdr])
		test "x$pk_rb_hdr" = xyes || pk_rb_missing="$pk_rb_missing ruby-dev"

		AC_MSG_CHECKING([for minitest])
		if $RUBY -e 'require "minitest"' >/dev/null 2>&1; then
			AC_MSG_RESULT([yes])
		else
			AC_MSG_RESULT([no])
			pk_rb_missing="$pk_rb_missing ruby-minitest"
		fi
	fi
	if test -z "$pk_rb_missing"; then
		have_ruby=yes
	elif test "x$with_ruby" = xyes; then
		AC_MSG_ERROR([the Ruby module needs SWIG, Ruby, its headers and minitest: install the Debian packages$pk_rb_missing])
	fi
fi
AC_SUBST([RUBY_CPPFLAGS])
AC_SUBST([RUBY_LIBS])
AC_SUBST([RUBY_DLEXT])
AC_SUBST([RUBY_SITEARCHDIR])
AC_SUBST([RUBY_SITELIBDIR])
AM_CONDITIONAL([HAVE_RUBY], [test "x$have_ruby" = xyes])
AC_MSG_NOTICE([Ruby module: $have_ruby${RUBY:+ ($RUBY)}])
