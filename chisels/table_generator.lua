-- table_generator: sums a value field per key and prints a sorted table.
-- rchisel bundled chisel, hidden from the listing; other chisels may reach
-- it through chisel.exec("table_generator", ...).

description = "Given two filter fields, a key and a value, this chisel creates and renders a table to the screen."
short_description = "Filter on a key and value"
category = "Filter"
hidden = true

args =
{
	{ name = "keys", description = "comma-separated list of filter fields to use for grouping", argtype = "string" },
	{ name = "keydescs", description = "comma separated list of human readable descriptions for the key", argtype = "string" },
	{ name = "value", description = "the value to count for every key", argtype = "string" },
	{ name = "valuedesc", description = "human readable description for the value", argtype = "string" },
	{ name = "filter", description = "the filter to apply", argtype = "string" },
	{ name = "top_number", description = "maximum number of elements to display", argtype = "string" },
	{ name = "value_units", description = "how to render the values in the result. Can be 'bytes', 'time', 'timepct', or 'none'.", argtype = "string" },
}

local common = require "rchisel_common"
local topn = require "rchisel_topn"
local tbl = topn.new{}

function on_set_arg(name, val)
	if name == "keys" then
		tbl.keys = common.split(val, ",")
	elseif name == "keydescs" then
		tbl.descs = common.split(val, ",")
	elseif name == "value" then
		tbl.value = val
	elseif name == "valuedesc" then
		tbl.value_desc = val
	elseif name == "filter" then
		tbl.filter = val
	elseif name == "top_number" then
		tbl.top = tonumber(val)
	elseif name == "value_units" then
		tbl.units = val
	else
		return false
	end
	return true
end

-- on_event only forwards to tbl:event(): the host may skip it.
function on_init()
	tbl.native_only = true
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
