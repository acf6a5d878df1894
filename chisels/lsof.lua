-- lsof: the open file descriptors of every thread, like lsof(8).
-- rchisel bundled chisel. The table is taken at the first event that
-- passes the capture filter (evt.num=0 without a filter).

description = "This chisel prints the open file descriptors for every process in the system, with an output that is similar to the one of lsof. Output is at a point in time; adjust this in the filter.  It defaults to time of evt.num=0";
short_description = "List (and optionally filter) the open file descriptors.";
category = "System State";

args =
{
	{
		name = "filter",
		description = "A sysdig-like filter expression that allows restricting the FD list. E.g. 'proc.name=foo and fd.name contains /etc'.",
		argtype = "filter",
		optional = true
	}
}

local common = require "rchisel_common"
local pad, str = common.pad, common.str

local function make_filter(arg)
	return arg
end

-- The columns and their widths (the host prints them: chisel.print_fd_rows).
local COLUMNS = { { "comm", 20 }, { "pid", 8 }, { "tid", 8 }, { "username", 8 }, { "fd", 8 },
	{ "type", 12 }, { "name" } }

common.state_at_first_event(make_filter, function(fd_filter)
	print(pad("COMMAND", 20) .. pad("PID", 8) .. pad("TID", 8) .. pad("USER", 8) ..
		pad("FD", 8) .. pad("TYPE", 12) .. "NAME")
	if chisel.print_fd_rows ~= nil then
		chisel.print_fd_rows(fd_filter, COLUMNS)
		return
	end

	local threads = sysdig.get_thread_table(fd_filter)
	local tids = common.sorted_keys(threads, function(a, b) return a < b end)
	for _, tid in ipairs(tids) do
		local th = threads[tid]
		for fd, info in pairs(th.fdtable) do
			print(pad(th.comm, 20) .. pad(th.pid, 8) .. pad(tid, 8) .. pad(th.username, 8) ..
				pad(fd, 8) .. pad(str(info.type), 12) .. str(info.name))
		end
	end
end)
