-- todo.lua -- a to-do list that survives restarts (and crashes: every
-- change is atomic and durable when it returns).
--
--   lua5.4 todo.lua FILE add "buy milk"    add an item
--   lua5.4 todo.lua FILE done 1            tick off item 1
--   lua5.4 todo.lua FILE                   show the list
--
-- FILE is created on first use. Run it once per command and the list is
-- still there the next time. On a file that is not on persistent memory
-- (/dev/shm, a disk) set PMEM_IS_PMEM_FORCE=1 for speed. From a build
-- tree: LUA_PATH='bindings/lua/?.lua;;' LUA_CPATH='bindings/lua/?.so;;'.

local pmemkit = require "pmemkit"

local file, command, arg = ...
if not file then
	io.stderr:write("usage: todo.lua FILE [add TEXT | done N]\n")
	os.exit(2)
end

local function open_or_create(path)
	local ok, pool = pcall(pmemkit.open, path)
	if ok then
		return pool
	end
	if pmemkit.is_error(pool) and pool.name == "ENOENT" then
		return pmemkit.create(path, { size = pmemkit.MIN_POOL_SIZE })
	end
	error(pool, 0)
end

local pool <close> = open_or_create(file)
local root = pool:root()
if not root.items then
	root.items = pool:new_list() -- ({} would be stored as a map)
end
local items = root.items

if command == "add" and arg then
	items:append({ text = arg, done = false, added = os.time() })
elseif command == "done" and tonumber(arg) then
	local item = items[tonumber(arg)]
	if not item then
		io.stderr:write("todo: no item ", arg, "\n")
		os.exit(1)
	end
	item.done = true
elseif command then
	io.stderr:write("todo: unknown command ", command, "\n")
	os.exit(2)
end

for i, item in ipairs(items) do
	print(("%d. [%s] %s"):format(i, item.done and "x" or " ", item.text))
end
