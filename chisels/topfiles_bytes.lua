-- topfiles_bytes: files sorted by bytes read+written.
-- rchisel bundled chisel.

description = "Shows the top files in terms of disk usage. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown."
short_description = "Top files by R+W bytes"
category = "I/O"

args = {}

local topn = require "rchisel_topn"
local tbl

function on_set_arg(name, val)
	return false
end

function on_init()
	local o = { value = "evt.rawarg.res", value_desc = "Bytes", top = 10, units = "bytes",
		filter = "fd.type=file and evt.is_io=true" }
	if sysdig.is_print_container_data() then
		o.keys = { "container.name", "fd.name" }
		o.descs = { "container.name", "Filename" }
	else
		o.keys = { "fd.name" }
		o.descs = { "Filename" }
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
