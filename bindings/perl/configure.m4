dnl bindings/perl/configure.m4 -- configure's detection of the Perl module
dnl Pmemkit (m4_include'd by configure.ac): SWIG, perl, its headers and
dnl prove (Debian packages swig perl libperl-dev). --with-perl takes auto
dnl (default: build when everything is there), yes (fail when something is
dnl missing) or no. PERL= chooses the interpreter.
AC_ARG_WITH([perl], [AS_HELP_STRING([--with-perl@<:@=auto|yes|no@:>@],
	[build the Perl module for $PERL (default: auto)])],
	[], [with_perl=auto])
have_perl=no
if test "x$with_perl" != xno; then
	AC_PATH_PROGS([PERL], [perl], [])
	AC_PATH_PROGS([PROVE], [prove], [])
	if test -n "$PERL" && test -n "$PROVE" && test -n "$SWIG"; then
		PERL_CORE=`$PERL -MConfig -e 'print "$Config{archlibexp}/CORE"'`
		dnl the flags perl was built with: they fix the layout of its
		dnl structures (_FILE_OFFSET_BITS, threads)
		PERL_CCFLAGS=`$PERL -MConfig -e 'print $Config{ccflags}'`
		AC_MSG_CHECKING([for the headers of $PERL])
		pk_save_CPPFLAGS=$CPPFLAGS
		CPPFLAGS="$CPPFLAGS $PERL_CCFLAGS -I$PERL_CORE"
		AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <EXTERN.h>
#include <perl.h>
#include <XSUB.h>]], [[return (int)sizeof(SV);]])], [have_perl=yes])
		CPPFLAGS=$pk_save_CPPFLAGS
		AC_MSG_RESULT([$have_perl])
		dnl Config's installsitearch with its prefix made ${exec_prefix}
		PERL_ARCHDIR=`$PERL -MConfig -e '
			my ($p, $d) = @Config{qw(siteprefixexp installsitearch)};
			my $e = chr(36) . q{{exec_prefix}};
			$d =~ s{^\Q$p\E(?=/)}{$e} or $d = "$e/lib/perl5";
			print $d'`
		AC_MSG_CHECKING([where to install the Perl module])
		AC_MSG_RESULT([$PERL_ARCHDIR])
	fi
	if test "x$with_perl" = xyes && test "x$have_perl" != xyes; then
		AC_MSG_ERROR([the Perl module needs SWIG, perl, its headers and prove: install the Debian packages swig perl libperl-dev])
	fi
fi
AC_SUBST([PERL_CORE])
AC_SUBST([PERL_CCFLAGS])
AC_SUBST([PERL_ARCHDIR])
AM_CONDITIONAL([HAVE_PERL], [test "x$have_perl" = xyes])
AC_MSG_NOTICE([Perl module: $have_perl${PERL:+ ($PERL)}])
