-- native_rows.lua: chisel.native_rows (rchisel) against the same rows
-- written in Lua (sysdig runs this path: it has no chisel.native_rows).
-- Argument "io": I/O exit events (byte sizes, read/write map); "all":
-- events with a latency (numbers, nil fields, widths, constants).

description = "chisel.native_rows test"
short_description = "native_rows test"
category = "test"
args = { { name = "mode", description = "io or all", argtype = "string", optional = false } }

local mode

function on_set_arg(name, val)
	mode = val
	return true
end

local function format_bytes(v)
	local units = { { 1024 ^ 5, "P" }, { 1024 ^ 4, "T" }, { 1024 ^ 3, "G" }, { 1024 ^ 2, "M" }, { 1024, "KB" } }
	for _, u in ipairs(units) do
		if v > u[1] then
			return string.format("%.2f" .. u[2], v / u[1])
		end
	end
	return string.format("%dB", v)
end

-- What the host does with one argument, in Lua.
local function value(a)
	if type(a) ~= "table" then
		if type(a) == "userdata" then
			return evt.field(a)
		end
		return a
	end
	local v = a[1]
	if type(v) == "userdata" then
		v = evt.field(v)
	end
	if a.div then
		v = v / a.div
	end
	if a.bytes then
		v = format_bytes(v)
	end
	if a.map then
		local m = nil
		if v ~= nil then
			m = a.map[tostring(v)]
		end
		if m == nil and (v == nil or a.default ~= nil) then
			m = a.default
		end
		if m ~= nil or v == nil then
			return m == nil and "nil" or m
		end
		return v
	end
	if v == nil then
		return a.default or "nil"
	end
	return v
end

local template, targs

function on_init()
	local function f(name)
		return chisel.request_field(name)
	end
	if mode == "io" then
		chisel.set_filter("evt.is_io=true and evt.dir=< and evt.rawres>0")
		template = "%s%-10.10s|%s|%8s|%s|%s [%s] %s %s"
		targs = { { f("evt.is_io_read"), map = { ["true"] = "R " }, default = "W " }, f("evt.time"),
			{ f("evt.rawarg.res"), bytes = true }, { f("evt.rawarg.res"), div = 3 },
			{ f("fd.name"), default = "<NA>" }, { f("fd.type"), map = { file = "F", ipv4 = "4" } },
			{ f("proc.name"), map = { curl = 1.5 } }, { 1152, bytes = true }, { 10880, bytes = true } }
	else
		chisel.set_filter("evt.latency >= 0")
		template = "%-8d %s %-5.5s %05d|%-12s|%3s|%s|%s|%s|%s|%%|%s|%s|%d"
		targs = { f("evt.num"), f("evt.datetime"), f("evt.type"), { f("evt.latency"), div = 1000 },
			{ f("evt.latency"), div = 1000000 }, f("fd.num"), { f("fd.name"), default = "<NA>" },
			{ f("container.name"), map = { host = "H" }, default = "C" }, f("evt.failed"), 1 / 3,
			"x%y", { f("thread.vtid"), map = { ["1"] = "one" } }, -2.5 }
	end
	if chisel.native_rows ~= nil then
		chisel.native_rows(template, targs)
	end
	return true
end

function on_event()
	local vals = {}
	for i, a in ipairs(targs) do
		vals[i] = value(a)
	end
	print(string.format(template, unpack(vals, 1, #targs)))
	return true
end
