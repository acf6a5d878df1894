-- netstat: the machine's IPv4/IPv6 sockets, like netstat(8).
-- rchisel bundled chisel. The table is taken at the first event that
-- passes the capture filter (evt.num=0 without a filter).

description = "Print the system network connections, with an output that is similar to the one of netstat. Output is at a point in time; adjust this in the filter. It defaults to time of evt.num=0";
short_description = "List (and optionally filter) network connections.";
category = "System State";

args =
{
	{
		name = "filter",
		description = "A sysdig-like filter expression that allows restricting the FD list. E.g. 'proc.name=foo and fd.port=80'.",
		argtype = "filter",
		optional = true
	}
}

local common = require "rchisel_common"
local pad, str = common.pad, common.str

-- Only sockets; a user filter is appended (sysdig joins the two without a
-- blank before "and", and so do we, so get_thread_table sees the same text).
local function make_filter(arg)
	local sockets = "(fd.type=ipv4 or fd.type=ipv6)"
	if arg == nil then
		return sockets
	end
	return sockets .. "and (" .. arg .. ")"
end

common.state_at_first_event(make_filter, function(fd_filter)
	local threads = sysdig.get_thread_table(fd_filter)

	print(pad("Proto", 6) .. pad("Server Address", 25) .. pad("Client Address", 25) ..
		pad("State", 15) .. "TID/PID/Program Name")

	for tid, th in pairs(threads) do
		for _, info in pairs(th.fdtable) do
			local client, state
			if info.cip == nil then
				client = "0.0.0.0:*"
				state = "LISTEN"
			else
				client = info.cip .. ":" .. str(info.cport)
				state = "ESTABLISHED"
			end
			print(pad(info.l4proto, 6) ..
				pad(info.sip .. ":" .. str(info.sport), 25) ..
				pad(client, 25) ..
				pad(state, 15) ..
				str(tid) .. "/" .. str(th.pid) .. "/" .. th.comm)
		end
	end
end)
