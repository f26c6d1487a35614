dnl bindings/ruby/configure.m4 -- configure's detection of the ruby module
dnl (m4_include'd by configure.ac). Not built yet.
AM_CONDITIONAL([HAVE_RUBY], [false])
