-- spy_file: every read/write on files, with its data.
-- rchisel bundled chisel. Optionally only reads (R) or writes (W), and only
-- one file name.

description = "This chisel intercepts all reads and writes to all files. Instead of all files, you can limit interception to one file."
short_description = "Echo any read/write made by any process to all files. Optionally, you can provide the name of one file to only intercept reads/writes to that file.";
category = "I/O";

args =
{
	{
		name = "read_or_write",
		description = "Specify 'R' to capture only read events; 'W' to capture only write events; 'RW' to capture read and write events. By default both read and write events are captured.",
		argtype = "string",
		optional = true
	},
	{
		name = "spy_on_file_name",
		description = "The name of the file which the chisel should spy on for all read and write activity.",
		argtype = "string",
		optional = true
	}
}

local common = require "rchisel_common"
local str = common.str

local only_file = nil
local direction = nil
local f = {}

function on_set_arg(name, val)
	if name == "read_or_write" then
		direction = val
		return true
	elseif name == "spy_on_file_name" then
		only_file = val
		return true
	end
	return false
end

function on_init()
	f.buffer = chisel.request_field("evt.buffer")
	f.data = chisel.request_field("evt.arg.data")
	f.fdname = chisel.request_field("fd.name")
	f.iswrite = chisel.request_field("evt.is_io_write")
	f.pid = chisel.request_field("proc.pid")
	f.pname = chisel.request_field("proc.name")
	f.res = chisel.request_field("evt.rawarg.res")
	f.tid = chisel.request_field("thread.tid")
	f.time = chisel.request_field("evt.time")

	sysdig.set_snaplen(2000)
	sysdig.set_output_format("ascii")

	-- cheap checks first (the type, then the fd's type, then its name)
	local flt = "evt.dir=< and "
	if direction == "R" or direction == "r" then
		flt = flt .. "evt.is_io_read=true"
	elseif direction == "W" or direction == "w" then
		flt = flt .. "evt.is_io_write=true"
	else
		flt = flt .. "evt.is_io=true"
	end
	flt = flt .. " and fd.type=file and evt.failed=false and "
	if only_file ~= nil and only_file ~= "" then
		flt = flt .. "(fd.name=" .. only_file .. ")"
	else
		-- reading terminals could loop on a live capture
		flt = flt .. "not fd.name contains /dev/pt and not fd.name contains /dev/tty"
	end
	chisel.set_filter(flt)

	-- The line of each event printed by the host (rchisel's native_print).
	if chisel.native_print ~= nil then
		chisel.native_print(chisel.request_line({ f.time, " ", f.pname, "(", f.pid, ") ",
			{ f.iswrite, yes = "W", no = "R" }, " ", { f.res, show = "bytes" }, " ", f.fdname, " ", f.data }))
	end
	return true
end

function on_event()
	local rw = "R"
	if evt.field(f.iswrite) == true then
		rw = "W"
	end
	print(string.format("%s %s(%s) %s %s %s %s", str(evt.field(f.time)), str(evt.field(f.pname)),
		str(evt.field(f.pid)), rw, common.format_bytes(evt.field(f.res)),
		str(evt.field(f.fdname)), str(evt.field(f.data))))
	return true
end
