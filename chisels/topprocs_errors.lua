-- topprocs_errors: processes sorted by number of failed system calls.
-- rchisel bundled chisel.

description = "Shows the top processes in terms of system call errors. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown."
short_description = "top processes by number of errors"
category = "Errors"

args = {}

require("rchisel_topn").chisel{
	value = "evt.count", value_desc = "#Errors", top = 100, units = "none",
	filter = "evt.failed=true",
	keys = { "proc.name", "proc.pid" }, descs = { "Process", "PID" },
	container_keys = { "proc.name", "proc.pid", "thread.vtid", "container.name" },
	container_descs = { "Process", "Host_pid", "Container_pid", "container.name" },
}
