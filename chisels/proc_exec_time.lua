-- proc_exec_time: every process that ends, with how long it ran.
-- rchisel bundled chisel. Lines are green (host) or blue (container),
-- yellow above 3 s and red above 10 s.

description = "List the processes that have finished running, along with their execution time, and color every line based on the total process run time (Green|Blue below thresholds, Yellow at 3 sec, and Red at 10 sec). This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown. (Blue represents a process running within a container, and Green represents a host process)";
short_description = "Show process execution time";
category = "Performance";

args =
{
	{
		name = "disable_color",
		description = "Set to 'disable_colors' if you want to disable color output",
		argtype = "string",
		optional = true
	},
}

local common = require "rchisel_common"
local str = common.str

local YELLOW_NS = 3000000000
local RED_NS = 10000000000

local color = common.colors(true)
local with_container = false
local f = {}

local ROW = "%-13.13s %-12.12s %s"
local ROW_CONTAINER = "%-13.13s %-20.20s %-20.20s %-12.12s %s"

function on_set_arg(name, val)
	if val == "disable_colors" then
		color = common.colors(false)
	end
	return true
end

function on_init()
	f.etype = chisel.request_field("evt.type")
	f.name = chisel.request_field("proc.name")
	f.args = chisel.request_field("proc.args")
	f.time = chisel.request_field("evt.time.s")
	f.duration = chisel.request_field("proc.duration")
	f.cname = chisel.request_field("container.name")
	f.cid = chisel.request_field("container.id")

	with_container = sysdig.is_print_container_data()

	chisel.set_filter("evt.type=procexit")

	if with_container then
		print(string.format(ROW_CONTAINER, "proc.duration", "container.id", "container.name",
			"proc.name", "proc.args"))
		print(string.format(ROW_CONTAINER, "-------------", string.rep("-", 20),
			string.rep("-", 20), "------------", string.rep("-", 20)))
	else
		print(string.format(ROW, "proc.duration", "proc.name", "proc.args"))
		print(string.format(ROW, "-------------", "------------", string.rep("-", 20)))
	end
	return true
end

function on_event()
	local duration = evt.field(f.duration)
	if duration == nil then
		return true
	end

	local c = color.green
	if duration > RED_NS then
		c = color.red
	elseif duration > YELLOW_NS then
		c = color.yellow
	elseif evt.field(f.cname) ~= "host" then
		c = color.blue
	end

	local took = common.format_time_interval(duration)
	if with_container then
		print(c .. string.format(ROW_CONTAINER, took, str(evt.field(f.cid)),
			str(evt.field(f.cname)), str(evt.field(f.name)), str(evt.field(f.args))))
	else
		print(c .. string.format(ROW, took, str(evt.field(f.name)), str(evt.field(f.args))))
	end
	return true
end

function on_capture_end()
	print(color.reset)
end
