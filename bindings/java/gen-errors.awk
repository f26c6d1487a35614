# gen-errors.awk -- the Java exception classes of pmemkit's error table.
#
#   awk -v dir=OUTDIR -f gen-errors.awk include/pmemkit_tables.h
#
# Reads the rows X(name, value, class, "message") of PK_ERROR_TABLE (the
# rows with negative values: the other tables have none) and
# writes, for every class, OUTDIR/<Class>Exception.java (a subclass of
# PmemkitException; a trailing "Error" in the class is dropped:
# PoolError -> PoolException), and OUTDIR/ErrorTable.java, whose
# forClass() maps pk_error_class()'s names to them at run time.

/^[ \t]*X\(PK_[A-Z_]+,[ \t]*-[0-9]/ {
	row = $0
	sub(/^[ \t]*X\(/, "", row)
	name = row; sub(/,.*/, "", name)
	rest = row; sub(/^[^,]*,[ \t]*/, "", rest)
	cls = rest; sub(/^[^,]*,[ \t]*/, "", cls); sub(/[ \t]*,.*/, "", cls)
	msg = row; sub(/^[^"]*"/, "", msg); sub(/".*/, "", msg)
	if (!(cls in codes)) {
		order[n++] = cls
		codes[cls] = ""
	}
	codes[cls] = codes[cls] (codes[cls] == "" ? "" : ", ") name " (" msg ")"
}

function jname(c) {
	sub(/Error$/, "", c)
	return c "Exception"
}

END {
	if (n == 0) {
		print "gen-errors.awk: no rows of PK_ERROR_TABLE found" > "/dev/stderr"
		exit 1
	}
	head = "// Generated from include/pmemkit_tables.h by bindings/java/gen-errors.awk.\npackage io.pmemkit;\n"
	for (i = 0; i < n; i++) {
		c = order[i]; j = jname(c); f = dir "/" j ".java"
		print head > f
		print "/**" > f
		print " * pmemkit's error class " c ": " codes[c] "." > f
		print " */" > f
		print "public class " j " extends PmemkitException {" > f
		print "    private static final long serialVersionUID = 1L;\n" > f
		print "    " j "(int code, String name, String message) {" > f
		print "        super(code, name, message);" > f
		print "    }" > f
		print "}" > f
		close(f)
	}
	f = dir "/ErrorTable.java"
	print head > f
	print "/** The exception class of each class of the error table. */" > f
	print "final class ErrorTable {" > f
	print "    private ErrorTable() {\n    }\n" > f
	print "    /** The exception for a code of class {@code cls}, or null for a class not in the table. */" > f
	print "    static PmemkitException forClass(String cls, int code, String name, String message) {" > f
	print "        switch (cls) {" > f
	for (i = 0; i < n; i++)
		print "        case \"" order[i] "\": return new " jname(order[i]) "(code, name, message);" > f
	print "        default: return null;\n        }\n    }\n}" > f
	close(f)
}
