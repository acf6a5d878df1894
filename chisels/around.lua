-- around: saves to a file the events around each match of the filter, on
-- the same thread.
-- rchisel bundled chisel.

description = "Given a filter on the command line, this chisel saves the events that are in a time range around filter matches, and that are on the SAME process/thread. The time range can be adjusted with the dump_range_ms argument. For example, 'sysdig -c around evt.type=open and evt.failed=true' will save two seconds of activity around every failed open.";
short_description = "Export to file the events around the time range where the given filter matches.";
category = "Misc";

args =
{
	{
		name = "dump_file_name",
		description = "The name of the file where the chisel will write the events related to each syslog entry.",
		argtype = "string",
		optional = false
	},
	{
		name = "dump_range_ms",
		description = "The time interval to capture *before* and *after* each event, in milliseconds. For example, 500 means that 1 second around each displayed event (.5s before and .5s after) will be saved to <dump_file_name>. The default value for dump_range_ms is 1000.",
		argtype = "int",
		optional = true
	},
}

local common = require "rchisel_common"
local dump = require("rchisel_dump").new()
local f = {}
local is_tty = false
local started = false

function on_set_arg(name, val)
	return dump:set_arg(name, val)
end

function on_init()
	f.pname = chisel.request_field("proc.name")
	f.tid = chisel.request_field("thread.tid")
	f.time = chisel.request_field("evt.time")
	is_tty = sysdig.is_tty()
	if sysdig.get_filter() == "" then
		print("no filter specified")
		return false
	end
	return true
end

function on_capture_start()
	if sysdig.is_live() then
		print("live capture not supported")
		return false
	end
	started = true
	return true
end

function on_event()
	local tid = evt.field(f.tid)
	print(common.str(evt.field(f.time)) .. " " .. common.str(evt.field(f.pname) or "<NA>") ..
		"(" .. common.str(tid) .. ")")
	dump:record(tid)
	return true
end

function on_capture_end()
	if is_tty then
		print(common.colors(true).reset)
	end
	if started then
		print("\nSaving events around " .. dump:count() .. " syslog entries to " .. dump.file)
		dump:run()
	end
end
