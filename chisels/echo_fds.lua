-- echo_fds: the data read and written on any FD (I/O exits with data).
-- rchisel bundled chisel. A "------ Read/Write" line announces each buffer,
-- which the engine then prints through the "%evt.arg.data" formatter.

description = "Print the data read and written for any FD. Combine this script with a filter to restrict what it shows. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown. (Blue represents  [Write], and Red represents [Read] for all data except when the -pc or -pcontainer argument is used. If used the container.name and container.id will be represented as: Green [host], and Cyan [container]) Container information will contain '[]' around container.name and container.id.";
short_description = "Print the data read and written by processes.";
category = "I/O";

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

local color = common.colors(true)
local with_container = false
local f = {}

function on_set_arg(name, val)
	if name == "disable_color" and val == "disable_color" then
		color = common.colors(false)
	end
	return true
end

function on_init()
	f.data = chisel.request_field("evt.rawarg.data")
	f.isread = chisel.request_field("evt.is_io_read")
	f.res = chisel.request_field("evt.rawarg.res")
	f.fdname = chisel.request_field("fd.name")
	f.pname = chisel.request_field("proc.name")
	f.cname = chisel.request_field("container.name")
	f.cid = chisel.request_field("container.id")

	with_container = sysdig.is_print_container_data()

	sysdig.set_snaplen(2000)

	chisel.set_filter("evt.is_io=true and evt.dir=< and evt.rawres>0")
	chisel.set_event_formatter("%evt.arg.data")
	return true
end

function on_event()
	local isread = evt.field(f.isread)
	local res = evt.field(f.res)
	local fdname = evt.field(f.fdname)
	local pname = evt.field(f.pname)

	if fdname == nil then
		fdname = "<NA>"
	end
	if res <= 0 then
		return true
	end

	local where = ""
	if with_container then
		local cname = evt.field(f.cname)
		local c = color.cyan
		if cname == "host" then
			c = color.green
		end
		where = string.format("%s [%s] [%s]", c, str(cname), str(evt.field(f.cid)))
	end

	local size = common.format_bytes(res)
	if isread then
		local who = string.format("%s %s (%s)", color.red, str(fdname), str(pname))
		print(string.format("%s------ Read %s from %s %s", color.red, size, where, who))
	else
		local who = string.format("%s %s (%s)", color.blue, str(fdname), str(pname))
		print(string.format("%s------ Write %s to %s %s", color.blue, size, where, who))
	end
	return true
end

function on_capture_end()
	print(color.reset)
end
