description = "a strict _G (strict.lua style) whose __index raises once on_event is gone"
short_description = "strict _G"; category = "Tests"
args = {}
local n = 0
function on_event()
	n = n + 1
	if n == 5 then rawset(_G, "on_event", nil) end
	return true
end
function on_capture_end() print("capture_end ran after the error", n) end
setmetatable(_G, {__index = function(t, k)
	if k == "on_event" then error("variable '" .. k .. "' is not declared", 2) end
	return rawget(t, k)
end})
