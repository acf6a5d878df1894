-- Prints sysdig.get_read_progress() at every event where it changed.
description = "read progress steps"
short_description = "read progress steps"
category = "misc"
args = {}
local last = -1
function on_init() return true end
function on_event()
	local p = sysdig.get_read_progress()
	if p ~= last then
		print(evt.get_num(), p)
		last = p
	end
	return true
end
function on_capture_end() print("end", sysdig.get_read_progress()) end
