-- Tests of the Lua module, run by bindings/lua/run-lua-test (which sets
-- LUA_PATH/LUA_CPATH to the in-tree build, PK_LUA_TEST_DIR to a fresh
-- directory for the pools and PK_LUA_TEST_PYTHON to the interpreter of the
-- in-tree Python module, if any). A tiny runner: each test is a function;
-- it fails when it raises. The last line counts them.

local pk = require "pmemkit"

local DIR = assert(os.getenv("PK_LUA_TEST_DIR"), "PK_LUA_TEST_DIR is not set")
local PYTHON = os.getenv("PK_LUA_TEST_PYTHON") or ""

local tests = {}
local function test(name, fn)
	tests[#tests + 1] = { name = name, fn = fn }
end

-- ---- helpers ---------------------------------------------------------------

local function fail(msg, level)
	error(msg, (level or 1) + 1)
end

local function show(v)
	if type(v) == "string" then
		return ("%q"):format(v)
	end
	return tostring(v) .. (math.type(v) == "float" and " (float)" or "")
end

local function eq(got, want, what)
	if got ~= want or math.type(got) ~= math.type(want) then
		fail(("%s: got %s, want %s"):format(what or "value", show(got),
			show(want)), 2)
	end
end

local function check(cond, what)
	if not cond then
		fail(what or "check failed", 2)
	end
end

-- deep equality of plain tables (as totable() gives them)
local function same(a, b)
	if type(a) ~= "table" or type(b) ~= "table" then
		return a == b and math.type(a) == math.type(b)
	end
	for k, v in pairs(a) do
		if not same(v, b[k]) then
			return false
		end
	end
	for k in pairs(b) do
		if a[k] == nil then
			return false
		end
	end
	return true
end

-- fn(...) must raise a pmemkit error of class cls (and code, if given)
local function raises(cls, code, fn, ...)
	local ok, e = pcall(fn, ...)
	if ok then
		fail("expected a " .. cls .. " error, nothing was raised", 2)
	end
	if not pk.is_error(e) then
		fail("expected a " .. cls .. " error, got " .. tostring(e), 2)
	end
	if e.class ~= cls or (code and e.code ~= code) then
		fail(("expected a %s error%s, got %s %s (%d): %s"):format(cls,
			code and (" " .. code) or "", e.class, e.name, e.code,
			e.message), 2)
	end
	-- the caller's file:line, then the message (issue 19: it was the
	-- message alone)
	check(e.where:match("^.+:%d+: $"), "where: " .. tostring(e.where))
	eq(tostring(e), e.where .. e.message, "tostring of the error")
	return e
end

local npools, open_pools = 0, {}
local function path(name)
	npools = npools + 1
	return ("%s/%s-%d.pool"):format(DIR, name or "t", npools)
end
-- a new pool, closed after the test
local function newpool(size)
	local p = path()
	local pool = pk.create(p, { size = size or 4 * pk.MIN_POOL_SIZE })
	open_pools[#open_pools + 1] = pool
	return pool, p
end
local function reopen(pool)
	pool:close()
	local again = pk.open(pool.path)
	open_pools[#open_pools + 1] = again
	return again
end

local function healthy(pool)
	local ok, report = pool:check()
	check(ok, ("pool check: leaked %d, dangling %d, refcounts %d, damaged %d")
		:format(report.leaked, report.dangling, report.refcounts, report.damaged))
end

local function sh_quote(s)
	return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- run a Python snippet with the in-tree module, argv[1] = arg; its output
local function python(code, arg)
	local script = path("py") .. ".py"
	local f = assert(io.open(script, "w"))
	f:write("import sys, array, pmemkit\n", code, "\n")
	f:close()
	local p = assert(io.popen(("%s %s %s 2>&1"):format(sh_quote(PYTHON),
		sh_quote(script), sh_quote(arg))))
	local out = p:read("a")
	local ok = p:close()
	check(ok, "python failed:\n" .. out)
	return out
end

-- ---- pools -----------------------------------------------------------------

test("create, write, close, open, read", function()
	local pool, p = newpool()
	check(not pool:is_closed())
	pool:root().greeting = "hello"
	pool:close()
	check(pool:is_closed())
	pool:close() -- a no-op
	local again <close> = pk.open(p)
	eq(again:root().greeting, "hello")
	eq(again:stats().size, 4 * pk.MIN_POOL_SIZE, "pool size")
	eq(again:stats().unclean, false, "unclean")
end)

test("a <close> variable closes the pool", function()
	local p = path()
	do
		local pool <close> = pk.create(p, { size = pk.MIN_POOL_SIZE })
		pool:root().x = 1
		-- open twice: refused while it is open
		raises("OSError", nil, pk.open, p)
	end
	local pool <close> = pk.open(p)
	eq(pool:root().x, 1)
end)

test("a closed pool and its containers raise Closed", function()
	local pool = newpool()
	local root = pool:root()
	pool:close()
	raises("Closed", pk.PK_ECLOSED, pool.root, pool)
	raises("Closed", pk.PK_ECLOSED, function() return root.x end)
	raises("Closed", pk.PK_ECLOSED, function() root.x = 1 end)
	raises("Closed", pk.PK_ECLOSED, pool.transaction, pool, function() end)
end)

test("missing file, existing file: OSError with errno; bad size: Value", function()
	local e = raises("OSError", nil, pk.open, DIR .. "/missing.pool")
	eq(e.name, "ENOENT")
	check(e.message:find("missing.pool", 1, true), "message names the file")
	local _, p = newpool()
	eq(raises("OSError", nil, pk.create, p).name, "EEXIST")
	raises("Value", pk.PK_EVALUE, pk.create, path(), { size = 4096 })
	check(not pcall(pk.open, nil), "a nil path is refused")
end)

test("a file that is not a pool: PoolError", function()
	local p = path()
	local f = assert(io.open(p, "wb"))
	f:write(("not a pool\n"):rep(100000))
	f:close()
	raises("PoolError", pk.PK_ENOTPOOL, pk.open, p)
end)

test("a libpmemobj pool of another layout: PoolError", function()
	local p = path()
	check(os.execute(("pmempool create --layout other --size %d obj %s")
		:format(pk.MIN_POOL_SIZE, sh_quote(p))), "pmempool create failed "
		.. "(Debian package pmdk-tools)")
	raises("PoolError", pk.PK_ELAYOUT, pk.open, p)
end)

test("out of space in a pool of MIN_POOL_SIZE", function()
	local pool = newpool(pk.MIN_POOL_SIZE)
	local l = pool:new_list()
	pool:root().data = l
	local chunk = ("x"):rep(100000)
	local e = raises("OutOfSpace", pk.PK_ENOSPACE, function()
		for _ = 1, 1000 do
			l:append(chunk)
		end
	end)
	check(#l > 0 and #l < 1000, "some appends succeeded")
	check(e.message ~= "", "a message")
	-- the failed append left nothing behind; the pool works on
	healthy(pool)
	l:pop()
	l:append("small")
	eq(l[#l], "small")
end)

test("the error table gives every code its class", function()
	check(#pk.errors >= 16, "rows")
	for _, row in ipairs(pk.errors) do
		eq(pk[row.name], row.code, row.name)
		local e = require("pmemkit.core").new_error(row.code)
		eq(e.class, row.class, row.name .. " class")
		eq(e.name, row.name, "name")
		check(pk.is_error(e, row.class), "is_error")
	end
	-- the class issue 22 added comes from the table as the others do
	local ro = require("pmemkit.core").new_error(pk.PK_EREADONLY)
	eq(ro.class, "ReadOnly", "PK_EREADONLY's class")
	check(ro.message:find("read-only", 1, true), ro.message)
	check(not pk.is_error({ class = "NotFound" }), "a lookalike table")
	check(not pk.is_error("NotFound"), "a string")
end)

-- ---- values ----------------------------------------------------------------

test("every value type round-trips through a reopen", function()
	local pool = newpool()
	local r = pool:root()
	local big = "-123456789012345678901234567890123456789"
	r.yes, r.no = true, false
	r.int, r.min, r.max = 42, math.mininteger, math.maxinteger
	r.float, r.whole, r.inf = 1.5, 3.0, math.huge
	r.nan = 0 / 0
	r.text, r.nul = "héllo wörld ∑", "a\0b"
	r.binary = "\xff\xfe\0"
	r.forced = pk.bytes("abc")
	r.big = pk.bigint(big)
	r.null = pk.null
	r = reopen(pool):root()
	eq(r.yes, true); eq(r.no, false)
	eq(r.int, 42); eq(r.min, math.mininteger); eq(r.max, math.maxinteger)
	eq(r.float, 1.5); eq(r.whole, 3.0, "an integral float stays a float")
	eq(r.inf, math.huge)
	check(r.nan ~= r.nan, "NaN")
	eq(r.text, "héllo wörld ∑"); eq(r.nul, "a\0b")
	eq(r.binary, "\xff\xfe\0", "bytes come back as a string")
	eq(r.forced, "abc", "forced bytes come back as a string")
	eq(tostring(r.big), big, "bigint")
	eq(r.big, pk.bigint(big), "bigints compare by value")
	eq(r.null, nil, "PK_NIL reads as nil")
	check(r:contains("null"), "PK_NIL is stored")
	check(not r:contains("absent"), "absent")
	eq(r.absent, nil)
end)

test("strings and bytes are different keys; numbers are one key", function()
	local r = newpool():root()
	r.k = "text"
	r[pk.bytes("k")] = "binary"
	eq(r.k, "text"); eq(r[pk.bytes("k")], "binary"); eq(#r, 2)
	-- the library's rule: equal numbers are one key, true is 1
	r[1] = "one"
	eq(r[1.0], "one"); eq(r[true], "one"); eq(#r, 3)
	r[0 / 0] = "nan"
	eq(r[0 / 0], "nan", "all NaNs are one key")
	r["\xff"] = "binary key"
	eq(r["\xff"], "binary key")
end)

test("bigint: Lua integers when they fit, exact otherwise", function()
	eq(pk.bigint("9223372036854775807"), math.maxinteger)
	eq(pk.bigint("-9223372036854775808"), math.mininteger)
	eq(pk.bigint(7), 7)
	eq(tostring(pk.bigint("9223372036854775808")), "9223372036854775808")
	eq(tostring(pk.bigint("-9223372036854775809")), "-9223372036854775809")
	eq(tostring(pk.bigint("+000340282366920938463463374607431768211456")),
		"340282366920938463463374607431768211456")
	check(pk.bigint("18446744073709551616") ~= pk.bigint("18446744073709551617"))
	check(not pcall(pk.bigint, "12x"), "not a number")
	check(not pcall(pk.bigint, "-"), "a sign alone")
	local r = newpool():root()
	for _, s in ipairs({ "9223372036854775808", "-9223372036854775809",
			"-170141183460469231731687303715884105728",
			"170141183460469231731687303715884105728" }) do
		r[s] = pk.bigint(s)
		eq(tostring(r[s]), s, "stored " .. s)
		r[pk.bigint(s)] = s -- as a key too
		eq(r[pk.bigint(s)], s, "key " .. s)
	end
end)

test("values that cannot be stored: Value and KeyType errors", function()
	local pool = newpool()
	local r = pool:root()
	raises("Value", pk.PK_EVALUE, function() r.f = print end)
	raises("Value", pk.PK_EVALUE, function() r.t = setmetatable({}, {}) end)
	raises("KeyType", pk.PK_EKEYTYPE, function() r[{}] = 1 end)
	raises("KeyType", pk.PK_EKEYTYPE, function() r[print] = 1 end)
	r.sub = {}
	raises("KeyType", pk.PK_EKEYTYPE, function() r[r.sub] = 1 end)
	local other = newpool()
	raises("Value", pk.PK_EVALUE, function() r.x = other:new_map() end)
end)

-- ---- maps ------------------------------------------------------------------

test("map: index, assign, remove, contains, clear, length", function()
	local r = newpool():root()
	eq(#r, 0)
	r.a = 1
	r["b c"] = 2
	r[3] = "three"
	eq(#r, 3); eq(r.a, 1); eq(r["b c"], 2); eq(r[3], "three")
	r.a = nil -- removes
	check(not r:contains("a")); eq(#r, 2)
	r.a = nil -- absent: no error
	local e = raises("NotFound", pk.PK_NOTFOUND, r.remove, r, "a")
	check(e.message:find("a", 1, true), "message names the key")
	r:remove(3)
	eq(r[3], nil)
	eq(r:get("missing", "default"), "default")
	eq(r:get("b c"), 2)
	r:clear()
	eq(#r, 0)
end)

test("map: keys that are method names go through get/set", function()
	local r = newpool():root()
	r:set("get", "a value")
	r.remove = "also stored" -- assignment never collides
	eq(type(r.get), "function", "r.get is the method")
	eq(r:get("get"), "a value")
	eq(r:get("remove"), "also stored")
	eq(#r, 2)
	r:set("get", nil)
	check(not r:contains("get"))
	check(pk.map.contains(r, "remove"), "methods through pmemkit.map")
end)

test("map: pairs, keys, update, totable, nil keys", function()
	local pool = newpool()
	local r = pool:root()
	r:update({ a = 1, b = "two", c = { 3 } })
	r[pk.null] = "nil key"
	eq(r[pk.null], "nil key"); eq(r[nil], "nil key")
	local seen = {}
	for k, v in pairs(r) do
		seen[k] = v
	end
	eq(seen.a, 1); eq(seen.b, "two"); eq(seen.c[1], 3)
	eq(seen[pk.null], "nil key", "a nil key iterates as pmemkit.null")
	eq(#r:keys(), 4)
	check(same(r:totable(), { a = 1, b = "two", c = { 3 }, [pk.null] = "nil key" }),
		"totable")
	r.n = pk.null
	eq(r:totable().n, pk.null, "nil values in totable are pmemkit.null")
	-- removing keys while going through them: over keys()
	for _, k in ipairs(r:keys()) do
		r[k] = nil
	end
	eq(#r, 0)
end)

test("map: changing keys during pairs raises Changed", function()
	local r = newpool():root()
	for i = 1, 10 do
		r[i] = i
	end
	raises("Changed", pk.PK_ECHANGED, function()
		for k in pairs(r) do
			r[k + 100] = true
		end
	end)
	-- replacing values is fine
	for k, v in pairs(r) do
		r[k] = v
	end
	-- leaving a loop early frees the cursor when collected
	for _ = 1, 100 do
		for _ in pairs(r) do
			break
		end
	end
	collectgarbage()
end)

-- ---- lists -----------------------------------------------------------------

test("list: 1-based indexes, #, ipairs, pairs", function()
	local pool = newpool()
	local r = pool:root()
	r.l = { "a", "b", "c" }
	local l = r.l
	eq(getmetatable(l).__name, "pmemkit.list")
	eq(#l, 3); eq(l[1], "a"); eq(l[3], "c")
	eq(l[0], nil); eq(l[4], nil); eq(l[-1], nil)
	eq(l:get(-1), "c", "get counts negative indexes from the end")
	local got = {}
	for i, v in ipairs(l) do
		got[i] = v
	end
	check(same(got, { "a", "b", "c" }), "ipairs")
	got = {}
	for i, v in pairs(l) do
		got[i] = v
	end
	check(same(got, { "a", "b", "c" }), "pairs")
	l[2] = "B"
	l[#l + 1] = "d" -- appends
	check(same(l:totable(), { "a", "B", "c", "d" }))
end)

test("list: out of range is a Range error", function()
	local l = newpool():new_list({ 1, 2 })
	raises("Range", pk.PK_ERANGE, function() l[4] = 1 end)
	raises("Range", pk.PK_ERANGE, function() l[0] = 1 end)
	raises("Range", pk.PK_ERANGE, l.get, l, 3)
	raises("Range", pk.PK_ERANGE, l.get, l, 0)
	raises("Range", pk.PK_ERANGE, l.insert, l, 4, "x")
	raises("KeyType", pk.PK_EKEYTYPE, function() l.x = 1 end)
	raises("KeyType", pk.PK_EKEYTYPE, function() l[1.5] = 1 end)
	l:clear()
	raises("Range", pk.PK_ERANGE, l.pop, l)
end)

test("list: append, insert, pop, extend, nil elements", function()
	local pool = newpool()
	local l = pool:new_list()
	pool:root().l = l
	l:append(2)
	l:insert(1, 1)
	l:insert(3, 4)
	l:insert(3, 3)
	l:insert(5) -- as table.insert(t, v)
	check(same(l:totable(), { 1, 2, 3, 4, 5 }))
	eq(l:pop(), 5); eq(l:pop(1), 1); eq(#l, 3)
	l:extend({ "x", "y" })
	l:extend({ { nested = true } })
	eq(#l, 6); eq(l[6].nested, true)
	local copy = l:pop()
	check(getmetatable(copy) == nil and copy.nested == true,
		"a popped container is a plain copy")
	l:append(nil)
	l:append(pk.null)
	eq(#l, 7); eq(l[6], nil); eq(l:totable()[7], pk.null)
	eq(l:pop(), nil)
	healthy(pool)
end)

-- ---- typed arrays ----------------------------------------------------------

test("array: elements, length, types", function()
	local pool = newpool()
	local r = pool:root()
	r.a = pool:new_array("i32", { 1, -2, 3 })
	local a = r.a
	eq(#a, 3); eq(a[2], -2); eq(a[4], nil); eq(a:get(-1), 3)
	eq(select(1, a:type()), "i32"); eq(select(2, a:type()), 4)
	a[1] = 10
	eq(a[1], 10)
	raises("Range", pk.PK_ERANGE, function() a[4] = 1 end)
	raises("Kind", pk.PK_EKIND, function() a[1] = "x" end)
	local i8 = pool:new_array("i8", 2)
	raises("Range", pk.PK_ERANGE, function() i8[1] = 200 end)
	i8[1] = -128
	eq(i8[1], -128)
	local u64 = pool:new_array("u64", { -1 })
	eq(u64[1], -1, "u64 elements are the same 64 bits as Lua integers")
	local f32 = pool:new_array("f32", { 0.1 })
	eq(f32[1], (string.unpack("f", string.pack("f", 0.1))))
	local f64 = pool:new_array("f64", { 1, 2.5 })
	eq(f64[1], 1.0)
	check(same(f64:totable(), { 1.0, 2.5 }))
	a:resize(5)
	eq(#a, 5); eq(a[5], 0)
	local sum = 0
	for _, v in ipairs(a) do
		sum = sum + v
	end
	eq(sum, 10 + 3 + -2)
	raises("Value", pk.PK_EVALUE, pool.new_array, pool, "i31", 1)
end)

test("array: every element type of the C library's table", function()
	local core = require "pmemkit.core"
	local pool = newpool()
	local n = 0
	while core.pk_elem_table(n) ~= nil do
		local row = core.pk_elem_table(n)
		n = n + 1
		eq(math.type(row.code), "integer", row.sname .. " code")
		local a = pool:new_array(row.sname, 2, row.size == 0 and 3 or nil)
		local name, width = a:type()
		eq(name, row.sname, "type name")
		eq(width, row.size == 0 and 3 or row.size, row.sname .. " width")
	end
	check(n >= 11, "rows")
	eq(#pk.errors, (function()
		local i = 0
		while core.pk_error_table(i) ~= nil do i = i + 1 end
		return i
	end)(), "every error row")
end)

test("array: byte elements and raw bytes", function()
	local pool = newpool()
	local b = pool:new_array("bytes", 2, 4)
	b[1] = "abcd"
	b[2] = "\xff\0\1\2"
	eq(b[1], "abcd"); eq(b[2], "\xff\0\1\2")
	raises("Value", pk.PK_EVALUE, function() b[1] = "ab" end)
	local a = pool:new_array("i32", { 1, 2, 3 })
	eq(a:raw(), string.pack("=i4i4i4", 1, 2, 3))
	eq(a:raw(2, 3), string.pack("=i4i4", 2, 3))
	eq(a:raw(2, 1), "")
	a:setraw(2, string.pack("=i4i4", 20, 30))
	check(same(a:totable(), { 1, 20, 30 }))
	raises("Range", pk.PK_ERANGE, a.raw, a, 0)
	raises("Range", pk.PK_ERANGE, a.setraw, a, 3, string.pack("=i4i4", 1, 2))
	raises("Value", pk.PK_EVALUE, a.setraw, a, 1, "abc")
end)

-- ---- nesting ---------------------------------------------------------------

test("nested tables are stored deeply, as lists or maps", function()
	local pool = newpool()
	local r = pool:root()
	local function document()
		return { name = "x", tags = { "a", "b" }, matrix = { { 1, 2 }, { 3, 4 } },
			empty = {}, sparse = { [1] = "a", [3] = "c" } }
	end
	-- (the table stored becomes the stored map: compare with another)
	local doc = document()
	r.doc = document()
	r = reopen(pool):root()
	local d = r.doc
	eq(getmetatable(d).__name, "pmemkit.map")
	eq(getmetatable(d.tags).__name, "pmemkit.list")
	eq(getmetatable(d.empty).__name, "pmemkit.map", "the empty table is a map")
	eq(getmetatable(d.sparse).__name, "pmemkit.map", "a table with holes is a map")
	eq(d.matrix[2][1], 3)
	check(same(d:totable(), doc), "totable gives the table back")
	d.tags:append("c")
	eq(#r.doc.tags, 3, "containers are changed in place")
end)

test("containers are stored by reference; removal makes them Stale", function()
	local pool = newpool()
	local r = pool:root()
	r.a = { 1, 2 }
	r.b = r.a
	check(r.a == r.b, "one container")
	r.b:append(3)
	eq(#r.a, 3)
	local l = r.a
	r.a, r.b = nil, nil
	raises("Stale", pk.PK_ESTALE, function() return #l end)
	healthy(pool)
end)

test("a failed deep store leaves nothing behind", function()
	local pool = newpool()
	local r = pool:root()
	raises("Value", pk.PK_EVALUE, function()
		r.bad = { 1, { 2, { 3, print } } }
	end)
	check(not r:contains("bad"), "not stored")
	local t = { 1 }
	t[2] = t
	raises("Value", pk.PK_EVALUE, function() r.cycle = t end)
	check(not r:contains("cycle"), "not stored")
	healthy(pool)
	local fresh = pool:new_map({ x = 1 }) -- never stored
	fresh = nil
	check(pool:gc() >= 1, "gc frees an unreferenced container")
	healthy(pool)
	r.k = "v"
	eq(pool:prefault(), nil)
	eq(r.k, "v")
end)

-- ---- transactions ----------------------------------------------------------

test("transaction: commits, returns results, nests", function()
	local pool = newpool()
	local r = pool:root()
	local a, b = pool:transaction(function(x)
		r.x = x
		pool:transaction(function() r.y = 2 end)
		eq(pool:tx_depth(), 1)
		return "done", x
	end, 1)
	eq(a, "done"); eq(b, 1); eq(pool:tx_depth(), 0)
	r = reopen(pool):root()
	eq(r.x, 1); eq(r.y, 2)
end)

test("transaction: an error aborts and is raised again", function()
	local pool = newpool()
	local r = pool:root()
	r.n = 1
	local ok, e = pcall(pool.transaction, pool, function()
		r.n = 2
		r.l = { 1, 2, 3 }
		error("boom", 0)
	end)
	check(not ok); eq(e, "boom", "the error itself")
	eq(r.n, 1); check(not r:contains("l"))
	local obj = { why = "custom" }
	ok, e = pcall(pool.transaction, pool, function()
		pool:transaction(function()
			r.n = 3
			error(obj)
		end)
	end)
	check(rawequal(e, obj), "an error object is raised as it is")
	eq(r.n, 1); eq(pool:tx_depth(), 0)
	-- a pmemkit error inside
	raises("Range", pk.PK_ERANGE, pool.transaction, pool, function()
		r.n = 4
		pool:new_list():get(1)
	end)
	eq(r.n, 1)
	healthy(pool)
end)

test("transaction: to-be-closed pool:begin()", function()
	local pool = newpool()
	local r = pool:root()
	do
		local tx <close> = pool:begin()
		r.a = 1
		eq(pool:tx_depth(), 1)
	end
	eq(pool:tx_depth(), 0); eq(r.a, 1)
	check(not pcall(function()
		local tx <close> = pool:begin()
		r.a = 2
		error("boom")
	end))
	eq(r.a, 1)
	do
		local tx <close> = pool:begin()
		r.a = 3
		tx:abort()
	end
	eq(r.a, 1)
end)

test("transaction: one pool at a time; closing inside aborts", function()
	local p1, p2 = newpool(), newpool()
	raises("Transaction", pk.PK_ETXN, p1.transaction, p1, function()
		p2:transaction(function() end)
	end)
	local r = p1:root()
	r.v = 1
	raises("Transaction", pk.PK_EABORTED, p1.transaction, p1, function()
		r.v = 2
		p1:close()
	end)
	eq(reopen(p1):root().v, 1)
end)

-- ---- handles and collection ------------------------------------------------

test("many wrappers are collected without closing the pool", function()
	local pool = newpool()
	local r = pool:root()
	r.m = { x = { 1 } }
	for _ = 1, 2000 do
		local m = r.m
		eq(m.x[1], 1)
	end
	collectgarbage()
	collectgarbage()
	eq(r.m.x[1], 1)
	eq(tostring(r.m), "pmemkit.map: 1 entries")
	healthy(pool)
end)

test("the example keeps its to-do list across runs", function()
	local lua = assert(arg[1], "the interpreter is the first argument")
	local todo = assert(os.getenv("PK_LUA_EXAMPLES")) .. "/todo.lua"
	local file = path("todo")
	local function run(...)
		local cmd = { sh_quote(lua), sh_quote(todo), sh_quote(file) }
		for _, a in ipairs({ ... }) do
			cmd[#cmd + 1] = sh_quote(a)
		end
		local p = assert(io.popen(table.concat(cmd, " ") .. " 2>&1"))
		local out = p:read("a")
		check(p:close(), "todo.lua failed:\n" .. out)
		return out
	end
	run("add", "buy milk")
	run("add", "write tests")
	run("done", "1")
	eq(run(), "1. [x] buy milk\n2. [ ] write tests\n")
end)

-- ---- issue 19: the table library, plain tables, markers, errors ----------

test("list: table.insert, table.remove, table.concat, table.unpack, #", function()
	local pool = newpool()
	local r = pool:root()
	r.l = { "a", "b", "c" }
	local l = r.l
	eq(table.remove(l), "c", "table.remove returns the last")
	eq(#l, 2, "and removes it")
	l[#l + 1] = "z" -- appends
	l[#l] = nil -- removes the last, as in a table
	eq(#l, 2)
	table.insert(l, "c")
	table.insert(l, 1, "0")
	table.insert(l, 3, "x")
	eq(table.concat(l, ","), "0,a,x,b,c")
	eq(table.remove(l, 1), "0")
	eq(table.remove(l, 2), "x")
	eq(table.concat(l, ","), "a,b,c")
	eq(select("#", table.unpack(l)), 3)
	eq(table.concat(l, "", 2, 3), "bc")
	-- nil elements in the middle stay elements while the rest moves
	r.h = { 1, 2, 3 }
	local h = r.h
	h[2] = nil
	eq(#h, 3, "nil before the end is an element")
	table.insert(h, 1, 0)
	eq(#h, 4); eq(h[3], nil); eq(h[4], 3)
	h[4] = pk.null -- a nil stored at the end
	table.insert(h, 2, "i") -- moves the nil at the end up
	eq(#h, 5); eq(h[5], nil); eq(h[4], nil); eq(h[2], "i")
	eq(table.remove(h, 1), 0)
	eq(#h, 4); eq(h[1], "i"); eq(h[2], 1)
	eq(table.remove(h), nil); eq(#h, 3)
	pool = reopen(pool)
	r = pool:root()
	eq(table.concat(r.l, ","), "a,b,c", "stored")
	eq(#r.h, 3)
	healthy(pool)
end)

test("list: table.sort, and l:sort in one transaction", function()
	local pool = newpool()
	local r = pool:root()
	r.l = { 5, 3, 9, 1 }
	table.sort(r.l)
	eq(table.concat(r.l, " "), "1 3 5 9")
	table.sort(r.l, function(a, b) return a > b end)
	eq(table.concat(r.l, " "), "9 5 3 1")
	r.l:sort()
	eq(table.concat(r.l, " "), "1 3 5 9")
	-- an error in the comparison leaves the list as it was
	r.l = { 3, 1, 2 }
	check(not pcall(r.l.sort, r.l, function(a, b)
		if a == 2 or b == 2 then error("no") end
		return a < b
	end))
	eq(table.concat(r.l, " "), "3 1 2", "l:sort: all or nothing")
	check(not pcall(pool.transaction, pool, table.sort, r.l, function(a, b)
		if a == 2 or b == 2 then error("no") end
		return a < b
	end))
	eq(table.concat(r.l, " "), "3 1 2", "table.sort in a transaction: all or nothing")
	-- containers are kept while they move
	r.people = { { name = "c", age = 3 }, { name = "a", age = 1 }, { name = "b", age = 2 } }
	r.people:sort(function(x, y) return x.name < y.name end)
	eq(r.people[1].name, "a"); eq(r.people[3].age, 3); eq(#r.people, 3)
	-- nil elements: the comparison is given pmemkit.null
	r.n = pk.list { 2, nil, 1 }
	r.n:sort(function(x, y)
		if x == pk.null then return false end
		if y == pk.null then return true end
		return x < y
	end)
	eq(r.n[1], 1); eq(r.n[2], 2); eq(r.n[3], nil); eq(#r.n, 3)
	pool = reopen(pool)
	r = pool:root()
	eq(r.people[2].name, "b")
	healthy(pool)
end)

test("a stored plain table becomes the stored container", function()
	local pool = newpool()
	local r = pool:root()
	local t = {}
	r.k = t
	t.x = 1 -- goes to the pool
	eq(r.k.x, 1)
	check(r.k == t, "t is the stored map")
	eq(getmetatable(t).__name, "pmemkit.map")
	local hosts = { "a" }
	r.config = { retries = 3, hosts = hosts }
	hosts[#hosts + 1] = "b"
	eq(#r.config.hosts, 2, "a nested table too")
	r.twice = t -- stored again: the same container, as a Lua table would be
	check(r.twice == r.k)
	t.y = 2
	eq(r.twice.y, 2)
	local l = pool:new_list()
	r.list = l
	local e = { "e" }
	l:append(e); e[2] = "f"
	eq(#r.list[1], 2)
	l:append(0)
	local s = { v = 1 }
	l[2] = s; s.v = 2
	eq(r.list[2].v, 2)
	local i = { 1 }
	l:insert(1, i); i[1] = 9
	eq(r.list[1][1], 9)
	local u = { u = 1 }
	r:set("u", u); u.u = 2
	eq(r.u.u, 2)
	-- an aborted store gives the table its own entries back
	local kept = { a = 1, b = { 2 } }
	check(not pcall(pool.transaction, pool, function()
		r.kept = kept
		eq(getmetatable(kept).__name, "pmemkit.map")
		error("abort")
	end))
	eq(getmetatable(kept), nil, "plain again")
	eq(kept.a, 1); eq(getmetatable(kept.b), nil); eq(kept.b[1], 2)
	check(not r:contains("kept"))
	do
		local tx <close> = pool:begin()
		r.kept = kept
		tx:abort()
	end
	eq(getmetatable(kept), nil, "plain again after tx:abort()")
	local other, kept2 = newpool(), { z = 1 }
	check(not pcall(other.transaction, other, function()
		other:root().z = kept2
		other:close()
	end))
	eq(getmetatable(kept2), nil, "plain again when a close aborts")
	eq(kept2.z, 1)
	r.kept = kept
	pool = reopen(pool)
	r = pool:root()
	eq(r.k.x, 1); eq(r.k.y, 2); eq(r.config.hosts[2], "b"); eq(r.list[2][2], "f")
	eq(r.kept.b[1], 2)
	healthy(pool)
end)

test("next() on a container; emptiness with #", function()
	local pool = newpool()
	local r = pool:root()
	eq(#r, 0, "an empty map")
	check(next(r) ~= nil, "next() is raw: it sees the wrapper, never says empty")
	check(tostring(next(r)):find("use pairs", 1, true), "the key says why")
	r.a = 1
	eq(#r, 1)
	local k = pairs(r)()
	eq(k, "a", "the first key, as next(t) gives it for a table")
end)

test("pmemkit.list and pmemkit.map say what a table is stored as", function()
	local pool = newpool()
	local r = pool:root()
	r.e = {}
	eq(getmetatable(r.e).__name, "pmemkit.map", "{} is stored as a map")
	r.el = pk.list()
	eq(getmetatable(r.el).__name, "pmemkit.list"); eq(#r.el, 0)
	r.el2 = pk.list {}
	eq(getmetatable(r.el2).__name, "pmemkit.list")
	r.holes = pk.list { 1, nil, 3 }
	eq(#r.holes, 3); eq(r.holes[2], nil); eq(r.holes[3], 3)
	r.packed = pk.list(table.pack(1, nil, nil))
	eq(#r.packed, 3, "table.pack's n"); eq(r.packed[1], 1)
	r.sized = pk.list({ [2] = "b" }, 4)
	eq(#r.sized, 4); eq(r.sized[2], "b")
	r.nils = pk.list(2)
	eq(#r.nils, 2); eq(r.nils[1], nil)
	r.asmap = pk.map { "x", "y" }
	eq(getmetatable(r.asmap).__name, "pmemkit.map"); eq(r.asmap[2], "y")
	local m = pk.list()
	m[1] = "filled before storing"
	r.late = m
	eq(r.late[1], "filled before storing")
	check(m == r.late, "the marked table becomes the stored list")
	raises("Value", pk.PK_EVALUE, function() r.bad = pk.list { x = 1 } end)
	raises("Value", pk.PK_EVALUE, function() r.bad = pk.list({ 1, 2, 3 }, 2) end)
	raises("Value", pk.PK_EVALUE, pk.list, setmetatable({}, {}))
	check(not r:contains("bad"))
	eq(pk.list.get(r.holes, 1), 1, "pmemkit.list is still the methods")
	pool = reopen(pool)
	r = pool:root()
	eq(#r.holes, 3); eq(#r.e, 0); eq(getmetatable(r.el).__name, "pmemkit.list")
	healthy(pool)
end)

test("errors say the caller's file:line; uncaught, a traceback", function()
	local pool = newpool()
	local r = pool:root()
	local line = debug.getinfo(1, "l").currentline + 1
	local ok, e = pcall(function() r:remove("absent") end)
	check(not ok)
	local where = debug.getinfo(1, "S").short_src .. ":" .. line .. ": "
	eq(e.where, where, "where")
	eq(tostring(e), where .. e.message)
	line = debug.getinfo(1, "l").currentline + 1
	ok, e = pcall(function() return r.l[1] + r:get("l"):get(5) end)
	check(not ok)
	r.l = { 1 }
	line = debug.getinfo(1, "l").currentline + 1
	ok, e = pcall(function() return r.l:get(5) end)
	eq(e.where, debug.getinfo(1, "S").short_src .. ":" .. line .. ": ",
		"from a method, through helpers")
	line = debug.getinfo(1, "l").currentline + 1
	ok, e = pcall(function() r.l[7] = 1 end)
	eq(e.where, debug.getinfo(1, "S").short_src .. ":" .. line .. ": ",
		"from a metamethod")
	-- uncaught in the stand-alone interpreter: where, and a traceback
	local lua = assert(arg[1], "the interpreter is the first argument")
	local script = path("uncaught") .. ".lua"
	local f = assert(io.open(script, "w"))
	f:write('local pmemkit = require "pmemkit"\n',
		"local function f(p)\n",
		"\tlocal pool = pmemkit.open(p)\n",
		"\treturn pool\n",
		"end\n",
		"f(", ("%q"):format(DIR .. "/missing.pool"), ")\n",
		"print('not reached')\n")
	f:close()
	local p = assert(io.popen(sh_quote(lua) .. " " .. sh_quote(script) .. " 2>&1"))
	local out = p:read("a")
	check(not p:close(), "the script fails")
	check(out:find(script .. ":3: ENOENT", 1, true), "where:\n" .. out)
	check(out:find("stack traceback:", 1, true), "a traceback:\n" .. out)
	check(out:find(script .. ":6:", 1, true), "the traceback names the caller:\n" .. out)
end)

test("pmemkit.create checks its option names", function()
	local p = path()
	raises("Value", pk.PK_EVALUE, pk.create, p, { sise = 8 << 20 })
	raises("Value", pk.PK_EVALUE, pk.create, p, { size = 8 << 20, mdoe = 0x1a4 })
	raises("Value", pk.PK_EVALUE, pk.create, p, 8 << 20)
	check(io.open(p) == nil, "no pool was made")
	local pool = pk.create(p, { size = pk.MIN_POOL_SIZE, mode = 0x180 })
	open_pools[#open_pools + 1] = pool
end)

test("integer arrays take floats with integral values", function()
	local pool = newpool()
	local a = pool:new_array("i32", { 1.0, 2, -3.0 })
	eq(a[1], 1); eq(a[3], -3)
	a[2] = 7.0
	eq(a[2], 7)
	a:set(1, 2^20)
	eq(a[1], 1 << 20)
	raises("Kind", pk.PK_EKIND, function() a[1] = 1.5 end)
	raises("Kind", pk.PK_EKIND, function() a[1] = 0 / 0 end)
	raises("Range", pk.PK_ERANGE, function() a[1] = 2.0^40 end)
	local u8 = pool:new_array("u8", 1)
	u8[1] = 255.0
	eq(u8[1], 255)
	raises("Range", pk.PK_ERANGE, function() u8[1] = 256.0 end)
	local f = pool:new_array("f64", { 1.0, 2.5 })
	eq(f[1], 1.0); eq(f[2], 2.5)
end)

test("pmemkit.type tells what Lua's values cannot", function()
	local pool = newpool()
	local r = pool:root()
	r.s = "abc"
	r.b = pk.bytes("abc")
	r.big = pk.bigint("1267650600228229401496703205376")
	r.i = 1; r.f = 1.0; r.t = true; r.n = pk.null
	r.l = { "x", pk.bytes("y"), 2.5 }
	r.m = { a = 1 }
	r.a = pool:new_array("u8", 1)
	eq(pk.type(r, "s"), "string"); eq(pk.type(r, "b"), "bytes")
	eq(r.b, "abc", "read as a string")
	eq(pk.type(r, "big"), "bigint"); eq(pk.type(r, "i"), "integer")
	eq(pk.type(r, "f"), "float"); eq(pk.type(r, "t"), "boolean")
	eq(pk.type(r, "n"), "nil"); eq(pk.type(r, "absent"), nil)
	eq(pk.type(r, "l"), "list"); eq(pk.type(r, "m"), "map"); eq(pk.type(r, "a"), "array")
	eq(pk.type(r.l, 1), "string"); eq(pk.type(r.l, 2), "bytes"); eq(pk.type(r.l, -1), "float")
	raises("Range", pk.PK_ERANGE, pk.type, r.l, 4)
	raises("Value", pk.PK_EVALUE, pk.type, r.a, 1)
end)

-- ---- Python ----------------------------------------------------------------

local function with_python(name, fn)
	if PYTHON == "" then
		print("# skipped: " .. name .. " (the Python module is not built)")
		return
	end
	test(name, fn)
end

with_python("a pool written by Python, read by Lua", function()
	local p = path("py")
	python([[
with pmemkit.Pool.create(sys.argv[1]) as pool:
    r = pool.root
    r["str"] = "héllo"
    r["bytes"] = b"\x00\xff"
    r["ascii bytes"] = b"abc"
    r["int"] = -5
    r["big"] = 2 ** 100
    r["negbig"] = -(2 ** 70)
    r["float"] = 1.5
    r["none"] = None
    r[None] = "nil key"
    r[b"k"] = "bytes key"
    r[2] = "two"
    r["list"] = [1, [2, 3], {"k": "v"}]
    r["tuple"] = (1, 2)
    r["arr"] = array.array("h", [1, -2, 3])
]], p)
	local pool <close> = pk.open(p)
	local r = pool:root()
	eq(r.str, "héllo"); eq(r.bytes, "\0\xff"); eq(r["ascii bytes"], "abc")
	eq(r.int, -5); eq(r.float, 1.5)
	eq(tostring(r.big), "1267650600228229401496703205376")
	eq(tostring(r.negbig), "-1180591620717411303424")
	eq(r.none, nil); check(r:contains("none"))
	eq(r[pk.null], "nil key")
	eq(r[pk.bytes("k")], "bytes key"); eq(r.k, nil, "a string key is another key")
	eq(r[2], "two"); eq(r[2.0], "two")
	check(same(r.list:totable(), { 1, { 2, 3 }, { k = "v" } }), "list")
	check(same(r.tuple:totable(), { 1, 2 }), "a tuple is a list")
	eq(select(1, r.arr:type()), "i16")
	check(same(r.arr:totable(), { 1, -2, 3 }), "array")
	healthy(pool)
end)

with_python("a pool written by Lua, read by Python", function()
	local p = path("lua")
	do
		local pool <close> = pk.create(p, { size = 2 * pk.MIN_POOL_SIZE })
		local r = pool:root()
		r.s = "héllo"
		r.b = "\xff\xfe"
		r.fb = pk.bytes("abc")
		r.i = math.mininteger
		r.f = 0.5
		r.whole = 3.0
		r.n = pk.null
		r.big = pk.bigint("-1267650600228229401496703205376")
		r.nested = { 1, "two", { three = 3 } }
		r.empty = {}
		r.arr = pool:new_array("f64", { 1.5, 2.5 })
		r.u8 = pool:new_array("u8", { 255 })
		r[1.5] = "float key"
		r[true] = "true key"
	end
	local out = python([[
with pmemkit.Pool.open(sys.argv[1]) as pool:
    r = pool.root
    assert r["s"] == "héllo", r["s"]
    assert r["b"] == b"\xff\xfe", r["b"]
    assert r["fb"] == b"abc", r["fb"]
    assert r["i"] == -2 ** 63
    assert r["f"] == 0.5
    assert type(r["whole"]) is float and r["whole"] == 3.0
    assert "n" in r and r["n"] is None
    assert r["big"] == -(2 ** 100), r["big"]
    assert r["nested"].to_python() == [1, "two", {"three": 3}]
    assert r["empty"].to_python() == {}
    assert r["arr"].tolist() == [1.5, 2.5]
    assert r["u8"].typecode == "B" and r["u8"].tolist() == [255]
    assert r[1.5] == "float key"
    assert r[True] == "true key" and r[1] == "true key"
    assert pool.check()["ok"]
    print("python read it all")
]], p)
	check(out:find("python read it all", 1, true), out)
end)

-- ---- issue 20: logs --------------------------------------------------------

-- n records of various lengths and bytes (NULs, empty ones)
local function records(n)
	local t = {}
	for i = 0, n - 1 do
		t[i + 1] = i .. ":" .. string.char(i % 256):rep(i % 300)
	end
	return t
end

local function newlog()
	local pool = newpool(16 * pk.MIN_POOL_SIZE)
	pool:root().log = pool:new_log()
	return pool:root().log, pool
end

test("log: append, iterate in order, #, nbytes, totable", function()
	local log = newlog()
	eq(#log, 0)
	eq(log:nbytes(), 0)
	check(same(log:totable(), {}), "an empty log")
	for _ in pairs(log) do
		fail("an empty log has no records")
	end
	local recs = records(3000) -- several chunks
	local nbytes = 0
	for _, r in ipairs(recs) do
		log:append(r)
		nbytes = nbytes + #r
	end
	log:append("")
	log:append("\0a\0")
	log:append(pk.bytes("bytes"))
	log:append("ünï €") -- text is stored as its bytes
	log[#log + 1] = "by index" -- appends, as on a table
	table.insert(log, "by table.insert")
	for _, r in ipairs({ "", "\0a\0", "bytes", "ünï €", "by index",
			"by table.insert" }) do
		recs[#recs + 1] = r
		nbytes = nbytes + #r
	end
	eq(#log, #recs, "#log")
	eq(log:nbytes(), nbytes, "nbytes")
	local n = 0
	for i, r in pairs(log) do
		n = n + 1
		eq(i, n, "pairs gives 1, 2, ...")
		eq(r, recs[i], "record " .. i)
	end
	eq(n, #recs, "records met")
	check(same(log:totable(), recs), "totable")
	eq(tostring(log), ("pmemkit.log: %d records"):format(#recs))
end)

test("log: records are strings; anything else writes nothing", function()
	local log = newlog()
	log:extend({ "a", "b" })
	raises("Kind", pk.PK_EKIND, log.extend, log, { "c", 5, "d" })
	raises("Kind", pk.PK_EKIND, log.extend, log, { "c", {}, "d" })
	raises("Kind", pk.PK_EKIND, log.extend, log, "abc")
	raises("Kind", pk.PK_EKIND, log.append, log, 5)
	raises("Kind", pk.PK_EKIND, log.append, log, nil)
	raises("Kind", pk.PK_EKIND, log.append, log, true)
	raises("Kind", pk.PK_EKIND, log.append, log, log)
	raises("Kind", pk.PK_EKIND, function() log[#log + 1] = nil end)
	raises("Kind", pk.PK_EKIND, function() log[#log + 1] = 1.5 end)
	-- no random access, no replacing: loud, not a silent nil or a copy
	raises("Kind", pk.PK_EKIND, function() return log[1] end)
	raises("Kind", pk.PK_EKIND, function() for _ in ipairs(log) do end end)
	raises("Kind", pk.PK_EKIND, function() log[1] = "x" end)
	raises("Kind", pk.PK_EKIND, function() log[#log + 2] = "x" end)
	raises("Kind", pk.PK_EKIND, function() log.name = "x" end)
	raises("Kind", pk.PK_EKIND, table.insert, log, 1, "x")
	raises("Kind", pk.PK_EKIND, table.remove, log)
	check(same(log:totable(), { "a", "b" }), "nothing was appended")
	log:extend(pk.list({ "c", "d" }))
	log:extend(records(100))
	eq(#log, 104)
	-- a pmemkit list as the sequence
	local pool = log:pool()
	pool:root().l = { "x", "y" }
	log:extend(pool:root().l)
	eq(#log, 106)
	-- new_log checks its records before it makes anything
	raises("Kind", pk.PK_EKIND, pool.new_log, pool, { "a", 1 })
	raises("Kind", pk.PK_EKIND, pool.new_log, pool, 7)
	eq(pool:gc(), 0, "no log was left behind")
	healthy(pool)
end)

test("log: positions, records(pos), tell, across a reopen", function()
	local pool = newpool(16 * pk.MIN_POOL_SIZE)
	pool:root().log = pool:new_log(records(10))
	local log = pool:root().log
	local pos, recs = {}, {}
	for p, r in log:records() do
		pos[#pos + 1], recs[#recs + 1] = p, r
	end
	check(same(recs, records(10)), "records() gives the records")
	local mark = log:tell()
	eq(pos[1], 0, "the first position")
	check(mark > pos[10], "tell is past the last record")
	local from5 = {}
	for p, r in log:records(pos[5]) do
		from5[#from5 + 1] = { p, r }
	end
	eq(#from5, 6)
	eq(from5[1][1], pos[5])
	eq(from5[6][2], recs[10])
	for _ in log:records(mark) do
		fail("nothing after tell()")
	end
	raises("Range", pk.PK_ERANGE, function()
		for _ in log:records(pos[2] + 1) do end
	end)
	raises("Range", pk.PK_ERANGE, function()
		for _ in log:records(mark + 100) do end
	end)
	raises("Range", pk.PK_ERANGE, log.records, log, -1)
	raises("KeyType", pk.PK_EKEYTYPE, log.records, log, "0")
	pool = reopen(pool)
	log = pool:root().log
	eq(log:tell(), mark, "tell after a reopen")
	log:append("after")
	for p, r in log:records(mark) do
		eq(p, mark)
		eq(r, "after")
	end
	eq(#log, 11)
end)

test("log: iteration meets records appended meanwhile; clear", function()
	local log = newlog()
	log:append("1")
	local it = pairs(log)
	eq(select(2, it()), "1")
	log:append("2")
	eq(select(2, it()), "2")
	eq(it(), nil, "the end")
	log:extend(records(100))
	it = pairs(log)
	it()
	log:clear()
	raises("Changed", pk.PK_ECHANGED, it)
	eq(#log, 0)
	eq(log:tell(), 0)
	eq(log:nbytes(), 0)
	log:append("x")
	check(same(log:totable(), { "x" }), "a cleared log takes records")
end)

test("log: transactions, all or nothing", function()
	local log, pool = newlog()
	log:append("kept")
	local ok = pcall(pool.transaction, pool, function()
		log:extend(records(2000))
		log:append("also")
		error("abort")
	end)
	check(not ok, "the transaction failed")
	check(same(log:totable(), { "kept" }), "rolled back")
	pool:transaction(function()
		log:append("a")
		log:append("b")
	end)
	check(same(log:totable(), { "kept", "a", "b" }), "committed")
	-- a new log with its records, in one transaction with the store
	ok = pcall(pool.transaction, pool, function()
		pool:root().other = pool:new_log({ "x" })
		error("abort")
	end)
	check(not ok and pool:root().other == nil, "no log stored")
	healthy(pool)
end)

test("log: nests in maps and lists, shared, type, copies", function()
	local pool = newpool()
	local r = pool:root()
	r.m = { events = pool:new_log({ "e1", "e2" }) }
	local events = r.m.events
	eq(getmetatable(events).__name, "pmemkit.log")
	eq(pk.type(r.m, "events"), "log")
	check(same(r.m:totable(), { events = { "e1", "e2" } }), "a plain copy")
	r.l = pk.list({ events })
	eq(pk.type(r.l, 1), "log")
	check(r.l[1] == events, "one log, two references")
	r.l[1]:append("e3")
	check(same(events:totable(), { "e1", "e2", "e3" }), "shared")
	r.m = nil
	check(same(r.l[1]:totable(), { "e1", "e2", "e3" }), "kept by the list")
	eq(#r.l:pop(), 3, "pop gives the records")
	healthy(pool)
	raises("Value", pk.PK_EVALUE, function()
		newpool():root().x = events
	end)
	-- a log has no table form: {} stores a map
	r.notlog = {}
	eq(pk.type(r, "notlog"), "map")
	pool:close()
	raises("Closed", pk.PK_ECLOSED, events.append, events, "x")
	raises("Closed", pk.PK_ECLOSED, function() return #events end)
end)

-- ---- issue 20: block arrays ------------------------------------------------

local ZERO512 = ("\0"):rep(512)

-- a new block array, stored in a new pool's root as b
local function newblocks(size, count)
	local pool = newpool()
	pool:root().b = pool:new_blocks(size, count)
	return pool:root().b, pool
end

test("blocks: new ones read as zeros, writes are kept, zero-filled", function()
	local pool = newpool()
	local b = pool:new_blocks(512, 3)
	pool:root().disk = b
	eq(#b, 3)
	eq(b:block_size(), 512)
	for i, s in ipairs(b) do
		eq(s, ZERO512, "block " .. i)
	end
	b[1] = "hello"
	b[3] = ("x"):rep(512)
	b:set(2, pk.bytes("\0\1"))
	b:set(-1, ("y"):rep(512)) -- the last
	eq(b[1], "hello" .. ("\0"):rep(507))
	eq(b:get(1), b[1])
	eq(b:get(-3), b[1])
	eq(b[2], "\0\1" .. ("\0"):rep(510))
	eq(b[3], ("y"):rep(512))
	eq(b[0], nil)
	eq(b[4], nil)
	eq(b.nosuch, nil)
	local seen = {}
	for i, s in pairs(b) do
		seen[i] = s
	end
	check(same(seen, b:totable()), "pairs and totable")
	eq(#seen, 3)
	eq(tostring(b), "pmemkit.blocks: 3 blocks")
	pool = reopen(pool)
	b = pool:root().disk
	eq(b[1], "hello" .. ("\0"):rep(507), "after a reopen")
	eq(pk.type(pool:root(), "disk"), "blocks")
	-- the largest blocks
	local big = pool:new_blocks(65536, 1)
	big[1] = ("z"):rep(65536)
	eq(big[1], ("z"):rep(65536))
	pool:root().big = big
	healthy(pool)
end)

test("blocks: bad input is an error and writes nothing", function()
	local b, pool = newblocks(512, 2)
	b[1] = "keep"
	local keep = "keep" .. ("\0"):rep(508)
	raises("Value", pk.PK_EVALUE, function() b[1] = ("x"):rep(513) end)
	raises("Value", pk.PK_EVALUE, b.set, b, 1, ("x"):rep(513))
	raises("Kind", pk.PK_EKIND, b.set, b, 1, 5)
	raises("Kind", pk.PK_EKIND, function() b[1] = nil end)
	raises("Kind", pk.PK_EKIND, function() b[1] = {} end)
	raises("Range", pk.PK_ERANGE, function() b[0] = "x" end)
	raises("Range", pk.PK_ERANGE, function() b[4] = "x" end)
	raises("Range", pk.PK_ERANGE, function() b[-1] = "x" end)
	raises("Range", pk.PK_ERANGE, b.get, b, 0)
	raises("Range", pk.PK_ERANGE, b.get, b, 3)
	raises("Range", pk.PK_ERANGE, b.get, b, -3)
	raises("Range", pk.PK_ERANGE, b.set, b, 3, "x")
	raises("Range", pk.PK_ERANGE, b.zero, b, 3)
	raises("Range", pk.PK_ERANGE, b.set_error, b, -3)
	raises("KeyType", pk.PK_EKEYTYPE, b.get, b, "1")
	raises("KeyType", pk.PK_EKEYTYPE, b.get, b, 1.5)
	raises("KeyType", pk.PK_EKEYTYPE, function() b.x = "x" end)
	raises("Value", pk.PK_EVALUE, b.grow, b, -1)
	raises("Value", pk.PK_EVALUE, b.append, b, ("x"):rep(513))
	raises("Kind", pk.PK_EKIND, b.append, b, 1)
	eq(#b, 2, "no block appended")
	eq(b[1], keep, "nothing written")
	eq(b[2], ZERO512, "nothing written")
	raises("Value", pk.PK_EVALUE, pool.new_blocks, pool, 511, 1)
	raises("Value", pk.PK_EVALUE, pool.new_blocks, pool, 65537, 1)
	raises("Value", pk.PK_EVALUE, pool.new_blocks, pool, 512, -1)
	raises("KeyType", pk.PK_EKEYTYPE, pool.new_blocks, pool, "512", 1)
	eq(#pool:new_blocks(4096), 0, "count defaults to 0")
	pool:gc()
	healthy(pool)
end)

test("blocks: zero, set_error (EIO until written or zeroed)", function()
	local b, pool = newblocks(1024, 3)
	b[1] = "one"
	b[2] = "two"
	b:zero(1)
	eq(b[1], ("\0"):rep(1024))
	b:set_error(2)
	b:set_error(-1)
	local e = raises("OSError", nil, function() return b[2] end)
	eq(e.name, "EIO")
	eq(raises("OSError", nil, b.get, b, 3).name, "EIO")
	eq(raises("OSError", nil, function() for _ in pairs(b) do end end).name,
		"EIO", "iteration stops at a bad block")
	pool = reopen(pool)
	b = pool:root().b
	eq(raises("OSError", nil, b.get, b, 2).name, "EIO", "bad after a reopen")
	b[2] = "written"
	eq(b[2]:sub(1, 8), "written\0")
	b:zero(3)
	eq(b[3], ("\0"):rep(1024))
	eq(#b:totable(), 3)
end)

test("blocks: grow, append, transactions", function()
	local b, pool = newblocks(512, 1)
	b:grow(2)
	eq(#b, 3)
	eq(b[3], ZERO512)
	b:append("four")
	b[#b + 1] = "five" -- appends, as on a table
	eq(#b, 5)
	eq(b[4]:sub(1, 4), "four")
	eq(b[5]:sub(1, 4), "five")
	b:grow(0)
	eq(#b, 5)
	local ok = pcall(pool.transaction, pool, function()
		b[1] = "changed"
		b:grow(10)
		b:append("more")
		error("abort")
	end)
	check(not ok, "the transaction failed")
	eq(#b, 5, "grow rolled back")
	eq(b[1], ZERO512, "the write rolled back")
	healthy(pool)
end)

test("blocks: nest in containers; a closed pool raises Closed", function()
	local pool = newpool()
	local r = pool:root()
	local b = pool:new_blocks(512, 1)
	b[1] = "x"
	r.disks = { b, { inner = b } }
	check(r.disks[1] == b and r.disks[2].inner == b, "shared")
	eq(pk.type(r.disks, 1), "blocks")
	local copy = r.disks:totable()
	eq(copy[1][1], "x" .. ("\0"):rep(511), "a plain copy")
	r.disks[1] = nil
	r.disks = nil
	eq(pool:gc(), 0, "nothing leaked")
	healthy(pool)
	pool:close()
	raises("Closed", pk.PK_ECLOSED, function() return b[1] end)
	raises("Closed", pk.PK_ECLOSED, function() b[1] = "x" end)
end)

-- ---- issue 20: raw persistent memory ----------------------------------------

local function file_size(p)
	local f = assert(io.open(p, "rb"))
	local n = f:seek("end")
	f:close()
	return n
end

test("region: map, write, read, persist, reopen whole", function()
	local p = path("raw")
	local r = pk.map_file(p, { create = true, size = 4096 })
	eq(#r, 4096)
	eq(r:is_pmem(), true, "PMEM_IS_PMEM_FORCE=1")
	eq(r:read(0, 4), "\0\0\0\0", "a new file reads as zeros")
	check(r:write(0, "hello") == r, "write returns the region")
	eq(r:read(0, 5), "hello")
	r:write(10, "\0nul\0")
	eq(r:read(10, 5), "\0nul\0")
	r:write(100, "nodrain", "nodrain")
	r:drain()
	r:write(200, "noflush", "noflush")
	r:persist(200, 7)
	r:flush(0, 16)
	r:drain()
	r:deep_flush(0, 16)
	r:persist()
	r:persist(4000)
	r:flush()
	r:deep_flush(4095, 1)
	r:persist(4096, 0)
	r:write(4090, pk.bytes("end!!!"))
	eq(r:read(0, 0), "")
	eq(tostring(r), "pmemkit.region: 4096 bytes, pmem")
	r:close()
	r:close() -- a no-op
	eq(tostring(r), "pmemkit.region: closed")
	-- an existing file: mapped whole, never truncated
	r = pk.map_file(p)
	eq(#r, 4096)
	eq(r:read(0, 5), "hello")
	eq(r:read(100, 7), "nodrain")
	eq(r:read(200, 7), "noflush")
	eq(r:read(4090, 6), "end!!!")
	r:close()
	r = pk.map_file(p, { create = true, size = 100 })
	eq(#r, 4096, "create maps an existing file whole")
	r:close()
	eq(file_size(p), 4096, "not truncated")
	r = pk.map_file(p, { size = 4096 })
	r:close()
	raises("Value", pk.PK_EVALUE, pk.map_file, p, { size = 100 })
	eq(raises("OSError", nil, pk.map_file, p, { create = true, size = 8,
		exclusive = true }).name, "EEXIST")
	eq(raises("OSError", nil, pk.map_file, DIR .. "/missing.raw").name, "ENOENT")
	raises("Value", pk.PK_EVALUE, pk.map_file, path("raw"), { create = true })
	raises("Value", pk.PK_EVALUE, pk.map_file, p, { exclusive = true })
	raises("Value", pk.PK_EVALUE, pk.map_file, p, { sise = 4096 })
	raises("Value", pk.PK_EVALUE, pk.map_file, p, 4096)
	check(not pcall(pk.map_file, nil), "a nil path is refused")
	eq(file_size(p), 4096)
end)

test("region: file-like read, write, seek", function()
	local r <close> = pk.map_file(path("raw"), { create = true, size = 64 })
	eq(r:seek(), 0)
	r:write("abc", "def")
	eq(r:seek(), 6)
	eq(r:seek("cur", -3), 3)
	eq(r:read(3), "def")
	eq(r:seek("set"), 0)
	eq(r:read(6), "abcdef")
	eq(r:seek("end", -2), 62)
	eq(r:read(5), "\0\0", "fewer at the end")
	eq(r:read(1), nil, "nil at the end")
	eq(r:read(0), nil, "nil at the end")
	eq(r:read("a"), "", "the rest: none")
	r:seek("set", 60)
	eq(r:read("a"), "\0\0\0\0")
	r:seek("set", 62)
	raises("Range", pk.PK_ERANGE, r.write, r, "xyz") -- past the end
	eq(r:seek(), 62, "the position did not move")
	eq(r:read(0, 2) .. r:read(62, 2), "ab\0\0", "nothing written")
	raises("Range", pk.PK_ERANGE, r.seek, r, "set", 65)
	raises("Range", pk.PK_ERANGE, r.seek, r, "set", -1)
	raises("Value", pk.PK_EVALUE, r.seek, r, "start", 0)
	raises("Value", pk.PK_EVALUE, r.read, r)
	raises("Value", pk.PK_EVALUE, r.read, r, "l")
	raises("Kind", pk.PK_EKIND, r.write, r, "a", 5)
	eq(r:seek(), 62)
end)

test("region: move, fill, and bad input writes nothing", function()
	local r <close> = pk.map_file(path("raw"), { create = true, size = 4096 })
	r:write(0, "keep")
	r:fill(10, 0x41, 4)
	eq(r:read(10, 4), "AAAA")
	r:fill(20, 0x42, 2, "nodrain")
	r:drain()
	r:move(30, 0, 4)
	eq(r:read(30, 4), "keep")
	r:move(31, 30, 4, "noflush") -- overlapping
	r:persist(30, 5)
	eq(r:read(30, 5), "kkeep")
	for _, bad in ipairs({
		function() r:write(4094, "abc") end,
		function() r:write(-1, "a") end,
		function() r:persist(4096, 1) end,
		function() r:persist(-1) end,
		function() r:flush(4000, 97) end,
		function() r:deep_flush(0, 4097) end,
		function() r:read(4000, 97) end,
		function() r:read(-1, 1) end,
		function() r:read(0, -1) end,
		function() r:move(0, 4090, 7) end,
		function() r:move(4090, 0, 7) end,
		function() r:fill(4095, 1, 2) end,
		function() r:seek("set", 4097) end,
	}) do
		raises("Range", pk.PK_ERANGE, bad)
	end
	raises("Kind", pk.PK_EKIND, r.write, r, 0, 5)
	raises("Kind", pk.PK_EKIND, r.write, r, 0, nil)
	raises("Kind", pk.PK_EKIND, r.write, r, 0, {})
	raises("Value", pk.PK_EVALUE, r.write, r, 0, "x", "nosync")
	raises("Value", pk.PK_EVALUE, r.fill, r, 0, 256, 1)
	raises("Value", pk.PK_EVALUE, r.fill, r, 0, -1, 1)
	raises("Value", pk.PK_EVALUE, r.fill, r, 0, "A", 1)
	raises("KeyType", pk.PK_EKEYTYPE, r.read, r, "0", 1)
	raises("KeyType", pk.PK_EKEYTYPE, r.write, r, 1.5, "x")
	-- no r[i]: an assignment would only set a field of the object
	raises("Kind", pk.PK_EKIND, function() r[0] = 65 end)
	raises("Kind", pk.PK_EKIND, function() r.data = "x" end)
	raises("Kind", pk.PK_EKIND, function() return r[1] end)
	eq(r.nosuch, nil)
	eq(r:read(0, 4), "keep", "nothing written")
	eq(r:read(4090, 6), ("\0"):rep(6), "nothing written")
	-- not a container: it cannot be stored
	local pool = newpool()
	raises("Value", pk.PK_EVALUE, function() pool:root().r = r end)
end)

test("region: <close> persists and unmaps; use after close is Closed", function()
	local p = path("raw")
	local kept
	do
		local r <close> = pk.map_file(p, { create = true, size = 8192 })
		r:write(0, "not persisted yet", "noflush")
		kept = r
	end
	check(kept:is_closed(), "closed at the end of the block")
	for _, use in ipairs({
		function() return #kept end,
		function() return kept:read(0, 1) end,
		function() return kept:read(1) end,
		function() kept:write(0, "x") end,
		function() kept:write("x") end,
		function() kept:persist() end,
		function() kept:flush() end,
		function() kept:drain() end,
		function() kept:deep_flush() end,
		function() kept:seek() end,
		function() kept:move(0, 1, 1) end,
		function() kept:fill(0, 1, 1) end,
		function() kept:is_pmem() end,
	}) do
		raises("Closed", pk.PK_ECLOSED, use)
	end
	kept:close()
	local r = pk.map_file(p)
	eq(r:read(0, 17), "not persisted yet")
	r:close()
	-- an error leaving the block unmaps too
	local ok = pcall(function()
		local r2 <close> = pk.map_file(p)
		kept = r2
		error("boom")
	end)
	check(not ok and kept:is_closed(), "closed by the error")
end)

test("region: a file that is not pmem is persisted with msync", function()
	local lua = assert(arg[1], "the interpreter is the first argument")
	local p = ("/var/tmp/pk-lua-region-%s"):format(DIR:match("[^/]+$"))
	local script = path("msync") .. ".lua"
	local f = assert(io.open(script, "w"))
	f:write([[
local pk = require "pmemkit"
local r <close> = pk.map_file(arg[1], { create = true, size = 65536 })
assert(r:is_pmem() == false, "not pmem")
r:write(5000, "on disk")
r:write(100, "later", "noflush")
r:persist(100, 5)
]])
	f:close()
	local cmd = ("env -u PMEM_IS_PMEM_FORCE %s %s %s 2>&1"):format(sh_quote(lua),
		sh_quote(script), sh_quote(p))
	local proc = assert(io.popen(cmd))
	local out = proc:read("a")
	local ok = proc:close()
	local data
	local fh = io.open(p, "rb")
	if fh then
		data = fh:read("a")
		fh:close()
		os.remove(p)
	end
	check(ok, "the script failed:\n" .. out)
	eq(#data, 65536)
	eq(data:sub(5001, 5007), "on disk")
	eq(data:sub(101, 105), "later")
end)

-- ---- issue 21: sets ----------------------------------------------------------

test("set: add, remove, discard, contains, s[x], #, clear, reopen", function()
	local pool = newpool()
	local r = pool:root()
	r.tags = pk.set { "red", "green" }
	local s = r:get("tags")
	eq(tostring(s), "pmemkit.set: 2 elements")
	eq(#s, 2); check(s:contains("red")); check(not s:contains("blue"))
	eq(s.red, true, "s[x] of an element"); eq(s.blue, nil, "s[x] of another")
	s:add("blue"); s:add("blue")
	eq(#s, 3, "adding an element twice adds it once")
	s.yellow = true; eq(#s, 4); check(s:contains("yellow"))
	s.yellow = nil; eq(#s, 3); s.yellow = nil; eq(#s, 3)
	raises("Value", pk.PK_EVALUE, function() s.pink = 1 end)
	raises("Value", pk.PK_EVALUE, function() s.pink = false end)
	check(not s:contains("pink"), "a refused s[x] = v adds nothing")
	s:remove("red")
	raises("NotFound", pk.PK_NOTFOUND, s.remove, s, "red")
	eq(s:discard("green"), true); eq(s:discard("green"), false)
	eq(s:contains("add"), false, "a method name through contains")
	s:add("add"); check(s:contains("add")); eq(type(s.add), "function")
	r = reopen(pool):root()
	s = r:get("tags")
	check(same(s:totable(), { blue = true, add = true }), "after a reopen")
	check(s == r:get("tags"), "two wrappers of one set are ==")
	s:clear(); eq(#s, 0); eq(next(s:totable()), nil)
	healthy(s:pool())
end)

test("set: elements are what a map takes as keys", function()
	local pool = newpool()
	local s = pool:new_set()
	s:add(1); s:add(1.0); s:add(true)
	eq(#s, 1, "1, 1.0 and true are one element")
	check(s:contains(1.0) and s:contains(true))
	s:add("abc"); s:add(pk.bytes("abc"))
	eq(#s, 3, "text and bytes are two elements")
	s:add(pk.null); check(s:contains(pk.null)); eq(s[pk.null], true)
	s:add(pk.bigint("1267650600228229401496703205376"))
	check(s:contains(pk.bigint("1267650600228229401496703205376")))
	s:add(2.5); s:add(false)
	eq(#s, 7)
	local seen = 0
	for e, v in pairs(s) do
		eq(v, true, "pairs gives each element and true")
		check(s:contains(e) or pk.type(s, e) == "bytes", tostring(e))
		seen = seen + 1
	end
	eq(seen, 7)
	eq(s:totable()[pk.null], true, "the nil element reads as pmemkit.null")
	eq(#s:elements(), 7)
end)

test("set: bad elements are KeyType errors and change nothing", function()
	local pool = newpool()
	local r = pool:root()
	local s = pool:new_set { 1, 2 }
	r.s = s
	raises("KeyType", pk.PK_EKEYTYPE, s.add, s, {})
	raises("KeyType", pk.PK_EKEYTYPE, s.add, s, nil)
	raises("KeyType", pk.PK_EKEYTYPE, s.add, s, print)
	raises("KeyType", pk.PK_EKEYTYPE, s.add, s, r)
	raises("KeyType", pk.PK_EKEYTYPE, s.add, s, pool:new_set())
	raises("KeyType", pk.PK_EKEYTYPE, s.contains, s, {})
	raises("KeyType", pk.PK_EKEYTYPE, function() s[{}] = true end)
	raises("KeyType", pk.PK_EKEYTYPE, s.update, s, { 3, 4, { 5 } })
	raises("Value", pk.PK_EVALUE, s.update, s, { 3, nil, 5, n = 3 })
	raises("Value", pk.PK_EVALUE, s.update, s, { x = true })
	-- a Lua set of 1 and 2 is not taken for the element true
	raises("Value", pk.PK_EVALUE, s.update, s, { [1] = true, [2] = true })
	raises("Value", pk.PK_EVALUE, s.update, s, 3)
	check(same(s:totable(), { [1] = true, [2] = true }), "nothing added")
	raises("KeyType", pk.PK_EKEYTYPE, function() r.t = pk.set { 1, {} } end)
	local e = raises("Value", pk.PK_EVALUE, function() r.t = pk.set { 1, nil, 3 } end)
	check(e.message:find("pmemkit.set: a hole at index 2", 1, true), e.message)
	eq(r.t, nil, "a refused set is not stored")
	raises("KeyType", pk.PK_EKEYTYPE, function()
		r.m = { a = pk.set { 1 }, b = pk.set { pool:new_set() } }
	end)
	eq(r.m, nil, "a refused deep store stores nothing")
	pool:gc()
	healthy(pool)
end)

test("set: update and subtract are one transaction each", function()
	local pool = newpool()
	local s = pool:new_set { 1, 2, 3 }
	pool:root().s = s
	s:update { 3, 4, 5 }
	check(same(s:totable(), { [1] = true, [2] = true, [3] = true, [4] = true,
		[5] = true }))
	s:subtract { 1, 2, 99 }
	check(same(s:totable(), { [3] = true, [4] = true, [5] = true }))
	s:update(pool:new_set { "a" }); check(s:contains("a"), "update from a set")
	s:subtract(s); eq(#s, 0, "subtract itself")
	s:update { 1, 2 }
	local ok = pcall(pool.transaction, pool, function()
		s:update { 7, 8 }; s:subtract { 1 }; s:clear()
		error("stop")
	end)
	check(not ok)
	check(same(s:totable(), { [1] = true, [2] = true }), "an abort undoes them")
end)

test("set: changing a set during pairs raises Changed", function()
	local pool = newpool()
	local s = pool:new_set { 1, 2, 3 }
	raises("Changed", pk.PK_ECHANGED, function()
		for e in pairs(s) do
			s:add(e + 10)
		end
	end)
	eq(#s, 4, "the one added before the error")
	for _, e in ipairs(s:elements()) do -- elements() to change it meanwhile
		s:remove(e)
	end
	eq(#s, 0)
end)

test("pmemkit.set and frozenset say a table is stored as a set", function()
	local pool = newpool()
	local r = pool:root()
	local t = pk.set { "x", "y", 3 }
	r.s = t
	eq(pk.type(r, "s"), "set")
	eq(getmetatable(t).__name, "pmemkit.set", "the table became the set")
	t:add("z"); eq(#r:get("s"), 4, "changes through it are stored")
	r.m = { "x", "y" }; eq(pk.type(r, "m"), "list", "a plain table is no set")
	r.e = pk.set(); eq(#r.e, 0, "pmemkit.set() is an empty set")
	r.nested = { tags = pk.set { 1 }, list = { pk.frozenset { 2 } } }
	check(r.nested.tags:contains(1)); check(r.nested.list[1]:is_frozen())
	check(same(r.nested:totable(), { tags = { [1] = true },
		list = { { [2] = true } } }), "totable of nested sets")
	raises("Value", pk.PK_EVALUE, pk.set, setmetatable({}, {}))
	local shared = pool:new_set { 5 }
	r.a, r.b = shared, shared
	shared:add(6); eq(#r.b, 2, "stored by reference")
	local u = pk.set { 1 }
	check(not pcall(pool.transaction, pool, function()
		r.u = u
		error("abort")
	end))
	eq(r.u, nil); eq(rawget(u, 1), 1, "an abort gives the table its elements back")
	r.u = u; check(r.u:contains(1), "and it can be stored again")
end)

test("set: a frozen set is read-only", function()
	local pool = newpool()
	local r = pool:root()
	r.f = pk.frozenset { 1, 2 }
	r.g = pool:new_set({ "a" }, true)
	for round = 1, 2 do
		if round == 2 then
			r = reopen(pool):root()
		end
		local f = r.f
		eq(getmetatable(f).__name, "pmemkit.frozenset")
		check(f:is_frozen()); eq(tostring(f), "pmemkit.frozenset: 2 elements")
		eq(#f, 2); check(f:contains(1)); eq(f[2], true)
		raises("Kind", pk.PK_EKIND, f.add, f, 3)
		raises("Kind", pk.PK_EKIND, f.remove, f, 1)
		raises("Kind", pk.PK_EKIND, f.discard, f, 1)
		raises("Kind", pk.PK_EKIND, f.clear, f)
		raises("Kind", pk.PK_EKIND, f.update, f, { 3 })
		raises("Kind", pk.PK_EKIND, f.subtract, f, { 1 })
		raises("Kind", pk.PK_EKIND, function() f[3] = true end)
		raises("Kind", pk.PK_EKIND, function() f[1] = nil end)
		check(same(f:totable(), { [1] = true, [2] = true }), "unchanged")
	end
	check(r.g:is_frozen() and r.g:contains("a"))
	check(not r:pool():new_set():is_frozen())
end)

test("pmemkit.type tells text from bytes in a set", function()
	local pool = newpool()
	local s = pool:new_set { "abc", pk.bytes("\7"), "\xff", 1, 2.5, pk.null }
	eq(pk.type(s, "abc"), "string"); eq(pk.type(s, "\7"), "bytes")
	eq(pk.type(s, pk.bytes("\7")), "bytes"); eq(pk.type(s, "\xff"), "bytes")
	eq(pk.type(s, "nope"), nil); eq(pk.type(s, 1), "integer")
	eq(pk.type(s, 2.5), "float"); eq(pk.type(s, pk.null), "nil")
	eq(pk.type(s, 3), nil)
	for e in pairs(s) do
		check(pk.type(s, e) ~= nil, "each element read is found: " .. tostring(e))
	end
end)

test("set: a closed pool and a removed set raise", function()
	local pool = newpool()
	local r = pool:root()
	r.s = pk.set { 1 }
	local s = r.s
	r.s = nil
	pool:gc()
	raises("Stale", pk.PK_ESTALE, s.add, s, 2)
	r.t = pk.set { 1 }
	local t = r.t
	pool:close()
	raises("Closed", pk.PK_ECLOSED, function() return #t end)
end)

with_python("sets written by Python, read by Lua, and back", function()
	local p = path("pyset")
	python([[
with pmemkit.Pool.create(sys.argv[1]) as pool:
    r = pool.root
    r["set"] = {1, "two", b"\x03", None}
    r["frozen"] = frozenset({4, 5})
    r["nested"] = [{6}]
]], p)
	do
		local pool <close> = pk.open(p)
		local r = pool:root()
		local s = r:get("set")
		eq(getmetatable(s).__name, "pmemkit.set"); eq(#s, 4)
		check(s:contains(1) and s:contains("two") and s:contains(pk.null))
		check(s:contains(pk.bytes("\3")) and not s:contains("\3"))
		eq(pk.type(s, "\3"), "bytes")
		local f = r.frozen
		check(f:is_frozen()); check(same(f:totable(), { [4] = true, [5] = true }))
		raises("Kind", pk.PK_EKIND, f.add, f, 6)
		check(r.nested[1]:contains(6))
		s:add(7); s:remove("two")
		r.lua = pk.set { 8, pk.bytes("nine") }
		r.luafrozen = pk.frozenset { 10 }
	end
	local out = python([[
with pmemkit.Pool.open(sys.argv[1]) as pool:
    r = pool.root
    assert r["set"] == {1, b"\x03", None, 7}, r["set"]
    assert isinstance(r["lua"], pmemkit.Set) and r["lua"] == {8, b"nine"}
    assert isinstance(r["luafrozen"], pmemkit.FrozenSet)
    assert r["luafrozen"] == frozenset({10})
    assert pool.check()["ok"]
    print("python read the sets")
]], p)
	check(out:find("python read the sets", 1, true), out)
end)

-- ---- issue 21: tuples --------------------------------------------------------

test("tuple: items, length with trailing nils, immutable, ==, tostring", function()
	local t = pk.tuple(1, "a", nil, 2.5, nil)
	eq(getmetatable(t), pk.Tuple)
	eq(#t, 5, "trailing nils count, as select('#', ...)")
	eq(t[1], 1); eq(t[2], "a"); eq(t[3], nil); eq(t[4], 2.5); eq(t[5], nil)
	eq(t[0], nil); eq(t[6], nil); eq(t.x, nil)
	local n = 0
	for i, x in ipairs(t) do n = n + 1; eq(x, t[i]) end
	eq(n, 2, "ipairs stops at the first nil, as on a table")
	n = 0
	for i, x in pairs(t) do n = n + 1; eq(i, n); eq(x, t[i]) end
	eq(n, 5, "pairs gives every item, nils too")
	eq(select("#", table.unpack(t)), 5)
	raises("Kind", pk.PK_EKIND, function() t[1] = 2 end)
	raises("Kind", pk.PK_EKIND, function() t[6] = 2 end)
	eq(t[1], 1, "unchanged")
	check(t == pk.tuple(1.0, "a", nil, 2.5, nil), "== by items, as Lua's ==")
	check(t ~= pk.tuple(1, "a", nil, 2.5), "not as many items")
	check(pk.tuple(1, pk.tuple(2)) == pk.tuple(1, pk.tuple(2)), "nested")
	check(pk.tuple() == pk.tuple() and #pk.tuple() == 0, "the empty tuple")
	eq(tostring(pk.tuple(1, "a", nil, pk.tuple(2.5))), '(1, "a", nil, (2.5))')
	check(pk.tuple(1, "b") < pk.tuple(2, "a") and pk.tuple(1) < pk.tuple(1, 0))
	check(pk.tuple(1, "a") <= pk.tuple(1.0, "a") and not (pk.tuple(2) < pk.tuple(1)))
	local sorted = { pk.tuple(2, "a"), pk.tuple(1, "b"), pk.tuple(1, "a") }
	table.sort(sorted)
	eq(tostring(sorted[1]) .. tostring(sorted[3]), '(1, "a")(2, "a")')
	check(not pcall(function() return pk.tuple(1) < pk.tuple("a") end))
	local b = pk.tuple(pk.bytes("\1"), pk.null, pk.bigint("99999999999999999999"))
	eq(b[1], "\1", "a bytes item reads as a string, as values do")
	eq(pk.type(b, 1), "bytes"); eq(pk.type(b, 2), "nil"); eq(b[2], nil)
	eq(pk.type(b, 3), "bigint"); eq(tostring(b[3]), "99999999999999999999")
	eq(pk.type(t, 2), "string"); eq(pk.type(t, 4), "float")
	raises("Range", pk.PK_ERANGE, pk.type, t, 6)
end)

test("tuple: items that cannot be in a tuple are KeyType errors", function()
	local pool = newpool()
	local r = pool:root()
	r.m = {}
	for _, bad in ipairs({ {}, { 1, 2 }, print, coroutine.create(print), r.m }) do
		local e = raises("KeyType", pk.PK_EKEYTYPE, pk.tuple, 1, bad)
		check(e.message:find("item 2", 1, true), e.message)
	end
	raises("KeyType", pk.PK_EKEYTYPE, pk.tuple, pool:root())
	local deep = pk.tuple(1)
	for _ = 2, 32 do
		deep = pk.tuple(deep)
	end
	r[deep] = "32 deep"
	eq(r[deep], "32 deep")
	raises("Value", pk.PK_EVALUE, pk.tuple, deep)
	eq(#r, 2)
	healthy(pool)
end)

-- A new pool whose root holds map m (r.m), key k stored in it as "x".
local function map_with_key(k)
	local pool = newpool()
	local m = pool:new_map()
	pool:root().m = m
	m[k] = "x"
	return pool, m
end

-- Map m has key k (found as a copy of it, made by new()); removing it
-- leaves n keys, and removing it again is a NotFound error.
local function remove_key(m, new, n)
	check(m:contains(new()))
	m[new()] = nil
	eq(#m, n)
	raises("NotFound", pk.PK_NOTFOUND, m.remove, m, new())
end

test("tuple: a key, equal across number types, read back as a tuple", function()
	local pool, m = map_with_key(pk.tuple(1, "a"))
	eq(m[pk.tuple(1.0, "a")], "x", "1.0 finds 1")
	eq(m[pk.tuple(true, "a")], "x", "true finds 1, as m[true] finds m[1]")
	eq(m[pk.tuple(1, "b")], nil); eq(m[pk.tuple(1)], nil)
	eq(m[pk.tuple(1, "a", nil)], nil, "a trailing nil is an item")
	m[pk.tuple(1.0, "a")] = "y"
	eq(#m, 1, "one key")
	m[pk.tuple(2, pk.tuple(3.5, pk.bytes("\4")))] = 2
	m[pk.tuple(2, pk.tuple(3.5, "\4"))] = "text"
	eq(#m, 3, "bytes and text items are different keys")
	local lua = {}
	lua[pk.tuple(1, "a")] = true
	eq(lua[pk.tuple(1, "a")], nil, "Lua's own tables key tuples by identity")
	pool = reopen(pool)
	m = pool:root().m
	local seen = 0
	for k, v in pairs(m) do
		eq(getmetatable(k), pk.Tuple, "a key reads as a tuple")
		if k[1] == 1 then
			eq(math.type(k[1]), "integer", "the key keeps its first types")
			eq(k[2], "a"); eq(v, "y")
		elseif pk.type(k[2], 2) == "bytes" then
			eq(k[2][1], 3.5); eq(k[2][2], "\4"); eq(v, 2)
		else
			eq(v, "text")
		end
		-- the tuple read stores again as the same key
		eq(m[k], v)
		seen = seen + 1
	end
	eq(seen, 3)
	eq(m[pk.tuple(2, pk.tuple(3.5, pk.bytes("\4")))], 2)
	remove_key(m, function() return pk.tuple(1, "a") end, 2)
	healthy(pool)
end)

test("tuple: a table as a key is refused and nothing is stored", function()
	local pool = newpool()
	local r = pool:root()
	local e = raises("KeyType", pk.PK_EKEYTYPE, function() r[{ 1, "a" }] = "x" end)
	check(e.message:find("pmemkit.tuple", 1, true), e.message)
	raises("KeyType", pk.PK_EKEYTYPE, function() r[{ 1 }] = { 2 } end)
	raises("KeyType", pk.PK_EKEYTYPE, function() r.m = { [{ 1 }] = "x" } end)
	raises("KeyType", pk.PK_EKEYTYPE, function() return r[{ 1, "a" }] end)
	eq(#r, 0, "nothing stored")
	healthy(pool)
end)

test("tuple: values, list items, set elements, totable", function()
	local pool = newpool()
	local r = pool:root()
	r.t = pk.tuple(1, pk.tuple("a", nil), nil)
	r.l = { pk.tuple(1, 2), "x" }
	r.s = pk.set { pk.tuple(1, "a"), pk.tuple(2) }
	pool = reopen(pool)
	r = pool:root()
	local t = r.t
	eq(getmetatable(t), pk.Tuple); eq(#t, 3); eq(#t[2], 2); eq(t[2][1], "a")
	eq(pk.type(r, "t"), "tuple"); eq(pk.type(t, 2), "tuple")
	eq(pk.type(r.l, 1), "tuple")
	check(r.l[1] == pk.tuple(1, 2))
	local s = r.s
	eq(#s, 2)
	check(s[pk.tuple(1.0, "a")] and s:contains(pk.tuple(2.0)))
	s:add(pk.tuple(1, "a")); eq(#s, 2, "the same element")
	s[pk.tuple(3)] = true; eq(#s, 3)
	for e in pairs(s) do
		eq(getmetatable(e), pk.Tuple, "an element reads as a tuple")
		eq(pk.type(s, e), "tuple")
	end
	raises("KeyType", pk.PK_EKEYTYPE, s.add, s, { 1 })
	check(r:totable().t == t, "a tuple is its own plain copy")
	r.t2 = t -- stored again: the same items, the same types
	check(r.t2 == t and pk.type(r.t2, 2) == "tuple")
	healthy(pool)
end)

-- ---- issue 21, part 2: frozen sets as scalars (PK_FROZENSET) ---------------

test("frozenset scalar: members in canonical order, #, contains, ==, immutable", function()
	local s = pk.frozenset("b", 2, 1, 1.0, true, pk.null)
	eq(getmetatable(s), pk.FrozenKey); eq(getmetatable(s).__name, "pmemkit.frozenkey")
	eq(#s, 4, "1, 1.0 and true are one member, the first given")
	eq(s[1], pk.null, "nil sorts first, as pmemkit.null")
	eq(s[2], 1); eq(math.type(s[2]), "integer", "the first given stays")
	eq(pk.type(s, 2), "integer"); eq(pk.type(s, 1), "nil")
	eq(tostring(s), 'frozenset{pmemkit.null, 1, 2, "b"}')
	check(s:contains(1.0) and s:contains(true) and s:contains("b"))
	check(not s:contains("c") and not s:contains(3))
	check(s:contains(pk.null), "the nil member")
	raises("KeyType", pk.PK_EKEYTYPE, s.contains, s, {})
	local seen = {}
	for i, x in ipairs(s) do
		seen[#seen + 1] = x; eq(i, #seen)
	end
	eq(#seen, 4, "ipairs goes through every member, the nil one too")
	local n = 0
	for x, v in pairs(s) do
		n = n + 1; eq(v, true); check(s:contains(x))
	end
	eq(n, 4, "pairs: each member and true, as a set's")
	check(same(s:members(), seen))
	check(pk.frozenset(1, "a") == pk.frozenset("a", 1.0), "== by the key rules")
	check(pk.frozenset(1, "a") ~= pk.frozenset(1), "not the same members")
	check(pk.frozenset(pk.tuple(1, 2)) == pk.frozenset(pk.tuple(1.0, 2)))
	check(pk.frozenset(pk.bytes("a")) ~= pk.frozenset("a"), "bytes are not text")
	check(pk.frozenset(1) ~= pk.tuple(1), "a frozen set is no tuple")
	eq(#pk.frozenset(pk.null), 1)
	local e = raises("Kind", pk.PK_EKIND, function() s[1] = 5 end)
	check(e.message:find("immutable", 1, true), e.message)
	eq(#s, 4)
	eq(tostring(pk.frozenset(pk.frozenset(3), pk.tuple(1, "a"))),
		'frozenset{(1, "a"), frozenset{3}}')
end)

test("frozenset scalar: what cannot be a member is a KeyType error", function()
	local pool = newpool()
	for _, bad in ipairs({ {}, function() end, coroutine.create(print),
			pk.set { 1 } }) do
		raises("KeyType", pk.PK_EKEYTYPE, pk.frozenset, 1, bad)
	end
	local e = raises("KeyType", pk.PK_EKEYTYPE, pk.frozenset, 1, nil)
	check(e.message:find("pmemkit.null", 1, true), e.message)
	raises("KeyType", pk.PK_EKEYTYPE, pk.frozenset, 1, pool:root())
	raises("KeyType", pk.PK_EKEYTYPE, pk.frozenset, 1, pool:new_map())
	local deep = pk.frozenset(1)
	for _ = 2, 32 do
		deep = pk.frozenset(deep)
	end
	raises("Value", pk.PK_EVALUE, pk.frozenset, deep) -- beyond PK_TUPLE_DEPTH
	raises("Value", pk.PK_EVALUE, pk.tuple, deep)
	-- one table argument is the other pmemkit.frozenset: a mark
	local t = pk.frozenset { 1 }
	eq(type(t), "table"); eq(getmetatable(pk.frozenset(1)), pk.FrozenKey)
	eq(type(pk.frozenset()), "table", "no argument: an empty marked table")
end)

test("frozenset scalar: a map key, across number types and orders", function()
	local pool, m = map_with_key(pk.frozenset(1, "a"))
	eq(m[pk.frozenset("a", 1.0)], "x", "any order, 1.0 finds 1")
	eq(m[pk.frozenset(true, "a")], "x", "true finds 1")
	eq(m[pk.frozenset(1)], nil); eq(m[pk.tuple(1, "a")], nil, "no tuple")
	m[pk.frozenset("a", 1.0)] = "y"
	eq(#m, 1, "one key")
	m[pk.frozenset(2, pk.frozenset(3, pk.bytes("\4")))] = 2
	m[pk.tuple(1, pk.frozenset(5, 6))] = "t"
	m[pk.frozenset()] = "empty"
	eq(#m, 4)
	eq(m[pk.frozenset()], "empty", "the empty frozen set")
	pool = reopen(pool)
	m = pool:root().m
	local seen = 0
	for k, v in pairs(m) do
		local mt = getmetatable(k)
		check(mt == pk.FrozenKey or mt == pk.Tuple, "a key reads as a frozen set")
		if mt == pk.FrozenKey and #k == 2 and k:contains("a") then
			eq(v, "y"); eq(math.type(k[1]), "integer", "the first types kept")
		elseif mt == pk.Tuple then
			eq(getmetatable(k[2]), pk.FrozenKey, "an item reads as a frozen set")
			check(k[2] == pk.frozenset(6, 5)); eq(pk.type(k, 2), "frozenset")
		end
		eq(m[k], v, "the key read finds its value")
		seen = seen + 1
	end
	eq(seen, 4)
	eq(m[pk.frozenset(pk.frozenset(pk.bytes("\4"), 3), 2)], 2, "nested")
	eq(m[pk.frozenset(pk.frozenset("\4", 3), 2)], nil, "bytes are not text")
	remove_key(m, function() return pk.frozenset("a", 1) end, 3)
	local lua = {}
	lua[pk.frozenset(1)] = true
	eq(lua[pk.frozenset(1)], nil, "Lua's own tables key them by identity")
	healthy(pool)
end)

test("frozenset scalar: values, list items, set elements; stored again the same", function()
	local pool = newpool()
	local r = pool:root()
	r.v = pk.frozenset(pk.tuple(1, 2), "x", 3.5)
	r.l = { pk.frozenset(1), "y" }
	r.s = pk.set { pk.frozenset(1, 2), pk.frozenset(3) }
	pool = reopen(pool)
	r = pool:root()
	local v = r.v
	eq(getmetatable(v), pk.FrozenKey); eq(#v, 3)
	eq(pk.type(r, "v"), "frozenset", "a scalar, not a set container")
	eq(pk.type(r.l, 1), "frozenset"); check(r.l[1] == pk.frozenset(1.0))
	r.w = v -- stored again: PK_FROZENSET, the same members and types
	eq(pk.type(r, "w"), "frozenset"); check(r.w == v)
	for i, x in ipairs(r.w) do
		eq(pk.type(r.w, i), x == 3.5 and "float" or x == "x" and "string"
			or "tuple", "each member keeps its type")
	end
	r.x = r.l[1]; eq(pk.type(r, "x"), "frozenset")
	local s = r.s
	eq(#s, 2)
	check(s:contains(pk.frozenset(2.0, 1)) and s[pk.frozenset(3)])
	s:add(pk.frozenset(2, 1)); eq(#s, 2, "the same element")
	for e in pairs(s) do
		eq(getmetatable(e), pk.FrozenKey); eq(pk.type(s, e), "frozenset")
	end
	check(r:totable().v == v, "a frozen set scalar is its own plain copy")
	healthy(pool)
end)

test("frozenset: a marked table or a stored frozen set as a key is its members", function()
	local pool = newpool()
	local r = pool:root()
	r.m = {}
	local m = r.m
	m[pk.frozenset { 1, "a" }] = "x"
	eq(m[pk.frozenset("a", 1)], "x", "as the scalar of its members")
	for k in pairs(m) do
		eq(getmetatable(k), pk.FrozenKey, "stored as a frozen set scalar")
	end
	r.fz = pk.frozenset { 2, 1 } -- as a value: a frozen set container
	eq(pk.type(r, "fz"), "set"); check(r.fz:is_frozen())
	m[r.fz] = "from the stored one"
	eq(m[pk.frozenset(1, 2)], "from the stored one")
	check(pk.tuple(1, pk.frozenset { 2 }) == pk.tuple(1, pk.frozenset(2)))
	r.s = pk.set { pk.frozenset { 1, 2 } }
	check(r.s:contains(pk.frozenset(1, 2)) and r.s:contains(r.fz))
	-- mutable sets stay refused, nothing stored
	raises("KeyType", pk.PK_EKEYTYPE, function() m[pk.set { 1 }] = 1 end)
	raises("KeyType", pk.PK_EKEYTYPE, function() m[r.s] = 1 end)
	raises("KeyType", pk.PK_EKEYTYPE, function() m[pk.frozenset { {} }] = 1 end)
	raises("KeyType", pk.PK_EKEYTYPE, function() m[pk.frozenset { pk.set {} }] = 1 end)
	raises("Value", pk.PK_EVALUE, function() m[pk.frozenset { [3] = 1 }] = 1 end)
	eq(#m, 2)
	-- pmemkit.frozenset(s) of a stored set: a frozen set scalar of it, now
	local snap = pk.frozenset(r.s)
	eq(getmetatable(snap), pk.FrozenKey); eq(#snap, 1)
	check(snap[1] == pk.frozenset(1, 2))
	m[snap] = "snap"; r.s:add(7)
	eq(m[pk.frozenset(pk.frozenset(2, 1))], "snap", "a copy: the set changed, not it")
	check(pk.frozenset(r.fz) == pk.frozenset(1, 2))
	healthy(pool)
end)

-- ---- issue 21: records -------------------------------------------------------

-- a class as Lua programs write them
local Point = {}
Point.__index = Point
function Point.new(x, y)
	return setmetatable({ x = x, y = y }, Point)
end
function Point:norm2()
	return self.x * self.x + self.y * self.y
end
function Point:move(dx, dy)
	self.x, self.y = self.x + dx, self.y + dy
	return self
end
function Point.__tostring(p)
	return ("Point(%s, %s)"):format(p.x, p.y)
end
function Point.__add(a, b)
	return Point.new(a.x + b.x, a.y + b.y)
end
Point.label = "a point" -- a class default
pk.register("test.Point", Point)

test("record: an object of a registered class stored is bound to it", function()
	local pool = newpool()
	local r = pool:root()
	local p = Point.new(3, 4)
	r.p = p
	eq(pk.type(r, "p"), "record")
	eq(getmetatable(p), Point, "still an object of its class")
	eq(rawget(p, "x"), nil, "its fields moved into the pool")
	eq(p.x, 3); eq(p:norm2(), 25); eq(tostring(p), "Point(3, 4)")
	eq(p.label, "a point", "a class default, not an attribute")
	p:move(1, 1) -- methods write through to the pool
	eq(r.p.x, 4); eq(r.p.y, 5)
	p.x = 5
	eq(r.p.x, 5)
	p.label = "mine" -- an attribute now, hiding the default
	eq(r.p.label, "mine"); eq(Point.label, "a point")
	p.label = nil -- r.x = nil deletes the attribute
	eq(r.p.label, "a point"); eq(pk.record.contains(p, "label"), false)
	eq(p.z, nil, "a missing attribute reads nil")
	check(r.p == p, "the same record")
	local q = r.p + Point.new(1, 1) -- the class's metamethods
	eq(getmetatable(q), Point); eq(q.x, 6); eq(rawget(q, "x"), 6, "volatile")
	eq(#p, 2); eq(pk.record.class_name(p), "test.Point")
	local names = {}
	for k, v in pairs(p) do names[k] = v end
	check(same(names, { x = 5, y = 5 }), "pairs gives the attributes")
	check(same(pk.record.totable(p), { x = 5, y = 5 }))
	check(not pcall(setmetatable, p, nil), "it stays bound")
	pool = reopen(pool)
	p = pool:root().p
	eq(getmetatable(p), Point, "read back as an object of its class")
	eq(p:norm2(), 50)
	healthy(pool)
end)

test("record: pool:new, nested values, reopen, stale", function()
	local pool = newpool()
	local r = pool:root()
	local p = pool:new(Point, { x = 1, y = 2.5 })
	eq(getmetatable(p), Point); eq(p.y, 2.5); eq(pk.type(p, "y"), "float")
	p.tags = { "a", "b" } -- a table attribute becomes a list
	p.at = pk.tuple(1, 2)
	p.other = Point.new(0, 0) -- a nested record
	r.pts = { p, pool:new("test.Point") }
	eq(#r.pts, 2); eq(#r.pts[2], 0)
	eq(getmetatable(p.other), Point)
	pool = reopen(pool)
	r = pool:root()
	p = r.pts[1]
	eq(p.tags[2], "b"); check(p.at == pk.tuple(1, 2)); eq(p.other:norm2(), 0)
	p.other:move(3, 4)
	eq(r.pts[1].other:norm2(), 25)
	eq(pk.type(p, "tags"), "list"); eq(pk.type(p, "nothing"), nil)
	local popped = r.pts:pop(1)
	eq(getmetatable(popped), Point, "a volatile copy of its class")
	eq(rawget(popped, "x"), 1); eq(getmetatable(popped.other), Point)
	pool:gc()
	raises("Stale", pk.PK_ESTALE, function() return p.x end)
	raises("Stale", pk.PK_ESTALE, function() p.x = 2 end)
	r.again = popped -- a copy stored again: a new record
	eq(r.again.other:norm2(), 25)
	raises("Value", pk.PK_EVALUE, pool.new, pool, {}, {})
	raises("Value", pk.PK_EVALUE, pool.new, pool, Point, 5)
	raises("Value", pk.PK_EVALUE, pool.new, pool, "")
	healthy(pool)
end)

test("record: a class not registered here reads as a generic record", function()
	local pool = newpool()
	local r = pool:root()
	r.g = pool:new("Elsewhere", { a = 1, get = "shadowed", list = { 1 } })
	pool = reopen(pool)
	r = pool:root()
	local g = r.g
	eq(getmetatable(g).__name, "pmemkit.record")
	eq(g:class_name(), "Elsewhere"); eq(#g, 3)
	eq(g.a, 1); eq(g.nothing, nil)
	eq(type(g.get), "function", "method names hide attributes")
	eq(g:get("get"), "shadowed"); eq(g:get("nothing", 0), 0)
	g.a = 2; g:set("b", "two"); g.list[2] = 2
	eq(r.g.a, 2); eq(r.g.b, "two"); check(g:contains("b"))
	g.b = nil
	check(not g:contains("b"))
	check(same(g:totable(), { a = 2, get = "shadowed", list = { 1, 2 } }))
	local n = 0
	for k in pairs(g) do n = n + 1; eq(type(k), "string") end
	eq(n, 3)
	eq(tostring(g), "pmemkit.record Elsewhere: 3 attributes")
	check(r.g == g)
	raises("KeyType", pk.PK_EKEYTYPE, function() g[1] = 1 end)
	raises("KeyType", pk.PK_EKEYTYPE, function() g["\xff"] = 1 end)
	-- registered later: objects read from then on are of the class
	local Elsewhere = {}
	Elsewhere.__index = Elsewhere
	function Elsewhere:twice() return self.a * 2 end
	pk.register("Elsewhere", Elsewhere)
	eq(r.g:twice(), 4)
	eq(getmetatable(r.g), Elsewhere)
	healthy(pool)
end)

test("record: a failed store stores nothing and leaves the object", function()
	local pool = newpool()
	local r = pool:root()
	local p = Point.new(1, 2)
	check(not pcall(pool.transaction, pool, function()
		r.p = p
		eq(rawget(p, "x"), nil, "bound inside")
		error("abort")
	end))
	eq(getmetatable(p), Point); eq(rawget(p, "x"), 1, "its own fields again")
	local bad = Point.new(1, 2)
	bad[1] = "not a name"
	raises("KeyType", pk.PK_EKEYTYPE, function() r.bad = bad end)
	eq(rawget(bad, "x"), 1); eq(bad[1], "not a name")
	local f = Point.new(1, print)
	raises("Value", pk.PK_EVALUE, function() r.f = f end)
	local loop = Point.new(1, 2)
	loop.self = loop
	raises("Value", pk.PK_EVALUE, function() r.loop = loop end)
	eq(#r, 0)
	local Unknown = {}
	Unknown.__index = Unknown
	local e = raises("Value", pk.PK_EVALUE, function()
		r.u = setmetatable({}, Unknown)
	end)
	check(e.message:find("pmemkit.register", 1, true), e.message)
	-- a closed pool's records raise Closed
	local closing = newpool()
	closing:root().p = Point.new(1, 2)
	local cp = closing:root().p
	closing:close()
	raises("Closed", pk.PK_ECLOSED, function() return cp.x end)
	raises("Closed", pk.PK_ECLOSED, function() cp.x = 1 end)
	-- a transaction groups attribute writes; an abort undoes them
	r.p = p
	check(not pcall(pool.transaction, pool, function()
		p.x = 10; p.y = nil; p.z = { 1 }
		error("abort")
	end))
	eq(p.x, 1); eq(p.y, 2); eq(p.z, nil)
	-- cycles: store the objects, then link the bound ones
	local a, b = Point.new(1, 1), Point.new(2, 2)
	r.a, r.b = a, b
	a.other = b; b.other = a
	eq(r.a.other.other.x, 1)
	r.a, r.b, r.p = nil, nil, nil
	pool:gc()
	eq(#r, 0)
	-- a record bound elsewhere is another pool's
	local other, o = newpool(), Point.new(1, 2)
	other:root().o = o
	raises("Value", pk.PK_EVALUE, function() r.o = o end)
	pool:gc()
	healthy(pool)
end)

test("record: register checks its arguments", function()
	raises("Value", pk.PK_EVALUE, pk.register, "", {})
	raises("Value", pk.PK_EVALUE, pk.register, ("x"):rep(1025), {})
	raises("Value", pk.PK_EVALUE, pk.register, "\xff", {})
	raises("Value", pk.PK_EVALUE, pk.register, "X", "not a class")
	raises("Value", pk.PK_EVALUE, pk.register, "X", pk.Tuple)
	raises("Value", pk.PK_EVALUE, pk.register, "Other name", Point)
	eq(pk.register("test.Point", Point), Point, "again: the same")
	local P2 = { __index = {} }
	pk.register("test.P2", P2)
	pk.register("test.P2", P2)
	local P3 = { __index = {} }
	pk.register("test.P2", P3) -- the name now means P3
	local pool = newpool()
	local r = pool:root()
	r.x = pool:new("test.P2")
	eq(getmetatable(r.x), P3)
	local e = raises("Value", pk.PK_EVALUE, function()
		r.y = setmetatable({}, P2)
	end)
	check(e.message:find("register", 1, true), e.message)
end)

-- A test of WHAT keys (its Python writes with `write`, which prints
-- "no WHAT keys" when its module has none yet: skipped), read by Lua
-- (lua(root), in the open pool), then by Python (`read`, which prints
-- "python read the WHAT keys").
local function python_keys(what, write, lua, read)
	with_python(what .. " keys written by Python, read by Lua, and back", function()
		local p = path("py" .. what:gsub(" ", ""))
		local out = python(write, p)
		if out:find("no " .. what .. " keys", 1, true) then
			print("# skipped: the Python module has no " .. what .. " keys yet")
			return
		end
		do
			local pool <close> = pk.open(p)
			lua(pool:root())
		end
		out = python(read, p)
		check(out:find("python read the " .. what .. " keys", 1, true), out)
	end)
end

python_keys("tuple", [[
with pmemkit.Pool.create(sys.argv[1]) as pool:
    r = pool.root
    try:
        r[(1, "a")] = "x"
    except TypeError:
        print("no tuple keys")  # a Python module from before issue 21
        sys.exit(0)
    r[(2, (3.5, b"\x04"))] = 2
    r["s"] = {(1, 2)}
]], function(r)
	eq(r[pk.tuple(1.0, "a")], "x")
	eq(r[pk.tuple(2, pk.tuple(3.5, pk.bytes("\4")))], 2)
	check(r:get("s"):contains(pk.tuple(1, 2)))
	r[pk.tuple(3, "b", nil)] = "y"
end, [[
with pmemkit.Pool.open(sys.argv[1]) as pool:
    r = pool.root
    assert r[(3, "b", None)] == "y"
    assert r[(1.0, "a")] == "x"
    print("python read the tuple keys")
]])

python_keys("frozen set", [[
with pmemkit.Pool.create(sys.argv[1]) as pool:
    r = pool.root
    try:
        r[frozenset({2, "b"})] = 3
        r[(1, frozenset({2}))] = "t"
        assert r[frozenset({2.0, "b"})] == 3
    except Exception:
        print("no frozen set keys")  # a Python module from before them
        sys.exit(0)
]], function(r)
	eq(r[pk.frozenset("b", 2.0)], 3)
	eq(r[pk.tuple(1, pk.frozenset(2))], "t")
	for k in pairs(r) do
		check(getmetatable(k) == pk.FrozenKey or getmetatable(k[2]) == pk.FrozenKey)
	end
	r[pk.frozenset(3, "c")] = "y"
end, [[
with pmemkit.Pool.open(sys.argv[1]) as pool:
    r = pool.root
    assert r[frozenset({"c", 3})] == "y"
    print("python read the frozen set keys")
]])

-- ---- issue 22: space accounting ---------------------------------------------

local KINDS = { "map", "list", "array", "log", "blocks", "set", "record",
	"sorted_map" }

local function kinds_total(st)
	local sum = 0
	for _, k in ipairs(KINDS) do
		sum = sum + st[k .. "_bytes"]
	end
	return sum
end

test("stats: containers and bytes of each kind; all kinds' bytes are used", function()
	local pool = newpool()
	local r = pool:root()
	local st = pool:stats()
	eq(st.map_count, 1, "the root")
	eq(kinds_total(st), st.used, "an empty pool: the root's bytes")
	local m = {}
	for i = 1, 200 do
		m[i] = pk.bytes(string.rep("x", i % 10 == 0 and 5000 or 1))
	end
	r.m = pk.map(m)
	r.l = pk.list({ 1, 2, 3 })
	r.s = pk.set({ 1, 2 })
	r.a = pool:new_array("i64", 10)
	r.g = pool:new_log({ "a", "bc" })
	r.b = pool:new_blocks(512, 4)
	r.p = Point.new(1, 2)
	r.o = pk.sorted({ a = 1 })
	st = pool:stats()
	eq(st.map_count, 2, "maps")
	eq(st.list_count, 1, "lists")
	eq(st.set_count, 1, "sets")
	eq(st.array_count, 1, "arrays")
	eq(st.log_count, 1, "logs")
	eq(st.blocks_count, 1, "block arrays")
	eq(st.record_count, 1, "records")
	eq(st.sorted_map_count, 1, "sorted maps")
	check(st.map_bytes > 20 * 5000, "map bytes " .. st.map_bytes)
	check(st.blocks_bytes >= 4 * 512, "blocks bytes " .. st.blocks_bytes)
	for _, k in ipairs(KINDS) do
		eq(math.type(st[k .. "_count"]), "integer", k .. "_count")
		check(st[k .. "_bytes"] > 0, k .. "_bytes")
	end
	-- every object the pool holds is some container's
	eq(kinds_total(st), st.used, "all kinds' bytes")
	r.m = nil
	st = pool:stats()
	eq(st.map_count, 1, "a removed map is freed")
	eq(kinds_total(st), st.used, "all kinds' bytes after a removal")
	eq(pool:sizeof(r, true), st.used, "root deep")
end)

test("sizeof: shallow, deep, a cycle counted once, root deep is used", function()
	local pool = newpool()
	local r = pool:root()
	r.m = { blob = pk.bytes(string.rep("y", 100000)),
		inner = { pk.bytes(string.rep("z", 50000)) } }
	local m, inner = r.m, r.m.inner
	check(pool:sizeof(m) >= 100000, "map shallow " .. pool:sizeof(m))
	check(pool:sizeof(m) < 150000, "shallow: not the inner list's blob")
	check(pool:sizeof(inner) >= 50000, "list shallow")
	eq(pool:sizeof(m, false), pool:sizeof(m), "deep false: shallow")
	eq(pool:sizeof(m, true), pool:sizeof(m) + pool:sizeof(inner), "deep")
	eq(pool:sizeof(inner, true), pool:sizeof(inner), "a list of bytes: deep = shallow")
	-- a cycle counts each container once
	inner:append(m)
	eq(pool:sizeof(m, true), pool:sizeof(m) + pool:sizeof(inner), "cycle from m")
	eq(pool:sizeof(inner, true), pool:sizeof(m) + pool:sizeof(inner), "cycle from inner")
	-- two references to one container: counted once
	r.m.again = inner
	eq(pool:sizeof(m, true), pool:sizeof(m) + pool:sizeof(inner), "shared")
	eq(pool:sizeof(r, true), pool:stats().used, "root deep")
	eq(pool:sizeof(r, true), pool:sizeof(r) + pool:sizeof(m, true), "root = itself + m's")
	inner[2] = nil -- break the cycle: the map is still m's
	eq(pool:sizeof(r, true), pool:stats().used, "root deep after")
	local again = reopen(pool)
	eq(again:sizeof(again:root(), true), again:stats().used, "after a reopen")
end)

test("sizeof: records, other kinds, and what it refuses", function()
	local pool = newpool()
	local r = pool:root()
	local n = Point.new(1, 2)
	n.data = pk.bytes(string.rep("q", 20000))
	-- not stored: it holds nothing in the pool
	raises("Value", nil, pool.sizeof, pool, n)
	r.n = n
	check(pool:sizeof(n) >= 20000, "a stored object: its record's bytes")
	eq(pool:sizeof(n), pool:sizeof(r.n), "the object and the record read back")
	eq(pool:sizeof(n, true), pool:sizeof(n), "deep: it refers to nothing")
	n.l = { 1, 2 }
	eq(pool:sizeof(n, true), pool:sizeof(n) + pool:sizeof(n.l), "deep: and its list")
	local g = pool:new("test.Unregistered", { s = string.rep("w", 3000) })
	r.g = g
	check(pool:sizeof(r.g) >= 3000, "a generic record")
	r.s, r.a = pk.set({ "a", "b" }), pool:new_array("f64", 1000)
	check(pool:sizeof(r.s) > 0, "a set")
	check(pool:sizeof(r.a) >= 8000, "an array")
	for _, bad in ipairs({ 1, 2.5, "x", true, pk.bytes("b"), pk.tuple(1, 2),
			{}, { 1, 2 }, pk.list({}), pk.map({}), Point.new(0, 0) }) do
		raises("Value", nil, pool.sizeof, pool, bad)
	end
	raises("Value", nil, pool.sizeof, pool, nil)
	raises("Value", nil, pool.sizeof, pool, pool)
	raises("Value", nil, pool.sizeof, pool, pk.frozenset(1, 2))
	-- a container removed from the pool
	local gone = r.s
	r.s = nil
	raises("Stale", nil, pool.sizeof, pool, gone)
	-- in a transaction, sizeof counts its writes; stats() sees objects a
	-- transaction allocates only once it commits (README)
	pool:transaction(function()
		r.n.more = pk.bytes(string.rep("m", 10000))
		check(pool:sizeof(r.n) >= 30000, "in a transaction")
	end)
	eq(pool:sizeof(r, true), pool:stats().used, "root deep after the transaction")
	eq(kinds_total(pool:stats()), pool:stats().used, "all kinds' bytes after it")
	-- a container of another pool
	local other = newpool()
	raises("Value", nil, pool.sizeof, pool, other:root())
	local m = r.n
	pool:close()
	raises("Closed", nil, pool.sizeof, pool, m)
end)

with_python("stats and sizeof agree with Python's", function()
	local p = path("space")
	local lua_says
	do
		local pool <close> = pk.create(p, { size = 4 * pk.MIN_POOL_SIZE })
		local r = pool:root()
		r.m = { blob = pk.bytes(string.rep("y", 7000)), l = { 1, 2, 3 } }
		r.s = pk.set({ "a" })
		r.p = Point.new(1, 2)
		local st = pool:stats()
		lua_says = ("%d %d %d %d %d %d %d\n"):format(st.used, st.map_count,
			st.map_bytes, st.record_bytes, pool:sizeof(r.m), pool:sizeof(r.m, true),
			pool:sizeof(r.p))
	end
	local out = python([[
with pmemkit.Pool.open(sys.argv[1]) as pool:
    r = pool.root
    st = pool.stats()
    print(st["used"], st["map_count"], st["map_bytes"], st["record_bytes"],
          pool.sizeof(r["m"]), pool.sizeof(r["m"], deep=True),
          pool.sizeof(r["p"]))
]], p)
	eq(out, lua_says, "python's numbers")
end)

-- ---- pools that grow, replicas, read-only, durability, defrag -----------------

local MIB = 1 << 20

-- a value of about n bytes for key i, different for each i
local function big(i, n)
	return (("%08d"):format(i)):rep(n // 8)
end

-- the files of a pool: the path, and the parts of a growing one
local function pool_files(p)
	local names = { p }
	local ls = assert(io.popen("ls " .. sh_quote(p .. ".parts") .. " 2>/dev/null"))
	for name in ls:lines() do
		names[#names + 1] = p .. ".parts/" .. name
	end
	ls:close()
	return names
end

-- the bytes of every file of a pool, with their names
local function pool_bytes(p)
	local out = {}
	for _, name in ipairs(pool_files(p)) do
		local f = assert(io.open(name, "rb"))
		out[#out + 1] = name .. "\0" .. f:read("a")
		f:close()
	end
	return table.concat(out, "\0")
end

local function exists(p)
	local f = io.open(p, "rb")
	if f then
		f:close()
	end
	return f ~= nil
end

test("the flag options of open and create are the C library's pool-option table", function()
	local core = require "pmemkit.core"
	eq(pk.MAX_POOL_SIZE, 32 << 30, "MAX_POOL_SIZE")
	eq(math.type(pk.MAX_POOL_SIZE), "integer", "MAX_POOL_SIZE an integer")
	local p = path("flagtable")
	pk.create(p, { size = 16 * MIB }):close()
	local names, create_names, i = {}, {}, 0
	while core.pk_pool_flag_table(i) ~= nil do
		local row = core.pk_pool_flag_table(i)
		names[#names + 1] = row.option
		if row.value ~= core.PK_POOL_READONLY then
			create_names[#create_names + 1] = row.option
		end
		local pool = pk.open(p, { [row.option] = true })
		eq((pool:is_readonly() and core.PK_POOL_READONLY or 0)
			| (pool:is_process_durable() and core.PK_POOL_PROCESS_DURABLE or 0),
			row.value, row.option .. "'s bit")
		pool:close()
		i = i + 1
	end
	table.sort(names)
	eq(table.concat(names, " "), "process_durable readonly", "the table")
	local e = raises("Value", nil, pk.open, p, { nope = true })
	eq(e.message:match("the options are (.*)%)$"), table.concat(names, ", "),
		"open takes the table's options")
	for _, k in ipairs({ "size", "max_size", "mode", "replica" }) do
		create_names[#create_names + 1] = k
	end
	table.sort(create_names)
	e = raises("Value", nil, pk.create, path("flagtable2"), { nope = true })
	eq(e.message:match("the options are (.*)%)$"), table.concat(create_names, ", "),
		"create takes the table's options but readonly")
end)

test("a pool created without a size grows to ten times its first size", function()
	local p = path("grow")
	local pool = pk.create(p)
	open_pools[#open_pools + 1] = pool
	local first = pool:stats().size
	check(first >= pk.MIN_POOL_SIZE and first < 64 * MIB, "first size " .. first)
	eq(pool:stats().max_size, pk.MAX_POOL_SIZE, "default maximum")
	local st0 = pool:stats()
	check(st0.free > 0 and st0.free <= st0.max_size, "free " .. st0.free)
	check(exists(p .. ".parts/000000.pmem"), "the parts directory")
	local r = pool:root()
	local n = 0
	while pool:stats().used < 10 * first do
		n = n + 1
		r[n] = big(n, 64 * 1024)
	end
	local st = pool:stats()
	check(st.size >= st.used and st.used >= 10 * first,
		("size %d, used %d, first %d"):format(st.size, st.used, first))
	pool = reopen(pool)
	r = pool:root()
	eq(#r, n, "entries after a reopen")
	for i = 1, n do
		if r[i] ~= big(i, 64 * 1024) then
			fail("value " .. i .. " differs after a reopen")
		end
	end
	check(pool:stats().size >= 10 * first, "still grown")
	healthy(pool)
end)

test("a growing pool stops at its maximum with OutOfSpace and stays usable", function()
	local p = path("max")
	local pool = pk.create(p, { max_size = 32 * MIB })
	open_pools[#open_pools + 1] = pool
	eq(pool:stats().max_size, 32 * MIB, "max_size")
	local r = pool:root()
	local n = 0
	local e = raises("OutOfSpace", pk.PK_ENOSPACE, function()
		for i = 1, 100000 do
			r[i] = big(i, 16 * 1024)
			n = i
		end
	end)
	check(e.message ~= "", "a message")
	check(n > 100, "some writes succeeded: " .. n)
	check(pool:stats().size <= 32 * MIB, "size " .. pool:stats().size)
	eq(r[n + 1], nil, "the failed write stored nothing")
	-- usable after: delete some, write again
	for i = 1, 10 do
		r[i] = nil
	end
	r.after = big(-1, 16 * 1024)
	pool = reopen(pool)
	r = pool:root()
	eq(r.after, big(-1, 16 * 1024), "written after the OutOfSpace")
	for i = 11, n do
		if r[i] ~= big(i, 16 * 1024) then
			fail("value " .. i .. " lost")
		end
	end
	healthy(pool)
end)

test("a size and a maximum: starts at the size and grows; a size alone is fixed", function()
	local pool = pk.create(path("sm"), { size = 16 * MIB, max_size = 256 * MIB })
	open_pools[#open_pools + 1] = pool
	local r = pool:root()
	for i = 1, 800 do
		r[i] = big(i, 64 * 1024)
	end
	check(pool:stats().size > 16 * MIB, "grew past its size")
	local fixed, fp = newpool(16 * MIB)
	eq(fixed:stats().max_size, 16 * MIB, "a fixed pool's maximum")
	check(not exists(fp .. ".parts"), "a fixed pool is one file")
	raises("OutOfSpace", pk.PK_ENOSPACE, function()
		local fr = fixed:root()
		for i = 1, 100000 do
			fr[i] = big(i, 64 * 1024)
		end
	end)
	eq(fixed:stats().size, 16 * MIB, "a fixed pool keeps its size")
end)

test("bad pool options: Value errors, and nothing is created", function()
	local p = path("bad")
	local min = pk.MIN_POOL_SIZE
	local cases = {
		{ size = min - 1 },                       -- below the minimum
		{ size = 0 },
		{ max_size = min - 1 },                   -- a maximum below the minimum
		{ size = 32 * MIB, max_size = 16 * MIB }, -- below the size
		{ size = -1 },
		{ size = 1.5 * MIB },
		{ size = "8M" },
		{ mode = -1 },
		{ replica = "" },
		{ replica = 1 },
		{ process_durable = "yes" },
		{ readonly = true },                      -- an open option
		{ sise = 16 * MIB },                      -- a typo
	}
	for i, opts in ipairs(cases) do
		local ok, err = pcall(raises, "Value", pk.PK_EVALUE, pk.create, p, opts)
		if not ok then
			fail("create case " .. i .. ": " .. tostring(err))
		end
		check(not exists(p) and not exists(p .. ".parts"),
			"case " .. i .. " left a file")
	end
	local e = raises("Value", pk.PK_EVALUE, pk.create, p, { size = 32 * MIB,
		max_size = 16 * MIB })
	check(e.message:find("below the size", 1, true), e.message)
	raises("Value", pk.PK_EVALUE, pk.create, p, "big")
	local _, q = newpool()
	for i, opts in ipairs { { readonly = 1 }, { size = 16 * MIB },
			{ replica = q }, { read_only = true }, { process_durable = "no" } } do
		local ok, err = pcall(raises, "Value", pk.PK_EVALUE, pk.open, q, opts)
		if not ok then
			fail("open case " .. i .. ": " .. tostring(err))
		end
	end
	-- both flags: a read-only pool is never written, so never synced
	eq(raises("OSError", nil, pk.open, q, { readonly = true,
		process_durable = true }).name, "EINVAL")
end)

local ROPoint = { __name = "test.ROPoint" }
pk.register("test.ROPoint", ROPoint)

test("read-only: every write raises ReadOnly and the file's bytes stay", function()
	local pool, p = newpool()
	local r = pool:root()
	r.m = { a = 1, b = 2 }
	r.l = pk.list { 1, 2, 3 }
	r.a = pool:new_array("i32", 4)
	r.log = pool:new_log { "one", "two" }
	r.blk = pool:new_blocks(512, 2)
	r.s = pk.set { "x", "y" }
	r.pt = pool:new(ROPoint, { x = 1 })
	check(not pool:is_readonly())
	pool:close()
	local before = pool_bytes(p)
	local ro = pk.open(p, { readonly = true })
	open_pools[#open_pools + 1] = ro
	check(ro:is_readonly(), "is_readonly")
	r = ro:root()
	local m, l, a, log, blk, s, pt = r.m, r.l, r.a, r.log, r.blk, r.s, r.pt
	local t = { 1, 2 }
	local writes = {
		{ "root.k = v", function() r.k = 1 end },
		{ "m[k] = v", function() m.a = 5 end },
		{ "m[k] = nil", function() m.a = nil end },
		{ "m[k] = table", function() m.t = t end },
		{ "m:set", function() m:set("a", 6) end },
		{ "m:remove", function() m:remove("a") end },
		{ "m:update", function() m:update { c = 3 } end },
		{ "m:clear", function() m:clear() end },
		{ "l[i] = v", function() l[1] = 9 end },
		{ "l[#l + 1] = v", function() l[#l + 1] = 4 end },
		{ "l[#l] = nil", function() l[#l] = nil end },
		{ "l:set", function() l:set(1, 9) end },
		{ "l:append", function() l:append(4) end },
		{ "l:insert", function() l:insert(1, 0) end },
		{ "l:pop", function() l:pop() end },
		{ "l:extend", function() l:extend { 5, 6 } end },
		{ "l:sort", function() l:sort(function(x, y) return x > y end) end },
		{ "l:clear", function() l:clear() end },
		{ "table.insert(l, v)", function() table.insert(l, 5) end },
		{ "table.insert(l, 1, v)", function() table.insert(l, 1, 5) end },
		{ "table.remove(l)", function() table.remove(l) end },
		{ "a[i] = x", function() a[1] = 3 end },
		{ "a:set", function() a:set(1, 3) end },
		{ "a:resize", function() a:resize(8) end },
		{ "a:setraw", function() a:setraw(1, string.pack("=i4", 7)) end },
		{ "log:append", function() log:append("three") end },
		{ "log[#log + 1] = s", function() log[#log + 1] = "three" end },
		{ "table.insert(log, s)", function() table.insert(log, "three") end },
		{ "log:extend", function() log:extend { "a", "b" } end },
		{ "log:clear", function() log:clear() end },
		{ "blk[i] = s", function() blk[1] = "data" end },
		{ "blk[#blk + 1] = s", function() blk[#blk + 1] = "data" end },
		{ "blk:set", function() blk:set(1, "data") end },
		{ "blk:zero", function() blk:zero(1) end },
		{ "blk:set_error", function() blk:set_error(1) end },
		{ "blk:grow", function() blk:grow(1) end },
		{ "blk:append", function() blk:append("data") end },
		{ "s:add", function() s:add("z") end },
		{ "s[x] = true", function() s.z = true end },
		{ "s[x] = nil", function() s.x = nil end },
		{ "s:remove", function() s:remove("x") end },
		{ "s:discard", function() s:discard("x") end },
		{ "s:update", function() s:update { "q" } end },
		{ "s:subtract", function() s:subtract { "x" } end },
		{ "s:clear", function() s:clear() end },
		{ "record.field = v", function() pt.x = 5 end },
		{ "record.new = v", function() pt.y = 5 end },
		{ "pool:new_map", function() ro:new_map() end },
		{ "pool:new_list", function() ro:new_list { 1 } end },
		{ "pool:new_array", function() ro:new_array("u8", 3) end },
		{ "pool:new_log", function() ro:new_log() end },
		{ "pool:new_blocks", function() ro:new_blocks(512, 1) end },
		{ "pool:new_set", function() ro:new_set { 1 } end },
		{ "pool:new", function() ro:new(ROPoint, { x = 2 }) end },
		{ "pool:transaction", function() ro:transaction(function() end) end },
		{ "pool:begin", function() local tx <close> = ro:begin() end },
		{ "pool:gc", function() ro:gc() end },
		{ "pool:defrag", function() ro:defrag() end },
		{ "pool:sync", function() ro:sync() end },
	}
	for _, w in ipairs(writes) do
		local ok, err = pcall(raises, "ReadOnly", pk.PK_EREADONLY, w[2])
		if not ok then
			fail(w[1] .. ": " .. tostring(err))
		end
	end
	local e = raises("ReadOnly", pk.PK_EREADONLY, function() r.k = 1 end)
	eq(e.name, "PK_EREADONLY")
	check(e.message:find("read-only", 1, true), "the message: " .. e.message)
	check(pk.is_error(e, "ReadOnly"), "is_error(e, \"ReadOnly\")")
	-- the table the failed store was given is still a plain table
	check(getmetatable(t) == nil and t[1] == 1 and t[2] == 2, "t untouched")
	-- reads and iteration
	eq(m.a, 1); eq(m:get("b"), 2); eq(#m, 2)
	local keys = 0
	for _ in pairs(m) do keys = keys + 1 end
	eq(keys, 2, "pairs over a map")
	eq(#l, 3); eq(l[3], 3)
	local sum = 0
	for _, v in ipairs(l) do sum = sum + v end
	eq(sum, 6, "ipairs over a list")
	check(same(l:totable(), { 1, 2, 3 }), "l:totable")
	eq(a[1], 0); eq(#a, 4)
	check(same(log:totable(), { "one", "two" }), "log:totable")
	eq(#blk[1], 512)
	check(s:contains("x") and s.y and #s == 2, "set reads")
	eq(pt.x, 1, "record field")
	eq(ro:stats().map_count >= 2, true, "stats")
	healthy(ro)
	ro:close()
	check(pool_bytes(p) == before, "the pool file changed")
	-- and a writable open afterwards sees what was there
	local again = pk.open(p)
	open_pools[#open_pools + 1] = again
	check(not again:is_readonly())
	eq(again:root().m.a, 1)
	eq(#again:root().l, 3)
end)

test("read-only: an object given to a refused store stays a plain object", function()
	local pool, p = newpool()
	pool:root().k = 1
	pool:close()
	local ro = pk.open(p, { readonly = true })
	open_pools[#open_pools + 1] = ro
	eq(tostring(ro), "pmemkit.pool: " .. p .. " (read-only)")
	local obj = setmetatable({ x = 1 }, ROPoint)
	local nested = { inner = { 1, 2 } }
	raises("ReadOnly", pk.PK_EREADONLY, function() ro:root().obj = obj end)
	raises("ReadOnly", pk.PK_EREADONLY, function() ro:root().n = nested end)
	eq(getmetatable(obj), ROPoint, "the object's class")
	eq(rawget(obj, "x"), 1, "the object's field")
	obj.x = 2 -- a plain Lua table again: no pool behind it
	eq(rawget(obj, "x"), 2)
	check(getmetatable(nested) == nil and getmetatable(nested.inner) == nil
		and nested.inner[2] == 2, "the nested tables are plain")
	eq(ro:root().obj, nil)
end)

test("read-only: a file one may not write, and a pool a crash left unclean", function()
	local lua = assert(arg[1], "the interpreter is the first argument")
	local pool, p = newpool()
	pool:root().k = "v"
	pool:close()
	os.execute("chmod 0444 " .. sh_quote(p))
	local before = pool_bytes(p)
	eq(raises("OSError", nil, pk.open, p).name, "EACCES")
	do
		local ro <close> = pk.open(p, { readonly = true })
		eq(ro:root().k, "v")
		raises("ReadOnly", pk.PK_EREADONLY, function() ro:root().k = "w" end)
	end
	check(pool_bytes(p) == before, "a read-only file changed")
	os.execute("chmod 0644 " .. sh_quote(p))
	-- a writer killed before it closed: unclean
	local script = path("crash") .. ".lua"
	local f = assert(io.open(script, "w"))
	f:write([[
local pk = require "pmemkit"
local pool = pk.open(arg[1])
pool:root().written = "before the crash"
os.execute("kill -9 " .. io.popen("echo $PPID"):read("l"))
]])
	f:close()
	local c = assert(io.popen(("exec %s %s %s 2>&1"):format(sh_quote(lua),
		sh_quote(script), sh_quote(p))))
	c:read("a")
	local ok, _, code = c:close()
	check(not ok and code == 9, "the writer was killed")
	before = pool_bytes(p)
	do
		local ro <close> = pk.open(p, { readonly = true })
		local st = ro:stats()
		eq(st.unclean, true, "unclean")
		eq(st.recovered, 0, "nothing reclaimed")
		eq(ro:root().written, "before the crash")
	end
	check(pool_bytes(p) == before, "a read-only open of an unclean pool wrote")
	local again = pk.open(p)
	open_pools[#open_pools + 1] = again
	eq(again:root().written, "before the crash")
	healthy(again)
end)

test("read-only: a growing pool's files stay as they were", function()
	local p = path("rogrow")
	do
		local pool <close> = pk.create(p)
		local r = pool:root()
		for i = 1, 300 do
			r[i] = big(i, 64 * 1024)
		end
	end
	local before = pool_bytes(p)
	check(#pool_files(p) > 2, "several parts")
	do
		local ro <close> = pk.open(p, { readonly = true })
		local r = ro:root()
		eq(r[300], big(300, 64 * 1024))
		raises("ReadOnly", pk.PK_EREADONLY, function() r[301] = big(301, 64 * 1024) end)
		-- a second open of the file is refused while it is open
		eq(raises("OSError", nil, pk.open, p, { readonly = true }).name, "EAGAIN")
	end
	check(pool_bytes(p) == before, "the pool's files changed")
end)

test("defrag after deleting 90% runs, reports, and keeps every value", function()
	local pool = newpool(64 * MIB)
	local r = pool:root()
	local m = pool:new_map()
	r.m = m
	local n = 20000
	for i = 1, n do
		m[i] = big(i, 200)
	end
	for i = 1, n do
		if i % 10 ~= 0 then
			m[i] = nil
		end
	end
	local rep = pool:defrag()
	for _, f in ipairs { "objects", "moved", "moved_bytes", "freed_bytes" } do
		eq(math.type(rep[f]), "integer", "report field " .. f)
	end
	check(rep.objects > n // 10, "objects " .. rep.objects)
	check(rep.moved > 0 and rep.moved_bytes > 0, ("moved %d (%d bytes)")
		:format(rep.moved, rep.moved_bytes))
	check(rep.freed_bytes > 0, "freed " .. rep.freed_bytes)
	eq(#m, n // 10)
	for i = 10, n, 10 do
		if m[i] ~= big(i, 200) then
			fail("value " .. i .. " differs after defrag")
		end
	end
	healthy(pool)
	-- again: nothing much left to move; inside a transaction: refused
	check(pool:defrag().objects > 0)
	raises("Transaction", pk.PK_ETXN, pool.transaction, pool, pool.defrag, pool)
	pool = reopen(pool)
	eq(pool:root().m[n], big(n, 200))
	pool:close()
	raises("Closed", pk.PK_ECLOSED, pool.defrag, pool)
	raises("Closed", pk.PK_ECLOSED, pool.sync, pool)
end)

-- a pool with a replica, filled; its path and the replica's
local function replicated(size)
	local p, rp = path("rep"), path("replica")
	local pool <close> = pk.create(p, { size = size, replica = rp })
	local r = pool:root()
	for i = 1, 500 do
		r[i] = big(i, 1024)
	end
	r.l = pk.list { 1, 2, 3 }
	return p, rp
end

local function check_replicated(p)
	local pool <close> = pk.open(p)
	local r = pool:root()
	for i = 1, 500 do
		if r[i] ~= big(i, 1024) then
			fail("value " .. i .. " lost")
		end
	end
	check(same(r.l:totable(), { 1, 2, 3 }), "the list")
	healthy(pool)
end

local function overwrite(file, off, n)
	local f = assert(io.open(file, "r+b"))
	f:seek("set", off)
	f:write(("\255"):rep(n))
	f:close()
end

test("repair after damaging the replica or the pool keeps every value", function()
	local p, rp = replicated(16 * MIB)
	check(exists(p .. ".pmem") and exists(rp), "the two copies")
	check_replicated(p)
	overwrite(rp, 0, 4096)         -- the replica's header
	raises("PoolError", pk.PK_ECORRUPT, pk.open, p) -- refused, not half-used
	pk.repair(p)
	check_replicated(p)
	overwrite(p .. ".pmem", 0, 4096) -- then the pool's own
	pk.repair(p)
	check_replicated(p)
	-- the repaired replica alone holds everything
	os.remove(p .. ".pmem")
	pk.repair(p)
	check_replicated(p)
end)

test("repair of a growing pool with a replica", function()
	local p, rp = replicated(nil)
	local ls = assert(io.popen("ls " .. sh_quote(rp)))
	local part = rp .. "/" .. ls:read("l")
	ls:close()
	overwrite(part, 0, 4096)
	pk.repair(p)
	check_replicated(p)
end)

test("repair: what it refuses", function()
	local pool, plain = newpool()
	pool:root().k = 1
	pool:close()
	local before = pool_bytes(plain)
	local e = select(2, pcall(pk.repair, plain))
	check(pk.is_error(e, "PoolError") or pk.is_error(e, "OSError"),
		"no replica: " .. tostring(e))
	check(pool_bytes(plain) == before, "a pool without a replica changed")
	eq(raises("OSError", nil, pk.repair, DIR .. "/missing.pool").name, "ENOENT")
	check(not pcall(pk.repair, nil), "a nil path is refused")
	local p = replicated(16 * MIB)
	do
		local open <close> = pk.open(p)
		eq(raises("OSError", nil, pk.repair, p).name, "EAGAIN")
	end
	check_replicated(p)
	-- process-durable mode does not go with a replica
	-- (ENOTSUP: Linux names it EOPNOTSUPP, the same number)
	local notsup = { ENOTSUP = true, EOPNOTSUPP = true }
	local e = raises("OSError", nil, pk.open, p, { process_durable = true })
	check(notsup[e.name], "open: " .. e.name)
	local q = path("pdrep")
	e = raises("OSError", nil, pk.create, q, { size = 16 * MIB,
		replica = path("pdreplica"), process_durable = true })
	check(notsup[e.name], "create: " .. e.name)
	check(not exists(q), "nothing left behind")
end)

-- A child that writes in process-durable mode to a pool on an ordinary
-- disk file (no PMEM_IS_PMEM_FORCE, which would take the file for
-- persistent memory), then dies by SIGKILL or closes; the parent reopens.
local DURABLE_CHILD = [[
local pk = require "pmemkit"
local p, grow, how = arg[1], arg[2] == "grow", arg[3]
if how == "create" then
	local pool <close> = pk.create(p, { size = not grow and 16 << 20 or nil,
		process_durable = true })
	assert(pool:is_process_durable())
	pool:root().created = "yes"
	pool:sync()
	return
end
local pool = pk.open(p, { process_durable = true })
assert(pool:is_process_durable() and not pool:is_readonly())
local r = pool:root()
assert(r.created == "yes")
for i = 1, 1000 do
	r[i] = ("%08d"):format(i):rep(12)
end
pool:sync()
r.after_sync = true -- acknowledged, not synced: survives the process
io.stdout:write("written\n"); io.stdout:flush()
if how == "kill" then
	local pid = io.popen("echo $PPID"):read("l")
	os.execute("kill -9 " .. pid)
	os.exit(3) -- not reached
end
pool:close() -- syncs
]]

test("process-durable: a pool on /var/tmp opens, writes, syncs, survives SIGKILL", function()
	local lua = assert(arg[1], "the interpreter is the first argument")
	local tmp = assert(io.popen("mktemp -d /var/tmp/pmemkit-lua.XXXXXX")):read("l")
	check(tmp and tmp ~= "", "mktemp")
	local script = tmp .. "/child.lua"
	local f = assert(io.open(script, "w"))
	f:write(DURABLE_CHILD)
	f:close()
	local function child(p, grow, how)
		local cmd = ("exec env -u PMEM_IS_PMEM_FORCE %s %s %s %s %s 2>&1"):format(
			sh_quote(lua), sh_quote(script), sh_quote(p),
			grow and "grow" or "fixed", how)
		local c = assert(io.popen(cmd))
		local out = c:read("a")
		local ok, _, code = c:close()
		return ok, code, out
	end
	local ok, err = pcall(function()
		for _, grow in ipairs { false, true } do
			for _, how in ipairs { "close", "kill" } do
				local p = ("%s/%s-%s.pool"):format(tmp, grow and "grow" or
					"fixed", how)
				local cok, code, out = child(p, grow, "create")
				check(cok, "create failed: " .. out)
				cok, code, out = child(p, grow, how)
				eq(out, "written\n", "the child's output")
				if how == "kill" then
					check(not cok and code == 9, "killed: " .. tostring(code))
				else
					check(cok, "the child failed: " .. out)
				end
				local pool <close> = pk.open(p)
				check(not pool:is_process_durable())
				eq(pool:stats().unclean, how == "kill", "unclean")
				local r = pool:root()
				eq(r.created, "yes")
				eq(r[1000], ("%08d"):format(1000):rep(12))
				eq(r.after_sync, true, "the change after the sync")
				pool:sync() -- a no-op in the default mode
				healthy(pool)
			end
		end
	end)
	os.execute("rm -rf " .. sh_quote(tmp))
	if not ok then
		error(err, 0)
	end
end)

-- ---- issue 23: sorted maps ---------------------------------------------------

-- the keys an iterator (m:range, m:prefix) gives, in a sequence
local function keys_from(it)
	local ks = {}
	for k in it do
		ks[#ks + 1] = k
	end
	return ks
end

-- the keys of a sorted map, in order, from pairs
local function sorted_keys(m)
	return keys_from((pairs(m)))
end

-- a new pool with a new sorted map of the entries of t as its root's m
local function sorted_pool(t)
	local pool = newpool()
	local m = pool:new_sorted_map(t)
	pool:root().m = m
	return pool, m
end

test("sorted map: m[k], m[k] = v, m[k] = nil, #m, pairs in key order", function()
	local pool = newpool()
	local r = pool:root()
	local m = pool:new_sorted_map()
	r.idx = m
	m.pear = 3; m.apple = 1; m.fig = 2
	eq(#m, 3)
	eq(m.apple, 1); eq(m.kiwi, nil, "absent")
	check(same(sorted_keys(m), { "apple", "fig", "pear" }), "pairs in key order")
	m.fig = nil
	eq(#m, 2); check(not m:contains("fig"), "m[k] = nil removes k")
	m.fig = nil -- absent: nothing happens, as in a table
	m:set("get", "a key that is a method name"); eq(m:get("get"), "a key that is a method name")
	eq(m:get("nope", "default"), "default")
	raises("NotFound", pk.PK_NOTFOUND, m.remove, m, "nope")
	m:remove("get")
	eq(getmetatable(r.idx).__name, "pmemkit.sorted", "read back as a sorted map")
	check(r.idx == m, "== is the same container")
	eq(tostring(m), "pmemkit.sorted: 2 entries")
	eq(pk.type(r, "idx"), "sorted")
	m:clear(); eq(#m, 0); eq(m:first(), nil, "empty: no first")
	healthy(pool)
end)

test("sorted map: keys of every type in the library's order; 1, 1.0, true one key", function()
	local pool, m = sorted_pool()
	m.b = "text b"
	m[pk.bytes("b")] = "bytes b"
	m[2.5] = "float"
	m[1] = "one"
	m[pk.null] = "nil key"
	m[pk.tuple(1, "a")] = "tuple"
	m[pk.bigint("1267650600228229401496703205376")] = "big"
	m[-3] = "minus three"
	m["é"] = "e acute"
	eq(#m, 9)
	local want = { pk.null, -3, 1, 2.5, "1267650600228229401496703205376", "b", "b",
		"é", "(1, \"a\")" }
	local types = { "nil", "integer", "integer", "float", "bigint", "bytes",
		"string", "string", "tuple" }
	local i = 0
	for k in pairs(m) do
		i = i + 1
		eq(tostring(k), tostring(want[i]), "key " .. i)
		eq(pk.keytype(m, i), types[i], "the stored type of key " .. i)
	end
	eq(pk.keytype(m, -1), "tuple", "negative from the end")
	raises("Range", pk.PK_ERANGE, pk.keytype, m, 10)
	raises("Value", pk.PK_EVALUE, pk.keytype, pool:root(), 1)
	eq(pk.sorted.first(m), pk.null, "the methods as functions of the module")
	eq(m[1.0], "one"); eq(m[true], "one", "true is 1 as in a map")
	m[1.0] = "uno"; eq(#m, 9, "1.0 replaced 1"); eq(m[1], "uno")
	eq(m[pk.bytes("b")], "bytes b"); eq(m.b, "text b")
	eq(pk.type(m, pk.bytes("b")), "string", "the value's type")
	healthy(pool)
end)

test("sorted map: first, last, at, ceiling, floor, higher, lower, rank, index", function()
	local pool, m = sorted_pool({ [10] = "ten", [20] = "twenty", [30] = "thirty" })
	local k, v = m:first(); eq(k, 10); eq(v, "ten")
	k, v = m:last(); eq(k, 30); eq(v, "thirty")
	k, v = m:at(2); eq(k, 20); eq(v, "twenty")
	eq((m:at(-1)), 30); eq((m:at(-3)), 10)
	raises("Range", pk.PK_ERANGE, m.at, m, 4)
	raises("Range", pk.PK_ERANGE, m.at, m, 0)
	raises("Range", pk.PK_ERANGE, m.at, m, -4)
	eq((m:ceiling(20)), 20); eq((m:ceiling(21)), 30); eq(m:ceiling(31), nil)
	eq((m:higher(20)), 30); eq(m:higher(30), nil)
	eq((m:floor(20)), 20); eq((m:floor(19)), 10); eq(m:floor(9), nil)
	eq((m:lower(20)), 10); eq(m:lower(10), nil)
	k, v = m:ceiling(15.5); eq(k, 20); eq(v, "twenty")
	eq((m:floor("x")), 30, "text keys sort after numbers")
	eq(m:rank(20), 1); eq(m:rank(25), 2); eq(m:rank(-1), 0); eq(m:rank("a"), 3)
	eq(m:index(20), 2); eq(m:index(25), nil)
	raises("KeyType", pk.PK_EKEYTYPE, m.ceiling, m, {})
	raises("KeyType", pk.PK_EKEYTYPE, m.rank, m, pk.frozenset(1))
	healthy(pool)
end)

test("sorted map: range with bounds, exclusive ends, reverse, the nil key, prefix", function()
	local pool = newpool()
	local m = pk.sorted {}
	pool:root().m = m
	for i = 1, 10 do
		m[i] = i * i
	end
	m["user:1"] = "a"; m["user:2"] = "b"; m["users"] = "c"; m["usr"] = "d"
	m[pk.bytes("user:0")] = "bytes"
	check(same(keys_from(m:range(3, 6)), { 3, 4, 5, 6 }), "inclusive")
	check(same(keys_from(m:range(3, 6, { lo_exclusive = true })), { 4, 5, 6 }), "lo exclusive")
	check(same(keys_from(m:range(3, 6, { hi_exclusive = true })), { 3, 4, 5 }), "hi exclusive")
	check(same(keys_from(m:range(3, 6, { reverse = true })), { 6, 5, 4, 3 }), "reverse")
	check(same(keys_from(m:range(nil, 2)), { 1, 2 }), "no lower bound")
	check(same(keys_from(m:range(9.5, 100)), { 10 }), "bounds need not be keys")
	check(same(keys_from(m:range(10, "user:2")), { 10, "user:0", "user:1", "user:2" }),
		"numbers, then bytes, then text")
	check(same(keys_from(m:range("users")), { "users", "usr" }), "no upper bound")
	check(same(keys_from(m:range(6, 3)), {}), "an empty range")
	local sum = 0
	for k, v in m:range(1, 3) do
		sum = sum + k + v
	end
	eq(sum, 1 + 1 + 2 + 4 + 3 + 9, "keys and values")
	check(same(keys_from(m:prefix("user:")), { "user:1", "user:2" }), "text prefix")
	check(same(keys_from(m:prefix(pk.bytes("user:"))), { "user:0" }), "bytes prefix")
	check(same(keys_from(m:prefix("user:", { reverse = true })), { "user:2", "user:1" }),
		"prefix, reverse")
	check(same(keys_from(m:range(nil, nil, { prefix = "us", hi_exclusive = true }))[4], "usr"),
		"a prefix in range's options")
	m[pk.null] = "nil key"
	eq(keys_from(m:range())[1], pk.null, "the nil key first, as pmemkit.null")
	check(same(keys_from(m:range(pk.null, pk.null)), { pk.null }), "pmemkit.null bounds the nil key")
	check(same(keys_from(m:range(nil, pk.null)), { pk.null }), "up to the nil key")
	raises("Value", pk.PK_EVALUE, m.range, m, 1, 2, { exclusive = true })
	raises("Value", pk.PK_EVALUE, m.range, m, 1, 2, "reverse")
	raises("KeyType", pk.PK_EKEYTYPE, m.range, m, {}, 2)
	raises("KeyType", pk.PK_EKEYTYPE, m.prefix, m, 5)
	healthy(pool)
end)

test("sorted map: delete_range and clear in one transaction each", function()
	local pool, m = sorted_pool()
	for i = 1, 20 do
		m[i] = { i } -- containers as values: freed with their entries
	end
	m["log:a"] = 1; m["log:b"] = 2; m["logx"] = 3
	eq(m:delete_range(5, 10), 6)
	eq(m:delete_range(15, 17, { lo_exclusive = true, hi_exclusive = true }), 1)
	eq(m:delete_range(nil, 2), 2)
	eq(m:delete_range(nil, nil, { prefix = "log:" }), 2)
	check(same(sorted_keys(m), { 3, 4, 11, 12, 13, 14, 15, 17, 18, 19, 20, "logx" }),
		"what is left")
	raises("Value", pk.PK_EVALUE, m.delete_range, m, 1, 2, { reverse = true })
	-- in a transaction that aborts, nothing is removed
	pcall(pool.transaction, pool, function()
		m:delete_range(); eq(#m, 0); error("abort")
	end)
	eq(#m, 12, "delete_range undone with its transaction")
	pcall(pool.transaction, pool, function() m:clear(); error("abort") end)
	eq(#m, 12, "clear undone with its transaction")
	eq(m:delete_range(19), 3); eq(#m, 9)
	healthy(pool)
end)

test("sorted map: pop_first and pop_last; containers come back as copies", function()
	local pool, m = sorted_pool({ a = { x = 1 }, b = 2, c = pk.sorted { z = 26 } })
	local k, v = m:pop_first()
	eq(k, "a"); check(same(v, { x = 1 }), "a plain copy of the map")
	eq(getmetatable(v), nil, "plain")
	k, v = m:pop_last()
	eq(k, "c"); check(same(v, { z = 26 }), "a copy of the sorted map")
	eq(getmetatable(v), getmetatable(pk.sorted()), "marked as pmemkit.sorted")
	pool:root().again = v
	eq(getmetatable(v).__name, "pmemkit.sorted", "stored again: a sorted map")
	eq(#m, 1)
	k, v = m:pop_last(); eq(k, "b"); eq(v, 2)
	eq(m:pop_first(), nil, "empty: nothing")
	eq(select("#", m:pop_last()), 0)
	healthy(pool)
end)

test("sorted map: nested containers, pmemkit.sorted, new_sorted_map(t), reopen", function()
	local pool = newpool()
	local r = pool:root()
	local t = { 1, 2 }
	r.s = pk.sorted { list = t, map = { a = 1 }, inner = pk.sorted { [2] = "b", [1] = "a" },
		set = pk.set { 7 } }
	local s = r.s
	eq(getmetatable(s).__name, "pmemkit.sorted")
	eq(getmetatable(s.list).__name, "pmemkit.list"); check(s.list == t, "t became the list")
	eq(getmetatable(s.inner).__name, "pmemkit.sorted")
	eq(pk.type(s, "inner"), "sorted"); eq(pk.type(s, "set"), "set")
	check(same(sorted_keys(s), { "inner", "list", "map", "set" }), "in order")
	check(same(s:keys(), { "inner", "list", "map", "set" }), "m:keys()")
	local tt = s:totable()
	check(same(tt.inner, { [1] = "a", [2] = "b" }) and same(tt.list, { 1, 2 }), "totable")
	-- a marked table stored becomes the stored sorted map
	local marked = pk.sorted { k = 1 }
	r.marked = marked
	marked.j = 0
	eq(getmetatable(marked).__name, "pmemkit.sorted")
	eq((r.marked:first()), "j", "the table is the sorted map")
	-- storing it again stores a reference to the same map
	r.again = marked
	check(r.again == r.marked, "one container, two references")
	-- a sorted map from a map, and a map from a sorted map
	r.src = pool:new_map { c = 3, a = 1 }
	local from = pool:new_sorted_map(r.src)
	r.from = from
	check(same(from:keys(), { "a", "c" }), "from a map")
	r.m = pool:new_map(from); eq(r.m.c, 3)
	check(same(s.inner:values(), { "a", "b" }), "values in key order")
	r.unmarked = { x = 1 }
	eq(getmetatable(r.unmarked).__name, "pmemkit.map", "a plain table is a map")
	local again = reopen(pool)
	local s2 = again:root().s
	eq(getmetatable(s2).__name, "pmemkit.sorted")
	eq((s2.inner:at(1)), 1)
	eq(again:stats().sorted_map_count, 4)
	check(again:sizeof(s2) > 0, "sizeof")
	healthy(again)
end)

test("sorted map: bad keys are KeyType errors and change nothing", function()
	local pool = newpool()
	local r = pool:root()
	local m = pool:new_sorted_map { a = 1 }
	r.m = m
	local before = pool:stats().used
	local e = raises("KeyType", pk.PK_EKEYTYPE, function() m[{}] = 1 end)
	check(e.message:find("unsupported key type", 1, true), e.message)
	e = raises("KeyType", pk.PK_EKEYTYPE, function() m[pk.frozenset(1, 2)] = 1 end)
	check(e.message:find("no order", 1, true), e.message)
	raises("KeyType", pk.PK_EKEYTYPE, function() m[pk.frozenset { 1 }] = 1 end)
	raises("KeyType", pk.PK_EKEYTYPE, function() m[m] = 1 end)
	raises("KeyType", pk.PK_EKEYTYPE, function() m[print] = 1 end)
	raises("KeyType", pk.PK_EKEYTYPE, function() return m[{}] end)
	raises("KeyType", pk.PK_EKEYTYPE, m.contains, m, {})
	-- a table value with a bad key: the table stays a plain table
	local v = { deep = { 1 } }
	raises("KeyType", pk.PK_EKEYTYPE, function() m[{}] = v end)
	eq(getmetatable(v), nil, "still plain"); eq(v.deep[1], 1)
	-- update, new_sorted_map and a marked table are all or nothing
	raises("KeyType", pk.PK_EKEYTYPE, m.update, m, { b = 2, [pk.frozenset(3)] = 3 })
	eq(#m, 1, "update: nothing added"); eq(m.b, nil)
	raises("KeyType", pk.PK_EKEYTYPE, pool.new_sorted_map, pool, { x = 1, [pk.frozenset(3)] = 3 })
	local marked = pk.sorted { x = { 1 }, [pk.frozenset(3)] = 3 }
	raises("KeyType", pk.PK_EKEYTYPE, function() r.bad = marked end)
	eq(getmetatable(marked), getmetatable(pk.sorted()), "still a marked table")
	eq(r.bad, nil)
	raises("Value", pk.PK_EVALUE, function() m.f = print end)
	raises("Value", pk.PK_EVALUE, pk.sorted, setmetatable({}, {}))
	pool:gc()
	eq(pool:stats().used, before, "nothing left behind")
	eq(#m, 1)
	healthy(pool)
end)

test("sorted map: changing keys during pairs raises Changed", function()
	local pool, m = sorted_pool({ 1, 2, 3 })
	raises("Changed", pk.PK_ECHANGED, function()
		for k in pairs(m) do m[k + 10] = 1 end
	end)
	for k in pairs(m) do m[k] = "replaced" end -- values may change
	eq(m[1], "replaced")
	for _, k in ipairs(m:keys()) do m[k] = nil end
	eq(#m, 0, "through m:keys()")
end)

test("sorted map: a read-only pool refuses every change", function()
	local pool, p = newpool()
	pool:root().m = pk.sorted { a = 1, b = 2 }
	pool:close()
	local ro = pk.open(p, { readonly = true })
	open_pools[#open_pools + 1] = ro
	local m = ro:root().m
	for name, fn in pairs({
		["m[k] = v"] = function() m.c = 3 end,
		["m[k] = nil"] = function() m.a = nil end,
		["m:update"] = function() m:update { c = 3 } end,
		["m:clear"] = function() m:clear() end,
		["m:delete_range"] = function() m:delete_range("a") end,
		["m:pop_first"] = function() m:pop_first() end,
		["pool:new_sorted_map"] = function() ro:new_sorted_map() end,
	}) do
		local ok, err = pcall(raises, "ReadOnly", pk.PK_EREADONLY, fn)
		if not ok then
			fail(name .. ": " .. tostring(err))
		end
	end
	eq(#m, 2); eq((m:first()), "a"); eq((m:ceiling("aa")), "b")
	check(same(keys_from(m:range("a", "b")), { "a", "b" }), "ranges read")
end)

-- sequences of keys equal by == (1 and 1.0: one key, either type)
local function same_keys(a, b)
	if #a ~= #b then
		return false
	end
	for i = 1, #a do
		if a[i] ~= b[i] then
			return false
		end
	end
	return true
end

-- the library's order, for the keys of the model test: numbers by value,
-- then strings (ASCII here, so Lua's < is bytewise)
local function lib_less(a, b)
	local na, nb = type(a) == "number", type(b) == "number"
	if na ~= nb then
		return na
	end
	return a < b
end

test("sorted map: random puts, removes and ranges agree with a sorted Lua table", function()
	local pool = newpool(16 * pk.MIN_POOL_SIZE)
	local m = pool:new_sorted_map()
	pool:root().m = m
	local model = {} -- key -> value; sorted on demand
	local function model_keys(lo, hi, lo_ex, hi_ex)
		local ks = {}
		for k in pairs(model) do
			if (lo == nil or lib_less(lo, k) or (not lo_ex and k == lo))
					and (hi == nil or lib_less(k, hi) or (not hi_ex and k == hi)) then
				ks[#ks + 1] = k
			end
		end
		table.sort(ks, lib_less)
		return ks
	end
	local function random_key()
		local c = math.random(4)
		if c == 1 then
			return math.random(-50, 50)
		elseif c == 2 then
			return math.random(-50, 50) + 0.5
		elseif c == 3 then
			return math.random(-5, 5) * 1.0 -- integral floats: the integer's key
		end
		return ("k%02d"):format(math.random(0, 60))
	end
	math.randomseed(23)
	for step = 1, 1500 do
		local op = math.random(10)
		local k = random_key()
		if op <= 5 then
			m[k] = step; model[k] = step
		elseif op <= 7 then
			m[k] = nil; model[k] = nil
		elseif op == 8 then
			local lo, hi = random_key(), random_key()
			local lo_ex, hi_ex = math.random(2) == 1, math.random(2) == 1
			local want = model_keys(lo, hi, lo_ex, hi_ex)
			local got = keys_from(m:range(lo, hi, { lo_exclusive = lo_ex,
				hi_exclusive = hi_ex }))
			check(same_keys(got, want), ("range step %d"):format(step))
			local rev = keys_from(m:range(lo, hi, { lo_exclusive = lo_ex,
				hi_exclusive = hi_ex, reverse = true }))
			local back = {}
			for i = 1, #want do
				back[i] = want[#want + 1 - i]
			end
			check(same_keys(rev, back), ("reverse range step %d"):format(step))
		elseif op == 9 then
			local lo, hi = random_key(), random_key()
			local want = model_keys(lo, hi)
			eq(m:delete_range(lo, hi), #want, "delete_range count")
			for _, x in ipairs(want) do
				model[x] = nil
			end
		else
			-- neighbours and positions
			local all = model_keys()
			local ceil
			for _, x in ipairs(all) do
				if not lib_less(x, k) then ceil = x; break end
			end
			check((m:ceiling(k)) == ceil, "ceiling of " .. tostring(k))
			eq(m:rank(k), #model_keys(nil, k, false, true), "rank")
			if #all > 0 then
				local i = math.random(#all)
				check((m:at(i)) == all[i], "at " .. i)
			end
		end
	end
	local all = model_keys()
	eq(#m, #all, "length")
	-- 1 and 1.0 are one key: the map keeps the type first written
	check(same_keys(sorted_keys(m), all), "every key in order")
	for _, k in ipairs(all) do
		eq(m[k], model[k], "value of " .. tostring(k))
	end
	healthy(pool)
end)

with_python("sorted map: Python's SortedMap reads as a sorted map, and back", function()
	local p = path("py")
	python([[
with pmemkit.Pool.create(sys.argv[1]) as pool:
    pool.root["s"] = pool.new_sorted_map({"b": 2, 1: "one", b"\x01": [1, 2]})
]], p)
	do
		local pool <close> = pk.open(p)
		local s = pool:root().s
		eq(getmetatable(s).__name, "pmemkit.sorted")
		check(same(sorted_keys(s), { 1, "\1", "b" }), "in key order")
		eq(pk.keytype(s, 2), "bytes")
		check(same(s[pk.bytes("\1")]:totable(), { 1, 2 }), "a list value")
		s.c = pk.sorted { z = 1 }
		pool:root().t = pk.sorted { [3] = "three" }
	end
	local out = python([[
with pmemkit.Pool.open(sys.argv[1]) as pool:
    r = pool.root
    assert isinstance(r["t"], pmemkit.SortedMap), type(r["t"])
    assert list(r["s"].keys()) == [1, b"\x01", "b", "c"], list(r["s"].keys())
    assert isinstance(r["s"]["c"], pmemkit.SortedMap)
    print("ok")
]], p)
	eq(out, "ok\n")
end)

-- ---- the runner ------------------------------------------------------------

-- PK_LUA_TEST_ONLY=pattern runs the tests whose names match it
local only = os.getenv("PK_LUA_TEST_ONLY")
local passed, failed = 0, 0
for _, t in ipairs(tests) do
	if only and not t.name:find(only) then
		goto skip
	end
	local ok, err = xpcall(t.fn, function(e)
		return debug.traceback(tostring(e), 2)
	end)
	for i = #open_pools, 1, -1 do
		pcall(open_pools[i].close, open_pools[i])
		open_pools[i] = nil
	end
	collectgarbage()
	if ok then
		passed = passed + 1
		print("ok - " .. t.name)
	else
		failed = failed + 1
		print("not ok - " .. t.name .. "\n" .. err)
	end
	::skip::
end
print(("lua: %d passed, %d failed"):format(passed, failed))
os.exit(failed == 0)
