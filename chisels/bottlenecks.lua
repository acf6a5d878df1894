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
local native = false   -- the host keeps the table (chisel.native_slowest)

function on_init()
	for _, name in ipairs({ "evt.num", "evt.type", "evt.args", "evt.latency", "proc.name",
			"thread.tid" }) do
		f[name] = chisel.request_field(name)
	end
	-- switch events are skipped
	chisel.set_filter("evt.type!=switch")
	if chisel.native_slowest ~= nil then
		local function line(dir, latency)
			return chisel.request_line({ f["evt.num"], ") ", latency, " ", { f["proc.name"], missing = "" },
				" (", f["thread.tid"], ") " .. dir .. " ", f["evt.type"], " ", f["evt.args"] })
		end
		native = chisel.native_slowest(HOW_MANY, f["evt.latency"], f["thread.tid"],
			line(">", "0.000000000"), line("<", { f["evt.latency"], show = "seconds" }))
	end
	return true
end

local function line(dir, secs, nsecs)
	return sfmt("%d) %d.%.9d %s (%d) %s %s %s", evt.field(f["evt.num"]), secs, nsecs,
		common.str(evt.field(f["proc.name"]) or ""), evt.field(f["thread.tid"]), dir,
		evt.field(f["evt.type"]), common.str(evt.field(f["evt.args"])))
end

-- The Lua path (sysdig, which has no native_slowest).
function on_event()
	local latency = evt.field(f["evt.latency"])
	local tid = evt.field(f["thread.tid"])
	if latency == 0 then
		last_enter[tid] = line(">", 0, 0)
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
	if native then
		slowest = chisel.native_slowest_take()
	end
	for _, call in ipairs(slowest) do
		print(call[2])
		print(call[3])
	end
	return true
end
