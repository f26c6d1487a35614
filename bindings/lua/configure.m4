dnl bindings/lua/configure.m4 -- configure's detection of the lua module
dnl (m4_include'd by configure.ac). Not built yet.
AM_CONDITIONAL([HAVE_LUA], [false])
