-- topprocs_cpu: processes sorted by CPU usage (from procinfo events).
-- rchisel bundled chisel.

description = "Show the top process defined by the highest CPU utilization. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown."
short_description = "Top processes by CPU usage"
category = "CPU Usage"

args = {}

local topn = require "rchisel_topn"
local tbl
local f_cpu

function on_init()
	local o = { value = "thread.exectime", value_desc = "CPU%", top = 10, units = "timepct",
		filter = "evt.type=procinfo", lua_sum = true }
	if sysdig.is_print_container_data() then
		o.keys = { "proc.name", "proc.pid", "proc.vpid", "container.name" }
		o.descs = { "Process", "Host_pid", "Container_pid", "container.name" }
	else
		o.keys = { "proc.name", "proc.pid" }
		o.descs = { "Process", "PID" }
	end
	tbl = topn.new(o)
	if not tbl:init() then
		return false
	end
	f_cpu = chisel.request_field("thread.cpu")
	return true
end

-- thread.cpu is a fraction of the last interval; the table keeps
-- nanosecond-like units so the timepct rendering against the capture
-- duration works.
function on_event()
	local key = tbl:event_key()
	if key == nil then
		return nil
	end
	tbl:add(key, evt.field(f_cpu) * 10000000)
	return true
end

function on_capture_start() return tbl:capture_start() end
function on_interval(ts_s, ts_ns, delta) return tbl:interval(ts_s, ts_ns, delta) end
function on_capture_end(ts_s, ts_ns, delta) return tbl:capture_end(ts_s, ts_ns, delta) end
