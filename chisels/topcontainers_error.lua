-- topcontainers_error: containers sorted by number of failed system calls.
-- rchisel bundled chisel.

description = "Shows the top container in terms of system call errors."
short_description = "Top containers by number of errors"
category = "Errors"

args = {}

require("rchisel_topn").chisel{
	value = "evt.count", value_desc = "#Errors", top = 100, units = "none",
	filter = "evt.failed=true and container.name!=host",
	keys = { "container.name" }, descs = { "container.name" },
}
