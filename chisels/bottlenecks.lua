-- bottlenecks: the 10 slowest system calls, each after the enter event of
-- its thread that preceded it.
-- rchisel bundled chisel.

description = "Lists the 10 system calls that took the longest to return during the capture interval.";
short_description = "Slowest system calls";
category = "Performance";

args = {}

local common = require "rchisel_common"
local sfmt = string.format

local HOW_MANY = 10
local slowest = {}     -- { latency, enter line, exit line }, slowest first
local last_enter = {}  -- tid -> line of its last event with zero latency
local f = {}
local enter_fmt

function on_init()
	for _, name in ipairs({ "evt.num", "evt.type", "evt.args", "evt.latency", "proc.name",
			"thread.tid" }) do
		f[name] = chisel.request_field(name)
	end
	-- switch events are skipped
	chisel.set_filter("evt.type!=switch")
	-- The line of an enter event in one host call (rchisel's evt.format);
	-- nil when a field is missing, and line() then says what sysdig says.
	if chisel.request_format ~= nil then
		enter_fmt = chisel.request_format("%evt.num) 0.000000000 %proc.name (%thread.tid) > %evt.type %evt.args")
	end
	return true
end

local function line(dir, secs, nsecs)
	return sfmt("%d) %d.%.9d %s (%d) %s %s %s", evt.field(f["evt.num"]), secs, nsecs,
		common.str(evt.field(f["proc.name"]) or ""), evt.field(f["thread.tid"]), dir,
		evt.field(f["evt.type"]), common.str(evt.field(f["evt.args"])))
end

local field, format = evt.field, evt.format
local f_latency, f_tid

function on_capture_start()
	f_latency, f_tid = f["evt.latency"], f["thread.tid"]
	return true
end

function on_event()
	local latency = field(f_latency)
	local tid = field(f_tid)
	if latency == 0 then
		last_enter[tid] = (enter_fmt and format(enter_fmt)) or line(">", 0, 0)
	elseif latency ~= nil then
		-- a later call must be strictly slower to go before an earlier one
		for j = 1, HOW_MANY do
			if slowest[j] == nil or latency > slowest[j][1] then
				local exit_line = line("<", common.trunc(latency / 1000000000), latency % 1000000000)
				table.insert(slowest, j, { latency, last_enter[tid], exit_line })
				break
			end
		end
		if #slowest > HOW_MANY then
			table.remove(slowest)
		end
	end
	return true
end

function on_capture_end()
	for _, call in ipairs(slowest) do
		print(call[2])
		print(call[3])
	end
	return true
end
