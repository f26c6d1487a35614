/*
 * pmemkit.i -- the Java module's SWIG interface: the raw layer under the
 * io.pmemkit classes (Pool, PersistentMap, PersistentList,
 * PersistentArray).
 *
 * The shared policy is in swig/pmemkit.i, in its SWIGJAVA blocks (SWIG's
 * Java module has no unified typemap library):
 * - an int return code becomes void, and a failure throws the checked
 *   io.pmemkit.PmemkitException subclass of the code's class
 *   (pk_error_class(), i.e. the error table; see PmemkitException.fromNative);
 * - out-parameters become one-element holder arrays (long[], Object[],
 *   SWIGTYPE_p_pk_map[], ...) the Java layer reads after the call.
 * This file has Java's own part:
 * - a pk_value is a java.lang.Object: null, Boolean, Long (also from
 *   Integer, Short, Byte), Double (also from Float), String (UTF-8),
 *   byte[], BigInteger (PK_BIGINT; PK_INT when it fits in 64 bits),
 *   io.pmemkit.Tuple (PK_TUPLE: pk_tuple_pack/pk_tuple_next),
 *   io.pmemkit.FrozenSet (PK_FROZENSET: pk_frozenset_pack; any other
 *   java.util.Set that reaches this layer, a key or a set element, is
 *   made one by FrozenSet.key) and
 *   io.pmemkit.Ref for a reference to a container or record;
 * - a region's mapping as a direct java.nio.ByteBuffer
 *   (pk_java_region_buffer, at the end; io.pmemkit.Region keeps the
 *   mapping while a buffer of it is reachable).
 * Everything SWIG generates is package-private: the hand-written classes
 * are the API.
 */
%module PmemkitNative

%include "swig/pmemkit_head.i"

%{
#define PK_JAVA_PKG "io/pmemkit/"

/* Classes and methods the conversions use, looked up once in JNI_OnLoad
 * (with the class loader that loads the library, which sees Ref). */
static struct {
	jclass Boolean, Long, Integer, Short, Byte, Double, Float, Number,
		String, BigInteger, bytes, Ref, Exception, Tuple, FrozenSet,
		Set, Object;
	jmethodID Boolean_valueOf, Long_valueOf, Double_valueOf,
		Boolean_booleanValue, Number_longValue, Number_doubleValue,
		String_new, String_getBytes, BigInteger_new,
		BigInteger_bitLength, BigInteger_toByteArray, Ref_new,
		Exception_fromNative, Tuple_fromNative, FrozenSet_fromNative,
		FrozenSet_key;
	jfieldID Ref_type, Ref_off, Ref_gen, Tuple_items, FrozenSet_items;
	jobject utf8; /* java.nio.charset.StandardCharsets.UTF_8 */
} pk_j;

static jclass
pk_jclass(JNIEnv *env, const char *name)
{
	jclass local = (*env)->FindClass(env, name), global;

	if (local == NULL)
		return NULL;
	global = (jclass)(*env)->NewGlobalRef(env, local);
	(*env)->DeleteLocalRef(env, local);
	return global;
}

static int
pk_jinit(JNIEnv *env)
{
	jclass charsets;
	jfieldID f;
	jobject utf8;

#define PK_CLASS(var, name) \
	if ((pk_j.var = pk_jclass(env, name)) == NULL) return -1
#define PK_METHOD(var, cls, name, sig) \
	if ((pk_j.var = (*env)->GetMethodID(env, pk_j.cls, name, sig)) == NULL) return -1
#define PK_STATIC(var, cls, name, sig) \
	if ((pk_j.var = (*env)->GetStaticMethodID(env, pk_j.cls, name, sig)) == NULL) return -1
	PK_CLASS(Boolean, "java/lang/Boolean");
	PK_CLASS(Long, "java/lang/Long");
	PK_CLASS(Integer, "java/lang/Integer");
	PK_CLASS(Short, "java/lang/Short");
	PK_CLASS(Byte, "java/lang/Byte");
	PK_CLASS(Double, "java/lang/Double");
	PK_CLASS(Float, "java/lang/Float");
	PK_CLASS(Number, "java/lang/Number");
	PK_CLASS(String, "java/lang/String");
	PK_CLASS(BigInteger, "java/math/BigInteger");
	PK_CLASS(bytes, "[B");
	PK_CLASS(Ref, PK_JAVA_PKG "Ref");
	PK_CLASS(Exception, PK_JAVA_PKG "PmemkitException");
	PK_CLASS(Tuple, PK_JAVA_PKG "Tuple");
	PK_CLASS(FrozenSet, PK_JAVA_PKG "FrozenSet");
	PK_CLASS(Set, "java/util/Set");
	PK_CLASS(Object, "java/lang/Object");
	PK_STATIC(Boolean_valueOf, Boolean, "valueOf", "(Z)Ljava/lang/Boolean;");
	PK_STATIC(Long_valueOf, Long, "valueOf", "(J)Ljava/lang/Long;");
	PK_STATIC(Double_valueOf, Double, "valueOf", "(D)Ljava/lang/Double;");
	PK_METHOD(Boolean_booleanValue, Boolean, "booleanValue", "()Z");
	PK_METHOD(Number_longValue, Number, "longValue", "()J");
	PK_METHOD(Number_doubleValue, Number, "doubleValue", "()D");
	PK_METHOD(String_new, String, "<init>", "([BLjava/nio/charset/Charset;)V");
	PK_METHOD(String_getBytes, String, "getBytes", "(Ljava/nio/charset/Charset;)[B");
	PK_METHOD(BigInteger_new, BigInteger, "<init>", "([B)V");
	PK_METHOD(BigInteger_bitLength, BigInteger, "bitLength", "()I");
	PK_METHOD(BigInteger_toByteArray, BigInteger, "toByteArray", "()[B");
	PK_METHOD(Ref_new, Ref, "<init>", "(IJJ)V");
	PK_STATIC(Exception_fromNative, Exception, "fromNative",
		"(ILjava/lang/String;Ljava/lang/String;Ljava/lang/String;)L" PK_JAVA_PKG "PmemkitException;");
	PK_STATIC(Tuple_fromNative, Tuple, "fromNative",
		"([Ljava/lang/Object;)L" PK_JAVA_PKG "Tuple;");
	PK_STATIC(FrozenSet_fromNative, FrozenSet, "fromNative",
		"([Ljava/lang/Object;)L" PK_JAVA_PKG "FrozenSet;");
	PK_STATIC(FrozenSet_key, FrozenSet, "key",
		"(Ljava/util/Set;)L" PK_JAVA_PKG "FrozenSet;");
#undef PK_CLASS
#undef PK_METHOD
#undef PK_STATIC
	if ((pk_j.Ref_type = (*env)->GetFieldID(env, pk_j.Ref, "type", "I")) == NULL ||
	    (pk_j.Ref_off = (*env)->GetFieldID(env, pk_j.Ref, "off", "J")) == NULL ||
	    (pk_j.Ref_gen = (*env)->GetFieldID(env, pk_j.Ref, "gen", "J")) == NULL ||
	    (pk_j.Tuple_items = (*env)->GetFieldID(env, pk_j.Tuple, "items", "[Ljava/lang/Object;")) == NULL ||
	    (pk_j.FrozenSet_items = (*env)->GetFieldID(env, pk_j.FrozenSet, "items", "[Ljava/lang/Object;")) == NULL)
		return -1;
	if ((charsets = (*env)->FindClass(env, "java/nio/charset/StandardCharsets")) == NULL ||
	    (f = (*env)->GetStaticFieldID(env, charsets, "UTF_8", "Ljava/nio/charset/Charset;")) == NULL ||
	    (utf8 = (*env)->GetStaticObjectField(env, charsets, f)) == NULL)
		return -1;
	pk_j.utf8 = (*env)->NewGlobalRef(env, utf8);
	return 0;
}

JNIEXPORT jint JNICALL
JNI_OnLoad(JavaVM *vm, void *reserved)
{
	JNIEnv *env;

	(void)reserved;
	if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK ||
	    pk_jinit(env) != 0)
		return JNI_ERR;
	return JNI_VERSION_1_8;
}

/*
 * Every JNI call that may throw is followed by a check before the next
 * call (what -Xcheck:jni, used by the tests, insists on).
 */
#define PK_JTHROWN(env) ((*(env))->ExceptionCheck(env))

/* ---- errors ---------------------------------------------------------- */

/*
 * Throw the exception for a return code, with pk_swig_message()'s text.
 * The Java side (PmemkitException.fromNative) picks the subclass from the
 * code's class, pk_error_class(), with a switch generated from the error
 * table.
 */
static void
pk_java_raise(JNIEnv *env, int code)
{
	size_t n;
	const char *name = pk_swig_code_name(code, &n);
	char buf[64];
	jstring jcls, jname, jmsg;
	jobject exc;

	/* "PK_NOTFOUND", "ENOENT" */
	snprintf(buf, sizeof(buf), "%.*s", (int)n, name);
	if ((jcls = (*env)->NewStringUTF(env, pk_error_class(code))) == NULL ||
	    (jname = (*env)->NewStringUTF(env, buf)) == NULL ||
	    (jmsg = (*env)->NewStringUTF(env, pk_swig_message(code))) == NULL)
		return; /* OutOfMemoryError pending */
	exc = (*env)->CallStaticObjectMethod(env, pk_j.Exception,
			pk_j.Exception_fromNative, (jint)code, jcls, jname, jmsg);
	if (!PK_JTHROWN(env) && exc != NULL)
		(*env)->Throw(env, (jthrowable)exc);
}
/* swig/pmemkit.i's name for it: in a wrapper, jenv is in scope; the
 * exception stays pending until the wrapper returns */
#define pk_swig_raise(code) pk_java_raise(jenv, (code))

static void
pk_java_throw(JNIEnv *env, const char *cls, const char *msg)
{
	jclass c = (*env)->FindClass(env, cls);

	if (c != NULL)
		(*env)->ThrowNew(env, c, msg);
}

/* ---- values ---------------------------------------------------------- */

static jbyteArray
pk_jbytes(JNIEnv *env, const void *ptr, size_t len)
{
	jbyteArray a;

	if (len > 0x7fffffff) {
		pk_java_throw(env, "java/lang/OutOfMemoryError",
				"pmemkit: value larger than a Java array");
		return NULL;
	}
	if ((a = (*env)->NewByteArray(env, (jsize)len)) == NULL)
		return NULL;
	if (len > 0) {
		(*env)->SetByteArrayRegion(env, a, 0, (jsize)len, (const jbyte *)ptr);
		if (PK_JTHROWN(env))
			return NULL;
	}
	return a;
}

static jobject pk_java_from_value(JNIEnv *env, const pk_value *v);

/* a PK_TUPLE -> an io.pmemkit.Tuple of its items, a PK_FROZENSET -> an
 * io.pmemkit.FrozenSet of its members, converted (in a local frame of its
 * own: nested tuples make no more live references) */
static jobject
pk_java_from_tuple(JNIEnv *env, const pk_value *v)
{
	jclass cls = v->type == PK_FROZENSET ? pk_j.FrozenSet : pk_j.Tuple;
	jmethodID make = v->type == PK_FROZENSET ? pk_j.FrozenSet_fromNative
			: pk_j.Tuple_fromNative;
	uint64_t n = 0;
	size_t pos = 0;
	jsize i = 0;
	pk_value item;
	jobjectArray items;
	jobject o;
	int rc;

	if ((rc = pk_tuple_length(&n, v)) != 0) {
		pk_java_raise(env, rc);
		return NULL;
	}
	if (n > 0x7fffffff) {
		pk_java_raise(env, PK_EVALUE);
		return NULL;
	}
	if ((*env)->PushLocalFrame(env, 4) != 0)
		return NULL;
	if ((items = (*env)->NewObjectArray(env, (jsize)n, pk_j.Object, NULL)) == NULL)
		return (*env)->PopLocalFrame(env, NULL);
	while ((rc = pk_tuple_next(&item, v, &pos)) == 0 && (uint64_t)i < n) {
		o = pk_java_from_value(env, &item);
		if (PK_JTHROWN(env))
			return (*env)->PopLocalFrame(env, NULL);
		(*env)->SetObjectArrayElement(env, items, i++, o);
		if (PK_JTHROWN(env))
			return (*env)->PopLocalFrame(env, NULL);
		if (o != NULL)
			(*env)->DeleteLocalRef(env, o);
	}
	if (rc != PK_ITEROVER && rc != 0) {
		pk_java_raise(env, rc);
		return (*env)->PopLocalFrame(env, NULL);
	}
	o = (*env)->CallStaticObjectMethod(env, cls, make, items);
	if (PK_JTHROWN(env))
		o = NULL;
	return (*env)->PopLocalFrame(env, o);
}

/* pk_value -> a new local reference (NULL for PK_NIL or with an exception
 * pending: the caller checks) */
static jobject
pk_java_from_value(JNIEnv *env, const pk_value *v)
{
	switch (v->type) {
	case PK_NIL:
		return NULL;
	case PK_BOOL:
		return (*env)->CallStaticObjectMethod(env, pk_j.Boolean,
				pk_j.Boolean_valueOf, (jboolean)(v->u.i != 0));
	case PK_INT:
		return (*env)->CallStaticObjectMethod(env, pk_j.Long,
				pk_j.Long_valueOf, (jlong)v->u.i);
	case PK_DOUBLE:
		return (*env)->CallStaticObjectMethod(env, pk_j.Double,
				pk_j.Double_valueOf, (jdouble)v->u.d);
	case PK_BYTES:
		return pk_jbytes(env, v->u.buf.ptr, v->u.buf.len);
	case PK_STRING: {
		jbyteArray b = pk_jbytes(env, v->u.buf.ptr, v->u.buf.len);
		jobject s;
		if (b == NULL)
			return NULL;
		s = (*env)->NewObject(env, pk_j.String, pk_j.String_new, b, pk_j.utf8);
		(*env)->DeleteLocalRef(env, b);
		return s;
	}
	case PK_BIGINT: {
		/* little-endian in the pool, big-endian for BigInteger */
		size_t i, n = v->u.buf.len;
		const unsigned char *p = (const unsigned char *)v->u.buf.ptr;
		unsigned char *be = (unsigned char *)malloc(n ? n : 1);
		jbyteArray b;
		jobject r;
		if (be == NULL) {
			pk_java_throw(env, "java/lang/OutOfMemoryError", "pmemkit: out of memory");
			return NULL;
		}
		for (i = 0; i < n; i++)
			be[i] = p[n - 1 - i];
		b = pk_jbytes(env, be, n);
		free(be);
		if (b == NULL)
			return NULL;
		r = (*env)->NewObject(env, pk_j.BigInteger, pk_j.BigInteger_new, b);
		(*env)->DeleteLocalRef(env, b);
		return r;
	}
	case PK_TUPLE:
	case PK_FROZENSET:
		return pk_java_from_tuple(env, v);
	case PK_MAP:
	case PK_LIST:
	case PK_ARRAY:
	case PK_LOG:
	case PK_BLOCKS:
	case PK_SET:
	case PK_RECORD:
	case PK_SORTED:
		return (*env)->NewObject(env, pk_j.Ref, pk_j.Ref_new, (jint)v->type,
				(jlong)v->u.ref.off, (jlong)v->u.ref.gen);
	}
	pk_java_throw(env, "java/lang/IllegalStateException",
			"pmemkit: unknown value type");
	return NULL;
}

/* the bytes of a byte[] in memory of their own: *keep, to free() */
static int
pk_java_copy_bytes(JNIEnv *env, jbyteArray a, pk_value *v, void **keep)
{
	jsize n = (*env)->GetArrayLength(env, a);
	void *p = malloc(n > 0 ? (size_t)n : 1);

	if (p == NULL) {
		pk_java_throw(env, "java/lang/OutOfMemoryError", "pmemkit: out of memory");
		return -1;
	}
	(*env)->GetByteArrayRegion(env, a, 0, n, (jbyte *)p);
	*keep = p;
	v->u.buf.ptr = p;
	v->u.buf.len = (size_t)n;
	return PK_JTHROWN(env) ? -1 : 0;
}

/* the bytes an object's method returns (String.getBytes, BigInteger.toByteArray) */
static int
pk_java_method_bytes(JNIEnv *env, jobject o, jmethodID m, jobject arg,
		pk_value *v, void **keep)
{
	jbyteArray b = (jbyteArray)(*env)->CallObjectMethod(env, o, m, arg);
	int rc;

	if (PK_JTHROWN(env) || b == NULL)
		return -1;
	rc = pk_java_copy_bytes(env, b, v, keep);
	(*env)->DeleteLocalRef(env, b);
	return rc;
}

static void
pk_java_refuse(JNIEnv *env, jobject o)
{
	jclass c = (*env)->GetObjectClass(env, o);
	jclass cc = (*env)->GetObjectClass(env, c);
	jmethodID getName = (*env)->GetMethodID(env, cc, "getName",
			"()Ljava/lang/String;");
	jstring name = NULL;
	const char *s = NULL;
	char msg[256];

	if (getName != NULL) {
		name = (jstring)(*env)->CallObjectMethod(env, c, getName);
		if (PK_JTHROWN(env))
			return;
	}
	if (name != NULL && (s = (*env)->GetStringUTFChars(env, name, NULL)) == NULL)
		return;
	snprintf(msg, sizeof(msg), "pmemkit cannot store a %s",
			s != NULL ? s : "value of this class");
	if (s != NULL)
		(*env)->ReleaseStringUTFChars(env, name, s);
	pk_java_throw(env, "java/lang/ClassCastException", msg);
}

static int pk_java_to_value(JNIEnv *env, jobject o, pk_value *v, void **keep);

/*
 * An io.pmemkit.Tuple -> a PK_TUPLE, an io.pmemkit.FrozenSet -> a
 * PK_FROZENSET (type), whose encoding is *keep. Tuple.of and
 * FrozenSet.of have checked the items (scalars, tuples and frozen sets,
 * nested at most PK_TUPLE_DEPTH deep), so the recursion is bounded.
 */
static int
pk_java_to_tuple(JNIEnv *env, jobject o, pk_type type, pk_value *v, void **keep)
{
	int (*pack)(void *, size_t, size_t *, const pk_value *, size_t) =
		type == PK_FROZENSET ? pk_frozenset_pack : pk_tuple_pack;
	jobjectArray a;
	jsize i, n, done = 0;
	pk_value *items = NULL;
	void **keeps = NULL;
	size_t len = 0;
	void *buf = NULL;
	int rc = -1, prc;

	/* a frame of its own: nested tuples hold no more live references */
	if ((*env)->PushLocalFrame(env, 4) != 0)
		return -1;
	a = (jobjectArray)(*env)->GetObjectField(env, o,
			type == PK_FROZENSET ? pk_j.FrozenSet_items : pk_j.Tuple_items);
	if (PK_JTHROWN(env) || a == NULL) {
		(*env)->PopLocalFrame(env, NULL);
		return -1;
	}
	n = (*env)->GetArrayLength(env, a);
	items = (pk_value *)calloc((size_t)(n ? n : 1), sizeof(pk_value));
	keeps = (void **)calloc((size_t)(n ? n : 1), sizeof(void *));
	if (items == NULL || keeps == NULL) {
		pk_java_throw(env, "java/lang/OutOfMemoryError", "pmemkit: out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		jobject x = (*env)->GetObjectArrayElement(env, a, i);
		int xrc;
		if (PK_JTHROWN(env))
			goto out;
		xrc = pk_java_to_value(env, x, &items[i], &keeps[i]);
		if (x != NULL)
			(*env)->DeleteLocalRef(env, x);
		done = i + 1;
		if (xrc != 0)
			goto out;
	}
	if ((prc = pack(NULL, 0, &len, items, (size_t)n)) != 0) {
		pk_java_raise(env, prc);
		goto out;
	}
	if ((buf = malloc(len ? len : 1)) == NULL) {
		pk_java_throw(env, "java/lang/OutOfMemoryError", "pmemkit: out of memory");
		goto out;
	}
	if ((prc = pack(buf, len, &len, items, (size_t)n)) != 0) {
		free(buf);
		pk_java_raise(env, prc);
		goto out;
	}
	v->type = type;
	v->u.buf.ptr = buf;
	v->u.buf.len = len;
	*keep = buf;
	rc = 0;
out:
	while (done > 0)
		free(keeps[--done]);
	free(keeps);
	free(items);
	(*env)->PopLocalFrame(env, NULL);
	return rc;
}

/*
 * Object -> pk_value. Bytes of strings, byte[], big integers and tuples
 * are copied to *keep (free() it after the call). Anything else throws
 * ClassCastException: java.util.Map's contract for a value whose class
 * cannot be stored (the Java layer makes containers of collections first).
 */
static int
pk_java_to_value(JNIEnv *env, jobject o, pk_value *v, void **keep)
{
	memset(v, 0, sizeof(*v));
	*keep = NULL;
	if (o == NULL) {
		v->type = PK_NIL;
	} else if ((*env)->IsInstanceOf(env, o, pk_j.Boolean)) {
		v->type = PK_BOOL;
		v->u.i = (*env)->CallBooleanMethod(env, o, pk_j.Boolean_booleanValue) != 0;
	} else if ((*env)->IsInstanceOf(env, o, pk_j.Long) ||
			(*env)->IsInstanceOf(env, o, pk_j.Integer) ||
			(*env)->IsInstanceOf(env, o, pk_j.Short) ||
			(*env)->IsInstanceOf(env, o, pk_j.Byte)) {
		v->type = PK_INT;
		v->u.i = (*env)->CallLongMethod(env, o, pk_j.Number_longValue);
	} else if ((*env)->IsInstanceOf(env, o, pk_j.Double) ||
			(*env)->IsInstanceOf(env, o, pk_j.Float)) {
		v->type = PK_DOUBLE;
		v->u.d = (*env)->CallDoubleMethod(env, o, pk_j.Number_doubleValue);
	} else if ((*env)->IsInstanceOf(env, o, pk_j.String)) {
		v->type = PK_STRING;
		return pk_java_method_bytes(env, o, pk_j.String_getBytes, pk_j.utf8, v, keep);
	} else if ((*env)->IsInstanceOf(env, o, pk_j.bytes)) {
		v->type = PK_BYTES;
		return pk_java_copy_bytes(env, (jbyteArray)o, v, keep);
	} else if ((*env)->IsInstanceOf(env, o, pk_j.BigInteger)) {
		unsigned char *p, t;
		size_t i, n;
		jint bits = (*env)->CallIntMethod(env, o, pk_j.BigInteger_bitLength);
		if (PK_JTHROWN(env))
			return -1;
		if (bits < 64) {
			v->type = PK_INT;
			v->u.i = (*env)->CallLongMethod(env, o, pk_j.Number_longValue);
			return PK_JTHROWN(env) ? -1 : 0;
		}
		/* toByteArray(): minimal big-endian two's complement */
		if (pk_java_method_bytes(env, o, pk_j.BigInteger_toByteArray, NULL, v, keep) != 0)
			return -1;
		p = (unsigned char *)*keep;
		n = v->u.buf.len;
		for (i = 0; i < n / 2; i++) {
			t = p[i];
			p[i] = p[n - 1 - i];
			p[n - 1 - i] = t;
		}
		v->type = PK_BIGINT;
	} else if ((*env)->IsInstanceOf(env, o, pk_j.Ref)) {
		v->type = (pk_type)(*env)->GetIntField(env, o, pk_j.Ref_type);
		v->u.ref.off = (uint64_t)(*env)->GetLongField(env, o, pk_j.Ref_off);
		v->u.ref.gen = (uint64_t)(*env)->GetLongField(env, o, pk_j.Ref_gen);
	} else if ((*env)->IsInstanceOf(env, o, pk_j.Tuple)) {
		return pk_java_to_tuple(env, o, PK_TUPLE, v, keep);
	} else if ((*env)->IsInstanceOf(env, o, pk_j.FrozenSet)) {
		return pk_java_to_tuple(env, o, PK_FROZENSET, v, keep);
	} else if ((*env)->IsInstanceOf(env, o, pk_j.Set)) {
		/* a key or a set element (Pool.store made a value a container):
		 * its elements copied, checked by FrozenSet.key */
		jobject f = (*env)->CallStaticObjectMethod(env, pk_j.FrozenSet,
				pk_j.FrozenSet_key, o);
		int rc;
		if (PK_JTHROWN(env) || f == NULL)
			return -1;
		rc = pk_java_to_tuple(env, f, PK_FROZENSET, v, keep);
		(*env)->DeleteLocalRef(env, f);
		return rc;
	} else {
		pk_java_refuse(env, o);
		return -1;
	}
	return PK_JTHROWN(env) ? -1 : 0;
}
%}

/* 64-bit counts and offsets are Java longs (SWIG's default is BigInteger) */
%apply long long { uint64_t };

/* ---- values ------------------------------------------------------------ */

%typemap(jni) const pk_value * "jobject"
%typemap(jtype) const pk_value * "Object"
%typemap(jstype) const pk_value * "Object"
%typemap(javain) const pk_value * "$javainput"
%typemap(in) const pk_value * (pk_value temp, void *keep = NULL) {
	if (pk_java_to_value(jenv, $input, &temp, &keep) != 0)
		return $null;
	$1 = &temp;
}
%typemap(freearg) const pk_value * "free(keep$argnum);"

/* several values: an Object[] */
%typemap(jni) (const pk_value *vals, size_t n) "jobjectArray"
%typemap(jtype) (const pk_value *vals, size_t n) "Object[]"
%typemap(jstype) (const pk_value *vals, size_t n) "Object[]"
%typemap(javain) (const pk_value *vals, size_t n) "$javainput"
%typemap(in) (const pk_value *vals, size_t n) (void **keeps = NULL, size_t count = 0) {
	jsize i, n = (*jenv)->GetArrayLength(jenv, $input);
	$1 = (pk_value *)malloc(sizeof(pk_value) * (size_t)(n ? n : 1));
	keeps = (void **)calloc((size_t)(n ? n : 1), sizeof(void *));
	if ($1 == NULL || keeps == NULL) {
		free($1);
		free(keeps);
		SWIG_JavaThrowException(jenv, SWIG_JavaOutOfMemoryError, "pmemkit: out of memory");
		return $null;
	}
	for (i = 0; i < n; i++) {
		jobject o = (*jenv)->GetObjectArrayElement(jenv, $input, i);
		int rc = pk_java_to_value(jenv, o, &$1[i], &keeps[i]);
		(*jenv)->DeleteLocalRef(jenv, o);
		count = (size_t)i + 1;
		if (rc != 0)
			break;
	}
	$2 = (size_t)n;
	if ((*jenv)->ExceptionCheck(jenv)) {
		while (count > 0)
			free(keeps[--count]);
		free(keeps);
		free($1);
		return $null;
	}
}
%typemap(freearg) (const pk_value *vals, size_t n) {
	while (count$argnum > 0)
		free(keeps$argnum[--count$argnum]);
	free(keeps$argnum);
	free($1);
}

/* a value read: Object[1] (into the wrapper's pk_value: swig/pmemkit.i) */
%typemap(jni) pk_value *out "jobjectArray"
%typemap(jtype) pk_value *out "Object[]"
%typemap(jstype) pk_value *out "Object[]"
%typemap(javain) pk_value *out "$javainput"
%typemap(argout) pk_value *out {
	if (!(*jenv)->ExceptionCheck(jenv)) {
		jobject o = pk_java_from_value(jenv, $1);
		if (!(*jenv)->ExceptionCheck(jenv))
			(*jenv)->SetObjectArrayElement(jenv, $input, 0, o);
	}
}
/* a cursor's entry: Object[2], key and value */
%typemap(jni) (pk_value *key, pk_value *val) "jobjectArray"
%typemap(jtype) (pk_value *key, pk_value *val) "Object[]"
%typemap(jstype) (pk_value *key, pk_value *val) "Object[]"
%typemap(javain) (pk_value *key, pk_value *val) "$javainput"
%typemap(argout) (pk_value *key, pk_value *val) {
	if (result == 0) {
		jobject k = pk_java_from_value(jenv, $1), v = NULL;
		if (!(*jenv)->ExceptionCheck(jenv))
			v = pk_java_from_value(jenv, $2);
		if (!(*jenv)->ExceptionCheck(jenv)) {
			(*jenv)->SetObjectArrayElement(jenv, $input, 0, k);
			if (!(*jenv)->ExceptionCheck(jenv))
				(*jenv)->SetObjectArrayElement(jenv, $input, 1, v);
		}
	}
}
/* a returned value (a reference from pk_map_value() ...) */
%typemap(jni) pk_value "jobject"
%typemap(jtype) pk_value "Object"
%typemap(jstype) pk_value "Object"
%typemap(javaout) pk_value { return $jnicall; }
%typemap(out) pk_value "$result = pk_java_from_value(jenv, &$1);"

/* raw element bytes in and out of typed arrays: byte[] (the Java layer
 * checks the sizes and converts to long[], double[] ...); init may be null */
%typemap(jni) const void *src, const void *init, void *out "jbyteArray"
%typemap(jtype) const void *src, const void *init, void *out "byte[]"
%typemap(jstype) const void *src, const void *init, void *out "byte[]"
%typemap(javain) const void *src, const void *init, void *out "$javainput"
%typemap(in) const void *src, const void *init, void *out {
	$1 = NULL;
	if ($input != NULL &&
	    ($1 = (*jenv)->GetByteArrayElements(jenv, $input, NULL)) == NULL)
		return $null;
}
%typemap(freearg) const void *src, const void *init
	"if ($1 != NULL) (*jenv)->ReleaseByteArrayElements(jenv, $input, (jbyte *)$1, JNI_ABORT);"
%typemap(freearg) void *out
	"if ($1 != NULL) (*jenv)->ReleaseByteArrayElements(jenv, $input, (jbyte *)$1, 0);"

/* ---- the generated classes are the module's internals ------------------ */
%pragma(java) moduleclassmodifiers="final class"
%pragma(java) jniclassclassmodifiers="final class"
%typemap(javaclassmodifiers) SWIGTYPE, SWIGTYPE *, SWIGTYPE &, SWIGTYPE [] "final class"
%typemap(javabody) SWIGTYPE *, SWIGTYPE &, SWIGTYPE [] %{
  private transient long swigCPtr;

  $javaclassname(long cPtr, @SuppressWarnings("unused") boolean futureUse) {
    swigCPtr = cPtr;
  }

  $javaclassname() {
    swigCPtr = 0;
  }

  static long getCPtr($javaclassname obj) {
    return (obj == null) ? 0 : obj.swigCPtr;
  }
%}
%pragma(java) jniclasscode=%{
  static {
    NativeLibrary.load();
  }
%}

/* Enums as Java compile-time int constants. The #define constants are
 * not wrapped (they are ints, which the return-code policy makes void)
 * except PK_POOL_MIN_SIZE and PK_POOL_MAX_DEFAULT (read through JNI: casts);
 * the struct versions are set by the struct-out typemap. */
%include "enumsimple.swg"
%javaconst(1);
%rename("$ignore", %$isconstant) "";
%rename("%s") PK_POOL_MIN_SIZE;
%javaconst(0) PK_POOL_MIN_SIZE;
%rename("%s") PK_POOL_MAX_DEFAULT;
%javaconst(0) PK_POOL_MAX_DEFAULT;
%rename("%s") PK_SWIG_HAS_LO;
%javaconst(0) PK_SWIG_HAS_LO;
%rename("%s") PK_SWIG_HAS_HI;
%javaconst(0) PK_SWIG_HAS_HI;
%rename("%s") PK_SWIG_HAS_PREFIX;
%javaconst(0) PK_SWIG_HAS_PREFIX;

%include "swig/pmemkit.i"

/* ---- a region's bytes in place ----------------------------------------- */
/*
 * A direct ByteBuffer over [offset, offset + length) of a region's mapping
 * (pk_region_addr(), which the shared interface does not wrap). It does not
 * own the memory: Region.java unmaps only when the region is closed and
 * every buffer it made has been collected, so that no buffer outlives the
 * mapping (a store through one would crash the JVM).
 */
%{
static jobject
pk_java_region_buffer(JNIEnv *jenv, pk_region *region, uint64_t offset,
		jint length)
{
	uint64_t n = 0;
	char *addr;
	int rc;

	if ((rc = pk_region_length(&n, region)) != 0) {
		pk_java_raise(jenv, rc);
		return NULL;
	}
	if (length < 0 || offset > n || (uint64_t)length > n - offset ||
	    (addr = (char *)pk_region_addr(region)) == NULL) {
		pk_java_raise(jenv, PK_ERANGE);
		return NULL;
	}
	return (*jenv)->NewDirectByteBuffer(jenv, addr + offset, (jlong)length);
}
%}
%typemap(in, numinputs=0) JNIEnv *jenv "$1 = jenv;"
%typemap(jstype) jobject pk_java_region_buffer "java.nio.ByteBuffer"
%typemap(javaout) jobject pk_java_region_buffer { return (java.nio.ByteBuffer) $jnicall; }
%typemap(out, throws="PmemkitException") jobject pk_java_region_buffer "$result = $1;"
jobject pk_java_region_buffer(JNIEnv *jenv, pk_region *region, uint64_t offset,
		jint length);
