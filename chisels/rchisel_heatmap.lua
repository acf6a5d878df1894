-- rchisel_heatmap.lua: the terminal heat maps (spectrogram, subsecoffset).
--
-- Every refresh interval one line of colored cells is drawn, one cell per
-- terminal column; a cell's color tells how many events fell in its bucket
-- (per second), then a line with the axis labels. They need a terminal.
--
-- M.chisel(spec) defines the callbacks. spec fields:
--   refresh_ns     default refresh interval
--   filter, field  the chisel filter and the field bucketed
--   intro          a line printed at start (or nil)
--   bucket(v, w, refresh_ns)  the bucket of a value (nil: not counted)
--   label(x, w, refresh_ns, maxlen) the axis text starting at column x, or
--                  nil for a blank
--   maxlen(refresh_ns) the longest label
--   empty_fg       escape for empty cells' foreground (subsecoffset sets the
--                  background twice, as sysdig's does)
--   final_line     draw one last line at the end of the capture

local common = require "rchisel_common"

local M = {}

local COLORS = { 22, 28, 64, 34, 2, 76, 46, 118, 154, 191, 227, 226, 11, 220, 209, 208, 202, 197, 9, 1 }
local CHARS = { " ", "\u{2591}", "\u{2592}", "\u{2591}" }
local ESC = "\27["

local function fg(c) return ESC .. "38;5;" .. c .. "m" end
local function bg(c) return ESC .. "48;5;" .. c .. "m" end

-- Colors and character of a cell with n events, at `per_sec` refreshes a second.
local function cell(n, per_sec)
	local col = math.log(n * per_sec + 1, 10) / math.log(1.6, 10)
	if col < 1 then
		col = 1
	elseif col > #COLORS then
		col = #COLORS
	end
	local low, high = math.floor(col), math.ceil(col)
	local delta = col - low
	local ch = CHARS[math.floor(1 + delta * #CHARS)]
	if delta > .75 then
		return COLORS[high], COLORS[low], ch
	end
	return COLORS[low], COLORS[high], ch
end

function M.chisel(spec)
	local refresh_ns = spec.refresh_ns
	local counts = {}
	local w = 0
	local is_tty = false
	local fid

	function on_set_arg(name, val)
		if name == "refresh_time" then
			refresh_ns = common.number_arg(val, name) * 1000000
			return true
		end
		return false
	end

	function on_init()
		is_tty = sysdig.is_tty()
		if not is_tty then
			print("This chisel only works on ANSI terminals. Aborting.")
			return false
		end
		w = sysdig.get_terminal_info().width
		chisel.set_filter(spec.filter)
		fid = chisel.request_field(spec.field)
		io.write(ESC .. "?25l")
		if spec.intro then
			print(spec.intro)
		end
		return true
	end

	function on_capture_start()
		chisel.set_interval_ns(refresh_ns)
		return true
	end

	function on_event()
		local b = spec.bucket(evt.field(fid), w, refresh_ns)
		if b ~= nil then
			counts[b] = (counts[b] or 0) + 1
		end
		return true
	end

	function on_interval()
		local per_sec = 1000000000 / refresh_ns
		io.write(ESC .. "1F")
		for x = 1, w do
			local n = counts[x]
			local ch
			if n == nil or n == 0 then
				io.write(spec.empty_fg or fg(0), bg(0))
				ch = " "
			else
				local f, b
				f, b, ch = cell(n, per_sec)
				io.write(fg(f), bg(b))
			end
			io.write(ch)
		end
		io.write(ESC .. "0m\n")
		local x = 0
		local maxlen = spec.maxlen and spec.maxlen(refresh_ns) or 0
		while x < w do
			local text = spec.label(x, w, refresh_ns, maxlen)
			if text ~= nil then
				io.write(text)
				x = x + #text
			else
				io.write(" ")
				x = x + 1
			end
		end
		io.write("\n")
		counts = {}
		return true
	end

	function on_capture_end()
		if is_tty then
			if spec.final_line then
				on_interval()
			end
			print(ESC .. "0m")
			io.write(ESC .. "?25h")
		end
		return true
	end
end

return M
