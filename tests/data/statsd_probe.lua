-- Test chisel: one statsd timer per execve exit, through the bundled
-- rchisel_statsd module, to the address given as arguments.
description = "statsd probe"; short_description = "statsd probe"; category = "Test"
args = {
	{ name = "host", description = "host", argtype = "string" },
	{ name = "port", description = "port", argtype = "int" },
}
local statsd = require "rchisel_statsd"
local host, port, client, fcomm, flat
function on_set_arg(name, val)
	if name == "host" then host = val else port = tonumber(val) end
	return true
end
function on_init()
	client = statsd.client{ host = host, port = port, namespace = "rc" }
	fcomm = chisel.request_field("proc.name")
	flat = chisel.request_field("evt.latency")
	chisel.set_filter("evt.type=execve and evt.dir=<")
	return true
end
function on_event()
	client:timer("exec:" .. evt.field(fcomm), evt.field(flat) / 1000000)
	return true
end
