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

require("rchisel_io").spy_payloads("host_port", function(port)
	return "evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6) and fd.port=" .. port
end, "Write")
