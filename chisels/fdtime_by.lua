-- fdtime_by: time spent in I/O calls, grouped by any filter field.
-- rchisel bundled chisel.

description = "Groups FD activity based on the given filter field, and returns the keys where most time was spent. For example, this script can be used to list the processes or files that caused the biggest I/O latency."
short_description = "FD time group by"
category = "I/O"

args =
{
	{
		name = "key",
		description = "The filter field used for grouping",
		argtype = "string"
	},
}

require("rchisel_topn").chisel{
	key_arg = "key", value = "evt.latency", value_desc = "Time", top = 10, units = "time",
	filter = "evt.is_io=true",
}
