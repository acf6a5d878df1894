-- ps: the threads of the machine, like ps(1).
-- rchisel bundled chisel. The table is taken at the first event that
-- passes the capture filter (evt.num=0 without a filter).

description = "List the running processes, with an output that is similar to the one of ps. Output is at a point in time; adjust this in the filter. It defaults to time of evt.num=0";
short_description = "List (and optionally filter) the machine processes.";
category = "System State";

args =
{
	{
		name = "filter",
		description = "A sysdig-like filter expression that allows restricting the FD list. For example 'fd.name contains /etc' shows all the processes that have files open under /etc.",
		argtype = "filter",
		optional = true
	}
}

local common = require "rchisel_common"
local pad, str = common.pad, common.str

local function make_filter(arg)
	return arg
end

common.state_at_first_event(make_filter, function(fd_filter)
	local threads = sysdig.get_thread_table(fd_filter)
	local tids = common.sorted_keys(threads, function(a, b) return a < b end)

	print(pad("TID", 8) .. pad("PID", 8) .. pad("USER", 12) .. pad("VIRT", 11) ..
		pad("RES", 11) .. pad("FDLIMIT", 10) .. pad("CMD", 20))

	for _, tid in ipairs(tids) do
		local th = threads[tid]
		print(pad(tid, 8) .. pad(th.pid, 8) .. pad(th.username, 12) ..
			pad(common.format_bytes(th.vmsize_kb * 1024), 11) ..
			pad(common.format_bytes(th.vmrss_kb * 1024), 11) ..
			pad(th.fdlimit, 10) .. str(th.comm))
	end
end)
