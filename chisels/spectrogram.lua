-- spectrogram: a heat map of system call latencies, one line per refresh.
-- rchisel bundled chisel. Needs a terminal.

description = "This console visualization shows the frequency of system call latencies. The Y axis unit is time. By default, a new line is created twice a second, but that can be changed by specifying a different refresh time argument. The X axis shows a range of latencies. Each latency value has a color that can be black (no calls), green (tens of calls/s), yellow (hundreds of calls/s) or red (Thousands of calls/s). In other words, red areas mean that there are many system calls taking the specified time to return. Use this chisel in conjunction with filters to visualize latencies for certain processes, types of I/O activity, file systems, etc."
short_description = "Visualize OS latency in real time."
category = "CPU Usage"

args = {
	{
		name = "refresh_time",
		description = "Chart refresh time in milliseconds",
		argtype = "int",
		optional = true
	},
}

local common = require "rchisel_common"

-- Columns span latencies 1ns..10^11ns on a log scale.
require("rchisel_heatmap").chisel{
	refresh_ns = 500000000, filter = "evt.dir=<", field = "evt.latency", final_line = true,
	bucket = function(lat, w)
		if lat == 0 then
			return nil
		end
		local l = math.log(lat, 10)
		if l > 11 then
			l = 11
		end
		return math.floor(l * w / 11) + 1
	end,
	-- "|<time>" where the decade changes
	label = function(x, w)
		local cur = math.floor(x * 11 / w)
		if cur == math.floor((x - 1) * 11 / w) then
			return nil
		end
		return "|" .. common.format_time_interval(10 ^ cur)
	end,
}
