-- subsecoffset: a heat map of when, within each second (or refresh
-- interval), system calls start. One line per refresh.
-- rchisel bundled chisel. Needs a terminal.

description = "This visualizes the subsecond offset time of system call execution. This allows repetitive patterns to be identified, which are lost when averaging at a one second granularity. The Y axis (vertical) shows the passage of time. The X axis (horizontal) shows the passage of time within whole or fractions of a second. By default, the X axis range is 1000 milliseconds; this can be specified as an argument (try 100). Each bucket of the heat map, or spectrogram, is shown as a colored rectangle. The color shows how many syscalls fell into that time and subsecond offset range. It can be black (no calls), green (tens of calls/s), yellow (hundreds of calls/s) or red (Thousands of calls/s). Use this chisel in conjunction with filters to visualize latencies for certain processes, types of I/O activity, file systems, etc."
short_description = "Visualize subsecond offset execution time."
category = "CPU Usage"

args = {
	{
		name = "refresh_time",
		description = "chart refresh time in milliseconds",
		argtype = "int",
		optional = true
	},
}

local str = require("rchisel_common").str

local ESC = "\27["

require("rchisel_heatmap").chisel{
	refresh_ns = 1000000000, filter = "evt.dir=>", field = "evt.rawtime",
	intro = "Tracing syscalls... red (hot) == high frequency <-> green == low frequency.\n",
	empty_fg = ESC .. "48;5;0m",
	-- column of the time's offset within the interval (as doubles, like
	-- LuaJIT: a - floor(a / b) * b)
	bucket = function(ts, w, refresh_ns)
		local a = (ts + 0.0) * 1000 / refresh_ns
		local off = a - math.floor(a / 1000) * 1000
		return math.floor(off / 1000 * w)
	end,
	maxlen = function(refresh_ns)
		return #("|" .. str(0.9 * refresh_ns / 10000000) .. "ms")
	end,
	-- "|<ms>ms" at each tenth, when it fits
	label = function(x, w, refresh_ns, maxlen)
		local cur = math.floor(x * 10 / w)
		if cur == math.floor((x - 1) * 10 / w) or x > w - maxlen then
			return nil
		end
		return "|" .. str(math.floor(10 * x / w) * refresh_ns / 10000000) .. "ms"
	end,
}
