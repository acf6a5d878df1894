-- chisel.exec: replaces itself with api_tour, passing its arguments on.
description = "exec test"; short_description = "exec test"; category = "Tests"
args = { { name = "label", description = "label", argtype = "string" } }
local l
function on_set_arg(n, v) l = v return true end
function on_init()
	chisel.exec("api_tour", l, "2")
	return true
end
