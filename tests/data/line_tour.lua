-- The host lines and jobs of rchisel (chisel.request_line, evt.line,
-- chisel.native_print, chisel.native_slowest) against the same work done in
-- plain Lua: tests/chisel_host.rs runs this chisel under rchisel (host
-- path) and under sysdig (which has none of them: Lua path) and compares.
-- Argument: "print" (a line per I/O exit), "evtline" (the same through
-- evt.line in on_event) or "slowest" (the 5 slowest calls).
description = "host line rendering tour"
short_description = "host lines"
category = "misc"
args = { { name = "mode", description = "print, evtline or slowest", argtype = "string" } }

local mode
local f = {}
local h_line, h_mark, h_exit
local native = false

function on_set_arg(name, val)
	mode = val
	return true
end

-- common.str / common.format_bytes, as rchisel_common.lua has them.
local function str(v)
	if type(v) == "number" and v ~= v then
		return "nan"
	end
	return tostring(v)
end

local function trunc(v)
	if v >= 0 then return math.floor(v) end
	return math.ceil(v)
end

local function format_bytes(v)
	local units = { { 1024 ^ 5, "P" }, { 1024 ^ 4, "T" }, { 1024 ^ 3, "G" }, { 1024 ^ 2, "M" }, { 1024, "KB" } }
	for _, u in ipairs(units) do
		if v > u[1] then
			return string.format("%.2f%s", v / u[1], u[2])
		end
	end
	return string.format("%dB", trunc(v))
end

local NAMES = { "evt.num", "evt.time", "proc.name", "thread.tid", "evt.type", "evt.args", "fd.name",
	"evt.rawarg.res", "evt.is_io_write", "evt.buffer", "fd.sip", "evt.latency", "thread.vmsize",
	"evt.arg.data", "fd.num" }

function on_init()
	for _, n in ipairs(NAMES) do
		f[n] = chisel.request_field(n)
	end
	sysdig.set_snaplen(80)
	if mode == "slowest" then
		chisel.set_filter("evt.type!=switch")
	else
		chisel.set_filter("evt.is_io=true and evt.dir=<")
	end
	if chisel.request_line == nil then
		return true
	end
	h_line = chisel.request_line({ f["evt.num"], " ", f["evt.time"], " ", { f["proc.name"], missing = "" }, "(",
		f["thread.tid"], ") ", { f["evt.is_io_write"], yes = "W", no = "R" }, " ",
		{ f["evt.rawarg.res"], show = "bytes" }, " ", f["fd.name"], " ", f["fd.sip"], " ", f["thread.vmsize"],
		" [", f["evt.buffer"], "] {", { f["evt.arg.data"], missing = "-" }, "} ", f["fd.num"], " ", f["evt.args"] })
	h_mark = chisel.request_line({ f["evt.num"], " > ", f["evt.type"], " ", f["evt.args"] })
	h_exit = chisel.request_line({ f["evt.num"], " ", { f["evt.latency"], show = "seconds" }, " < ",
		{ f["proc.name"], missing = "" }, " ", f["evt.args"] })
	if mode == "print" then
		native = chisel.native_print(h_line)
	elseif mode == "slowest" then
		native = chisel.native_slowest(5, f["evt.latency"], f["thread.tid"], h_mark, h_exit)
	end
	return true
end

local function lua_line()
	local data = evt.field(f["evt.arg.data"])
	return str(evt.field(f["evt.num"])) .. " " .. str(evt.field(f["evt.time"])) .. " " ..
		str(evt.field(f["proc.name"]) or "") .. "(" .. str(evt.field(f["thread.tid"])) .. ") " ..
		(evt.field(f["evt.is_io_write"]) == true and "W" or "R") .. " " ..
		format_bytes(evt.field(f["evt.rawarg.res"])) .. " " .. str(evt.field(f["fd.name"])) .. " " ..
		str(evt.field(f["fd.sip"])) .. " " .. str(evt.field(f["thread.vmsize"])) .. " [" ..
		str(evt.field(f["evt.buffer"])) .. "] {" .. (data == nil and "-" or str(data)) .. "} " ..
		str(evt.field(f["fd.num"])) .. " " .. str(evt.field(f["evt.args"]))
end

local slowest, marks = {}, {}

function on_event()
	if mode == "print" then
		print(lua_line())
	elseif mode == "evtline" then
		print(h_line and evt.line(h_line) or lua_line())
	else
		local latency = evt.field(f["evt.latency"])
		local tid = evt.field(f["thread.tid"])
		if latency == 0 then
			marks[tid] = str(evt.field(f["evt.num"])) .. " > " .. str(evt.field(f["evt.type"])) .. " " ..
				str(evt.field(f["evt.args"]))
		elseif latency ~= nil then
			for j = 1, 5 do
				if slowest[j] == nil or latency > slowest[j][1] then
					local l = string.format("%d %d.%.9d < %s %s", evt.field(f["evt.num"]), trunc(latency / 1e9),
						latency % 1e9, str(evt.field(f["proc.name"]) or ""), str(evt.field(f["evt.args"])))
					table.insert(slowest, j, { latency, marks[tid], l })
					break
				end
			end
			slowest[6] = nil
		end
	end
	return true
end

function on_capture_end()
	if mode == "slowest" then
		if native then
			slowest = chisel.native_slowest_take()
		end
		for _, s in ipairs(slowest) do
			print(str(s[1]), s[2], s[3])
		end
	end
	print("native", native)
end
