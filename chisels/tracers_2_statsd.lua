-- tracers_2_statsd: the duration of each tracer span as a statsd timer
-- ("<tags>:<ms>|ms"), sent over UDP.
-- rchisel bundled chisel. The packets go to server_addr:server_port
-- (default 127.0.0.1:8125); sysdig's chisel ignores both arguments and
-- always sends to 127.0.0.1:8125.

description = "Converts sysdig span duration data into statsd metrics and pipes them to the given statsd server. See https://github.com/draios/sysdig/wiki/Tracers for more information.";
short_description = "Export spans duration as statds metrics.";
category = "Tracers";

args =
{
	{
		name = "server_addr",
		description = "The address of the statsd server to send data to",
		argtype = "string",
		optional = true
	},
	{
		name = "server_port",
		description = "The UDP port to use",
		argtype = "string",
		optional = true
	},
}

local statsd = require "rchisel_statsd"

local host, port = "127.0.0.1", 8125
local client
local f = {}

function on_set_arg(name, val)
	if name == "server_addr" then
		host = val
		return true
	elseif name == "server_port" then
		port = tonumber(val)
		return true
	end
	return false
end

function on_init()
	client = statsd.client{ host = host, port = port }
	f.tags = chisel.request_field("span.tags")
	f.duration = chisel.request_field("span.duration")
	chisel.set_filter("evt.type=tracer and evt.dir=<")
	return true
end

function on_event()
	local ns = evt.field(f.duration)
	if ns then
		client:timer(evt.field(f.tags), tonumber(ns) / 1000000)
	end
	return true
end
