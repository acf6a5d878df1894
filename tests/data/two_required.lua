description = "two required args"; short_description = "two required"; category = "Tests"
args = {
	{ name = "a", description = "first", argtype = "string" },
	{ name = "b", description = "second", argtype = "string" },
}
function on_set_arg(n, v) return true end
