# gen-errors.awk -- the Java classes of pmemkit's error table and pool-flag
# table.
#
#   awk -v dir=OUTDIR -f gen-errors.awk include/pmemkit_tables.h
#
# Reads the rows X(name, value, class, "message") of PK_ERROR_TABLE (the
# rows with negative values: the other tables have none) and
# writes, for every class, OUTDIR/<Class>Exception.java (a subclass of
# PmemkitException; a trailing "Error" in the class is dropped:
# PoolError -> PoolException), and OUTDIR/ErrorTable.java, whose
# forClass() maps pk_error_class()'s names to them at run time.
# Reads the rows X(name, value, "option", "meaning") of PK_POOL_FLAG_TABLE
# and writes OUTDIR/PoolFlag.java, an enum of them (PK_POOL_READONLY ->
# READONLY) whose bits are SWIG's constants (no copy of a value) and whose
# option() is the row's option name.

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

# the rows of PK_POOL_FLAG_TABLE: from its #define to the first line that
# does not continue it
/^#define PK_POOL_FLAG_TABLE\(X\)/ { inflags = 1; next }
inflags && /^[ \t]*X\(PK_POOL_[A-Z_]+,/ {
	row = $0
	sub(/^[ \t]*X\(/, "", row)
	fname = row; sub(/,.*/, "", fname)
	q = row; sub(/^[^"]*"/, "", q)
	opt = q; sub(/".*/, "", opt)
	mean = q; sub(/^[^"]*"[^"]*"/, "", mean); sub(/^[ \t]*,[ \t]*"/, "", mean); sub(/"[^"]*$/, "", mean)
	gsub(/&/, "\\&amp;", mean); gsub(/</, "\\&lt;", mean); gsub(/>/, "\\&gt;", mean)
	gsub(/\*\//, "*\\&#47;", mean)
	k = nflags + 0
	flags[k] = fname; options[k] = opt; meanings[k] = mean; nflags = k + 1
}
inflags && !/\\$/ { inflags = 0 }

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
	if (nflags == 0) {
		print "gen-errors.awk: no rows of PK_POOL_FLAG_TABLE found" > "/dev/stderr"
		exit 1
	}
	f = dir "/PoolFlag.java"
	print head > f
	print "import java.util.StringJoiner;\n" > f
	print "/**" > f
	print " * The options of pmemkit's pool-flag table ({@code PK_POOL_FLAG_TABLE}):" > f
	print " * flags for {@link Pool#open(String, PoolFlag...)} and" > f
	print " * {@link PoolOptions}. {@link #option()} is the name every language gives" > f
	print " * the option, as {@link PoolOptions#of(java.util.Map)} takes it." > f
	print " */" > f
	print "public enum PoolFlag {" > f
	for (i = 0; i < nflags; i++) {
		e = flags[i]; sub(/^PK_POOL_/, "", e)
		print "    /** {@code " options[i] "}: " meanings[i] ". */" > f
		print "    " e "(PmemkitNative." flags[i] ", \"" options[i] "\")" (i + 1 < nflags ? "," : ";") > f
	}
	print "\n    final int bit;\n    private final String option;\n" > f
	print "    PoolFlag(int bit, String option) {\n        this.bit = bit;\n        this.option = option;\n    }\n" > f
	print "    /** The option's name: {@code \"" options[0] "\"}, ... */" > f
	print "    public String option() {\n        return option;\n    }\n" > f
	print "    /**" > f
	print "     * The flag of an option name." > f
	print "     *" > f
	print "     * @throws IllegalArgumentException for a name that is no option's" > f
	print "     */" > f
	print "    public static PoolFlag forOption(String name) {" > f
	print "        StringJoiner known = new StringJoiner(\", \");" > f
	print "        for (PoolFlag f : values()) {" > f
	print "            if (f.option.equals(name))" > f
	print "                return f;" > f
	print "            known.add(f.option);" > f
	print "        }" > f
	print "        throw new IllegalArgumentException(\"pmemkit: unknown pool option \\\"\" + name" > f
	print "                + \"\\\" (the flags are \" + known + \")\");" > f
	print "    }\n}" > f
	close(f)
}
