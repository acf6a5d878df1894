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

local color = common.colors(true)

function on_set_arg(name, val)
	if name == "disable_color" and val == "disable_color" then
		color = common.colors(false)
	end
	return true
end

-- The "------ Read/Write" line (common.rows: printed by the host in rchisel):
--   <red>------ Read <size> from <where> <red> <fd.name> (<proc.name>)
-- (blue and "Write ... to" for writes; <where> is empty, or with -pc
-- "<green or cyan> [container.name] [container.id]").
function on_init()
	local h = {}
	for k, name in pairs({ isread = "evt.is_io_read", res = "evt.rawarg.res", fdname = "fd.name",
			pname = "proc.name", cname = "container.name", cid = "container.id" }) do
		h[k] = chisel.request_field(name)
	end
	sysdig.set_snaplen(2000)
	chisel.set_filter("evt.is_io=true and evt.dir=< and evt.rawres>0")
	chisel.set_event_formatter("%evt.arg.data")

	local function by_dir(read, write)
		return { h.isread, map = { ["true"] = read }, default = write }
	end
	local template, args = "%s%s%s", { by_dir(color.red .. "------ Read ", color.blue .. "------ Write "),
		{ h.res, bytes = true }, by_dir(" from ", " to ") }
	if sysdig.is_print_container_data() then
		template = template .. "%s [%s] [%s]"
		args[#args + 1] = { h.cname, map = { host = color.green }, default = color.cyan }
		args[#args + 1] = h.cname
		args[#args + 1] = h.cid
	end
	for _, a in ipairs({ by_dir(color.red, color.blue), { h.fdname, default = "<NA>" }, h.pname }) do
		args[#args + 1] = a
	end
	common.rows(template .. " %s %s (%s)", args)
	return true
end

on_event = common.row_event

function on_capture_end()
	print(color.reset)
end
