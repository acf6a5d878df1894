-- fileslower: file I/O that took longer than a threshold (in ms).
-- rchisel bundled chisel. I/O on /dev/... files is not shown.

description = "Trace file I/O slower than a threshold, or all file I/O. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown. (Blue represents a process running within a container, and Green represents a host process)";
short_description = "Trace slow file I/O";
category = "Performance";

args =
{
	{
		name = "min_ms",
		description = "Minimum millisecond threshold for showing file I/O",
		argtype = "int",
		optional = false
	},
	{
		name = "disable_color",
		description = "Set to 'disable_colors' if you want to disable color output",
		argtype = "string",
		optional = true
	},
}

local common = require "rchisel_common"
local str = common.str

local SKIP_DEV = true
local color = common.colors(true)
local with_container = false
local min_ms = 0
local f = {}

local HEAD = "%-23.23s %-12.12s %-8s %-12s %s"
local HEAD_CONTAINER = "%-23.23s %-20.20s %-20.20s %-12.12s %-8s %-12s %s"
local ROW = "%-23.23s %-12.12s %-8s %12d %s"
local ROW_CONTAINER = "%-23.23s %-20.20s %-20.20s %-12.12s %-8s %12d %s"

function on_set_arg(name, val)
	if name == "disable_color" and val == "disable_color" then
		color = common.colors(false)
	elseif name == "min_ms" then
		min_ms = common.number_arg(val, name)
	end
	return true
end

function on_init()
	f.etype = chisel.request_field("evt.type")
	f.dir = chisel.request_field("evt.dir")
	f.datetime = chisel.request_field("evt.datetime")
	f.fdname = chisel.request_field("fd.name")
	f.pname = chisel.request_field("proc.name")
	f.latency = chisel.request_field("evt.latency")
	f.cname = chisel.request_field("container.name")
	f.cid = chisel.request_field("container.id")

	with_container = sysdig.is_print_container_data()

	chisel.set_filter("evt.is_io=true and fd.type=file")

	if with_container then
		print(string.format(HEAD_CONTAINER, "evt.datetime", "container.id", "container.name",
			"proc.name", "evt.type", "LATENCY(ms)", "fd.name"))
		print(string.format(HEAD_CONTAINER, string.rep("-", 23), string.rep("-", 30),
			string.rep("-", 30), string.rep("-", 12), string.rep("-", 8), string.rep("-", 12),
			string.rep("-", 41)))
	else
		print(string.format(HEAD, "evt.datetime", "proc.name", "evt.type", "LATENCY(ms)", "fd.name"))
		print(string.format(HEAD, string.rep("-", 23), string.rep("-", 12), string.rep("-", 8),
			string.rep("-", 12), string.rep("-", 41)))
	end
	return true
end

function on_event()
	local ms = evt.field(f.latency) / 1000000
	local fname = evt.field(f.fdname)

	if evt.field(f.dir) ~= "<" or not (ms > min_ms) then
		return true
	end
	if SKIP_DEV and string.sub(str(fname), 1, 5) == "/dev/" then
		return true
	end

	local c = color.green
	if evt.field(f.cname) ~= "host" then
		c = color.blue
	end

	if with_container then
		print(c .. string.format(ROW_CONTAINER, str(evt.field(f.datetime)), str(evt.field(f.cid)),
			str(evt.field(f.cname)), str(evt.field(f.pname)), str(evt.field(f.etype)),
			common.trunc(ms), str(fname)))
	else
		print(c .. string.format(ROW, str(evt.field(f.datetime)), str(evt.field(f.pname)),
			str(evt.field(f.etype)), common.trunc(ms), str(fname)))
	end
	return true
end
