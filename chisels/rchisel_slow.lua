-- rchisel_slow.lua: shared body of the "slower than a threshold" chisels
-- (fileslower, netlower, scallslower).
--
-- M.chisel(spec) defines the callbacks. spec fields:
--   filter     the chisel filter (nil for none; "and" terms only)
--   io         true: I/O layout (evt.type after proc.name, latency as an
--              integer, fd.name last, exit events only); false: syscall
--              layout (latency as a number, evt.type last)
--   skip_dev   do not show files under /dev/
-- Arguments: min_ms (a number), disable_color ("disable_color" turns the
-- colors off). Rows are green for the host, blue for containers.

local common = require "rchisel_common"
local sfmt, srep = string.format, string.rep

local M = {}

local function dashes(...)
	local t = {}
	for i, n in ipairs({ ... }) do
		t[i] = srep("-", n)
	end
	return (table.unpack or unpack)(t)
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

-- The chisel filter for "latency / 10^6 > min_ms" (what the Lua chisels
-- test on evt.latency, in ns): latency > t for the largest integer t with
-- t / 10^6 <= min_ms. A nil latency never passes.
local function latency_filter(min_ms)
	if min_ms ~= min_ms or min_ms >= 9e12 then
		return "evt.latency < 0"
	elseif min_ms < 0 then
		return "evt.latency >= 0"
	end
	local t = math.floor(min_ms * 1000000)
	while t > 0 and t / 1000000 > min_ms do
		t = t - 1
	end
	while not ((t + 1) / 1000000 > min_ms) do
		t = t + 1
	end
	return sfmt("evt.latency > %d", t)
end

-- The row filter: the chisel's own, exit events only for I/O, the latency,
-- and no /dev/ files when asked. The chisel's filter is a plain conjunction:
-- it is not put in parentheses, which would hide its event types.
local function row_filter(spec, min_ms)
	local parts = {}
	if spec.filter ~= nil then
		parts[1] = spec.filter
	end
	if spec.io then
		parts[#parts + 1] = "evt.dir=<"
	end
	parts[#parts + 1] = latency_filter(min_ms)
	if spec.skip_dev then
		parts[#parts + 1] = "not fd.name startswith /dev/"
	end
	return table.concat(parts, " and ")
end

function M.chisel(spec)
	local color = common.colors(true)
	local min_ms = 0
	on_event = common.row_event

	function on_set_arg(name, val)
		if name == "disable_color" and val == "disable_color" then
			color = common.colors(false)
		elseif name == "min_ms" then
			min_ms = common.number_arg(val, name)
		end
		return true
	end

	-- Rows are printed by common.rows (by the host in rchisel).
	function on_init()
		local h = {}
		for _, name in ipairs({ "evt.type", "evt.datetime", "fd.name", "proc.name",
				"evt.latency", "container.name", "container.id" }) do
			h[name] = chisel.request_field(name)
		end
		local with_container = sysdig.is_print_container_data()
		chisel.set_filter(row_filter(spec, min_ms))
		print_header(spec.io, with_container)
		local args = { { h["container.name"], map = { host = color.green }, default = color.blue },
			h["evt.datetime"] }
		if with_container then
			args[#args + 1] = h["container.id"]
			args[#args + 1] = h["container.name"]
		end
		local ms = { h["evt.latency"], div = 1000000 }
		for _, a in ipairs(spec.io and { h["proc.name"], h["evt.type"], ms, h["fd.name"] }
				or { h["proc.name"], ms, h["evt.type"] }) do
			args[#args + 1] = a
		end
		local rows = spec.io and IO or SCALL
		common.rows("%s" .. (with_container and rows.row_c or rows.row), args)
		return true
	end
end

return M
