/*
 * pmemkit.i -- the Lua module's C part, `pmemkit.core`: typemaps for
 * values, error objects, and Lua's own types (bytes, bigint, references).
 * The shared policy (return codes, out-parameters, outcomes) is in
 * swig/pmemkit.i, in its SWIGLUA blocks (SWIG's Lua module has no unified
 * typemap library). The Lua classes are in pmemkit.lua, which requires
 * this module.
 *
 * Lua values of the C functions:
 * - a return code of 0 gives no result; any other raises an error object
 *   (a table: code, class, name, message, where; tostring() gives where
 *   and the message);
 * - out-parameters are results, in argument order; integers are Lua
 *   integers (SWIG's Lua typemaps would make them floats);
 * - pk_value: nil, booleans, integers, floats and strings as themselves
 *   (a string that is valid UTF-8 is PK_STRING, any other PK_BYTES);
 *   bytes(s) forces PK_BYTES; null() is PK_NIL where nil cannot be used;
 *   PK_BIGINT is a bigint userdata; PK_TUPLE a tuple userdata (its
 *   encoding, lent to C as it is, and its items as Lua values: tuple());
 *   a container reference (map, list, array, log, block array, set,
 *   record, sorted map) a ref userdata;
 * - the bytes pk_blocks_get() and pk_region_get() give (in the thread's
 *   scratch buffer) are copied into a Lua string at once.
 */
%module pmemkit_core

%include "swig/pmemkit_head.i"

%{
#include <lua.h>
#include <lauxlib.h>

#define PK_LUA_ERROR "pmemkit.error"
#define PK_LUA_BYTES "pmemkit.bytes"
#define PK_LUA_BIGINT "pmemkit.bigint"
#define PK_LUA_REF "pmemkit.ref"
#define PK_LUA_TUPLE "pmemkit.tuple"
#define PK_LUA_FSET "pmemkit.frozenkey"

/* ---- errors ---------------------------------------------------------- */

/* The registry key of pmemkit.lua's chunk source (set_source()): frames
 * running it are the module's, not the caller's. */
static const char pk_lua_source_key = 0;

/* pk_lua_push_where -- push "file:line: " of the innermost frame that is
 * neither a C function nor the module's Lua code (the user's line that
 * called into pmemkit), or "" when there is none. */
static void
pk_lua_push_where(lua_State *L)
{
	lua_Debug ar;
	const char *module;
	int level;

	lua_rawgetp(L, LUA_REGISTRYINDEX, &pk_lua_source_key);
	module = lua_tostring(L, -1);
	for (level = 1; lua_getstack(L, level, &ar); level++) {
		if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0)
			continue;
		if (module != NULL && strcmp(ar.source, module) == 0)
			continue;
		lua_pop(L, 1);
		lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
		return;
	}
	lua_pop(L, 1);
	lua_pushliteral(L, "");
}

/* Push an error object: { code, class (pk_error_class()), name ("PK_..."
 * or "E..."), message, where (the caller's "file:line: ") } whose
 * __tostring gives where and message. */
static void
pk_lua_push_error(lua_State *L, int code, const char *msg)
{
	size_t n;
	const char *name = pk_swig_code_name(code, &n);

	lua_createtable(L, 0, 5);
	pk_lua_push_where(L);
	lua_setfield(L, -2, "where");
	lua_pushinteger(L, code);
	lua_setfield(L, -2, "code");
	lua_pushstring(L, pk_error_class(code));
	lua_setfield(L, -2, "class");
	lua_pushlstring(L, name, n);
	lua_setfield(L, -2, "name");
	lua_pushstring(L, msg != NULL ? msg : pk_strerror(code));
	lua_setfield(L, -2, "message");
	luaL_setmetatable(L, PK_LUA_ERROR);
}

/* The error for a return code (pk_swig_message()'s text). */
static void
pk_lua_raise(lua_State *L, int code)
{
	pk_lua_push_error(L, code, pk_swig_message(code));
}
/* swig/pmemkit.i's name for it: in a wrapper, L is in scope; SWIG_fail
 * then raises what is on the top of the stack */
#define pk_swig_raise(code) pk_lua_raise(L, (code))

/* ---- values ---------------------------------------------------------- */

/* A tuple (pmemkit.tuple): an immutable userdata holding its encoding
 * (what pk_lua_to_value() lends C, with no work per call) and, as its
 * user value, the table of its items as Lua values (t[i]). A frozen set
 * scalar (pmemkit.frozenkey, PK_FROZENSET) is the same userdata under its
 * own metatable: its members in the library's canonical order, a nil
 * member as pmemkit.null. */
typedef struct pk_lua_tuple {
	size_t n;            /* the number of items, trailing nils counted */
	size_t len;          /* the bytes of the encoding */
	unsigned char enc[]; /* the encoding (pk_tuple_pack()) */
} pk_lua_tuple;

/* A userdata of type @tname holding string @s as its user value (bytes,
 * bigint): immutable, and the string outlives any pk_value borrowing it
 * while the userdata is on the stack. */
static void
pk_lua_push_boxed(lua_State *L, const char *tname, const char *s, size_t n)
{
	lua_newuserdatauv(L, 0, 1);
	lua_pushlstring(L, s, n);
	lua_setiuservalue(L, -2, 1);
	luaL_setmetatable(L, tname);
}

/* The string a bytes or bigint userdata at @idx holds; NULL if it is
 * not one of type @tname. */
static const char *
pk_lua_unbox(lua_State *L, int idx, const char *tname, size_t *n)
{
	const char *s;

	if (luaL_testudata(L, idx, tname) == NULL)
		return NULL;
	lua_getiuservalue(L, idx, 1);
	s = lua_tolstring(L, -1, n);
	lua_pop(L, 1); /* still referenced by the userdata */
	return s;
}

static void pk_lua_push_tuple(lua_State *L, const pk_value *v, int depth);
static int pk_lua_freeze(lua_State *L, int idx);
#define PK_LUA_NESTS(t) ((t) == PK_TUPLE || (t) == PK_FROZENSET)

static void
pk_lua_push_value(lua_State *L, const pk_value *v)
{
	switch (v->type) {
	case PK_NIL:
		lua_pushnil(L);
		return;
	case PK_BOOL:
		lua_pushboolean(L, v->u.i != 0);
		return;
	case PK_INT:
		lua_pushinteger(L, (lua_Integer)v->u.i);
		return;
	case PK_DOUBLE:
		lua_pushnumber(L, (lua_Number)v->u.d);
		return;
	case PK_BYTES:
	case PK_STRING:
		lua_pushlstring(L, (const char *)v->u.buf.ptr, v->u.buf.len);
		return;
	case PK_BIGINT:
		pk_lua_push_boxed(L, PK_LUA_BIGINT,
				(const char *)v->u.buf.ptr, v->u.buf.len);
		return;
	case PK_TUPLE:
	case PK_FROZENSET:
		pk_lua_push_tuple(L, v, 1);
		return;
	case PK_MAP:
	case PK_LIST:
	case PK_ARRAY:
	case PK_LOG:
	case PK_BLOCKS:
	case PK_SET:
	case PK_RECORD:
	case PK_SORTED: {
		/* the Lua code opens a handle for it */
		pk_value *r = (pk_value *)lua_newuserdatauv(L, sizeof(*r), 0);
		*r = *v;
		luaL_setmetatable(L, PK_LUA_REF);
		return;
	}
	}
	pk_lua_push_error(L, PK_EVALUE, "pmemkit: unknown value type");
	lua_error(L);
}

/*
 * The Lua value at @idx as a pk_value. Strings are borrowed from the
 * stack. Returns 0, or -1 with an error object pushed. key: what is
 * refused is a key type error rather than a value error.
 */
static int
pk_lua_to_value(lua_State *L, int idx, pk_value *v, int key)
{
	const char *s;
	size_t n;

	memset(v, 0, sizeof(*v));
	switch (lua_type(L, idx)) {
	case LUA_TNONE:
	case LUA_TNIL:
		v->type = PK_NIL;
		return 0;
	case LUA_TBOOLEAN:
		v->type = PK_BOOL;
		v->u.i = lua_toboolean(L, idx);
		return 0;
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx)) {
			v->type = PK_INT;
			v->u.i = (int64_t)lua_tointeger(L, idx);
		} else {
			v->type = PK_DOUBLE;
			v->u.d = (double)lua_tonumber(L, idx);
		}
		return 0;
	case LUA_TSTRING:
		s = lua_tolstring(L, idx, &n);
		v->type = pk_utf8_valid(s, n) ?
			PK_STRING : PK_BYTES;
		v->u.buf.ptr = s;
		v->u.buf.len = n;
		return 0;
	case LUA_TTABLE:
		/* a table marked by pmemkit.frozenset{...} or a stored frozen
		 * set, as a key: its members as a frozen set scalar, which
		 * takes its place on the stack */
		if (key && pk_lua_freeze(L, idx))
			return pk_lua_to_value(L, idx, v, key);
		break;
	case LUA_TLIGHTUSERDATA:
		if (lua_touserdata(L, idx) == NULL) { /* pmemkit.null */
			v->type = PK_NIL;
			return 0;
		}
		break;
	case LUA_TUSERDATA: {
		pk_value *r;
		pk_lua_tuple *t;
		if ((s = pk_lua_unbox(L, idx, PK_LUA_BYTES, &n)) != NULL) {
			v->type = PK_BYTES;
		} else if ((s = pk_lua_unbox(L, idx, PK_LUA_BIGINT, &n)) != NULL) {
			v->type = PK_BIGINT;
		} else if ((r = (pk_value *)luaL_testudata(L, idx, PK_LUA_REF))
				!= NULL) {
			*v = *r; /* a container as a key: the library refuses it */
			return 0;
		} else if ((t = (pk_lua_tuple *)luaL_testudata(L, idx,
				PK_LUA_TUPLE)) != NULL) {
			v->type = PK_TUPLE; /* borrowed from the userdata */
			v->u.buf.ptr = t->enc;
			v->u.buf.len = t->len;
			return 0;
		} else if ((t = (pk_lua_tuple *)luaL_testudata(L, idx,
				PK_LUA_FSET)) != NULL) {
			v->type = PK_FROZENSET; /* borrowed, as a tuple's */
			v->u.buf.ptr = t->enc;
			v->u.buf.len = t->len;
			return 0;
		} else {
			break;
		}
		v->u.buf.ptr = s;
		v->u.buf.len = n;
		return 0;
	}
	default:
		break;
	}
	lua_pushfstring(L, key ? "pmemkit: unsupported key type: %s%s" :
			"pmemkit: cannot store a value of type %s%s",
			luaL_typename(L, idx), key && lua_istable(L, idx) ?
			" (a key of several parts is pmemkit.tuple(...), a set as "
			"a key pmemkit.frozenset(...))" : "");
	pk_lua_push_error(L, key ? PK_EKEYTYPE : PK_EVALUE,
			lua_tostring(L, -1));
	lua_remove(L, -2);
	return -1;
}

/* ---- tuples ---------------------------------------------------------- */

/* A new tuple userdata (a frozen set's if tname is PK_LUA_FSET) for the
 * encoding (enc, len) of n items, its items table on the stack's top
 * (popped); the tuple is pushed. */
static pk_lua_tuple *
pk_lua_new_tuple(lua_State *L, const void *enc, size_t len, size_t n,
		const char *tname)
{
	pk_lua_tuple *t = (pk_lua_tuple *)lua_newuserdatauv(L,
			sizeof(*t) + len, 1);
	t->n = n;
	t->len = len;
	if (enc != NULL && len > 0)
		memcpy(t->enc, enc, len);
	lua_insert(L, -2);
	lua_setiuservalue(L, -2, 1);
	luaL_setmetatable(L, tname);
	return t;
}

/* pk_lua_push_tuple -- a PK_TUPLE (or PK_FROZENSET) value read (its
 * bytes borrowed) as a tuple (or frozen set): its items converted, nested
 * tuples and frozen sets too (at depth + 1: a damaged
 * pool's tuples nested beyond PK_TUPLE_DEPTH are a Value error, not a
 * deep recursion); the encoding copied, so that storing the tuple again
 * stores the same items of the same types */
static void
pk_lua_push_tuple(lua_State *L, const pk_value *v, int depth)
{
	uint64_t n = 0;
	size_t pos = 0, i = 0;
	pk_value item;
	int rc = pk_tuple_length(&n, v);

	if (depth > PK_TUPLE_DEPTH) {
		pk_lua_push_error(L, PK_EVALUE, "pmemkit: a tuple nested too deep");
		lua_error(L);
	}
	luaL_checkstack(L, 4, "pmemkit: tuples nested too deep");
	if (rc != 0) {
		pk_lua_raise(L, rc);
		lua_error(L);
	}
	lua_createtable(L, (int)(n < 64 ? n : 64), 0);
	while ((rc = pk_tuple_next(&item, v, &pos)) == 0) {
		if (PK_LUA_NESTS(item.type))
			pk_lua_push_tuple(L, &item, depth + 1);
		else if (item.type == PK_NIL && v->type == PK_FROZENSET)
			lua_pushlightuserdata(L, NULL); /* pmemkit.null */
		else
			pk_lua_push_value(L, &item);
		lua_rawseti(L, -2, (lua_Integer)++i);
	}
	if (rc != PK_ITEROVER) {
		pk_lua_raise(L, rc);
		lua_error(L);
	}
	pk_lua_new_tuple(L, v->u.buf.ptr, v->u.buf.len, (size_t)n,
			v->type == PK_FROZENSET ? PK_LUA_FSET : PK_LUA_TUPLE);
}

/* tuple(...): a tuple of the arguments, trailing nils counted
 * (select('#', ...)); each a scalar (a string is text if it is valid
 * UTF-8, as a key is; bytes(s) for bytes) or a tuple. Anything else
 * (a table, a container, a function) is a KeyType error. */
static int
pk_lua_tuple_new(lua_State *L)
{
	int n = lua_gettop(L), i;
	pk_value *items = (pk_value *)lua_newuserdatauv(L,
			sizeof(pk_value) * (size_t)(n > 0 ? n : 1), 0);
	size_t len = 0;
	pk_lua_tuple *t;
	int rc;

	for (i = 1; i <= n; i++) {
		if ((lua_type(L, i) == LUA_TTABLE && !pk_lua_freeze(L, i)) ||
				lua_type(L, i) == LUA_TFUNCTION || lua_type(L, i) ==
				LUA_TTHREAD || luaL_testudata(L, i, PK_LUA_REF) != NULL) {
			lua_pushfstring(L, "pmemkit.tuple: item %d is a %s: a "
					"tuple's items are scalars (nil, booleans, numbers, "
					"strings, bytes, bigints), tuples or frozen sets "
					"(pmemkit.frozenset(...))", i,
					luaL_typename(L, i));
			pk_lua_push_error(L, PK_EKEYTYPE, lua_tostring(L, -1));
			return lua_error(L);
		}
		if (pk_lua_to_value(L, i, &items[i - 1], 1) != 0)
			return lua_error(L);
	}
	rc = pk_tuple_pack(NULL, 0, &len, items, (size_t)n);
	if (rc != 0) {
		pk_lua_raise(L, rc);
		return lua_error(L);
	}
	/* the items as Lua values: bytes as strings, null as nil */
	lua_createtable(L, n, 0);
	for (i = 1; i <= n; i++) {
		switch (items[i - 1].type) {
		case PK_NIL:
			continue;
		case PK_BYTES:
			lua_pushlstring(L, (const char *)items[i - 1].u.buf.ptr,
					items[i - 1].u.buf.len);
			break;
		default:
			lua_pushvalue(L, i);
			break;
		}
		lua_rawseti(L, -2, i);
	}
	t = pk_lua_new_tuple(L, NULL, len, (size_t)n, PK_LUA_TUPLE);
	rc = pk_tuple_pack(t->enc, len, &len, items, (size_t)n);
	if (rc != 0) {
		pk_lua_raise(L, rc);
		return lua_error(L);
	}
	return 1;
}

static pk_lua_tuple *
pk_lua_check_tuple(lua_State *L, int idx)
{
	return (pk_lua_tuple *)luaL_checkudata(L, idx, PK_LUA_TUPLE);
}

/* t[i]: item i (1..#t), nil for any other key */
static int
pk_lua_tuple_index(lua_State *L)
{
	pk_lua_tuple *t = pk_lua_check_tuple(L, 1);
	int isint = 0;
	lua_Integer i = lua_tointegerx(L, 2, &isint);

	if (!isint || i < 1 || (uint64_t)i > t->n)
		return 0;
	lua_getiuservalue(L, 1, 1);
	lua_rawgeti(L, -1, i);
	return 1;
}

static int
pk_lua_tuple_newindex(lua_State *L)
{
	pk_lua_push_error(L, PK_EKIND,
			"pmemkit: a tuple is immutable (make a new one)");
	return lua_error(L);
}

static int
pk_lua_tuple_len(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)pk_lua_check_tuple(L, 1)->n);
	return 1;
}

/* a == b: as many items, equal pairwise as Lua's == has them */
static int
pk_lua_tuple_eq(lua_State *L)
{
	pk_lua_tuple *a = (pk_lua_tuple *)luaL_testudata(L, 1, PK_LUA_TUPLE);
	pk_lua_tuple *b = (pk_lua_tuple *)luaL_testudata(L, 2, PK_LUA_TUPLE);
	size_t i;

	lua_settop(L, 2);
	if (a == NULL || b == NULL || a->n != b->n) {
		lua_pushboolean(L, 0);
		return 1;
	}
	lua_getiuservalue(L, 1, 1);
	lua_getiuservalue(L, 2, 1);
	for (i = 1; i <= a->n; i++) {
		int same;
		lua_rawgeti(L, 3, (lua_Integer)i);
		lua_rawgeti(L, 4, (lua_Integer)i);
		same = lua_compare(L, -1, -2, LUA_OPEQ);
		lua_pop(L, 2);
		if (!same) {
			lua_pushboolean(L, 0);
			return 1;
		}
	}
	lua_pushboolean(L, 1);
	return 1;
}

/* ---- frozen sets as scalars ------------------------------------------ */

/* The registry keys of pmemkit.lua's freezer (a function of a table
 * giving a frozen set scalar of its members) and of the set of the
 * metatables whose tables it takes (set_freezer()). */
static const char pk_lua_freezer_key = 0;
static const char pk_lua_freezable_key = 0;

/* pk_lua_freeze -- if the table at idx is one the freezer takes, replace
 * it on the stack with the frozen set scalar of its members (1); else 0.
 * What the freezer raises (a bad member) is raised. */
static int
pk_lua_freeze(lua_State *L, int idx)
{
	int ok;

	idx = lua_absindex(L, idx);
	if (!lua_getmetatable(L, idx))
		return 0;
	if (lua_rawgetp(L, LUA_REGISTRYINDEX, &pk_lua_freezable_key) !=
			LUA_TTABLE) {
		lua_pop(L, 2);
		return 0;
	}
	lua_insert(L, -2);
	ok = lua_rawget(L, -2) != LUA_TNIL;
	lua_pop(L, 2);
	if (!ok)
		return 0;
	lua_rawgetp(L, LUA_REGISTRYINDEX, &pk_lua_freezer_key);
	lua_pushvalue(L, idx);
	lua_call(L, 1, 1);
	if (luaL_testudata(L, -1, PK_LUA_FSET) == NULL) {
		lua_pop(L, 1);
		return 0;
	}
	lua_replace(L, idx);
	return 1;
}

/* set_freezer(fn, metatables): pmemkit.lua's freezer, and the set (a
 * table whose keys are metatables) of the tables it takes */
static int
pk_lua_set_freezer(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TFUNCTION);
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_pushvalue(L, 1);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &pk_lua_freezer_key);
	lua_pushvalue(L, 2);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &pk_lua_freezable_key);
	return 0;
}

/* The pk_values of the items of the tuple or frozen set at @idx (borrowed
 * from its userdata), with room for @extra more after them, in a
 * userdata pushed on the stack; *n their number. */
static pk_value *
pk_lua_items_of(lua_State *L, int idx, const char *tname, size_t extra,
		size_t *n)
{
	pk_lua_tuple *t = (pk_lua_tuple *)luaL_checkudata(L, idx, tname);
	pk_value tv, *items = (pk_value *)lua_newuserdatauv(L,
			sizeof(pk_value) * (t->n + extra + 1), 0);
	size_t pos = 0;
	int rc;

	tv.type = strcmp(tname, PK_LUA_FSET) == 0 ? PK_FROZENSET : PK_TUPLE;
	tv.u.buf.ptr = t->enc;
	tv.u.buf.len = t->len;
	*n = 0;
	while ((rc = pk_tuple_next(&items[*n], &tv, &pos)) == 0)
		++*n;
	if (rc != PK_ITEROVER) {
		pk_lua_raise(L, rc);
		lua_error(L);
	}
	return items;
}

/* How many members a frozen set of the n items would have (repeats
 * dropped by the library's key rules); raises what pk_frozenset_pack()
 * refuses. */
static size_t
pk_lua_distinct(lua_State *L, const pk_value *items, size_t n)
{
	size_t len = 0;
	uint64_t count = 0;
	pk_value fs;
	void *buf;
	int rc = pk_frozenset_pack(NULL, 0, &len, items, n);

	if (rc == 0) {
		buf = lua_newuserdatauv(L, len > 0 ? len : 1, 0);
		rc = pk_frozenset_pack(buf, len, &len, items, n);
		fs.type = PK_FROZENSET;
		fs.u.buf.ptr = buf;
		fs.u.buf.len = len;
		if (rc == 0)
			rc = pk_tuple_length(&count, &fs);
		lua_pop(L, 1);
	}
	if (rc != 0) {
		pk_lua_raise(L, rc);
		lua_error(L);
	}
	return (size_t)count;
}

/* frozenset(...): a frozen set scalar of the arguments, each a scalar
 * (pmemkit.null for nil: a nil argument is refused, as a set's nil
 * element is), a tuple or a frozen set scalar; repeats by the key rules
 * (1, 1.0) kept once, the first given; members in canonical order. */
static int
pk_lua_frozenset_new(lua_State *L)
{
	int n = lua_gettop(L), i;
	pk_value *items = (pk_value *)lua_newuserdatauv(L,
			sizeof(pk_value) * (size_t)(n > 0 ? n : 1), 0);
	size_t len = 0;
	pk_value fs;
	void *buf;
	int rc;

	for (i = 1; i <= n; i++) {
		int ty = lua_type(L, i);
		if ((ty == LUA_TTABLE && !pk_lua_freeze(L, i)) ||
				ty == LUA_TFUNCTION || ty ==
				LUA_TTHREAD || ty == LUA_TNIL ||
				luaL_testudata(L, i, PK_LUA_REF) != NULL) {
			lua_pushfstring(L, "pmemkit.frozenset: member %d is a %s: "
					"a frozen set's members are scalars (booleans, "
					"numbers, strings, bytes, bigints, pmemkit.null "
					"for nil), tuples or frozen sets", i,
					luaL_typename(L, i));
			pk_lua_push_error(L, PK_EKEYTYPE, lua_tostring(L, -1));
			return lua_error(L);
		}
		if (pk_lua_to_value(L, i, &items[i - 1], 1) != 0)
			return lua_error(L);
	}
	rc = pk_frozenset_pack(NULL, 0, &len, items, (size_t)n);
	if (rc == 0) {
		buf = lua_newuserdatauv(L, len > 0 ? len : 1, 0);
		rc = pk_frozenset_pack(buf, len, &len, items, (size_t)n);
	}
	if (rc != 0) {
		pk_lua_raise(L, rc);
		return lua_error(L);
	}
	fs.type = PK_FROZENSET;
	fs.u.buf.ptr = buf;
	fs.u.buf.len = len;
	pk_lua_push_tuple(L, &fs, 1); /* members read back in their order */
	return 1;
}

/* frozenset_contains(s, x): whether x is a member of frozen set s by the
 * key rules (1 and 1.0 and true are one); x a scalar, tuple or frozen set
 * (anything else is a KeyType error) */
static int
pk_lua_frozenset_contains(lua_State *L)
{
	size_t n;
	pk_value *items = pk_lua_items_of(L, 1, PK_LUA_FSET, 1, &n);

	if (pk_lua_to_value(L, 2, &items[n], 1) != 0)
		return lua_error(L);
	lua_pushboolean(L, pk_lua_distinct(L, items, n + 1) == n);
	return 1;
}

/* a == b for frozen sets: the same members by the key rules */
static int
pk_lua_frozenset_eq(lua_State *L)
{
	pk_lua_tuple *a = (pk_lua_tuple *)luaL_testudata(L, 1, PK_LUA_FSET);
	pk_lua_tuple *b = (pk_lua_tuple *)luaL_testudata(L, 2, PK_LUA_FSET);
	size_t na, nb;
	pk_value *ia, *ib, *all;

	if (a == NULL || b == NULL || a->n != b->n) {
		lua_pushboolean(L, 0);
		return 1;
	}
	ia = pk_lua_items_of(L, 1, PK_LUA_FSET, 0, &na);
	ib = pk_lua_items_of(L, 2, PK_LUA_FSET, 0, &nb);
	all = (pk_value *)lua_newuserdatauv(L,
			sizeof(pk_value) * (na + nb + 1), 0);
	memcpy(all, ia, sizeof(pk_value) * na);
	memcpy(all + na, ib, sizeof(pk_value) * nb);
	lua_pushboolean(L, pk_lua_distinct(L, all, na + nb) == na);
	return 1;
}

/* s[i]: member i (1..#s) in canonical order; s.name: the method
 * (the metatable's __methods, set by pmemkit.lua); nil otherwise */
static int
pk_lua_frozenset_index(lua_State *L)
{
	pk_lua_tuple *t = (pk_lua_tuple *)luaL_checkudata(L, 1, PK_LUA_FSET);
	int isint = 0;
	lua_Integer i = lua_tointegerx(L, 2, &isint);

	if (lua_type(L, 2) == LUA_TSTRING) {
		lua_getmetatable(L, 1);
		if (lua_getfield(L, -1, "__methods") != LUA_TTABLE)
			return 0;
		lua_pushvalue(L, 2);
		lua_rawget(L, -2);
		return 1;
	}
	if (!isint || i < 1 || (uint64_t)i > t->n)
		return 0;
	lua_getiuservalue(L, 1, 1);
	lua_rawgeti(L, -1, i);
	return 1;
}

static int
pk_lua_frozenset_newindex(lua_State *L)
{
	pk_lua_push_error(L, PK_EKIND, "pmemkit: a frozen set scalar is "
			"immutable (make a new one with pmemkit.frozenset(...))");
	return lua_error(L);
}

static int
pk_lua_frozenset_len(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)((pk_lua_tuple *)luaL_checkudata(L, 1,
			PK_LUA_FSET))->n);
	return 1;
}

/* tuple_type(t, i): the type item i (1-based) is stored as, as map_type
 * names them; a Range error outside 1..#t (t a tuple or a frozen set) */
static int
pk_lua_tuple_type(lua_State *L);

/* ---- big integers ---------------------------------------------------- */

/* Decimal text of a little-endian two's complement integer. */
static void
pk_lua_push_decimal(lua_State *L, const unsigned char *b, size_t n)
{
	int neg = n > 0 && (b[n - 1] & 0x80);
	unsigned char *mag = (unsigned char *)lua_newuserdatauv(L, n + 1, 0);
	char *digits = (char *)lua_newuserdatauv(L, n * 3 + 2, 0);
	size_t i, nd = 0, top = n;
	unsigned carry = 1;

	for (i = 0; i < n; i++) {
		mag[i] = neg ? (unsigned char)~b[i] : b[i];
		if (neg) { /* + 1: the magnitude of a negative number */
			unsigned x = mag[i] + carry;
			mag[i] = (unsigned char)x;
			carry = x >> 8;
		}
	}
	while (top > 0 && mag[top - 1] == 0)
		top--;
	while (top > 0) {
		unsigned rem = 0;
		for (i = top; i-- > 0;) {
			unsigned cur = rem << 8 | mag[i];
			mag[i] = (unsigned char)(cur / 10);
			rem = cur % 10;
		}
		digits[nd++] = (char)('0' + rem);
		while (top > 0 && mag[top - 1] == 0)
			top--;
	}
	if (nd == 0)
		digits[nd++] = '0';
	if (neg)
		digits[nd++] = '-';
	for (i = 0; i < nd / 2; i++) {
		char t = digits[i];
		digits[i] = digits[nd - 1 - i];
		digits[nd - 1 - i] = t;
	}
	lua_pushlstring(L, digits, nd);
	lua_replace(L, -3);
	lua_pop(L, 1);
}

/* bigint(text or integer): the integer a decimal text stands for, as a
 * Lua integer when it fits in 64 bits, else as a bigint userdata (its
 * minimal little-endian two's complement bytes: PK_BIGINT). */
static int
pk_lua_bigint(lua_State *L)
{
	size_t n, i, len = 0, cap;
	const char *s;
	unsigned char *b;
	int neg = 0;

	if (lua_isinteger(L, 1)) {
		lua_settop(L, 1);
		return 1;
	}
	if (luaL_testudata(L, 1, PK_LUA_BIGINT) != NULL) {
		lua_settop(L, 1);
		return 1;
	}
	s = luaL_checklstring(L, 1, &n);
	i = 0;
	if (n > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == n)
		return luaL_argerror(L, 1, "not a decimal integer");
	cap = (n - i) / 2 + 2; /* a digit is log2(10)/8 < 1/2 byte */
	b = (unsigned char *)lua_newuserdatauv(L, cap, 0);
	memset(b, 0, cap);
	for (; i < n; i++) {
		unsigned carry;
		size_t k;
		if (s[i] < '0' || s[i] > '9')
			return luaL_argerror(L, 1, "not a decimal integer");
		carry = (unsigned)(s[i] - '0');
		for (k = 0; k < len || carry != 0; k++) {
			unsigned cur = (k < len ? b[k] * 10u : 0) + carry;
			b[k] = (unsigned char)cur;
			carry = cur >> 8;
		}
		if (k > len)
			len = k;
	}
	/* room for the sign bit, then the two's complement */
	if (len == 0 || (b[len - 1] & 0x80))
		len++;
	if (neg) {
		unsigned carry = 1;
		for (i = 0; i < len; i++) {
			unsigned x = (unsigned char)~b[i] + carry;
			b[i] = (unsigned char)x;
			carry = x >> 8;
		}
		while (len > 1 && b[len - 1] == 0xFF && (b[len - 2] & 0x80))
			len--;
	} else {
		while (len > 1 && b[len - 1] == 0 && !(b[len - 2] & 0x80))
			len--;
	}
	if (len <= 8) { /* sign-extended */
		uint64_t u = (b[len - 1] & 0x80) ? UINT64_MAX : 0;
		for (i = len; i-- > 0;)
			u = u << 8 | b[i];
		lua_pushinteger(L, (lua_Integer)u);
		return 1;
	}
	pk_lua_push_boxed(L, PK_LUA_BIGINT, (const char *)b, len);
	return 1;
}

static int
pk_lua_bigint_tostring(lua_State *L)
{
	size_t n;
	const char *s = pk_lua_unbox(L, 1, PK_LUA_BIGINT, &n);
	if (s == NULL)
		return luaL_typeerror(L, 1, PK_LUA_BIGINT);
	pk_lua_push_decimal(L, (const unsigned char *)s, n);
	return 1;
}

/* ---- boxed strings (bytes, bigint): equality, length, text ------------ */

static int
pk_lua_boxed_eq(lua_State *L)
{
	lua_getiuservalue(L, 1, 1);
	lua_getiuservalue(L, 2, 1);
	lua_pushboolean(L, lua_getmetatable(L, 1) && lua_getmetatable(L, 2) &&
			lua_rawequal(L, -1, -2) && lua_rawequal(L, -3, -4));
	return 1;
}

static int
pk_lua_bytes_tostring(lua_State *L)
{
	size_t n;
	const char *s = pk_lua_unbox(L, 1, PK_LUA_BYTES, &n);
	if (s == NULL)
		return luaL_typeerror(L, 1, PK_LUA_BYTES);
	lua_pushlstring(L, s, n);
	return 1;
}

static int
pk_lua_bytes_len(lua_State *L)
{
	size_t n = 0;
	if (pk_lua_unbox(L, 1, PK_LUA_BYTES, &n) == NULL)
		return luaL_typeerror(L, 1, PK_LUA_BYTES);
	lua_pushinteger(L, (lua_Integer)n);
	return 1;
}

/* bytes(s): s to be stored as PK_BYTES even when it is valid UTF-8 */
static int
pk_lua_bytes(lua_State *L)
{
	size_t n;
	const char *s;

	if (luaL_testudata(L, 1, PK_LUA_BYTES) != NULL) {
		lua_settop(L, 1);
		return 1;
	}
	s = luaL_checklstring(L, 1, &n);
	pk_lua_push_boxed(L, PK_LUA_BYTES, s, n);
	return 1;
}

/* ---- helpers for pmemkit.lua ----------------------------------------- */

/* new_error(code [, message]): an error object, for errors the Lua code
 * finds itself */
static int
pk_lua_new_error(lua_State *L)
{
	int code = (int)luaL_checkinteger(L, 1);
	pk_lua_push_error(L, code, luaL_optstring(L, 2, pk_strerror(code)));
	return 1;
}

static int
pk_lua_is_error(lua_State *L)
{
	int is = 0;

	if (lua_type(L, 1) == LUA_TTABLE && lua_getmetatable(L, 1)) {
		luaL_getmetatable(L, PK_LUA_ERROR);
		is = lua_rawequal(L, -1, -2);
	}
	lua_pushboolean(L, is);
	return 1;
}

/* reftype(v): the pk_type of a container reference (PK_MAP ... PK_SORTED),
 * nil for anything else */
static int
pk_lua_reftype(lua_State *L)
{
	pk_value *r = (pk_value *)luaL_testudata(L, 1, PK_LUA_REF);
	if (r == NULL)
		return 0;
	lua_pushinteger(L, (lua_Integer)r->type);
	return 1;
}

static int
pk_lua_ref_eq(lua_State *L)
{
	pk_value *a = (pk_value *)luaL_testudata(L, 1, PK_LUA_REF);
	pk_value *b = (pk_value *)luaL_testudata(L, 2, PK_LUA_REF);
	lua_pushboolean(L, a != NULL && b != NULL && a->type == b->type &&
			a->u.ref.off == b->u.ref.off &&
			a->u.ref.gen == b->u.ref.gen);
	return 1;
}

static int
pk_lua_null(lua_State *L)
{
	lua_pushlightuserdata(L, NULL);
	return 1;
}

static void
pk_lua_new_metatable(lua_State *L, const char *tname, const luaL_Reg *fns)
{
	luaL_newmetatable(L, tname);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}

/* tostring(e): "file:line: message", as Lua's own errors read. Called
 * by a message handler (a C function that no Lua code called by name:
 * the stand-alone lua's, which prints an error object's __tostring as it
 * is), the text also has the traceback of where the error was raised. */
static int
pk_lua_error_tostring(lua_State *L)
{
	lua_Debug ar;

	luaL_checktype(L, 1, LUA_TTABLE);
	lua_getfield(L, 1, "where");
	if (!lua_isstring(L, -1)) {
		lua_pop(L, 1);
		lua_pushliteral(L, "");
	}
	lua_getfield(L, 1, "message");
	if (!lua_isstring(L, -1)) {
		lua_pop(L, 1);
		lua_pushliteral(L, "pmemkit error");
	}
	lua_concat(L, 2);
	if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "nS", &ar) &&
			strcmp(ar.what, "C") == 0 && ar.name == NULL)
		luaL_traceback(L, L, lua_tostring(L, -1), 2);
	return 1;
}

/* set_source(s): the source of pmemkit.lua's chunk (its frames are not
 * where an error is reported) */
static int
pk_lua_set_source(lua_State *L)
{
	luaL_checkstring(L, 1);
	lua_settop(L, 1);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &pk_lua_source_key);
	return 0;
}

static const char *
pk_lua_type_name(pk_type t)
{
	switch (t) {
	case PK_NIL: return "nil";
	case PK_BOOL: return "boolean";
	case PK_INT: return "integer";
	case PK_DOUBLE: return "float";
	case PK_BYTES: return "bytes";
	case PK_STRING: return "string";
	case PK_BIGINT: return "bigint";
	case PK_TUPLE: return "tuple";
	case PK_FROZENSET: return "frozenset";
	case PK_MAP: return "map";
	case PK_LIST: return "list";
	case PK_ARRAY: return "array";
	case PK_LOG: return "log";
	case PK_BLOCKS: return "blocks";
	case PK_SET: return "set";
	case PK_RECORD: return "record";
	case PK_SORTED: return "sorted";
	}
	return "unknown";
}

static int
pk_lua_tuple_type(lua_State *L)
{
	pk_lua_tuple *t = (pk_lua_tuple *)luaL_testudata(L, 1, PK_LUA_FSET);
	int fset = t != NULL;
	lua_Integer i, k;
	pk_value tv, item;
	size_t pos = 0;
	int rc = 0;

	if (t == NULL)
		t = pk_lua_check_tuple(L, 1);
	i = luaL_checkinteger(L, 2);
	if (i < 1 || (uint64_t)i > t->n) {
		lua_pushfstring(L, "pmemkit: item %I of a %s of %I", i,
				fset ? "frozen set" : "tuple", (lua_Integer)t->n);
		pk_lua_push_error(L, PK_ERANGE, lua_tostring(L, -1));
		return lua_error(L);
	}
	tv.type = fset ? PK_FROZENSET : PK_TUPLE;
	tv.u.buf.ptr = t->enc;
	tv.u.buf.len = t->len;
	for (k = 1; k <= i && rc == 0; k++)
		rc = pk_tuple_next(&item, &tv, &pos);
	if (rc != 0) {
		pk_lua_raise(L, rc);
		return lua_error(L);
	}
	lua_pushstring(L, pk_lua_type_name(item.type));
	return 1;
}

static void
pk_lua_init_types(lua_State *L)
{
	static const luaL_Reg err[] = {
		{ "__tostring", pk_lua_error_tostring }, { NULL, NULL } };
	static const luaL_Reg bytes[] = {
		{ "__tostring", pk_lua_bytes_tostring },
		{ "__len", pk_lua_bytes_len },
		{ "__eq", pk_lua_boxed_eq }, { NULL, NULL } };
	static const luaL_Reg bigint[] = {
		{ "__tostring", pk_lua_bigint_tostring },
		{ "__eq", pk_lua_boxed_eq }, { NULL, NULL } };
	static const luaL_Reg ref[] = {
		{ "__eq", pk_lua_ref_eq }, { NULL, NULL } };
	static const luaL_Reg tuple[] = {
		{ "__index", pk_lua_tuple_index },
		{ "__newindex", pk_lua_tuple_newindex },
		{ "__len", pk_lua_tuple_len },
		{ "__eq", pk_lua_tuple_eq }, { NULL, NULL } };
	static const luaL_Reg fset[] = {
		{ "__index", pk_lua_frozenset_index },
		{ "__newindex", pk_lua_frozenset_newindex },
		{ "__len", pk_lua_frozenset_len },
		{ "__eq", pk_lua_frozenset_eq }, { NULL, NULL } };

	pk_lua_new_metatable(L, PK_LUA_ERROR, err);
	pk_lua_new_metatable(L, PK_LUA_BYTES, bytes);
	pk_lua_new_metatable(L, PK_LUA_BIGINT, bigint);
	pk_lua_new_metatable(L, PK_LUA_REF, ref);
	pk_lua_new_metatable(L, PK_LUA_TUPLE, tuple);
	pk_lua_new_metatable(L, PK_LUA_FSET, fset);
}

/* tuple_metatable(): the tuples' metatable (pmemkit.lua adds __tostring
 * and __pairs to it) */
static int
pk_lua_tuple_metatable(lua_State *L)
{
	luaL_getmetatable(L, PK_LUA_TUPLE);
	return 1;
}

/* frozenset_metatable(): the frozen set scalars' (pmemkit.lua adds
 * __tostring, __pairs and __methods) */
static int
pk_lua_frozenset_metatable(lua_State *L)
{
	luaL_getmetatable(L, PK_LUA_FSET);
	return 1;
}
%}

%init %{
	pk_lua_init_types(L);
%}

%native(new_error) int pk_lua_new_error(lua_State *L);
%native(set_source) int pk_lua_set_source(lua_State *L);
%native(is_error) int pk_lua_is_error(lua_State *L);
%native(reftype) int pk_lua_reftype(lua_State *L);
%native(null) int pk_lua_null(lua_State *L);
%native(bytes) int pk_lua_bytes(lua_State *L);
%native(bigint) int pk_lua_bigint(lua_State *L);
%native(tuple) int pk_lua_tuple_new(lua_State *L);
%native(tuple_metatable) int pk_lua_tuple_metatable(lua_State *L);
%native(tuple_type) int pk_lua_tuple_type(lua_State *L);
%native(frozenset) int pk_lua_frozenset_new(lua_State *L);
%native(set_freezer) int pk_lua_set_freezer(lua_State *L);
%native(frozenset_metatable) int pk_lua_frozenset_metatable(lua_State *L);
%native(frozenset_contains) int pk_lua_frozenset_contains(lua_State *L);

/* ---- raw element bytes of typed arrays -------------------------------- */

/* Reads and writes of element bytes go through Lua strings (not the
 * caller's buffers), their length checked here. */
%ignore pk_array_read;
%ignore pk_array_write;
%ignore pk_array_set;

%wrapper %{
static pk_array *
pk_lua_check_array(lua_State *L, int idx)
{
	void *p = NULL;
	if (!SWIG_IsOK(SWIG_ConvertPtr(L, idx, &p, SWIGTYPE_p_pk_array, 0)) ||
			p == NULL)
		luaL_typeerror(L, idx, "pk_array");
	return (pk_array *)p;
}

static size_t
pk_lua_array_width(lua_State *L, pk_array *arr)
{
	size_t width = 0;
	int rc = pk_array_type(NULL, &width, arr);
	if (rc != 0) {
		pk_lua_raise(L, rc);
		lua_error(L);
	}
	return width;
}

/* array_read(array, start, count): elements [start, start + count)
 * (0-based) as a string of their bytes */
static int
pk_lua_array_read(lua_State *L)
{
	pk_array *arr = pk_lua_check_array(L, 1);
	lua_Integer start = luaL_checkinteger(L, 2);
	lua_Integer count = luaL_checkinteger(L, 3);
	size_t width = pk_lua_array_width(L, arr);
	luaL_Buffer buf;
	char *p;
	int rc;

	if (start < 0 || count < 0 || (width != 0 &&
			(uint64_t)count > SIZE_MAX / width)) {
		pk_lua_push_error(L, PK_ERANGE, "pmemkit: bad element range");
		return lua_error(L);
	}
	p = luaL_buffinitsize(L, &buf, (size_t)count * width);
	rc = count == 0 ? 0 : pk_array_read(p, arr, (uint64_t)start,
			(uint64_t)count);
	if (rc != 0) {
		pk_lua_raise(L, rc);
		return lua_error(L);
	}
	luaL_pushresultsize(&buf, (size_t)count * width);
	return 1;
}

/* array_write(array, start, s): the bytes of s over elements from start
 * (0-based), atomically; #s must be a multiple of the element width */
static int
pk_lua_array_write(lua_State *L)
{
	pk_array *arr = pk_lua_check_array(L, 1);
	lua_Integer start = luaL_checkinteger(L, 2);
	size_t n, width;
	const char *s;
	int rc;

	if (luaL_testudata(L, 3, PK_LUA_BYTES) != NULL)
		s = pk_lua_unbox(L, 3, PK_LUA_BYTES, &n);
	else
		s = luaL_checklstring(L, 3, &n);
	width = pk_lua_array_width(L, arr);
	if (width == 0 || n % width != 0) {
		pk_lua_push_error(L, PK_EVALUE, "pmemkit: the length of the "
				"data is not a multiple of the element width");
		return lua_error(L);
	}
	if (start < 0) {
		pk_lua_push_error(L, PK_ERANGE, "pmemkit: bad element range");
		return lua_error(L);
	}
	rc = n == 0 ? 0 : pk_array_write(arr, (uint64_t)start, n / width, s);
	if (rc != 0) {
		pk_lua_raise(L, rc);
		return lua_error(L);
	}
	return 0;
}

/* array_set(array, index, x): element index (0-based) = x; a float with
 * an integral value in int64's range is the integer (integer elements
 * refuse floats; float elements take either), as Lua's own library
 * functions take 3.0 for 3 */
static int
pk_lua_array_set(lua_State *L)
{
	pk_array *arr = pk_lua_check_array(L, 1);
	lua_Integer index = luaL_checkinteger(L, 2);
	pk_value v;
	int rc;

	if (pk_lua_to_value(L, 3, &v, 0) != 0)
		return lua_error(L);
	if (v.type == PK_DOUBLE && v.u.d >= -0x1p63 && v.u.d < 0x1p63 &&
			v.u.d == (double)(int64_t)v.u.d) {
		v.type = PK_INT;
		v.u.i = (int64_t)v.u.d;
	}
	rc = pk_array_set(arr, (int64_t)index, &v);
	if (rc != 0) {
		pk_lua_raise(L, rc);
		return lua_error(L);
	}
	return 0;
}

/* map_type(map, key), sorted_type(map, key), list_type(list, index),
 * record_type(record, name): the stored type of a value ("nil",
 * "boolean", "integer", "float", "string", "bytes", "bigint", "map",
 * "list", "array", "log", "blocks", "set", "record", "sorted"), for what
 * Lua's values cannot tell apart; nil when there is no such key. index
 * is 0-based. */

/* pk_lua_keyed_type -- the type of the value at key (argument 2) of the
 * container of SWIG type @ty (argument 1), read by @get */
static int
pk_lua_keyed_type(lua_State *L, swig_type_info *ty, const char *what,
		int (*get)(pk_value *, void *, const pk_value *))
{
	void *p = NULL;
	pk_value key, out;
	int rc;

	if (!SWIG_IsOK(SWIG_ConvertPtr(L, 1, &p, ty, 0)) || p == NULL)
		return luaL_typeerror(L, 1, what);
	if (pk_lua_to_value(L, 2, &key, 1) != 0)
		return lua_error(L);
	rc = get(&out, p, &key);
	if (rc == PK_NOTFOUND)
		return 0;
	if (rc != 0) {
		pk_lua_raise(L, rc);
		return lua_error(L);
	}
	lua_pushstring(L, pk_lua_type_name(out.type));
	return 1;
}

static int
pk_lua_map_get_any(pk_value *out, void *c, const pk_value *key)
{
	return pk_map_get(out, (pk_map *)c, key);
}

static int
pk_lua_sorted_get_any(pk_value *out, void *c, const pk_value *key)
{
	return pk_sorted_get(out, (pk_sorted *)c, key);
}

static int
pk_lua_record_get_any(pk_value *out, void *c, const pk_value *key)
{
	return pk_record_get(out, (pk_record *)c, key);
}

static int
pk_lua_map_type(lua_State *L)
{
	return pk_lua_keyed_type(L, SWIGTYPE_p_pk_map, "pk_map",
			pk_lua_map_get_any);
}

static int
pk_lua_sorted_type(lua_State *L)
{
	return pk_lua_keyed_type(L, SWIGTYPE_p_pk_sorted, "pk_sorted",
			pk_lua_sorted_get_any);
}

static int
pk_lua_record_type(lua_State *L)
{
	return pk_lua_keyed_type(L, SWIGTYPE_p_pk_record, "pk_record",
			pk_lua_record_get_any);
}

/* sorted_key_type(map, index): the stored type of the key at index
 * (0-based; negative from the end) of a sorted map, as map_type names
 * types (a key read is a string whether it is text or bytes); a Range
 * error outside the map */
static int
pk_lua_sorted_key_type(lua_State *L)
{
	void *p = NULL;
	pk_value key;
	lua_Integer index = luaL_checkinteger(L, 2);
	int rc;

	if (!SWIG_IsOK(SWIG_ConvertPtr(L, 1, &p, SWIGTYPE_p_pk_sorted, 0)) ||
			p == NULL)
		return luaL_typeerror(L, 1, "pk_sorted");
	rc = pk_sorted_at(&key, NULL, (pk_sorted *)p, (int64_t)index);
	if (rc != 0) {
		pk_lua_raise(L, rc);
		return lua_error(L);
	}
	lua_pushstring(L, pk_lua_type_name(key.type));
	return 1;
}

static int
pk_lua_list_type(lua_State *L)
{
	void *p = NULL;
	pk_value out;
	lua_Integer index = luaL_checkinteger(L, 2);
	int rc;

	if (!SWIG_IsOK(SWIG_ConvertPtr(L, 1, &p, SWIGTYPE_p_pk_list, 0)) ||
			p == NULL)
		return luaL_typeerror(L, 1, "pk_list");
	rc = pk_list_get(&out, (pk_list *)p, (int64_t)index);
	if (rc != 0) {
		pk_lua_raise(L, rc);
		return lua_error(L);
	}
	lua_pushstring(L, pk_lua_type_name(out.type));
	return 1;
}

%}
%native(record_type) int pk_lua_record_type(lua_State *L);
%native(array_set) int pk_lua_array_set(lua_State *L);
%native(map_type) int pk_lua_map_type(lua_State *L);
%native(sorted_type) int pk_lua_sorted_type(lua_State *L);
%native(sorted_key_type) int pk_lua_sorted_key_type(lua_State *L);
%native(list_type) int pk_lua_list_type(lua_State *L);
%native(array_read) int pk_lua_array_read(lua_State *L);
%native(array_write) int pk_lua_array_write(lua_State *L);

/* ---- integers ---------------------------------------------------------- */

/* integers are Lua integers both ways (a float with an integral value is
 * accepted, as Lua's own library functions do) */
%typemap(in, checkfn="lua_isnumber") int64_t, uint64_t, size_t, uint16_t,
		unsigned, pk_elem {
	int isnum = 0;
	lua_Integer n = lua_tointegerx(L, $input, &isnum);
	if (!isnum)
		SWIG_fail_arg("$symname", $input, "integer");
	$1 = ($1_ltype)n;
}

/* results of those types too (the rows of the tables, pmemkit.lua reads) */
%typemap(out) int64_t, uint64_t "lua_pushinteger(L, (lua_Integer)$1); SWIG_arg++;";

/* PK_POOL_MIN_SIZE and PK_POOL_MAX_DEFAULT (SWIG's Lua module has no
 * size_t nor uint64_t constants) */
%typemap(consttab) size_t, uint64_t {SWIG_LUA_CONSTTAB_INT("$symname", $value)}

/* ---- values ---------------------------------------------------------- */

%typemap(in) const pk_value * (pk_value temp) {
	if (pk_lua_to_value(L, $input, &temp, 0) != 0)
		SWIG_fail;
	$1 = &temp;
}
%typemap(in) const pk_value *key (pk_value temp) {
	if (pk_lua_to_value(L, $input, &temp, 1) != 0)
		SWIG_fail;
	$1 = &temp;
}
/* several values: a sequence (a Lua table 1..n) of values */
%typemap(in, checkfn="lua_istable") (const pk_value *vals, size_t n) {
	lua_Integer i, count = (lua_Integer)lua_rawlen(L, $input);
	$1 = (pk_value *)lua_newuserdatauv(L, sizeof(pk_value) *
			(size_t)(count > 0 ? count : 1), 0);
	$2 = (size_t)count;
	for (i = 1; i <= count; i++) {
		lua_rawgeti(L, $input, i);
		if (pk_lua_to_value(L, -1, &$1[i - 1], 0) != 0)
			SWIG_fail;
		/* the string stays referenced by the table */
		lua_pop(L, 1);
	}
	/* the array stays on the stack (above the arguments) for the call */
}

/* values read and cursor entries (into the wrapper's pk_values: see
 * swig/pmemkit.i) */
%typemap(argout) pk_value *out "pk_lua_push_value(L, $1); SWIG_arg++;";
%typemap(argout) (pk_value *key, pk_value *val) {
	pk_lua_push_value(L, $1); SWIG_arg++;
	pk_lua_push_value(L, $2); SWIG_arg++;
}
%typemap(out) pk_value "pk_lua_push_value(L, &$1); SWIG_arg++;";

/* a new array's initial contents: only nil (zeros); pmemkit.lua writes
 * the elements after (array_write checks their length) */
%typemap(in, checkfn="lua_isnil") const void *init "$1 = NULL;";

/* pk_set_discard: whether the element was there (PK_NOTFOUND is an
 * outcome, as for pk_map_remove) */
%typemap(out) int pk_set_discard {
	if ($1 != 0 && $1 != PK_NOTFOUND) {
		pk_swig_raise($1);
		SWIG_fail;
	}
	lua_pushboolean(L, $1 == 0); SWIG_arg++;
}

/* a sorted map's lookups, as a map's (found, then the key and value);
 * pk_sorted_at's PK_ERANGE likewise (pmemkit.lua raises a Range error
 * where an index must be in the map) */
%typemap(out) int pk_sorted_get, int pk_sorted_remove, int pk_sorted_seek {
	if ($1 != 0 && $1 != PK_NOTFOUND) {
		pk_swig_raise($1);
		SWIG_fail;
	}
	lua_pushboolean(L, $1 == 0); SWIG_arg++;
}
%typemap(out) int pk_sorted_at {
	if ($1 != 0 && $1 != PK_ERANGE) {
		pk_swig_raise($1);
		SWIG_fail;
	}
	lua_pushboolean(L, $1 == 0); SWIG_arg++;
}
/* the probe of a seek and a range's bounds are keys (a table is a key
 * type error, a marked frozen set its scalar) */
%apply const pk_value *key { const pk_value *probe, const pk_value *lo,
	const pk_value *hi };

/* a record's attribute read or removed: found (a boolean) first, as
 * pk_map_get and pk_map_remove give it (swig/pmemkit.i's PK_OUTCOME, for
 * the record functions) */
%typemap(out) int pk_record_get, int pk_record_remove {
	if ($1 != 0 && $1 != PK_NOTFOUND) {
		pk_swig_raise($1);
		SWIG_fail;
	}
	lua_pushboolean(L, $1 == 0); SWIG_arg++;
}

/* ---- pool reports ---------------------------------------------------- */

%wrapper %{
/* pool_stats(pool): every field of pk_pool_stats of this header's
 * version as a table (the shared Lua typemap of pk_pool_stats_get gives
 * version 1's fields only: no max_size, no free) */
static int
pk_lua_pool_stats(lua_State *L)
{
	pk_pool_stats st = PK_POOL_STATS_INIT;
	void *p = NULL;
	int rc;

	if (!SWIG_IsOK(SWIG_ConvertPtr(L, 1, &p, SWIGTYPE_p_pk_pool, 0)) ||
			p == NULL)
		luaL_typeerror(L, 1, "pk_pool");
	rc = pk_pool_stats_get(&st, (pk_pool *)p);
	if (rc != 0) {
		pk_lua_raise(L, rc);
		return lua_error(L);
	}
	lua_createtable(L, 0, 7);
#define PK_LUA_STAT(F) lua_pushinteger(L, (lua_Integer)st.F); lua_setfield(L, -2, #F);
	PK_LUA_STAT(size) PK_LUA_STAT(used) PK_LUA_STAT(objects)
	PK_LUA_STAT(recovered) PK_LUA_STAT(max_size) PK_LUA_STAT(free)
#undef PK_LUA_STAT
	lua_pushboolean(L, st.unclean); lua_setfield(L, -2, "unclean");
	return 1;
}
%}
%native(pool_stats) int pk_lua_pool_stats(lua_State *L);

%include "swig/pmemkit.i"
