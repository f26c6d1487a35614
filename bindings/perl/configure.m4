dnl bindings/perl/configure.m4 -- configure's detection of the perl module
dnl (m4_include'd by configure.ac). Not built yet.
AM_CONDITIONAL([HAVE_PERL], [false])
