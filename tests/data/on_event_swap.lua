description = "on_event replaced at run time, found through _G's __index, and the truthiness of what it returns"
short_description = "on_event look-up"; category = "Tests"
args = {}
-- The host looks on_event up in the globals before every event and prints
-- the event (set_event_formatter) when what it returned is true in Lua.
local n, lookups = 0, 0
local calls = {}
local function count(tag) calls[tag] = (calls[tag] or 0) + 1; n = n + 1 end
local function fourth()
	count("fourth")
	if n <= 45 and n % 5 == 0 then return true end
end
local function via_index()
	count("via_index")
	if n == 30 then on_event = fourth end -- absent key: a plain (raw) set
	if n % 4 == 0 then return 0 end -- 0 is true
	return nil
end
local function second()
	count("second")
	if n == 20 then rawset(_G, "on_event", nil) end -- now found through __index
	if n % 3 == 0 then return "" end -- "" is true
	return false
end
function on_init()
	chisel.set_event_formatter("%evt.num")
	return true
end
function on_event()
	count("first")
	if n == 10 then on_event = second end
	return n % 2 == 0
end
function on_capture_end()
	print("calls", calls.first, calls.second, calls.via_index, calls.fourth, "lookups", lookups)
end
setmetatable(_G, {__index = function(t, k)
	if k == "on_event" then
		lookups = lookups + 1
		return via_index
	end
	return nil
end})
