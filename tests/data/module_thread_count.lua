-- Counts the threads at every 100th event through a required module.
description = "thread count through a module (test chisel)"; short_description = "thread count"; category = "Tests"; args = {}
local m = require "thread_count_module"
local n = 0
function on_init() f = chisel.request_field("evt.num") return true end
function on_event()
	n = n + 1
	if n % 100 == 0 then print(evt.field(f), m.count()) end
	return true
end
