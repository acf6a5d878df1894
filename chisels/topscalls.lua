-- topscalls: system calls sorted by number of calls.
-- rchisel bundled chisel.

description = "Show the top 30 system calls in terms of number of calls. You can use filters to restrict this to a specific process, thread or file. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown."
short_description = "Top system calls by number of calls"
category = "Performance"

args = {}

local topn = require "rchisel_topn"
local tbl

function on_set_arg(name, val)
	return false
end

function on_init()
	local o = { value = "evt.count", value_desc = "# Calls", top = 30, units = "none",
		filter = "evt.type!=switch", native_only = true }
	if sysdig.is_print_container_data() then
		o.keys = { "evt.type", "container.name" }
		o.descs = { "Syscall", "container.name" }
	else
		o.keys = { "evt.type" }
		o.descs = { "Syscall" }
	end
	tbl = topn.new(o)
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
