/*
 * pmemkit.i -- the C side of the Python module: typemaps between Python
 * objects and pk_value, the error mapping, the buffer protocol for typed
 * arrays, and the few C helpers the package calls. The shared prologue and
 * the wrapped API come from swig/pmemkit_head.i and swig/pmemkit.i; the
 * Pythonic classes are the package's own files (bindings/python/pmemkit/),
 * which import this module as pmemkit._pmemkit (the extension) and
 * pmemkit._swig (SWIG's proxy, gen/pmemkit.py renamed).
 */
%module(docstring="pmemkit's C API wrapped by SWIG (private).") pmemkit

%include "swig/pmemkit_head.i"

%{
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* ---- errors ---------------------------------------------------------- */

/* class name (pk_error_class()) -> exception type; set at import by the
 * package from the table (pmemkit/_errors.py, _set_exceptions). */
static PyObject *pk_py_exc_map = NULL;

static void
pk_swig_raise(int code)
{
	const char *cls = pk_error_class(code);
	const char *msg = pk_swig_message(code);
	PyObject *type = NULL, *inst;

	if (code > 0) {
		/* OSError(errno, msg) picks FileNotFoundError etc. itself */
		PyObject *args = Py_BuildValue("(is)", code, msg);
		if (args != NULL) {
			PyErr_SetObject(PyExc_OSError, args);
			Py_DECREF(args);
		}
		return;
	}
	if (pk_py_exc_map != NULL)
		type = PyDict_GetItemString(pk_py_exc_map, cls);
	if (type == NULL && pk_py_exc_map != NULL)
		type = PyDict_GetItemString(pk_py_exc_map, "Error");
	if (type == NULL)
		type = PyExc_RuntimeError;
	inst = PyObject_CallFunction(type, "s", msg);
	if (inst == NULL)
		return;
	if (code != PK_ITEROVER) {
		PyObject *c = PyLong_FromLong(code);
		if (c != NULL) {
			PyObject_SetAttrString(inst, "code", c);
			Py_DECREF(c);
		}
	}
	PyErr_SetObject((PyObject *)Py_TYPE(inst), inst);
	Py_DECREF(inst);
}

/* ---- values ---------------------------------------------------------- */

static PyObject *pk_py_from_bytes_fn = NULL; /* int.from_bytes */

static PyObject *pk_py_convert(const pk_value *v, int key);

/* the items of a PK_TUPLE (the members of a PK_FROZENSET, in their
 * canonical order) as a tuple, each converted as a key is */
static PyObject *
pk_py_tuple_from(const pk_value *v)
{
	uint64_t n;
	size_t pos = 0;
	Py_ssize_t i;
	pk_value item;
	PyObject *t;
	int rc = pk_tuple_length(&n, v);

	if (rc != 0) {
		pk_swig_raise(rc);
		return NULL;
	}
	if ((t = PyTuple_New((Py_ssize_t)n)) == NULL)
		return NULL;
	for (i = 0; i < (Py_ssize_t)n; i++) {
		PyObject *o;
		if ((rc = pk_tuple_next(&item, v, &pos)) != 0) {
			pk_swig_raise(rc);
			Py_DECREF(t);
			return NULL;
		}
		if ((o = pk_py_convert(&item, 1)) == NULL) {
			Py_DECREF(t);
			return NULL;
		}
		PyTuple_SET_ITEM(t, i, o);
	}
	return t;
}

/*
 * pk_value -> Python object. A container comes as its reference, a
 * (type, offset, generation) tuple the package wraps (Pool._wrap); a
 * PK_TUPLE as a plain tuple when it is a key (or a tuple's item), and as
 * a value wrapped in a 1-tuple, (tuple,), which the package unwraps in
 * the same place (its reads test `v.__class__ is tuple` for references
 * only, so the scalars' path stays as it was); a PK_FROZENSET likewise as
 * a frozenset or (frozenset,), which the package makes a frozenset that
 * stores as a PK_FROZENSET again. pk_py_to_value() takes all these back.
 */
static PyObject *
pk_py_convert(const pk_value *v, int key)
{
	switch (v->type) {
	case PK_NIL:
		Py_RETURN_NONE;
	case PK_BOOL:
		return PyBool_FromLong((long)v->u.i);
	case PK_INT:
		return PyLong_FromLongLong((long long)v->u.i);
	case PK_DOUBLE:
		return PyFloat_FromDouble(v->u.d);
	case PK_BYTES:
		return PyBytes_FromStringAndSize((const char *)v->u.buf.ptr,
				(Py_ssize_t)v->u.buf.len);
	case PK_STRING:
		return PyUnicode_DecodeUTF8((const char *)v->u.buf.ptr,
				(Py_ssize_t)v->u.buf.len, "strict");
	case PK_BIGINT: {
		PyObject *b, *r;
		if (pk_py_from_bytes_fn == NULL) {
			pk_py_from_bytes_fn = PyObject_GetAttrString(
					(PyObject *)&PyLong_Type, "from_bytes");
			if (pk_py_from_bytes_fn == NULL)
				return NULL;
		}
		b = PyBytes_FromStringAndSize((const char *)v->u.buf.ptr,
				(Py_ssize_t)v->u.buf.len);
		if (b == NULL)
			return NULL;
		{
			PyObject *args = Py_BuildValue("(Os)", b, "little");
			PyObject *kw = Py_BuildValue("{s:O}", "signed", Py_True);
			r = (args && kw) ? PyObject_Call(pk_py_from_bytes_fn,
					args, kw) : NULL;
			Py_XDECREF(args);
			Py_XDECREF(kw);
		}
		Py_DECREF(b);
		return r;
	}
	case PK_TUPLE:
	case PK_FROZENSET: {
		PyObject *t = pk_py_tuple_from(v), *r;
		if (t != NULL && v->type == PK_FROZENSET) {
			r = PyFrozenSet_New(t);
			Py_DECREF(t);
			t = r;
		}
		if (t == NULL || key)
			return t;
		r = PyTuple_Pack(1, t);
		Py_DECREF(t);
		return r;
	}
	case PK_MAP:
	case PK_LIST:
	case PK_ARRAY:
	case PK_LOG:
	case PK_BLOCKS:
	case PK_SET:
	case PK_RECORD:
	case PK_SORTED:
		/* a reference: the package opens a handle for it (Pool._wrap) */
		return Py_BuildValue("(iKK)", (int)v->type,
				(unsigned long long)v->u.ref.off,
				(unsigned long long)v->u.ref.gen);
	}
	PyErr_Format(PyExc_ValueError, "pmemkit: unknown value type %d",
			(int)v->type);
	return NULL;
}

/* a value read (a PK_TUPLE as (tuple,)) */
static PyObject *
pk_py_from_value(const pk_value *v)
{
	return pk_py_convert(v, 0);
}

/* a key or set element read (a PK_TUPLE as a plain tuple) */
static PyObject *
pk_py_from_key(const pk_value *v)
{
	return pk_py_convert(v, 1);
}

/* minimal little-endian two's complement bytes of a Python int */
static PyObject *
pk_py_bigint_bytes(PyObject *o)
{
	PyObject *neg, *bl, *args = NULL, *kw = NULL, *fn = NULL, *r = NULL;
	long long bits;
	int isneg = PyObject_RichCompareBool(o, Py_False /* 0 */, Py_LT);

	if (isneg < 0)
		return NULL;
	/* bits of the magnitude: for n < 0 that of ~n */
	neg = isneg ? PyNumber_Invert(o) : (Py_INCREF(o), o);
	if (neg == NULL)
		return NULL;
	bl = PyObject_CallMethod(neg, "bit_length", NULL);
	Py_DECREF(neg);
	if (bl == NULL)
		return NULL;
	bits = PyLong_AsLongLong(bl);
	Py_DECREF(bl);
	if (bits == -1 && PyErr_Occurred())
		return NULL;
	fn = PyObject_GetAttrString(o, "to_bytes");
	args = Py_BuildValue("(Ls)", (bits + 1 + 7) / 8, "little");
	kw = Py_BuildValue("{s:O}", "signed", Py_True);
	if (fn && args && kw)
		r = PyObject_Call(fn, args, kw);
	Py_XDECREF(fn);
	Py_XDECREF(args);
	Py_XDECREF(kw);
	return r;
}

static int pk_py_to_value(PyObject *o, pk_value *v, PyObject **keep,
		int key);

/*
 * A Python tuple -> a PK_TUPLE, a frozenset -> a PK_FROZENSET (its
 * members in the library's canonical order), whose encoding (a bytes
 * object) is left in *keep. depth: 1 for one that is not inside another.
 * Each item is converted as a key is (pk_py_to_value() with depth + 1);
 * one that cannot be raises dict's TypeError (unhashable type: 'list')
 * when it is unhashable, pmemkit's when it is only of a type pmemkit
 * cannot store.
 */
static int
pk_py_tuple_to(PyObject *o, pk_value *v, PyObject **keep, int depth)
{
	int frozen = !PyTuple_Check(o);
	PyObject *seq = frozen ? PySequence_Tuple(o) : (Py_INCREF(o), o);
	Py_ssize_t n, i, done = 0;
	pk_value *items = NULL;
	PyObject **keeps = NULL, *b = NULL;
	size_t len = 0;
	int rc, ret = -1;

	if (seq == NULL)
		return -1;
	n = PyTuple_GET_SIZE(seq);
	if (depth > PK_TUPLE_DEPTH) {
		PyErr_Format(PyExc_ValueError, "pmemkit: a %s nested more "
				"than %d deep", frozen ? "frozenset" : "tuple",
				PK_TUPLE_DEPTH);
		goto out;
	}
	items = (pk_value *)PyMem_Malloc(sizeof(*items) * (size_t)(n ? n : 1));
	keeps = (PyObject **)PyMem_Calloc((size_t)(n ? n : 1), sizeof(*keeps));
	if (items == NULL || keeps == NULL) {
		PyErr_NoMemory();
		goto out;
	}
	for (; done < n; done++) {
		PyObject *item = PyTuple_GET_ITEM(seq, done);
		if (pk_py_to_value(item, &items[done], &keeps[done],
				depth + 1) == 0)
			continue;
		if (!PyTuple_Check(item) && !PyFrozenSet_Check(item) &&
		    PyErr_ExceptionMatches(PyExc_TypeError)) {
			PyErr_Clear();
			if (PyObject_Hash(item) != -1)
				PyErr_Format(PyExc_TypeError, "pmemkit: a %s "
						"cannot hold a %s", frozen ?
						"frozenset" : "tuple",
						Py_TYPE(item)->tp_name);
		}
		goto out;
	}
	rc = (frozen ? pk_frozenset_pack : pk_tuple_pack)(NULL, 0, &len,
			items, (size_t)n);
	if (rc == 0 && (b = PyBytes_FromStringAndSize(NULL,
			(Py_ssize_t)len)) == NULL)
		goto out;
	if (rc == 0)
		rc = (frozen ? pk_frozenset_pack : pk_tuple_pack)(
				PyBytes_AS_STRING(b), len, &len, items,
				(size_t)n);
	if (rc != 0) {
		pk_swig_raise(rc);
		Py_XDECREF(b);
		goto out;
	}
	v->type = frozen ? PK_FROZENSET : PK_TUPLE;
	v->u.buf.ptr = PyBytes_AS_STRING(b);
	v->u.buf.len = len;
	*keep = b;
	ret = 0;
out:
	for (i = 0; keeps != NULL && i < done; i++)
		Py_XDECREF(keeps[i]);
	PyMem_Free(items);
	PyMem_Free(keeps);
	Py_DECREF(seq);
	return ret;
}

/* the package's function (pmemkit/_set.py, _key_hook) that a key of no
 * type above goes through: a frozenset of a stored FrozenSet's members,
 * None for anything else, or dict's TypeError for an unhashable one */
static PyObject *pk_py_key_hook = NULL;

/*
 * Python object -> pk_value. Strings and bytes are borrowed from @o, which
 * the caller keeps alive for the call; anything made on the way (big
 * integers' bytes, copies of buffers, tuples' encodings) is stored in
 * *keep for the caller to release. key: 0 for a value; else only what may
 * be a key (scalars, tuples and frozensets of them, no buffers), and then
 * 1 + how deep @o is inside tuples and frozensets. A tuple is a PK_TUPLE
 * as a key; as a value the package stores a tuple as a list (Pool._ref),
 * and what reaches here is a reference (type, offset, generation) or a
 * PK_TUPLE read as a value, (tuple,) (pk_py_convert()). A frozenset is a
 * PK_FROZENSET, key or value (the package stores a plain frozenset value
 * as a FrozenSet: only those read as PK_FROZENSET values come here).
 */
static int
pk_py_to_value(PyObject *o, pk_value *v, PyObject **keep, int key)
{
	memset(v, 0, sizeof(*v));
	if (o == Py_None) {
		v->type = PK_NIL;
	} else if (PyBool_Check(o)) {
		v->type = PK_BOOL;
		v->u.i = o == Py_True;
	} else if (PyLong_Check(o)) {
		int overflow = 0;
		long long x = PyLong_AsLongLongAndOverflow(o, &overflow);
		if (overflow == 0) {
			if (x == -1 && PyErr_Occurred())
				return -1;
			v->type = PK_INT;
			v->u.i = x;
		} else {
			PyObject *b = pk_py_bigint_bytes(o);
			if (b == NULL)
				return -1;
			*keep = b;
			v->type = PK_BIGINT;
			v->u.buf.ptr = PyBytes_AS_STRING(b);
			v->u.buf.len = (size_t)PyBytes_GET_SIZE(b);
		}
	} else if (PyFloat_Check(o)) {
		v->type = PK_DOUBLE;
		v->u.d = PyFloat_AS_DOUBLE(o);
	} else if (PyUnicode_Check(o)) {
		Py_ssize_t n;
		const char *s = PyUnicode_AsUTF8AndSize(o, &n);
		if (s == NULL)
			return -1;
		v->type = PK_STRING;
		v->u.buf.ptr = s;
		v->u.buf.len = (size_t)n;
	} else if (PyBytes_Check(o)) {
		v->type = PK_BYTES;
		v->u.buf.ptr = PyBytes_AS_STRING(o);
		v->u.buf.len = (size_t)PyBytes_GET_SIZE(o);
	} else if (PyTuple_Check(o) ? key != 0 : PyFrozenSet_Check(o)) {
		return pk_py_tuple_to(o, v, keep, key ? key : 1);
	} else if (!key && PyTuple_Check(o) && PyTuple_GET_SIZE(o) == 1 &&
			(PyTuple_Check(PyTuple_GET_ITEM(o, 0)) ||
			 PyFrozenSet_Check(PyTuple_GET_ITEM(o, 0)))) {
		return pk_py_tuple_to(PyTuple_GET_ITEM(o, 0), v, keep, 1);
	} else if (!key && PyTuple_Check(o) && PyTuple_GET_SIZE(o) == 3) {
		/* a reference made by pk_py_from_value() */
		unsigned long long off, gen;
		int t;
		if (!PyArg_ParseTuple(o, "iKK", &t, &off, &gen))
			return -1;
		if (t < PK_MAP) {
			PyErr_SetString(PyExc_TypeError, "pmemkit: bad reference");
			return -1;
		}
		v->type = (pk_type)t;
		v->u.ref.off = off;
		v->u.ref.gen = gen;
	} else if (!key && PyObject_CheckBuffer(o)) {
		PyObject *b = PyBytes_FromObject(o);
		if (b == NULL)
			return -1;
		*keep = b;
		v->type = PK_BYTES;
		v->u.buf.ptr = PyBytes_AS_STRING(b);
		v->u.buf.len = (size_t)PyBytes_GET_SIZE(b);
	} else if (PyIndex_Check(o)) {
		PyObject *i = PyNumber_Index(o);
		int r;
		if (i == NULL)
			return -1;
		r = pk_py_to_value(i, v, keep, key);
		if (r == 0 && *keep == NULL)
			*keep = i;
		else
			Py_DECREF(i);
		return r;
	} else if (key && pk_py_key_hook != NULL) {
		PyObject *fs = PyObject_CallFunctionObjArgs(pk_py_key_hook, o,
				NULL);
		int r;
		if (fs == NULL)
			return -1;
		if (PyFrozenSet_Check(fs))
			r = pk_py_tuple_to(fs, v, keep, key);
		else
			r = -1, PyErr_Format(PyExc_TypeError, "pmemkit: "
					"unsupported key type: %s",
					Py_TYPE(o)->tp_name);
		Py_DECREF(fs);
		return r;
	} else {
		PyErr_Format(PyExc_TypeError, key ?
				"pmemkit: unsupported key type: %s" :
				"pmemkit: cannot store a value of type %s",
				Py_TYPE(o)->tp_name);
		return -1;
	}
	return 0;
}

/* ---- typed arrays: the buffer protocol -------------------------------- */

typedef struct {
	PyObject_HEAD
	pk_array *arr;       /* borrowed: the Python subclass owns it */
	Py_ssize_t exports;  /* buffers exported and not released */
	void *wptr;          /* while Array.modify() makes its view */
	Py_ssize_t wlen;
} PkArrayBase;

struct pk_bufinfo {
	Py_ssize_t shape, strides;
	char format[24];
};

static int
pk_array_fmt(pk_array *arr, char *fmt, size_t fmtlen, Py_ssize_t *itemsize)
{
	pk_elem elem;
	size_t width;
	const char *f;
	int rc = pk_array_type(&elem, &width, arr);

	if (rc != 0) {
		pk_swig_raise(rc);
		return -1;
	}
	switch (elem) {
#define PK_PY_FORMAT_(name, value, sname, size, typecode, cls) \
	case name: f = typecode; break;
	PK_ELEM_TABLE(PK_PY_FORMAT_)
#undef PK_PY_FORMAT_
	default: f = ""; break;
	}
	if (f[0] != '\0')
		snprintf(fmt, fmtlen, "%s", f);
	else
		snprintf(fmt, fmtlen, "%zus", width);
	*itemsize = (Py_ssize_t)width;
	return 0;
}

static char pk_empty_buf[8];

static int
pkab_getbuffer(PyObject *o, Py_buffer *view, int flags)
{
	PkArrayBase *self = (PkArrayBase *)o;
	struct pk_bufinfo *info;
	const void *ptr;
	size_t len;
	int readonly = 1, rc;

	view->obj = NULL;
	if (self->arr == NULL) {
		PyErr_SetString(PyExc_BufferError, "pmemkit: array is released");
		return -1;
	}
	if (self->wptr != NULL) {
		ptr = self->wptr;
		len = (size_t)self->wlen;
		readonly = 0;
	} else {
		if ((flags & PyBUF_WRITABLE) == PyBUF_WRITABLE) {
			PyErr_SetString(PyExc_BufferError, "pmemkit: an array's "
					"buffer is read-only; use Array.modify()");
			return -1;
		}
		rc = pk_array_data(&ptr, &len, self->arr);
		if (rc != 0) {
			pk_swig_raise(rc);
			return -1;
		}
	}
	info = (struct pk_bufinfo *)PyMem_Malloc(sizeof(*info));
	if (info == NULL) {
		PyErr_NoMemory();
		return -1;
	}
	if (pk_array_fmt(self->arr, info->format, sizeof(info->format),
			&info->strides) != 0) {
		PyMem_Free(info);
		return -1;
	}
	info->shape = (Py_ssize_t)len / info->strides;
	view->buf = ptr != NULL ? (void *)ptr : (void *)pk_empty_buf;
	view->obj = o;
	Py_INCREF(o);
	view->len = (Py_ssize_t)len;
	view->readonly = readonly;
	view->itemsize = info->strides;
	view->format = (flags & PyBUF_FORMAT) ? info->format : NULL;
	view->ndim = 1;
	view->shape = (flags & PyBUF_ND) ? &info->shape : NULL;
	view->strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ?
		&info->strides : NULL;
	view->suboffsets = NULL;
	view->internal = info;
	self->exports++;
	return 0;
}

static void
pkab_releasebuffer(PyObject *o, Py_buffer *view)
{
	PkArrayBase *self = (PkArrayBase *)o;

	PyMem_Free(view->internal);
	view->internal = NULL;
	self->exports--;
}

static PyBufferProcs pkab_as_buffer = { pkab_getbuffer, pkab_releasebuffer };

static PyTypeObject PkArrayBase_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	"pmemkit._ArrayBase",           /* tp_name */
	sizeof(PkArrayBase),            /* tp_basicsize */
};

static int
pk_py_arraybase_init(void)
{
	PkArrayBase_Type.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE;
	PkArrayBase_Type.tp_doc = "Base of pmemkit.Array: the buffer protocol.";
	PkArrayBase_Type.tp_as_buffer = &pkab_as_buffer;
	PkArrayBase_Type.tp_new = PyType_GenericNew;
	return PyType_Ready(&PkArrayBase_Type);
}

/* ---- raw persistent memory regions: the buffer protocol --------------- */

typedef struct {
	PyObject_HEAD
	pk_region *region;   /* borrowed: the Python subclass owns it */
	Py_ssize_t exports;  /* buffers exported and not released */
} PkRegionBase;

static int
pkrb_getbuffer(PyObject *o, Py_buffer *view, int flags)
{
	PkRegionBase *self = (PkRegionBase *)o;
	uint64_t len;
	int rc;

	view->obj = NULL;
	if (self->region == NULL) {
		PyErr_SetString(PyExc_BufferError, "pmemkit: region is closed");
		return -1;
	}
	if ((rc = pk_region_length(&len, self->region)) != 0) {
		pk_swig_raise(rc);
		return -1;
	}
	if (PyBuffer_FillInfo(view, o, pk_region_addr(self->region),
			(Py_ssize_t)len, 0, flags) != 0)
		return -1;
	self->exports++;
	return 0;
}

static void
pkrb_releasebuffer(PyObject *o, Py_buffer *view)
{
	(void)view;
	((PkRegionBase *)o)->exports--;
}

static PyBufferProcs pkrb_as_buffer = { pkrb_getbuffer, pkrb_releasebuffer };

static PyTypeObject PkRegionBase_Type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	"pmemkit._RegionBase",          /* tp_name */
	sizeof(PkRegionBase),           /* tp_basicsize */
};

static int
pk_py_regionbase_init(void)
{
	PkRegionBase_Type.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE;
	PkRegionBase_Type.tp_doc = "Base of pmemkit.pmem.Region: the buffer "
		"protocol.";
	PkRegionBase_Type.tp_as_buffer = &pkrb_as_buffer;
	PkRegionBase_Type.tp_new = PyType_GenericNew;
	return PyType_Ready(&PkRegionBase_Type);
}

static PkRegionBase *
pk_py_regionbase(PyObject *o)
{
	if (!PyObject_TypeCheck(o, &PkRegionBase_Type)) {
		PyErr_SetString(PyExc_TypeError, "pmemkit: not a Region");
		return NULL;
	}
	return (PkRegionBase *)o;
}

static PkArrayBase *
pk_py_arraybase(PyObject *o)
{
	if (!PyObject_TypeCheck(o, &PkArrayBase_Type)) {
		PyErr_SetString(PyExc_TypeError, "pmemkit: not an Array");
		return NULL;
	}
	return (PkArrayBase *)o;
}
%}

/* ---- typemaps for values --------------------------------------------- */

%typemap(in) const pk_value * (pk_value temp, PyObject *keep = NULL) {
	if (pk_py_to_value($input, &temp, &keep, 0) != 0)
		SWIG_fail;
	$1 = &temp;
}
/* a key, a set's element, or a sorted map's probe or bound: a tuple is a
 * PK_TUPLE */
%typemap(in) const pk_value *key (pk_value temp, PyObject *keep = NULL),
		const pk_value *elem (pk_value temp, PyObject *keep = NULL),
		const pk_value *probe (pk_value temp, PyObject *keep = NULL),
		const pk_value *lo (pk_value temp, PyObject *keep = NULL),
		const pk_value *hi (pk_value temp, PyObject *keep = NULL) {
	if (pk_py_to_value($input, &temp, &keep, 1) != 0)
		SWIG_fail;
	$1 = &temp;
}
%typemap(freearg) const pk_value *, const pk_value *key,
	const pk_value *elem, const pk_value *probe, const pk_value *lo,
	const pk_value *hi "Py_XDECREF(keep$argnum);";

/* several values: a Python sequence of scalars or references */
%typemap(in) (const pk_value *vals, size_t n) (PyObject *seq = NULL, PyObject *keeps = NULL) {
	Py_ssize_t i, n;
	seq = PySequence_Fast($input, "pmemkit: expected a sequence");
	if (seq == NULL)
		SWIG_fail;
	n = PySequence_Fast_GET_SIZE(seq);
	keeps = PyList_New(0);
	if (keeps == NULL)
		SWIG_fail;
	$1 = (pk_value *)PyMem_Malloc(sizeof(pk_value) * (size_t)(n ? n : 1));
	if ($1 == NULL) {
		PyErr_NoMemory();
		SWIG_fail;
	}
	$2 = (size_t)n;
	for (i = 0; i < n; i++) {
		PyObject *keep = NULL;
		if (pk_py_to_value(PySequence_Fast_GET_ITEM(seq, i), &$1[i],
				&keep, 0) != 0)
			SWIG_fail;
		if (keep != NULL) {
			int r = PyList_Append(keeps, keep);
			Py_DECREF(keep);
			if (r != 0)
				SWIG_fail;
		}
	}
}
%typemap(freearg) (const pk_value *vals, size_t n) {
	PyMem_Free($1);
	Py_XDECREF(seq$argnum);
	Py_XDECREF(keeps$argnum);
}

%typemap(argout) pk_value *out {
	PyObject *o = pk_py_from_value($1);
	if (o == NULL)
		SWIG_fail;
	$result = SWIG_Python_AppendOutput($result, o);
}
/* a cursor's entry: always a (key, value) tuple (storage: pmemkit_head.i) */
%typemap(argout) (pk_value *key, pk_value *val) {
	PyObject *k = pk_py_from_key($1), *v = NULL, *t = NULL;
	if (k != NULL)
		v = pk_py_from_value($2);
	if (v != NULL)
		t = PyTuple_Pack(2, k, v);
	Py_XDECREF(k);
	Py_XDECREF(v);
	if (t == NULL)
		SWIG_fail;
	$result = SWIG_Python_AppendOutput($result, t);
}
%typemap(out) pk_value {
	$result = pk_py_from_value(&$1);
	if ($result == NULL)
		SWIG_fail;
}

/* raw element bytes in and out of typed arrays: any buffer of the right
 * size (pmemkit/_array.py checks it). The view is marked empty before any
 * argument is converted: freearg runs when an earlier one fails too. */
%typemap(arginit) const void *src, const void *init, void *out
	"view$argnum.obj = NULL;";
%typemap(in) const void *src (Py_buffer view), const void *init (Py_buffer view) {
	view.obj = NULL;
	if ($input == Py_None) {
		$1 = NULL;
	} else {
		if (PyObject_GetBuffer($input, &view, PyBUF_SIMPLE) != 0)
			SWIG_fail;
		$1 = view.buf;
	}
}
%typemap(freearg) const void *src, const void *init "if (view$argnum.obj) PyBuffer_Release(&view$argnum);";
%typemap(in) void *out (Py_buffer view) {
	view.obj = NULL;
	if (PyObject_GetBuffer($input, &view, PyBUF_WRITABLE) != 0)
		SWIG_fail;
	$1 = view.buf;
}
%typemap(freearg) void *out "if (view$argnum.obj) PyBuffer_Release(&view$argnum);";


/*
 * ---- the GIL ------------------------------------------------------------
 * Calls keep the GIL, except where they must wait for a pool's lock (the
 * wait hooks below release it for the wait), and except the long calls
 * listed here, which cannot change an entry another thread is reading:
 * values read from a pool are borrowed until converted, and converting
 * happens after the call, under the GIL, so no writer may run without it.
 * Closing a pool keeps it too, so that no call reading the pool with the
 * GIL runs while it is unmapped (PyPy's cffi reads, below, have a gate),
 * and so does pk_pool_defrag(), which moves what such a call may be
 * reading.
 */
%{
/* a pool's gate for PyPy's cffi calls (below) */
struct pk_py_gate {
	int shut;
	int inside;
};
/* the gate of the cffi call the thread runs, which has released the GIL
 * (PyPy's C-API emulation may not be entered then) */
static __thread struct pk_py_gate *pk_py_in;

static void *
pk_py_wait_begin(void)
{
	/* a cffi call reads nothing while it waits for a lock, so it leaves
	 * its gate meanwhile: a close may pass, which then needs the same
	 * lock, and after it the call finds the pool closed */
	if (pk_py_in != NULL) {
		__atomic_fetch_sub(&pk_py_in->inside, 1, __ATOMIC_RELEASE);
		return NULL;
	}
	/* threads inside a call listed below have released it already */
	return PyGILState_Check() ? (void *)PyEval_SaveThread() : NULL;
}

static void
pk_py_wait_end(void *ts)
{
	/* it holds the lock now: the pool is closed, or stays open */
	if (pk_py_in != NULL)
		__atomic_fetch_add(&pk_py_in->inside, 1, __ATOMIC_SEQ_CST);
	if (ts != NULL)
		PyEval_RestoreThread((PyThreadState *)ts);
}
%}

%define PK_NOGIL(NAME)
%exception NAME {
	Py_BEGIN_ALLOW_THREADS
	$action
	Py_END_ALLOW_THREADS
}
%enddef
PK_NOGIL(pk_pool_create)
PK_NOGIL(pk_pool_open)
PK_NOGIL(pk_swig_pool_create)
PK_NOGIL(pk_swig_pool_open)
PK_NOGIL(pk_pool_repair)
PK_NOGIL(pk_pool_sync)
PK_NOGIL(pk_pool_check)
PK_NOGIL(pk_pool_stats_get)
PK_NOGIL(pk_pool_prefault)
PK_NOGIL(pk_array_new)
PK_NOGIL(pk_array_read)
PK_NOGIL(pk_array_write)
PK_NOGIL(pk_array_resize)

%include "swig/pmemkit.i"

/*
 * ---- PyPy: the map's reads through cffi ----------------------------------
 * Under PyPy every call through its C-API emulation (cpyext) costs most of
 * a microsecond, mostly in making C copies of the bytes objects that go
 * in and PyPy objects of those that come out; a cffi call costs a tenth of
 * that. So under PyPy, pmemkit/_fastpath.py makes a map's get, contains (a
 * get) and length through cffi, calling these by address, when the key
 * is None, bool, int (64 bits), float, str or bytes; everything else
 * (other keys, tuples among them, containers, tuple values, values
 * longer than its buffer, errors) takes the wrapped functions. cffi releases the GIL for the call, so:
 * - a get copies the value out of the pool (pk_map_get_copy()) instead of
 *   borrowing it until Python converts it;
 * - only reads take this path: a writer without the GIL would change what
 *   the wrapped reads borrow (they convert after the call, under the GIL);
 * - Pool.close() (which keeps the GIL) must not unmap the pool under such
 *   a call: each pool has a gate the calls pass through, which close
 *   shuts and waits to empty (a call waiting for a lock is out of it);
 * - pk_py_in keeps the wait hooks away from the GIL.
 */
%{
#define PK_PY_SHUT (-1)	/* not a pmemkit code: the gate is shut */

static int
pk_py_enter(struct pk_py_gate *g)
{
	/* with close's store then load: one of the two sees the other */
	__atomic_fetch_add(&g->inside, 1, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&g->shut, __ATOMIC_SEQ_CST)) {
		pk_py_in = g;
		return 1;
	}
	__atomic_fetch_sub(&g->inside, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static void
pk_py_leave(struct pk_py_gate *g)
{
	pk_py_in = NULL;
	__atomic_fetch_sub(&g->inside, 1, __ATOMIC_RELEASE);
}

/* shut g: the calls still inside it (0 once the pool may be closed) */
static int
pk_py_gate_shut(struct pk_py_gate *g)
{
	__atomic_store_n(&g->shut, 1, __ATOMIC_SEQ_CST);
	return __atomic_load_n(&g->inside, __ATOMIC_SEQ_CST);
}

static void
pk_py_fast_key(pk_value *k, int type, const char *p, size_t len,
		int64_t i, double d)
{
	memset(k, 0, sizeof(*k));
	k->type = (pk_type)type;
	if (type == PK_BYTES || type == PK_STRING) {
		k->u.buf.ptr = p;
		k->u.buf.len = len;
	} else if (type == PK_DOUBLE) {
		k->u.d = d;
	} else {
		k->u.i = i;
	}
}

static int
pk_py_fast_get(struct pk_py_gate *g, pk_value *out, void *buf, size_t cap,
		pk_map *map, int kt, const char *kp, size_t kn, int64_t ki,
		double kd)
{
	pk_value k;
	int rc;

	if (!pk_py_enter(g))
		return PK_PY_SHUT;
	pk_py_fast_key(&k, kt, kp, kn, ki, kd);
	rc = pk_map_get_copy(out, buf, cap, map, &k);
	pk_py_leave(g);
	return rc;
}

/* a block's bytes into buf (a 4 KiB block costs PyPy microseconds as a
 * bytes object made in C; cffi copies it out of buf for a tenth) */
static int
pk_py_fast_block(struct pk_py_gate *g, void *buf, size_t cap,
		pk_blocks *blocks, uint64_t i)
{
	int rc;

	if (!pk_py_enter(g))
		return PK_PY_SHUT;
	rc = pk_blocks_read(buf, cap, blocks, i);
	pk_py_leave(g);
	return rc;
}

static int
pk_py_fast_length(struct pk_py_gate *g, uint64_t *out, pk_map *map)
{
	int rc;

	if (!pk_py_enter(g))
		return PK_PY_SHUT;
	rc = pk_map_length(out, map);
	pk_py_leave(g);
	return rc;
}
%}

/* ---- helpers for the package ------------------------------------------ */
%inline %{
/*
 * Entries of a cursor, many at a time, packed into one bytes object
 * that pmemkit/_cursor.py decodes (PyPy: each object made in C costs a
 * crossing of its C-API emulation, a microsecond; one per batch instead
 * of three per entry). Each entry: the key, then the value, each a type
 * byte and its payload: none (nil), 1 byte (bool), 8 (int, double: little
 * endian), a 4-byte length and the bytes (bytes, string, bigint, a
 * tuple's encoding, which _tuple_decode() converts), offset
 * and generation, 8 bytes each (containers). The batch ends after the
 * entry that passes max bytes; b"" when the cursor is at the end.
 */
struct pk_py_pack {
	char *buf;
	size_t len, cap;
};

static int
pk_py_pack_reserve(struct pk_py_pack *p, size_t n)
{
	if (p->cap - p->len >= n)
		return 0;
	size_t cap = p->cap * 2 > p->len + n ? p->cap * 2 : p->len + n;
	char *b = PyMem_Realloc(p->buf, cap);
	if (b == NULL) {
		PyErr_NoMemory();
		return -1;
	}
	p->buf = b;
	p->cap = cap;
	return 0;
}

static int
pk_py_pack_value(struct pk_py_pack *p, const pk_value *v)
{
	uint32_t n32;

	if (pk_py_pack_reserve(p, 1 + 16) != 0)
		return -1;
	p->buf[p->len++] = (char)v->type;
	switch (v->type) {
	case PK_NIL:
		return 0;
	case PK_BOOL:
		p->buf[p->len++] = (char)(v->u.i != 0);
		return 0;
	case PK_INT:
	case PK_DOUBLE:
		/* the union's 8 bytes: int64 or double, little endian here */
		memcpy(p->buf + p->len, &v->u, 8);
		p->len += 8;
		return 0;
	case PK_BYTES:
	case PK_STRING:
	case PK_BIGINT:
	case PK_TUPLE:
	case PK_FROZENSET:
		if (v->u.buf.len > UINT32_MAX) {
			PyErr_SetString(PyExc_OverflowError,
					"pmemkit: value too long");
			return -1;
		}
		n32 = (uint32_t)v->u.buf.len;
		if (pk_py_pack_reserve(p, 4 + n32) != 0)
			return -1;
		memcpy(p->buf + p->len, &n32, 4);
		if (n32 != 0)
			memcpy(p->buf + p->len + 4, v->u.buf.ptr, n32);
		p->len += 4 + n32;
		return 0;
	case PK_MAP:
	case PK_LIST:
	case PK_ARRAY:
	case PK_LOG:
	case PK_BLOCKS:
	case PK_SET:
	case PK_RECORD:
	case PK_SORTED:
		memcpy(p->buf + p->len, &v->u.ref.off, 8);
		memcpy(p->buf + p->len + 8, &v->u.ref.gen, 8);
		p->len += 16;
		return 0;
	}
	PyErr_Format(PyExc_ValueError, "pmemkit: unknown value type %d",
			(int)v->type);
	return -1;
}

static PyObject *
_cursor_batch(pk_cursor *c, size_t max)
{
	struct pk_py_pack p = { NULL, 0, 0 };
	PyObject *r = NULL;
	pk_value k, v;
	int rc = 0;

	while (p.len <= max && (rc = pk_cursor_next(&k, &v, c)) == 0)
		if (pk_py_pack_value(&p, &k) != 0 ||
		    pk_py_pack_value(&p, &v) != 0)
			goto out;
	if (rc != 0 && rc != PK_ITEROVER)
		pk_swig_raise(rc);
	else
		r = PyBytes_FromStringAndSize(p.buf, (Py_ssize_t)p.len);
out:
	PyMem_Free(p.buf);
	return r;
}

/* The addresses of the cffi entry points above: get (contains too),
 * length, and the gate's shut; then PK_PY_SHUT, and the size of a
 * pk_value and the offset of its payload (which pmemkit/_fastpath.py
 * checks against its own declaration of the struct); then a block's
 * read. */
static PyObject *
_fast_entry_points(void)
{
	return Py_BuildValue("(KKKinnK)",
			(unsigned long long)(uintptr_t)pk_py_fast_get,
			(unsigned long long)(uintptr_t)pk_py_fast_length,
			(unsigned long long)(uintptr_t)pk_py_gate_shut,
			PK_PY_SHUT, (Py_ssize_t)sizeof(pk_value),
			(Py_ssize_t)offsetof(pk_value, u),
			(unsigned long long)(uintptr_t)pk_py_fast_block);
}

/* A tuple of the PK_TUPLE (a frozenset of the PK_FROZENSET, for type
 * PK_FROZENSET) encoded in a bytes object (_cursor_batch() packs them
 * so), its items converted as a key's. */
static PyObject *
_tuple_decode(PyObject *enc, int type)
{
	pk_value v;

	if (!PyBytes_Check(enc)) {
		PyErr_SetString(PyExc_TypeError, "expected bytes");
		return NULL;
	}
	v.type = type == PK_FROZENSET ? PK_FROZENSET : PK_TUPLE;
	v.u.buf.ptr = PyBytes_AS_STRING(enc);
	v.u.buf.len = (size_t)PyBytes_GET_SIZE(enc);
	return pk_py_convert(&v, 1);
}

/* The members of a frozenset as a tuple in the library's canonical order
 * (pk_tuple_next()'s for the PK_FROZENSET it stores as), for a dump. */
static PyObject *
_frozenset_items(PyObject *fs)
{
	PyObject *keep = NULL, *r;
	pk_value v;

	if (!PyFrozenSet_Check(fs)) {
		PyErr_SetString(PyExc_TypeError, "expected a frozenset");
		return NULL;
	}
	if (pk_py_tuple_to(fs, &v, &keep, 1) != 0)
		return NULL;
	r = pk_py_tuple_from(&v);
	Py_XDECREF(keep);
	return r;
}

/* Install the function keys of no other type go through (a callable;
 * pk_py_key_hook). */
static PyObject *
_set_key_hook(PyObject *fn)
{
	Py_XDECREF(pk_py_key_hook);
	Py_INCREF(fn);
	pk_py_key_hook = fn;
	Py_RETURN_NONE;
}

/* Raise the exception for a code a cffi call returned, with the calling
 * thread's pk_errormsg(), as the wrapped call would have. */
static PyObject *
_raise(int code)
{
	pk_swig_raise(code);
	return NULL;
}

/* Install the class -> exception mapping (a dict). */
static PyObject *
_set_exceptions(PyObject *map)
{
	if (!PyDict_Check(map)) {
		PyErr_SetString(PyExc_TypeError, "expected a dict");
		return NULL;
	}
	Py_XDECREF(pk_py_exc_map);
	Py_INCREF(map);
	pk_py_exc_map = map;
	Py_RETURN_NONE;
}

/* Bind an Array object (a _ArrayBase) to its handle. */
static PyObject *
_array_bind(PyObject *self, pk_array *arr)
{
	PkArrayBase *a = pk_py_arraybase(self);
	if (a == NULL)
		return NULL;
	a->arr = arr;
	Py_RETURN_NONE;
}

/* Bind a Region object (a _RegionBase) to its handle, or unbind it
 * (None): refused while it has buffers exported. */
static PyObject *
_region_bind(PyObject *self, pk_region *region)
{
	PkRegionBase *r = pk_py_regionbase(self);
	if (r == NULL)
		return NULL;
	if (region == NULL && r->exports > 0) {
		PyErr_Format(PyExc_BufferError, "pmemkit: cannot close a region "
				"with %zd buffers exported (memoryviews, numpy "
				"arrays) still alive", r->exports);
		return NULL;
	}
	r->region = region;
	Py_RETURN_NONE;
}

/* Buffers an Array has exported and not yet released. */
static PyObject *
_array_exports(PyObject *self)
{
	PkArrayBase *a = pk_py_arraybase(self);
	if (a == NULL)
		return NULL;
	return PyLong_FromSsize_t(a->exports);
}

/* A writable memoryview of elements [start, stop) inside the calling
 * thread's transaction (pk_array_window()). */
static PyObject *
_array_window(PyObject *self, uint64_t start, uint64_t stop)
{
	PkArrayBase *a = pk_py_arraybase(self);
	PyObject *mv;
	void *ptr = NULL;
	char fmt[24];
	Py_ssize_t itemsize;
	int rc;

	if (a == NULL)
		return NULL;
	if (a->arr == NULL) {
		PyErr_SetString(PyExc_BufferError, "pmemkit: array is released");
		return NULL;
	}
	if (pk_array_fmt(a->arr, fmt, sizeof(fmt), &itemsize) != 0)
		return NULL;
	rc = pk_array_window(&ptr, a->arr, start, stop);
	if (rc != 0) {
		pk_swig_raise(rc);
		return NULL;
	}
	a->wptr = ptr != NULL ? ptr : (void *)pk_empty_buf;
	a->wlen = (Py_ssize_t)((stop - start) * (uint64_t)itemsize);
	mv = PyMemoryView_FromObject(self);
	a->wptr = NULL;
	a->wlen = 0;
	return mv;
}
%}

%init %{
	pk_set_wait_hooks(pk_py_wait_begin, pk_py_wait_end);
	if (pk_py_arraybase_init() < 0)
		return NULL;
	Py_INCREF(&PkArrayBase_Type);
	if (PyModule_AddObject(m, "_ArrayBase", (PyObject *)&PkArrayBase_Type) < 0)
		return NULL;
	if (pk_py_regionbase_init() < 0)
		return NULL;
	Py_INCREF(&PkRegionBase_Type);
	if (PyModule_AddObject(m, "_RegionBase", (PyObject *)&PkRegionBase_Type) < 0)
		return NULL;
%}

