-- Prints sysdig.get_read_progress() at every 2000th event and at the end.
description = "read progress probe"
short_description = "read progress"
category = "misc"
args = {}
local n = 0
function on_init() return true end
function on_event()
	n = n + 1
	if n % 2000 == 1 then print(string.format("progress %.3f", sysdig.get_read_progress())) end
	return true
end
function on_capture_end() print(string.format("progress %.3f", sysdig.get_read_progress())) end
