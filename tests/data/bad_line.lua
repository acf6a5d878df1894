description = "error test"; short_description = "error test"; category = "Tests"
args = {}
local n = 0
function on_event()
	n = n + 1
	if n == 10 then
		local t = nil
		return t.field
	end
	return true
end
function on_capture_end() print("capture_end ran after the error", n) end
