-- rchisel_slow.lua: shared body of the "slower than a threshold" chisels
-- (fileslower, netlower, scallslower).
--
-- M.chisel(spec) defines the callbacks. spec fields:
--   filter     the chisel filter (nil for none)
--   io         true: I/O layout (evt.type after proc.name, latency as an
--              integer, fd.name last, exit events only); false: syscall
--              layout (latency as a number, evt.type last)
--   skip_dev   do not show files under /dev/
-- Arguments: min_ms (a number), disable_color ("disable_color" turns the
-- colors off). Rows are green for the host, blue for containers.

local common = require "rchisel_common"
local str = common.str
local sfmt, srep = string.format, string.rep

local M = {}

local function dashes(...)
	local t = {}
	for i, n in ipairs({ ... }) do
		t[i] = srep("-", n)
	end
	return table.unpack(t)
end

local IO = {
	head = "%-23.23s %-12.12s %-8s %-12s %s",
	head_c = "%-23.23s %-20.20s %-20.20s %-12.12s %-8s %-12s %s",
	row = "%-23.23s %-12.12s %-8s %12d %s",
	row_c = "%-23.23s %-20.20s %-20.20s %-12.12s %-8s %12d %s",
}

local SCALL = {
	head = "%-23.23s %-23.23s %-20s %s",
	head_c = "%-23.23s %-20.20s  %-20.20s %-23.23s %-20s %s",
	row = "%-23.23s %-23.23s %-20s %s",
	row_c = "%-23.23s %-20.20s %-20.20s %-23.23s %-20s %s",
}

local function print_header(io, with_container)
	if io and with_container then
		print(sfmt(IO.head_c, "evt.datetime", "container.id", "container.name", "proc.name",
			"evt.type", "LATENCY(ms)", "fd.name"))
		print(sfmt(IO.head_c, dashes(23, 30, 30, 12, 8, 12, 41)))
	elseif io then
		print(sfmt(IO.head, "evt.datetime", "proc.name", "evt.type", "LATENCY(ms)", "fd.name"))
		print(sfmt(IO.head, dashes(23, 12, 8, 12, 41)))
	elseif with_container then
		print(sfmt(SCALL.head_c, "evt.datetime", "container.id", "container.name", "proc.name",
			"LATENCY(ms)", "evt.type"))
		print(sfmt(SCALL.row_c, dashes(23, 20, 20, 23, 20, 20)))
	else
		print(sfmt(SCALL.head, "evt.datetime", "proc.name", "LATENCY(ms)", "evt.type"))
		print(sfmt(SCALL.head, dashes(23, 23, 20, 20)))
	end
end

function M.chisel(spec)
	local color = common.colors(true)
	local with_container = false
	local min_ms = 0
	local f = {}

	function on_set_arg(name, val)
		if name == "disable_color" and val == "disable_color" then
			color = common.colors(false)
		elseif name == "min_ms" then
			min_ms = common.number_arg(val, name)
		end
		return true
	end

	function on_init()
		for _, name in ipairs({ "evt.type", "evt.dir", "evt.datetime", "fd.name", "proc.name",
				"evt.latency", "container.name", "container.id" }) do
			f[name] = chisel.request_field(name)
		end
		with_container = sysdig.is_print_container_data()
		if spec.filter ~= nil then
			chisel.set_filter(spec.filter)
		end
		print_header(spec.io, with_container)
		return true
	end

	local function field(name)
		return str(evt.field(f[name]))
	end

	local function io_row(ms)
		local fname = evt.field(f["fd.name"])
		if evt.field(f["evt.dir"]) ~= "<" or not (ms > min_ms) then
			return
		end
		if spec.skip_dev and string.sub(str(fname), 1, 5) == "/dev/" then
			return
		end
		local c = (evt.field(f["container.name"]) ~= "host") and color.blue or color.green
		if with_container then
			print(c .. sfmt(IO.row_c, field("evt.datetime"), field("container.id"),
				field("container.name"), field("proc.name"), field("evt.type"),
				common.trunc(ms), str(fname)))
		else
			print(c .. sfmt(IO.row, field("evt.datetime"), field("proc.name"), field("evt.type"),
				common.trunc(ms), str(fname)))
		end
	end

	local function scall_row(ms)
		if not (ms > min_ms) then
			return
		end
		local c = (evt.field(f["container.name"]) ~= "host") and color.blue or color.green
		if with_container then
			print(c .. sfmt(SCALL.row_c, field("evt.datetime"), field("container.id"),
				field("container.name"), field("proc.name"), str(ms), field("evt.type")))
		else
			print(c .. sfmt(SCALL.row, field("evt.datetime"), field("proc.name"), str(ms),
				field("evt.type")))
		end
	end

	function on_event()
		local lat = evt.field(f["evt.latency"])
		if lat == nil then
			return true
		end
		if spec.io then
			io_row(lat / 1000000)
		else
			scall_row(lat / 1000000)
		end
		return true
	end
end

return M
