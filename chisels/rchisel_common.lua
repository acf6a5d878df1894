-- rchisel_common.lua: shared helpers for rchisel's bundled chisels.
--
-- Written for the common subset of Lua 5.1/LuaJIT and Lua 5.4. Every
-- number that reaches the output goes through an explicit format here, so
-- the text is the same whether the host hands out floats or integers.
--
-- This file is a module (it has no `args` table), so chisel listings skip it.

local M = {}

local floor, ceil = math.floor, math.ceil
local sfmt, srep, ssub = string.format, string.rep, string.sub

-- Truncate a number toward zero (what C's (int64_t) cast does).
function M.trunc(v)
	if v >= 0 then
		return floor(v)
	end
	return ceil(v)
end

-- Render a number the way LuaJIT's tostring() does ("%.14g", except that
-- an exact tie at the 15th digit rounds away from zero, where C's printf
-- rounds to even): the vendored Lua's tostring does exactly that; NaN is
-- always "nan". Concatenation gives the same text as tostring without its
-- call (tostring formats through lua_pushfstring).
function M.numstr(v)
	if v ~= v then
		return "nan"
	end
	return v .. ""
end

-- tostring() that renders numbers like LuaJIT.
function M.str(v)
	if type(v) == "number" then
		return M.numstr(v)
	end
	return tostring(v)
end

-- Pad `s` with blanks to `width` characters. A string that does not fit
-- is cut to width-1 characters and followed by one blank; a width of zero
-- or less gives the empty string.
local blanks = setmetatable({}, { __index = function(t, n)
	local b = srep(" ", n)
	t[n] = b
	return b
end })

function M.pad(s, width)
	s = M.str(s)
	if #s < width then
		return s .. blanks[width - #s]
	end
	if width > 0 then
		return ssub(s, 1, width - 1) .. " "
	end
	return ""
end

-- Split `s` on the literal separator `sep`, keeping empty pieces.
function M.split(s, sep)
	local parts = {}
	local start = 1
	while true do
		local i, j = string.find(s, sep, start, true)
		if i == nil then
			parts[#parts + 1] = ssub(s, start)
			return parts
		end
		parts[#parts + 1] = ssub(s, start, i - 1)
		start = j + 1
	end
end

local KB = 1024
local MB = KB * 1024
local GB = MB * 1024
local TB = GB * 1024
local PB = TB * 1024

-- Human readable byte count: 1.50KB, 2.00M, ..., or "<n>B" up to 1024.
function M.format_bytes(v)
	if v > PB then
		return sfmt("%.2fP", v / PB)
	elseif v > TB then
		return sfmt("%.2fT", v / TB)
	elseif v > GB then
		return sfmt("%.2fG", v / GB)
	elseif v > MB then
		return sfmt("%.2fM", v / MB)
	elseif v > KB then
		return sfmt("%.2fKB", v / KB)
	end
	return sfmt("%dB", M.trunc(v))
end

local S = 1000000000

-- Human readable duration of `ns` nanoseconds: 1.05s, 12ms, 3.40ms, 250us,
-- 1.20us, 800ns. Hundredths are truncated, not rounded.
function M.format_time_interval(ns)
	local t = M.trunc
	if ns >= S then
		return sfmt("%d.%02ds", t(ns / S), t((ns % S) / 10000000))
	elseif ns >= S / 100 then
		return sfmt("%dms", t(ns / 1000000))
	elseif ns >= S / 1000 then
		return sfmt("%d.%02dms", t(ns / 1000000), t((ns % 1000000) / 10000))
	elseif ns >= S / 100000 then
		return sfmt("%dus", t(ns / 1000))
	elseif ns >= S / 1000000 then
		return sfmt("%d.%02dus", t(ns / 1000), t((ns % 1000) / 10))
	end
	return sfmt("%dns", t(ns))
end

-- JSON string literal with the escapes sysdig's encoder uses.
local SHORT = { ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f',
	['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }

local function uescape(ch)
	if SHORT[ch] then
		return SHORT[ch]
	end
	local b1, b2, b3 = string.byte(ch, 1, 3)
	local cp
	if b2 == nil then
		cp = b1
	elseif b3 == nil then
		cp = (b1 - 192) * 64 + (b2 - 128)
	else
		cp = ((b1 - 224) * 64 + (b2 - 128)) * 64 + (b3 - 128)
	end
	return string.format("\\u%.4x", cp)
end

function M.json_string(s)
	-- (most strings have nothing to escape: letters and digits only, a
	-- quick anchored check, or one search for anything to escape)
	if string.find(s, "^%w*$") or not string.find(s, '[%z\1-\31"\\\127\194\216\220\225\226\239]') then
		return '"' .. s .. '"'
	end
	s = string.gsub(s, '[%z\1-\31"\\\127]', uescape)
	if string.find(s, "[\194\216\220\225\226\239]") then
		s = string.gsub(s, "\194[\128-\159\173]", uescape)
		s = string.gsub(s, "\216[\128-\132]", uescape)
		s = string.gsub(s, "\220\143", uescape)
		s = string.gsub(s, "\225\158[\180\181]", uescape)
		s = string.gsub(s, "\226\128[\140-\143\168-\175]", uescape)
		s = string.gsub(s, "\226\129[\160-\175]", uescape)
		s = string.gsub(s, "\239\187\191", uescape)
		s = string.gsub(s, "\239\191[\176-\191]", uescape)
	end
	return '"' .. s .. '"'
end

-- Keys of `t`, sorted with the comparator `before(a, b)`.
function M.sorted_keys(t, before)
	local keys = {}
	for k in pairs(t) do
		keys[#keys + 1] = k
	end
	table.sort(keys, before)
	return keys
end

-- Read a numeric chisel argument. A value that is not a number prints
-- "Input <name> must be a number." and ends the program.
function M.number_arg(value, name)
	local n = tonumber(value)
	if n == nil then
		print(sfmt("Input %s must be a number.", name))
		os.exit()
	end
	return n
end

-- ANSI colour escapes. `colors(true)` gives the escape sequences,
-- `colors(false)` gives empty strings for every name.
local CODES = {
	reset = 0, clear = 0, bright = 1, dim = 2, underscore = 4, blink = 5,
	reverse = 7, hidden = 8,
	black = 30, red = 31, green = 32, yellow = 33, blue = 34, magenta = 35,
	cyan = 36, white = 37,
	onblack = 40, onred = 41, ongreen = 42, onyellow = 43, onblue = 44,
	onmagenta = 45, oncyan = 46, onwhite = 47,
}

function M.colors(enabled)
	local c = {}
	for name, code in pairs(CODES) do
		if enabled then
			c[name] = "\27[" .. code .. "m"
		else
			c[name] = ""
		end
	end
	return c
end

-- Terminal control used by the live "top" chisels.
M.term = {
	clearscreen = function() io.write("\27[2J") end,
	moveto = function(x, y) io.write("\27[" .. x .. ";" .. y .. "H") end,
	hidecursor = function() io.write("\27[?25l") end,
	showcursor = function() io.write("\27[?25h") end,
}

-- Defines the callbacks of a chisel that shows the state at one instant:
-- one optional argument `o.arg` handed to `o.set(val)` (which says whether
-- it is valid), a stop at the first event that passes the command-line
-- filter, and `o.dump()` at the end. With `o.empty_note`, a capture without
-- such an event prints a note instead.
function M.at_first_event(o)
	local started = false
	local seen_event = false

	function on_set_arg(name, val)
		if name == o.arg then
			return o.set(val)
		end
		return false
	end

	function on_init()
		return true
	end

	function on_capture_start()
		started = true
		return true
	end

	-- Stop at the first event: the tables are read at that point.
	function on_event()
		sysdig.end_capture()
		seen_event = true
		return false
	end

	function on_capture_end()
		if not started then
			return
		end
		if o.empty_note and not seen_event then
			print("empty capture or no event matching the filter")
			return
		end
		o.dump()
	end
end

-- The thread-table chisels (lsof, ps, netstat): an optional "filter"
-- argument restricting the fds, and dump(fd_filter) at the first event,
-- where fd_filter is make_filter(arg) (arg is nil when not given).
function M.state_at_first_event(make_filter, dump)
	local fd_filter = make_filter(nil)
	M.at_first_event{
		arg = "filter",
		set = function(val)
			fd_filter = make_filter(val)
			return true
		end,
		dump = function() dump(fd_filter) end,
		empty_note = true,
	}
end

-- A value as Lua-like text: tables as "{\n k = v,\n}" (one entry per
-- line, indented one blank per level), strings quoted with %q.
function M.serialize(val, name, depth)
	depth = depth or 0
	local out = srep(" ", depth)
	if name ~= nil then
		out = out .. M.str(name) .. " = "
	end
	local t = type(val)
	if t == "table" then
		out = out .. "{\n"
		for k, v in pairs(val) do
			out = out .. M.serialize(v, k, depth + 1) .. ",\n"
		end
		return out .. srep(" ", depth) .. "}"
	elseif t == "number" then
		return out .. M.str(val)
	elseif t == "string" then
		return out .. sfmt("%q", val)
	elseif t == "boolean" then
		return out .. tostring(val)
	end
	return out .. '"[inserializeable datatype:' .. t .. ']"'
end

-- One argument of a row (see M.rows): a field handle (light userdata), a
-- constant, or { handle-or-constant, div = n, bytes = true, map = {...},
-- default = text }, transformed in that order.
local function row_value(a)
	if type(a) ~= "table" then
		if type(a) == "userdata" then
			-- nil and false print as such (as the host prints them)
			return evt.field(a)
		end
		return a
	end
	local v = a[1]
	if type(v) == "userdata" then
		v = evt.field(v)
	end
	if v ~= nil and a.div then
		v = v / a.div
	end
	if v ~= nil and a.bytes then
		v = M.format_bytes(v)
	end
	if a.map then
		local m = v ~= nil and a.map[tostring(v)] or nil
		if m ~= nil then
			return m
		end
		if a.default ~= nil then
			return a.default
		end
		return v == nil and "nil" or v
	end
	if v == nil then
		return a.default or "nil"
	end
	return v
end

-- Prints string.format(template, args...) for every event that passes the
-- chisel's filter: by the host when it can (rchisel's chisel.native_rows,
-- which then skips on_event), else from M.row_event, which the chisel makes
-- its on_event when it is loaded (sysdig looks for on_event then).
local row_job
function M.rows(template, args)
	if chisel.native_rows ~= nil and chisel.native_rows(template, args) then
		return
	end
	row_job = { template = template, args = args }
end

local unpack = table.unpack or unpack

-- on_event of a chisel that prints with M.rows.
function M.row_event()
	if row_job ~= nil then
		local vals, args = {}, row_job.args
		for i, a in ipairs(args) do
			vals[i] = row_value(a)
		end
		print(sfmt(row_job.template, unpack(vals, 1, #args)))
	end
	return true
end

return M
