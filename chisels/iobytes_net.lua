-- iobytes_net: network bytes read, written and total, once per second.
-- rchisel bundled chisel.

description = "Counts the total bytes read from and written to the network, and prints the result every second";
short_description = "Show total network I/O bytes";
category = "Net";

args = {}

local str = require("rchisel_common").str

local total, bytes_in, bytes_out = 0, 0, 0
local f = {}

function on_init()
	f.res = chisel.request_field("evt.rawarg.res")
	f.time = chisel.request_field("evt.time.s")
	f.isread = chisel.request_field("evt.is_io_read")

	chisel.set_filter("evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6)")
	chisel.set_interval_s(1)
	return true
end

function on_event()
	local n = evt.field(f.res)
	if n ~= nil and n > 0 then
		total = total + n
		if evt.field(f.isread) then
			bytes_in = bytes_in + n
		else
			bytes_out = bytes_out + n
		end
	end
	return true
end

-- The time printed is the one of the event that crossed the second.
function on_interval(ts_s, ts_ns, delta)
	print(str(evt.field(f.time)) .. " in:" .. str(bytes_in) .. " out:" .. str(bytes_out) ..
		" tot:" .. str(total))
	total, bytes_in, bytes_out = 0, 0, 0
	return true
end
