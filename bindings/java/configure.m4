dnl bindings/java/configure.m4 -- configure's detection of the Java module
dnl (m4_include'd by configure.ac): SWIG (found by configure.ac), a JDK
dnl (javac, jar, java and the JNI headers: Debian package
dnl openjdk-17-jdk-headless) and JUnit 4 for the tests (junit4, which
dnl brings libhamcrest-java). --with-java takes auto (default: build when
dnl everything is there), yes (fail when something is missing) or no;
dnl JAVA_HOME= chooses the JDK, JUNIT_JAR= and HAMCREST_JAR= the test jars.
dnl The jar installs into JAVA_JARDIR (${datadir}/java) and the JNI library
dnl into JAVA_JNIDIR (${libdir}/jni), Debian's places.
AC_ARG_WITH([java], [AS_HELP_STRING([--with-java@<:@=auto|yes|no@:>@],
	[build the Java module (default: auto)])],
	[], [with_java=auto])
AC_ARG_VAR([JAVA_HOME], [the JDK to build the Java module with])
AC_ARG_VAR([JUNIT_JAR], [JUnit 4's jar, for the Java module's tests])
AC_ARG_VAR([HAMCREST_JAR], [Hamcrest's core jar, which JUnit 4 needs])
have_java=no
pk_java_missing=
if test "x$with_java" != xno; then
	if test -z "$JAVA_HOME"; then
		dnl the JDK that javac on the PATH belongs to
		AC_PATH_PROG([pk_javac_path], [javac], [])
		if test -n "$pk_javac_path"; then
			pk_javac_real=`readlink -f "$pk_javac_path" 2>/dev/null || echo "$pk_javac_path"`
			JAVA_HOME=`dirname "$pk_javac_real"`
			JAVA_HOME=`dirname "$JAVA_HOME"`
		fi
	fi
	AC_PATH_PROG([JAVAC], [javac], [], [${JAVA_HOME:+$JAVA_HOME/bin:}$PATH])
	AC_PATH_PROG([JAR], [jar], [], [${JAVA_HOME:+$JAVA_HOME/bin:}$PATH])
	AC_PATH_PROG([JAVA], [java], [], [${JAVA_HOME:+$JAVA_HOME/bin:}$PATH])
	test -n "$JAVAC" && test -n "$JAR" && test -n "$JAVA" ||
		pk_java_missing="$pk_java_missing javac/jar/java"
	AC_MSG_CHECKING([for jni.h])
	JNI_CPPFLAGS=
	if test -n "$JAVA_HOME" && test -f "$JAVA_HOME/include/jni.h"; then
		JNI_CPPFLAGS="-I$JAVA_HOME/include -I$JAVA_HOME/include/linux"
		pk_save_CPPFLAGS=$CPPFLAGS
		CPPFLAGS="$CPPFLAGS $JNI_CPPFLAGS"
		AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <jni.h>]],
			[[JNIEnv *env = 0; return env != 0;]])], [],
			[JNI_CPPFLAGS=])
		CPPFLAGS=$pk_save_CPPFLAGS
	fi
	AC_MSG_RESULT([${JNI_CPPFLAGS:-no}])
	test -n "$JNI_CPPFLAGS" || pk_java_missing="$pk_java_missing jni.h"
	test -n "$SWIG" || pk_java_missing="$pk_java_missing swig"
	AC_MSG_CHECKING([for JUnit 4])
	: "${JUNIT_JAR:=/usr/share/java/junit4.jar}"
	: "${HAMCREST_JAR:=/usr/share/java/hamcrest-core.jar}"
	if test -f "$JUNIT_JAR" && test -f "$HAMCREST_JAR"; then
		AC_MSG_RESULT([$JUNIT_JAR $HAMCREST_JAR])
	else
		AC_MSG_RESULT([no])
		pk_java_missing="$pk_java_missing junit4"
	fi
	if test -z "$pk_java_missing"; then
		have_java=yes
	elif test "x$with_java" = xyes; then
		AC_MSG_ERROR([the Java module needs$pk_java_missing: install the Debian packages swig openjdk-17-jdk-headless junit4 (or set JAVA_HOME, JUNIT_JAR, HAMCREST_JAR)])
	fi
fi
AC_SUBST([JNI_CPPFLAGS])
AC_SUBST([JAVA_JARDIR], ['${datadir}/java'])
AC_SUBST([JAVA_JNIDIR], ['${libdir}/jni'])
AM_CONDITIONAL([HAVE_JAVA], [test "x$have_java" = xyes])
AC_MSG_NOTICE([Java module: $have_java${JAVAC:+ ($JAVAC)}])
