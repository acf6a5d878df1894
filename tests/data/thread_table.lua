-- Test chisel: sysdig.get_thread_table() at the first event, every field
-- but the fd tables, sorted; the progress at the first event; and the
-- errors API calls raise when caught with pcall.
description = "thread table dump"; short_description = "thread table dump"; category = "Test"; args = {}

local function dump(v, ind)
	if type(v) ~= "table" then return tostring(v) end
	local keys = {}
	for k in pairs(v) do keys[#keys + 1] = k end
	table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
	local out = {}
	for _, k in ipairs(keys) do
		if k ~= "fdtable" then out[#out + 1] = ind .. tostring(k) .. "=" .. dump(v[k], ind .. "  ") end
	end
	return "{\n" .. table.concat(out, "\n") .. "}"
end

function on_init()
	print("init progress", pcall(sysdig.get_read_progress))
	print("bad filter", pcall(chisel.set_filter, "bad filter (("))
	print("mixed and/or", pcall(chisel.set_filter, "proc.name=a or proc.name=b and evt.type=execve"))
	print("bad field", pcall(chisel.request_field, "no.such"))
	print("udp without peer", pcall(sysdig.udp_send, "x"))
	return true
end

local first = true
function on_event()
	if first then
		first = false
		print(dump(sysdig.get_thread_table(), ""))
	end
	return true
end
