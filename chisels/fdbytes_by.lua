-- fdbytes_by: I/O bytes of successful calls, grouped by any filter field.
-- rchisel bundled chisel.

description = "Groups FD activity based on the given filter field, and returns the key that generated the most input+output bytes. For example, this script can be used to list the processes or TCP ports that generated most traffic."
short_description = "I/O bytes, aggregated by an arbitrary filter field"
category = "I/O"

args =
{
	{
		name = "key",
		description = "The filter field used for grouping",
		argtype = "string"
	},
}

local topn = require "rchisel_topn"
local key_field = ""
local tbl

function on_set_arg(name, val)
	if name == "key" then
		key_field = val
		return true
	end
	return false
end

function on_init()
	tbl = topn.new{ keys = { key_field }, descs = { key_field }, value = "evt.rawarg.res",
		value_desc = "Bytes", filter = "evt.is_io=true and evt.failed=false", top = 30,
		units = "bytes" }
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
