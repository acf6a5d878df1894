-- topprocs_net: processes sorted by network bytes read+written.
-- rchisel bundled chisel.

description = "Sort the list of the processes that use the most network bandwidth. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown."
short_description = "Top processes by network I/O"
category = "Net"

args = {}

local topn = require "rchisel_topn"
local tbl

function on_init()
	local o = { value = "evt.rawarg.res", value_desc = "Bytes", top = 100, units = "bytes",
		filter = "(fd.type=ipv4 or fd.type=ipv6) and evt.is_io=true" }
	if sysdig.is_print_container_data() then
		o.keys = { "proc.name", "proc.pid", "thread.vtid", "container.name" }
		o.descs = { "Process", "Host_pid", "Container_pid", "container.name" }
	else
		o.keys = { "proc.name", "proc.pid" }
		o.descs = { "Process", "PID" }
	end
	tbl = topn.new(o)
	tbl.native_only = true -- on_event only forwards to tbl:event()
	return tbl:init()
end

function on_capture_start()
	local ok = tbl:capture_start()
	on_event = tbl:event_fn()
	return ok
end
function on_event() return tbl:event() end
function on_interval(ts_s, ts_ns, delta) return tbl:interval(ts_s, ts_ns, delta) end
function on_capture_end(ts_s, ts_ns, delta) return tbl:capture_end(ts_s, ts_ns, delta) end
