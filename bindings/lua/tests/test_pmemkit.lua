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

test("missing file, existing file, bad size: OSError with errno", function()
	local e = raises("OSError", nil, pk.open, DIR .. "/missing.pool")
	eq(e.name, "ENOENT")
	check(e.message:find("missing.pool", 1, true), "message names the file")
	local _, p = newpool()
	eq(raises("OSError", nil, pk.create, p).name, "EEXIST")
	eq(raises("OSError", nil, pk.create, path(), { size = 4096 }).name, "EINVAL")
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

-- ---- the runner ------------------------------------------------------------

local passed, failed = 0, 0
for _, t in ipairs(tests) do
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
end
print(("lua: %d passed, %d failed"):format(passed, failed))
os.exit(failed == 0)
