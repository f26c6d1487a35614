dnl bindings/tcl/configure.m4 -- configure's detection of the tcl module
dnl (m4_include'd by configure.ac). Not built yet.
AM_CONDITIONAL([HAVE_TCL], [false])
