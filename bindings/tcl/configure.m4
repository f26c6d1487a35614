dnl bindings/tcl/configure.m4 -- configure's detection of the Tcl package
dnl pmemkit (m4_include'd by configure.ac): SWIG, tclsh and Tcl's
dnl tclConfig.sh and headers (Debian packages swig tcl tcl-dev).
dnl --with-tcl takes auto (default: build when everything is there), yes
dnl (fail when something is missing) or no. TCLSH= chooses the shell.
AC_ARG_WITH([tcl], [AS_HELP_STRING([--with-tcl@<:@=auto|yes|no@:>@],
	[build the Tcl package for $TCLSH (default: auto)])],
	[], [with_tcl=auto])
have_tcl=no
if test "x$with_tcl" != xno; then
	AC_PATH_PROGS([TCLSH], [tclsh tclsh8.6], [])
	if test -n "$TCLSH" && test -n "$SWIG"; then
		dnl the tclConfig.sh of the shell's own version
		pk_tcl_ver=`echo 'puts [[info tclversion]]' | $TCLSH`
		AC_MSG_CHECKING([for tclConfig.sh of Tcl $pk_tcl_ver])
		pk_tcl_config=
		for d in `echo 'puts [[join $tcl_pkgPath]]' | $TCLSH` /usr/lib/tcl$pk_tcl_ver /usr/lib/*/tcl$pk_tcl_ver; do
			if test -f "$d/tclConfig.sh"; then pk_tcl_config=$d/tclConfig.sh; break; fi
			if test -f "$d/tcl$pk_tcl_ver/tclConfig.sh"; then pk_tcl_config=$d/tcl$pk_tcl_ver/tclConfig.sh; break; fi
		done
		AC_MSG_RESULT([${pk_tcl_config:-no}])
		if test -n "$pk_tcl_config"; then
			dnl read in a subshell: it sets many variables
			TCL_CPPFLAGS=`. "$pk_tcl_config"; eval echo "$TCL_INCLUDE_SPEC"`
			TCL_LIBS=`. "$pk_tcl_config"; eval echo "$TCL_LIB_SPEC"`
			AC_MSG_CHECKING([for tcl.h])
			pk_save_CPPFLAGS=$CPPFLAGS
			CPPFLAGS="$CPPFLAGS $TCL_CPPFLAGS"
			AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <tcl.h>]],
				[[return Tcl_GetObjType("int") != 0;]])], [have_tcl=yes])
			CPPFLAGS=$pk_save_CPPFLAGS
			AC_MSG_RESULT([$have_tcl])
		fi
		dnl where the shell's auto_path looks under /usr/local/lib (a
		dnl directory there holding pkgIndex.tcl is found), made ${libdir};
		dnl else ${libdir}/tcl<version>
		TCL_PKGDIR=`echo 'foreach d $auto_path { if {[[string match /usr/local/lib/* $d]]} { puts [[string map {/usr/local/lib ${libdir}} $d]]; break } }' | $TCLSH`
		test -n "$TCL_PKGDIR" || TCL_PKGDIR='${libdir}/tcl'$pk_tcl_ver
		TCL_PKGDIR="$TCL_PKGDIR/pmemkit$PACKAGE_VERSION"
		AC_MSG_CHECKING([where to install the Tcl package])
		AC_MSG_RESULT([$TCL_PKGDIR])
	fi
	if test "x$with_tcl" = xyes && test "x$have_tcl" != xyes; then
		AC_MSG_ERROR([the Tcl package needs SWIG, tclsh and Tcl's headers: install the Debian packages swig tcl tcl-dev])
	fi
fi
AC_SUBST([TCL_CPPFLAGS])
AC_SUBST([TCL_LIBS])
AC_SUBST([TCL_PKGDIR])
AM_CONDITIONAL([HAVE_TCL], [test "x$have_tcl" = xyes])
AC_MSG_NOTICE([Tcl package: $have_tcl${TCLSH:+ ($TCLSH)}])
