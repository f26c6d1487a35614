-- The Lua module's part of the cross-language test (README.md here):
-- `lua.lua write POOL` stores the data set, `lua.lua dump POOL` prints
-- every value of a pool in the dump format.

local pmemkit = require "pmemkit"

local function write(path)
	local pool <close> = pmemkit.create(path)
	local r = pool:root()
	r.int = -7
	r.int64max = 9223372036854775807
	r.big = pmemkit.bigint("1267650600228229401496703205376")
	r.negbig = pmemkit.bigint("-1180591620717411303424")
	r.float = 2.5
	r.ascii = "hello"
	r.text = "ünï €"
	r.digits = "12"
	r.nul = "a\0b"
	r.bytes = pmemkit.bytes("\0\xffA")
	r.yes = true
	r.no = false
	r["nil"] = pmemkit.null -- r.k = nil removes k
	r.list = { 1, "two", 3.5, pmemkit.list(), {} } -- {} alone is a map
	r.map = { a = 1, b = { c = { true, pmemkit.null } } }
	r.intkeys = { [7] = "seven", [-1] = "minus one" }
	r.i32 = pool:new_array("i32", { 1, -2, 3 })
	r.f64 = pool:new_array("f64", { 0.5, -1.25 })
	r.log = pool:new_log({ "", "a\0b", "xyz" }) -- records are bytes
	local blocks = pool:new_blocks(512, 2)
	blocks[1] = "hello"
	r.blocks = blocks
	r.set = pmemkit.set { 7, "seven", pmemkit.bytes("\7") } -- a table is no set
	-- keys of several parts are tuples (a table key would be refused), a
	-- set as a key is a frozen set scalar: pmemkit.frozenset(members)
	r.tuplekeys = {
		[pmemkit.tuple(1, "a")] = "x",
		[pmemkit.tuple(2, pmemkit.tuple(3.5, pmemkit.bytes("\4")))] = 2,
		[pmemkit.frozenset("b", 2)] = 3,
	}
	-- an object of a registered class is stored as a record
	local Point = {}
	Point.__index = Point
	pmemkit.register("Point", Point)
	r.record = setmetatable({ x = 1, y = 2.5 }, Point)
	-- a table is no sorted map: pmemkit.sorted marks one (its entries go
	-- in one by one here, so that the order written is b, 1, bytes 01)
	r.sorted = pmemkit.sorted()
	local sorted = r.sorted
	sorted.b = 2
	sorted[1] = "one"
	sorted[pmemkit.bytes("\1")] = 2.5
end

local function hex(s)
	if s == "" then
		return "-"
	end
	return (s:gsub(".", function(c) return ("%02x"):format(c:byte()) end))
end

local function number(v)
	if math.type(v) == "integer" then
		return "int " .. v
	end
	return "float " .. hex(string.pack(">d", v))
end

local key

-- item i of tuple (or frozen set) t as a key's item: pmemkit.type() tells
-- its stored type
local function item(t, i)
	local ty, v = pmemkit.type(t, i), t[i]
	if ty == "string" then
		return "s:" .. hex(v)
	elseif ty == "bytes" then
		return "b:" .. hex(v)
	elseif ty == "float" then
		return "f:" .. hex(string.pack(">d", v))
	elseif ty == "nil" then
		return "nil" -- a frozen set's nil member reads as pmemkit.null
	elseif ty == "boolean" then
		return tostring(v)
	elseif ty == "bigint" then
		return "i:" .. tostring(v)
	end
	return key(v)
end

function key(k)
	if type(k) == "string" then
		-- bytes and text keys read alike: text is what is valid UTF-8
		return (utf8.len(k) and "s:" or "b:") .. hex(k)
	elseif math.type(k) == "integer" then
		return "i:" .. k
	elseif getmetatable(k) == pmemkit.Tuple then
		local items = {}
		for i = 1, #k do
			items[i] = item(k, i)
		end
		return "t:(" .. table.concat(items, ",") .. ")"
	elseif getmetatable(k) == pmemkit.FrozenKey then
		local items = {}
		for i = 1, #k do -- in the library's canonical order
			items[i] = item(k, i)
		end
		return "fs:{" .. table.concat(items, ",") .. "}"
	end
	error("a key of type " .. type(k))
end

local out = {}
local function line(...)
	out[#out + 1] = table.concat({ ... }, " ")
end

local dump

-- a value of container c at key k (a map key, or a list's index), v as
-- read; pmemkit.type() tells bytes from text and bigints from the rest
local function entry(path, c, k, v)
	local t = pmemkit.type(c, k)
	if t == "map" or t == "list" or t == "array" or t == "log"
			or t == "blocks" or t == "set" or t == "record" or t == "tuple"
			or t == "frozenset" or t == "sorted" then
		dump(path, v)
	elseif t == "nil" then
		line(path, "nil")
	elseif t == "boolean" then
		line(path, "bool", tostring(v))
	elseif t == "integer" or t == "float" then
		line(path, number(v))
	elseif t == "bigint" then
		line(path, "int", tostring(v))
	elseif t == "string" then
		line(path, "str", hex(v))
	elseif t == "bytes" then
		line(path, "bytes", hex(v))
	else
		error("a value of type " .. tostring(t))
	end
end

function dump(path, c)
	local kind = getmetatable(c).__name
	if kind == "pmemkit.map" then
		line(path, "map", #c)
		for k, v in pairs(c) do
			entry(path .. "/" .. key(k), c, k, v)
		end
	elseif kind == "pmemkit.sorted" then
		line(path, "sorted", #c)
		local i = 0
		for k, v in pairs(c) do -- in key order
			i = i + 1
			-- a key reads as a string whether it is text or bytes:
			-- pmemkit.keytype() tells which
			local kt = pmemkit.keytype(c, i)
			local ks = kt == "bytes" and "b:" .. hex(k) or key(k)
			line(("%s@%d"):format(path, i - 1), ks)
			entry(path .. "/" .. ks, c, kt == "bytes" and pmemkit.bytes(k) or k, v)
		end
	elseif kind == "pmemkit.list" or kind == "pmemkit.tuple"
			or kind == "pmemkit.frozenkey" then
		-- list, tuple, or a frozen set scalar (members in canonical order)
		line(path, kind == "pmemkit.frozenkey" and "frozenset"
			or kind:match("%w+$"), #c)
		for i = 1, #c do
			entry(("%s[%d]"):format(path, i - 1), c, i, c[i])
		end
	elseif kind == "pmemkit.set" or kind == "pmemkit.frozenset" then
		line(path, "set", #c)
		for e in pairs(c) do
			-- an element reads as a map key does: pmemkit.type() tells
			-- whether the set holds a string as text or as bytes
			line(path .. "/" .. (pmemkit.type(c, e) == "bytes" and "b:" .. hex(e)
				or key(e)), "member")
		end
	elseif kind == "pmemkit.record" then -- Point is not registered here
		line(path, "record", hex(c:class_name()), #c)
		for name, v in pairs(c) do
			entry(path .. "/" .. key(name), c, name, v)
		end
	elseif kind == "pmemkit.log" then
		line(path, "log", #c)
		for i, rec in pairs(c) do
			line(("%s[%d]"):format(path, i - 1), "bytes", hex(rec))
		end
	elseif kind == "pmemkit.blocks" then
		line(path, "blocks", c:block_size(), #c)
		for i, block in ipairs(c) do
			line(("%s[%d]"):format(path, i - 1), "bytes", hex(block))
		end
	else
		line(path, "array", (c:type()), #c)
		for i = 1, #c do
			line(("%s[%d]"):format(path, i - 1), number(c[i]))
		end
	end
end

local cmd, path = ...
if cmd == "write" and path then
	write(path)
elseif cmd == "dump" and path then
	local pool <close> = pmemkit.open(path)
	dump(".", pool:root())
	io.write(table.concat(out, "\n"), "\n")
else
	io.stderr:write("usage: lua.lua write|dump POOL\n")
	os.exit(2)
end
