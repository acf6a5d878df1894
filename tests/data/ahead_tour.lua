-- What a chisel may do on events read ahead (src/chisel/ahead.rs): every kind
-- of field value, evt.get_*, its own filter, intervals, the capture's
-- timestamps, an error in the middle. tests/chisel_host.rs compares its
-- output read ahead with its output in step (RCHISEL_NO_READ_AHEAD=1).
description = "Reading-ahead tour (test chisel)."
short_description = "ahead tour"
category = "Tests"
args = {
	{ name = "fail_at", description = "raise an error at this event (0: never)", argtype = "int" },
}

local fail_at = 0
local f = {}
local n = 0
local nint = 0

function on_set_arg(name, val)
	fail_at = tonumber(val)
	return true
end

function on_init()
	f.num = chisel.request_field("evt.num")
	f.type = chisel.request_field("evt.type")
	f.args = chisel.request_field("evt.args")
	f.time = chisel.request_field("evt.time")
	f.proc = chisel.request_field("proc.name")
	f.fd = chisel.request_field("fd.name")
	f.lat = chisel.request_field("evt.latency")
	f.failed = chisel.request_field("evt.failed")
	f.sip = chisel.request_field("fd.sip")
	f.buf = chisel.request_field("evt.buffer")
	f.aname = chisel.request_field("proc.aname[2]")
	f.res = chisel.request_field("evt.res")
	f.dur = chisel.request_field("evt.reltime")
	chisel.set_filter("evt.type!=switch")
	chisel.set_interval_ns(100000000)
	return true
end

function on_capture_start()
	print("start", sysdig.get_machine_info() ~= nil)
	return true
end

function on_event()
	n = n + 1
	if n == fail_at then
		error("stopped at event " .. evt.get_num())
	end
	if n % 7 == 0 or evt.field(f.sip) ~= nil then
		local s, ns = evt.get_ts()
		print(evt.get_num(), s, ns, evt.get_type(), evt.get_cpuid(), evt.field(f.num), evt.field(f.type),
			evt.field(f.time), evt.field(f.proc), evt.field(f.fd), evt.field(f.lat), tostring(evt.field(f.failed)),
			evt.field(f.sip), evt.field(f.aname), evt.field(f.res), evt.field(f.dur), evt.field(f.args))
		local b = evt.field(f.buf)
		if b then print("buf", #b, b) end
	end
	return true
end

function on_interval(ts_s, ts_ns, delta)
	nint = nint + 1
	print("interval", ts_s, ts_ns, delta, evt.get_num(), evt.field(f.type), evt.field(f.proc))
	return true
end

function on_capture_end(ts_s, ts_ns, delta)
	print("end", ts_s, ts_ns, delta, n, nint, sysdig.get_firstevent_ts(), sysdig.get_lastevent_ts())
	return true
end
