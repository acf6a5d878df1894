-- rchisel_topn.lua: "top N" aggregation tables shared by the top* chisels.
--
-- A table sums one numeric field per key (one or more fields joined with
-- "\1\1"), then renders the keys sorted by value, biggest first, either as
-- a text table or (with -j) as a JSON document.
--
-- Usage from a chisel:
--   local topn = require "rchisel_topn"
--   local tbl = topn.new{ keys = {"proc.name", "proc.pid"}, descs = {"Process", "PID"},
--                         value = "evt.rawarg.res", value_desc = "Bytes",
--                         filter = "...", top = 10, units = "bytes" }
--   and forward on_init/on_capture_start/on_event/on_interval/on_capture_end
--   to tbl:init(), tbl:capture_start(), ...

local common = require "rchisel_common"

local M = {}
local Table = {}
Table.__index = Table

local SEP = "\1\1"
local COL = 20

-- Create a table description. Fields: keys, descs (lists of strings),
-- value, value_desc, filter (string or nil), top (0 = all), units
-- ("none", "bytes", "time" or "timepct").
function M.new(o)
	local t = {
		keys = o.keys or {},
		descs = o.descs or {},
		value = o.value or "",
		value_desc = o.value_desc or "",
		filter = o.filter or "",
		top = o.top or 0,
		units = o.units or "none",
		format = "normal",
		live = false,
		rows = {},
		key_ids = {},
		-- on_event only forwards to event(): the host may skip calling it.
		native_only = o.native_only or false,
		-- the chisel sums its own values (e.g. scaled thread.cpu): no native summing
		lua_sum = o.lua_sum or false,
		-- rows sum scale_field * scale for every event (thread.cpu * 10^7)
		scale_field = o.scale_field,
		scale = o.scale,
	}
	return setmetatable(t, Table)
end

-- Request the fields and install the filter. Returns false (after printing
-- why) when keys and descriptions do not pair up.
function Table:init()
	if #self.keys ~= #self.descs then
		print("error: number of entries in keys different from number entries in keydescs")
		return false
	end
	for i, name in ipairs(self.keys) do
		self.key_ids[i] = chisel.request_field(name)
	end
	self.value_id = chisel.request_field(self.value)
	if self.scale_field ~= nil then
		self.scale_id = chisel.request_field(self.scale_field)
	end
	-- The host sums natively when it can (same keys and sums as event()).
	if chisel.native_topn ~= nil and self.scale_id ~= nil then
		self.native = chisel.native_topn(self.key_ids, self.scale_id, SEP, common.str, self.native_only, self.scale)
	elseif chisel.native_topn ~= nil and not self.lua_sum then
		self.native = chisel.native_topn(self.key_ids, self.value_id, SEP, common.str, self.native_only)
	end
	if self.filter ~= "" then
		chisel.set_filter(self.filter)
	end
	return true
end

-- Live captures redraw the table every second.
function Table:capture_start()
	self.live = sysdig.is_live()
	self.format = sysdig.get_output_format()
	if self.live then
		chisel.set_interval_s(1)
		if self.format ~= "json" then
			common.term.clearscreen()
			common.term.hidecursor()
		end
	end
	return true
end

-- The key of the current event, or nil when one of its fields is missing.
function Table:event_key()
	local key
	for i = 1, #self.key_ids do
		local v = evt.field(self.key_ids[i])
		if v == nil then
			return nil
		end
		if key == nil then
			key = common.str(v)
		else
			key = key .. SEP .. common.str(v)
		end
	end
	return key
end

-- Add `amount` to the row of `key`.
function Table:add(key, amount)
	local cur = self.rows[key]
	if cur == nil then
		self.rows[key] = amount
	else
		self.rows[key] = cur + amount
	end
end

-- Account the current event: its value field, when positive.
function Table:event()
	if self.native then
		return true
	end
	local key = self:event_key()
	if key == nil then
		return nil
	end
	local v = evt.field(self.value_id)
	if v ~= nil and v > 0 then
		self:add(key, v)
	end
	return true
end

-- A specialized on_event for this table (same result as Table.event, with
-- the per-event work reduced to locals: this is the hot path of the top*
-- chisels). Install it as the global on_event once init() succeeded.
function Table:event_fn()
	if self.native then
		-- the host sums the rows
		return function() return true end
	end
	local field, str = evt.field, common.str
	local vid = self.value_id
	local kids = self.key_ids
	local self_ = self
	if #kids == 1 then
		local k1 = kids[1]
		return function()
			local v = field(k1)
			if v == nil then
				return nil
			end
			if type(v) ~= "string" then
				v = str(v)
			end
			local a = field(vid)
			if a ~= nil and a > 0 then
				local rows = self_.rows
				local cur = rows[v]
				if cur == nil then
					rows[v] = a
				else
					rows[v] = cur + a
				end
			end
			return true
		end
	end
	return function() return self_:event() end
end

function Table:interval(ts_s, ts_ns, delta)
	if self.native then
		self.rows = chisel.native_topn_take()
	end
	if self.format ~= "json" then
		common.term.clearscreen()
		common.term.moveto(0, 0)
	end
	self:render(ts_s, delta)
	self.rows = {}
	return true
end

function Table:capture_end(ts_s, ts_ns, delta)
	if self.native then
		self.rows = chisel.native_topn_take()
	end
	if self.live and self.format ~= "json" then
		common.term.clearscreen()
		common.term.moveto(0, 0)
		common.term.showcursor()
		return true
	end
	self:render(ts_s, delta)
	return true
end

-- Row keys, biggest value first, cut to the configured count.
function Table:top_keys()
	local rows = self.rows
	local keys = common.sorted_keys(rows, function(a, b) return rows[b] < rows[a] end)
	if self.top ~= 0 and #keys > self.top then
		local cut = {}
		for i = 1, self.top do
			cut[i] = keys[i]
		end
		keys = cut
	end
	return keys
end

function Table:value_text(v, delta)
	local u = self.units
	if u == "none" then
		return common.str(v)
	elseif u == "bytes" then
		return common.format_bytes(v)
	elseif u == "time" then
		return common.format_time_interval(v)
	elseif u == "timepct" then
		if delta > 0 then
			return string.format("%.2f%%", v / delta * 100)
		end
		return "0.00%"
	end
	return nil
end

function Table:render(ts_s, delta)
	if self.format == "json" then
		self:render_json(ts_s)
		return
	end
	local header = common.pad(self.value_desc, COL)
	for _, d in ipairs(self.descs) do
		header = header .. common.pad(d, COL)
	end
	print(header)
	print(string.rep("-", 80))
	for _, k in ipairs(self:top_keys()) do
		local parts = common.split(k, SEP)
		local text = ""
		for i, p in ipairs(parts) do
			if i < #parts then
				text = text .. common.pad(string.sub(p, 1, COL), COL)
			else
				text = text .. p
			end
		end
		local vt = self:value_text(self.rows[k], delta)
		if vt ~= nil then
			print(common.pad(vt, COL) .. text)
		end
	end
end

local jstring = common.json_string

local function jnumber(v)
	if v ~= v or v == math.huge or v == -math.huge then
		return "null"
	end
	return common.numstr(v)
end

function Table:render_json(ts_s)
	local rows = {}
	for _, k in ipairs(self:top_keys()) do
		local cells = {}
		for _, p in ipairs(common.split(k, SEP)) do
			cells[#cells + 1] = jstring(p)
		end
		cells[#cells + 1] = jnumber(self.rows[k])
		rows[#rows + 1] = "[" .. table.concat(cells, ",") .. "]"
	end

	-- Key columns take slots 1..n, the value column always takes slot 3
	-- (so one key leaves a null in slot 2, three keys lose the third).
	local info = {}
	local n = 0
	for i, name in ipairs(self.keys) do
		info[i] = { name = name, desc = self.descs[i], is_key = true }
		if i > n then n = i end
	end
	info[3] = { name = self.value, desc = self.value_desc, is_key = false }
	if n < 3 then n = 3 end
	local items = {}
	for i = 1, n do
		local e = info[i]
		if e == nil then
			items[i] = "null"
		else
			local fields = { "\n      \"name\":" .. jstring(e.name) }
			if e.desc ~= nil then
				fields[#fields + 1] = "\n      \"desc\":" .. jstring(e.desc)
			end
			fields[#fields + 1] = "\n      \"is_key\":" .. tostring(e.is_key)
			items[i] = "{" .. table.concat(fields, ",") .. "\n    }"
		end
	end

	print("{\n  \"ts\":" .. jstring(sysdig.make_ts(ts_s, 0)) ..
		",\n  \"data\":[" .. table.concat(rows, ",") .. "]" ..
		",\n  \"info\":[" .. table.concat(items, ",") .. "]\n}")
end

-- Defines every callback of a chisel that is one top-N table. `spec` holds
-- the topn.new fields plus, optionally:
--   container_keys, container_descs  keys and descriptions used with -pc
--   key_arg  the name of a chisel argument that gives the (single) key field
--   cpu_field  a field summed as cpu * 10^7 per event instead of `value`
-- The host may sum natively: on_event only forwards to the table.
function M.chisel(spec)
	local tbl
	local key_arg_value = ""
	local cpu_id

	function on_set_arg(name, val)
		if spec.key_arg ~= nil and name == spec.key_arg then
			key_arg_value = val
			return true
		end
		return false
	end

	function on_init()
		local o = {}
		for k, v in pairs(spec) do
			o[k] = v
		end
		if spec.key_arg ~= nil then
			o.keys = { key_arg_value }
			o.descs = { key_arg_value }
		elseif spec.container_keys ~= nil and sysdig.is_print_container_data() then
			o.keys = spec.container_keys
			o.descs = spec.container_descs
		end
		o.native_only = true
		if spec.cpu_field ~= nil then
			o.scale_field, o.scale = spec.cpu_field, 10000000
		end
		tbl = M.new(o)
		if not tbl:init() then
			return false
		end
		cpu_id = tbl.scale_id
		return true
	end

	function on_capture_start()
		local ok = tbl:capture_start()
		if cpu_id == nil or tbl.native then
			on_event = tbl:event_fn()
		end
		return ok
	end

	-- With cpu_field (thread.cpu, a fraction of the last procinfo interval),
	-- rows sum cpu * 10^7 so "timepct" against the capture duration reads as
	-- a percentage.
	function on_event()
		if cpu_id == nil then
			return tbl:event()
		end
		local key = tbl:event_key()
		if key == nil then
			return nil
		end
		tbl:add(key, evt.field(cpu_id) * 10000000)
		return true
	end
	function on_interval(ts_s, ts_ns, delta) return tbl:interval(ts_s, ts_ns, delta) end
	function on_capture_end(ts_s, ts_ns, delta) return tbl:capture_end(ts_s, ts_ns, delta) end
end

return M
