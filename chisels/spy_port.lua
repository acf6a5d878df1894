-- spy_port: the payloads exchanged on one IP port.
-- rchisel bundled chisel. A "------ Read/Write" line is printed before each
-- buffer; it is recomputed only when the direction changes, so a run of
-- buffers in one direction repeats the first buffer's line.

description = "Shows the network payloads exchanged using a given IP port number. You can combine this chisel with the -x, -X or -A sysdig command line switches to customize the screen output";
short_description = "Show the data exchanged using the given IP port number";
category = "Net";

args =
{
	{
		name = "host_port",
		description = "The remote host IP port number",
		argtype = "int"
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

local color = common.colors(true)
local port = nil
local f = {}

local READING, WRITING = 1, 2
local direction = nil
local banner = nil

function on_set_arg(name, val)
	if name == "host_port" then
		port = val
		return true
	elseif name == "disable_color" then
		if val == "disable_colors" then
			color = common.colors(false)
		end
		return true
	end
	return false
end

function on_init()
	f.data = chisel.request_field("evt.arg.data")
	f.isread = chisel.request_field("evt.is_io_read")
	f.res = chisel.request_field("evt.rawarg.res")

	sysdig.set_snaplen(1000)

	chisel.set_filter("evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6) and fd.port=" .. str(port))
	return true
end

function on_event()
	local res = evt.field(f.res)
	local data = evt.field(f.data)

	if res == nil or res <= 0 or data == nil then
		return true
	end

	local isread = evt.field(f.isread)
	if isread and direction ~= READING then
		banner = string.format("%s------ Read %s", color.red, common.format_bytes(res))
		direction = READING
	elseif not isread and direction ~= WRITING then
		banner = string.format("%s------ Write %s", color.blue, common.format_bytes(res))
		direction = WRITING
	end

	print(banner)
	print(data)
	return true
end

function on_capture_end()
	print(color.reset)
end
