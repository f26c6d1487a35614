dnl bindings/java/configure.m4 -- configure's detection of the java module
dnl (m4_include'd by configure.ac). Not built yet.
AM_CONDITIONAL([HAVE_JAVA], [false])
