-- Exercises every function of the chisel API and every callback; its output
-- is compared with sysdig's own run of this file (tests/chisel_host.rs).
description = "Tour of the chisel API (test chisel)."
short_description = "API tour"
category = "Tests"
args = {
	{ name = "label", description = "a label printed in every line", argtype = "string" },
	{ name = "max_intervals", description = "end the capture after this many intervals", argtype = "int", optional = true },
}

local label = "?"
local max_intervals = 3
local nintervals = 0
local nevents = 0
local want_end = false
local f = {}

function on_set_arg(name, val)
	if name == "label" then label = val
	elseif name == "max_intervals" then max_intervals = tonumber(val) end
	print("set_arg", name, val)
	return true
end

function on_init()
	f.num = chisel.request_field("evt.num")
	f.type = chisel.request_field("evt.type")
	f.dir = chisel.request_field("evt.dir")
	f.proc = chisel.request_field("proc.name")
	f.tid = chisel.request_field("thread.tid")
	f.fd = chisel.request_field("fd.name")
	f.raw = chisel.request_field("evt.rawtime")
	f.cpu = chisel.request_field("evt.cpu")
	f.failed = chisel.request_field("evt.failed")
	f.res = chisel.request_field("evt.rawres")
	f.lat = chisel.request_field("evt.latency")
	chisel.set_filter("evt.dir=< and evt.type!=switch")
	chisel.set_event_formatter(label .. " %evt.num %evt.type %proc.name")
	chisel.set_interval_s(1)
	sysdig.set_snaplen(80)
	sysdig.set_output_format("normal")
	sysdig.set_fatfile_dump_mode(false)
	print(label, "init", sysdig.get_output_format(), tostring(sysdig.is_live()), type(sysdig.is_tty()),
		type(sysdig.get_terminal_info().width), sysdig.get_filter(), sysdig.is_print_container_data())
	print(label, "ts", sysdig.make_ts(3, 5), sysdig.add_ts("1000000000", "7"), sysdig.subtract_ts("1000000000", "7"))
	sysdig.log("a log line", "info")
	sysdig.udp_setpeername("127.0.0.1", "9")
	sysdig.udp_send("hello")
	print(label, "numbers", 7 / 2, 6 / 2, 2 ^ 53, string.format("%d", 7 / 2), unpack({1, 2}))
	return true
end

function on_capture_start()
	local ct = sysdig.get_container_table()
	local n = 0
	for _ in pairs(ct) do n = n + 1 end
	print(label, "capture_start containers", n)
	print(label, "src", string.match(sysdig.get_evtsource_name(), "[^/]*$"), type(sysdig.get_read_progress()))
	local mi = sysdig.get_machine_info()
	print(label, "machine", mi.num_cpus, type(mi.memory_size_bytes), type(mi.hostname))
	return true
end

function on_event()
	nevents = nevents + 1
	if want_end then
		sysdig.end_capture()
	end
	local s, ns = evt.get_ts()
	if nevents == 1 then print(label, "bad field handle", evt.field(nil)) end
	if nevents <= 5 then
		print(label, "evt", evt.field(f.num), evt.field(f.type), evt.field(f.dir), evt.field(f.proc),
			evt.field(f.tid), evt.field(f.fd), evt.field(f.raw), evt.field(f.cpu), tostring(evt.field(f.failed)),
			evt.field(f.res), evt.field(f.lat), evt.get_num(), s, ns, evt.get_type(), evt.get_cpuid())
	end
	-- true: the engine prints the formatted line; false/nil: it does not.
	if nevents <= 3 then return true end
	return nil
end

function on_interval(ts_s, ts_ns, delta)
	nintervals = nintervals + 1
	print(label, "interval", ts_s, ts_ns, delta, nevents)
	if nintervals >= max_intervals then
		want_end = true
	end
	return true
end

function on_capture_end(ts_s, ts_ns, delta)
	print(label, "end", ts_s, ts_ns, delta, nevents, nintervals)
	print(label, "first/last", sysdig.get_firstevent_ts(), sysdig.get_lastevent_ts())
	local tt = sysdig.get_thread_table("fd.type=ipv4 or fd.type=ipv6")
	local tids = {}
	for tid, t in pairs(tt) do tids[#tids + 1] = tid end
	table.sort(tids)
	for _, tid in ipairs(tids) do
		local t = tt[tid]
		local fds = {}
		for fd, d in pairs(t.fdtable) do fds[#fds + 1] = fd end
		table.sort(fds)
		print(label, "thread", tid, t.pid, t.comm, t.exe, t.username, type(t.clone_ts), #t.args, #fds)
		for _, fd in ipairs(fds) do
			local d = t.fdtable[fd]
			print(label, "  fd", fd, d.type, d.name, d.cip, d.sip, d.cport, d.sport, tostring(d.is_server), d.l4proto)
		end
	end
	local n, nb = 0, 0
	for _, t in pairs(sysdig.get_thread_table_nofds()) do n = n + 1 end
	for _, t in pairs(sysdig.get_thread_table_barebone()) do
		if t.comm == nil then nb = nb + 1 end
	end
	local nbn = 0
	for _ in pairs(sysdig.get_thread_table_barebone_nofds()) do nbn = nbn + 1 end
	print(label, "tables", n > 0, nb == n, nbn == n)
	return true
end
