-- rchisel_io.lua: shared bodies of the bundled chisels that count or echo
-- I/O buffers (iobytes*, stdin/stdout/stderr, spy_ip/spy_port).
--
-- Each function defines the callbacks of one kind of chisel; the chisel
-- file only gives its description, arguments and what differs.

local common = require "rchisel_common"
local str = common.str

local M = {}

-- Bytes read, written and their total, printed once per second of capture
-- time, for the I/O events that pass `filter`.
function M.byte_counter(filter)
	local total, bytes_in, bytes_out = 0, 0, 0
	local f = {}
	local native = false -- the host sums by direction (chisel.native_io_bytes)

	function on_init()
		f.res = chisel.request_field("evt.rawarg.res")
		f.time = chisel.request_field("evt.time.s")
		f.isread = chisel.request_field("evt.is_io_read")
		chisel.set_filter(filter)
		chisel.set_interval_s(1)
		if chisel.native_io_bytes ~= nil then
			native = chisel.native_io_bytes(f.res, f.isread)
		end
		return true
	end

	function on_event()
		local n = evt.field(f.res)
		if n ~= nil and n > 0 then
			total = total + n
			if evt.field(f.isread) then
				bytes_in = bytes_in + n
			else
				bytes_out = bytes_out + n
			end
		end
		return true
	end

	-- The time printed is the one of the event that crossed the second.
	function on_interval()
		if native then
			print(str(evt.field(f.time)) .. " " .. chisel.native_io_bytes_take())
			return true
		end
		print(str(evt.field(f.time)) .. " in:" .. str(bytes_in) .. " out:" .. str(bytes_out) ..
			" tot:" .. str(total))
		total, bytes_in, bytes_out = 0, 0, 0
		return true
	end
end

-- Prints every buffer read or written on file descriptor `fdnum`. With
-- `opts.color_arg` (the argument that turns colors off when it holds the
-- same text), -pc prefixes each buffer with the container id and name, in
-- green for the host and blue for containers.
function M.echo_fd(fdnum, opts)
	opts = opts or {}
	local color = common.colors(true)
	local f = {}
	local with_container = false

	function on_set_arg(name, val)
		if opts.color_arg ~= nil and name == "disable_color" and val == opts.color_arg then
			color = common.colors(false)
			return true
		end
		return false
	end

	function on_init()
		f.buf = chisel.request_field("evt.rawarg.data")
		if opts.color_arg ~= nil then
			f.cname = chisel.request_field("container.name")
			f.cid = chisel.request_field("container.id")
			with_container = sysdig.is_print_container_data()
		end
		sysdig.set_snaplen(2000)
		chisel.set_filter("fd.num=" .. fdnum .. " and evt.is_io=true")
		return true
	end

	function on_event()
		local buf = evt.field(f.buf)
		if buf == nil then
			return true
		end
		if with_container then
			local name = evt.field(f.cname)
			local c = (name ~= "host") and color.blue or color.green
			print(c .. string.format("%-20.20s %-20.20s %s", str(evt.field(f.cid)), str(name), buf))
		else
			print(buf)
		end
		return true
	end
end

-- Echoes the payloads of network I/O that passes `filter` (a function of
-- the value of the argument named `arg`). A "------ Read/Write <size>"
-- banner precedes each buffer; it is recomputed only when the direction
-- changes, so a run of buffers in one direction repeats the first one's
-- size. `write_label` is the word used for writes.
function M.spy_payloads(arg, filter, write_label)
	local color = common.colors(true)
	local value = nil
	local f = {}
	local READING, WRITING = 1, 2
	local direction = nil
	local banner = nil

	function on_set_arg(name, val)
		if name == arg then
			value = val
			return true
		elseif name == "disable_color" then
			if val == "disable_colors" then
				color = common.colors(false)
			end
			return true
		end
		return false
	end

	function on_init()
		f.data = chisel.request_field("evt.arg.data")
		f.isread = chisel.request_field("evt.is_io_read")
		f.res = chisel.request_field("evt.rawarg.res")
		sysdig.set_snaplen(1000)
		chisel.set_filter(filter(str(value)))
		return true
	end

	function on_event()
		local res = evt.field(f.res)
		if res == nil or res <= 0 then
			return true
		end
		local data = evt.field(f.data)
		if data == nil then
			return true
		end
		local isread = evt.field(f.isread)
		if isread and direction ~= READING then
			banner = string.format("%s------ Read %s", color.red, common.format_bytes(res))
			direction = READING
		elseif not isread and direction ~= WRITING then
			banner = string.format("%s------ %s %s", color.blue, write_label, common.format_bytes(res))
			direction = WRITING
		end
		print(banner)
		print(data)
		return true
	end

	function on_capture_end()
		print(color.reset)
	end
end

return M
