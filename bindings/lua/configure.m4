dnl bindings/lua/configure.m4 -- configure's detection of the Lua module
dnl (m4_include'd by configure.ac). It needs SWIG, a Lua 5.4 interpreter
dnl and its headers (Debian packages swig lua5.4 liblua5.4-dev).
dnl --with-lua takes auto (default: build when everything is there), yes
dnl (fail when something is missing) or no; LUA= chooses the interpreter.
dnl The module installs where Lua 5.4 looks under the prefix (Debian's
dnl lua5.4 searches /usr/local/lib/lua/5.4 and /usr/local/share/lua/5.4):
dnl LUA_CMODDIR (pmemkit/core.so) and LUA_LMODDIR (pmemkit.lua).
AC_ARG_WITH([lua], [AS_HELP_STRING([--with-lua@<:@=auto|yes|no@:>@],
	[build the Lua 5.4 module for $LUA (default: auto)])],
	[], [with_lua=auto])
AC_ARG_VAR([LUA], [the Lua 5.4 interpreter the Lua module is tested with])
AC_ARG_VAR([LUA_CMODDIR], [where the Lua module's C part is installed
	(default: LIBDIR/lua/5.4)])
AC_ARG_VAR([LUA_LMODDIR], [where the Lua module's Lua part is installed
	(default: DATADIR/lua/5.4)])
have_lua=no
if test "x$with_lua" != xno; then
	AC_PATH_PROGS([LUA], [lua5.4 lua], [])
	if test -n "$LUA"; then
		AC_MSG_CHECKING([whether $LUA is Lua 5.4])
		pk_lua_version=`$LUA -e 'io.write((_VERSION:gsub("^Lua ", "")))' 2>/dev/null`
		if test "x$pk_lua_version" = x5.4; then
			AC_MSG_RESULT([yes])
		else
			AC_MSG_RESULT([no (${pk_lua_version:-unknown})])
			LUA=
		fi
	fi
	PKG_CHECK_MODULES([LUA], [lua5.4], [pk_lua_pc=yes], [pk_lua_pc=no])
	if test -n "$LUA" && test -n "$SWIG" && test "x$pk_lua_pc" = xyes; then
		AC_MSG_CHECKING([for the Lua 5.4 headers])
		pk_save_CPPFLAGS=$CPPFLAGS
		CPPFLAGS="$CPPFLAGS $LUA_CFLAGS"
		AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <lua.h>
#include <lauxlib.h>
#if LUA_VERSION_NUM != 504
#error not Lua 5.4
#endif]], [[return lua_newuserdatauv(0, 0, 1) != 0;]])],
			[have_lua=yes])
		CPPFLAGS=$pk_save_CPPFLAGS
		AC_MSG_RESULT([$have_lua])
	fi
	if test "x$with_lua" = xyes && test "x$have_lua" != xyes; then
		AC_MSG_ERROR([the Lua module needs SWIG, Lua 5.4 and its headers: install the Debian packages swig lua5.4 liblua5.4-dev])
	fi
fi
: ${LUA_CMODDIR='${libdir}/lua/5.4'}
: ${LUA_LMODDIR='${datadir}/lua/5.4'}
AM_CONDITIONAL([HAVE_LUA], [test "x$have_lua" = xyes])
AC_MSG_NOTICE([Lua module: $have_lua${LUA:+ ($LUA)}])
