-- native_rows.lua: chisel.native_rows (rchisel) against the same rows
-- written in Lua by rchisel_common.rows (sysdig runs that path: it has no
-- chisel.native_rows), as the bundled chisels print theirs.
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

local common = require "rchisel_common"

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
	common.rows(template, targs)
	return true
end

-- Without the host's rows (sysdig), rchisel_common prints them in Lua.
on_event = common.row_event
